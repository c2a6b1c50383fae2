/* Discovered devices classified from their readings: kind, vendor, model, serial, profile, age. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "printer.h"
#include "profile.h"
#include "readplan.h"
#include "text.h"
#include "util.h"

/* Vendors as sysDescr spells them, and as the table names them. */
static const struct {
	const char *match;
	const char *name;
} vendors[] = {
	{ "Hewlett-Packard", "HP" }, { "HP", "HP" }, { "Brother", "Brother" },
	{ "Canon", "Canon" }, { "Dell", "Dell" }, { "EPSON", "Epson" }, { "FUJIFILM", "Fujifilm" },
	{ "Fuji Xerox", "Fujifilm" }, { "Xerox", "Xerox" }, { "KONICA", "Konica Minolta" },
	{ "Develop", "Develop" }, { "KYOCERA", "Kyocera" }, { "Lexmark", "Lexmark" },
	{ "OKI", "OKI" }, { "RICOH", "Ricoh" }, { "SHARP", "Sharp" }, { "Samsung", "Samsung" },
	{ "TOSHIBA", "Toshiba" }, { "UTAX", "Utax" }, { "Cisco", "Cisco" }, { "ProCurve", "HP" },
	{ "APC", "APC" }, { "Eaton", "Eaton" }, { "Ubiquiti", "Ubiquiti" }, { "VMware", "VMware" },
	{ "Windows", "Microsoft" }, { "Linux", "Linux" }, { "FreeBSD", "FreeBSD" },
};

/* Words that make a host a server rather than someone's workstation. */
static const char *const server_words[] = { "server", "esxi", "vmkernel", "proliant",
	"poweredge", "xeon", NULL };

const char *
classify_name(enum gf_class cls)
{
	static const char *const names[] = { "printer", "workstation", "server", "other" };

	return names[cls];
}

int
classify_is_printer(const struct gf_reading *r, const struct gf_profiles *ps)
{
	return r->has_lifecount || r->nsupplies > 0 ||
	    (ps != NULL && profiles_match(ps, r->sys_object_id, r->sys_descr) != NULL);
}

/* 1 if NEEDLE is a whole word (or words) of HAY, ignoring case. */
static int
has_word(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	for (p = hay; *p != '\0'; p++)
		if ((p == hay || !isalnum((unsigned char)p[-1])) && strncasecmp(p, needle, n) == 0 &&
		    !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}

/* The vendor named in DESCR (a word of the table), or "" when none is. */
static void
vendor_of(const char *descr, char *out, size_t sz)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (has_word(descr, vendors[i].match)) {
			snprintf(out, sz, "%s", vendors[i].name);
			return;
		}
}

/*
 * The model: sysDescr's first line, cut at 127 bytes (its cleaned text);
 * HP's JetDirect names the printer after "PID:".
 */
static void
model_of(const char *descr, char *out, size_t sz)
{
	const char *pid = strstr(descr, ",PID:");
	size_t n;

	if (pid != NULL && pid[5] != '\0')
		descr = pid + 5;
	n = strcspn(descr, "\r\n;,");

	if (n >= sz)
		n = sz - 1;
	memcpy(out, descr, n);
	out[n] = '\0';
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
}

/* The serial of R: the printer plan's pick, else ENTITY-MIB's, when it is a real one. */
static void
serial_of(const struct gf_reading *r, struct gf_class_info *out)
{
	snprintf(out->serial, sizeof(out->serial), "%s", r->serial);
	if (r->serial[0] != '\0' && printer_serial_ok(out->serial)) {
		snprintf(out->serial_src, sizeof(out->serial_src), "%s",
		    r->serial_src[0] ? r->serial_src : "printer-mib");
		return;
	}
	snprintf(out->serial, sizeof(out->serial), "%s", r->ent_serial);
	if (printer_serial_ok(out->serial)) {
		snprintf(out->serial_src, sizeof(out->serial_src), "entity-mib");
		return;
	}
	out->serial[0] = '\0';
	out->serial_src[0] = '\0';
}

void
classify_reading(const struct gf_reading *r, int printer, int hr_printer,
    const struct gf_profiles *ps, struct gf_class_info *out)
{
	const struct gf_profile *p;
	int i;

	memset(out, 0, sizeof(*out));
	snprintf(out->sys_name, sizeof(out->sys_name), "%s", r->sys_name);
	vendor_of(r->sys_descr, out->vendor, sizeof(out->vendor));
	model_of(r->sys_descr, out->model, sizeof(out->model));
	serial_of(r, out);
	if (ps != NULL && (p = profiles_match(ps, r->sys_object_id, r->sys_descr)) != NULL)
		snprintf(out->profile, sizeof(out->profile), "%s", p->name);
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (r->counters[i].present)
			out->has_pages = 1;
	/* The order advice_age trusts: a manufacturing date, then the oldest software. */
	if (r->mfg_date[0] != '\0') {
		memcpy(out->age, r->mfg_date, sizeof(out->age));
		out->age_src = "entity-mib";
	} else if (r->sw_oldest[0] != '\0') {
		memcpy(out->age, r->sw_oldest, sizeof(out->age));
		out->age_src = "software";
	}
	if (printer)
		out->cls = GF_CLASS_PRINTER;
	else if (r->has_hr_uptime && r->nstorage > 0)
		out->cls = GF_CLASS_WORKSTATION;
	else if (hr_printer)
		out->cls = GF_CLASS_PRINTER;
	else
		out->cls = GF_CLASS_OTHER;
	for (i = 0; out->cls == GF_CLASS_WORKSTATION && server_words[i] != NULL; i++)
		if (has_word(r->sys_descr, server_words[i]))
			out->cls = GF_CLASS_SERVER;
}

static const struct gf_plan_scalar model_scalars[] = {
	{ { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3, 1 }, 12 },	/* hrDeviceDescr.1 */
};

/* Keeps hrDeviceDescr.1, cleaned, in the scratch reading's sys_descr. */
static void
model_scalar(struct gf_reading *r, int i, const netsnmp_variable_list *vb)
{
	(void)i;
	gf_vb_str(vb, r->sys_descr, sizeof(r->sys_descr));
}

static const struct gf_readplan model_plan = {
	"printer-model", NULL, 0, model_scalars, 1, NULL, 0, model_scalar, NULL, NULL, NULL,
};

const struct gf_readplan *
classify_model_plan(void)
{
	return &model_plan;
}

void
classify_model(const struct gf_reading *r, struct gf_class_info *out)
{
	char model[sizeof(out->model)];

	model_of(r->sys_descr, model, sizeof(model));
	if (model[0] == '\0')
		return;
	memcpy(out->model, model, sizeof(model));
	if (out->vendor[0] == '\0')
		vendor_of(model, out->vendor, sizeof(out->vendor));
}
