/* Unit tests for discovery's pure parts: classification, safe ids, new/known/moved/missing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "conf.h"
#include "discover_fleet.h"
#include "tap.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* disc_safe_id: hostile and ordinary sysNames. */
static void
test_safe_id(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "<private>", "private" },
		{ "Copieur RDC", "copieur-rdc" },
		{ "..hidden", "hidden" },
		{ "a\nb;rm -rf /", "a-b-rm-rf" },
		{ "imp.etage-2_", "imp.etage-2_" },
		{ "\xc3\x89tage 3", "tage-3" },
		{ "---", "" },
		{ "", "" },
		{ "x0123456789012345678901234567890123456789012345678901234567890123456789",
		    "x0123456789012345678901234567890123456789012345678901234" },
	};
	char id[65];
	size_t i;

	for (i = 0; i < nitems(t); i++) {
		disc_safe_id(t[i].in, id);
		tap_ok(strcmp(id, t[i].out) == 0, "safe id of '%s': '%s'", t[i].out, id);
	}
}

/* classify_reading: what makes a printer, a workstation, a server, or something else. */
static void
test_classify(void)
{
	struct gf_reading r;
	struct gf_class_info in;

	reading_init(&r, 0);
	r.has_lifecount = 1;
	tap_ok(classify_is_printer(&r, NULL), "Printer-MIB life count: a printer");
	reading_init(&r, 0);
	r.nsupplies = 1;
	tap_ok(classify_is_printer(&r, NULL), "marker supplies: a printer");
	reading_init(&r, 0);
	r.has_printer_status = 1;
	tap_ok(!classify_is_printer(&r, NULL), "an hrPrinter row alone is not sure");
	classify_reading(&r, 0, 1, NULL, &in);
	tap_ok(in.cls == GF_CLASS_PRINTER, "hrPrinter row and no host storage: a printer");
	r.has_hr_uptime = 1;
	r.nstorage = 2;
	snprintf(r.sys_descr, sizeof(r.sys_descr), "Hardware: x86 - Software: Windows 2000 Version 5.1");
	snprintf(r.sw_oldest, sizeof(r.sw_oldest), "2008-12-11");
	classify_reading(&r, 0, 1, NULL, &in);
	tap_ok(in.cls == GF_CLASS_WORKSTATION && strcmp(in.vendor, "Microsoft") == 0 &&
	    strcmp(in.age, "2008-12-11") == 0 && strcmp(in.age_src, "software") == 0,
	    "a Windows host with print queues: a workstation, aged by its software");
	snprintf(r.sys_descr, sizeof(r.sys_descr), "Windows Server 2019");
	snprintf(r.mfg_date, sizeof(r.mfg_date), "2017-01-02");
	snprintf(r.ent_serial, sizeof(r.ent_serial), "  CZ1234  ");
	classify_reading(&r, 0, 0, NULL, &in);
	tap_ok(in.cls == GF_CLASS_SERVER && strcmp(in.age, "2017-01-02") == 0 &&
	    strcmp(in.age_src, "entity-mib") == 0 && strcmp(in.serial, "CZ1234") == 0 &&
	    strcmp(in.serial_src, "entity-mib") == 0,
	    "Windows Server: a server, ENTITY-MIB date before software, serial trimmed");
	reading_init(&r, 0);
	snprintf(r.sys_descr, sizeof(r.sys_descr), "HP ETHERNET MULTI-ENVIRONMENT,SN:X,PID:HP "
	    "LaserJet 400");
	snprintf(r.serial, sizeof(r.serial), "N/A");
	classify_reading(&r, 1, 0, NULL, &in);
	tap_ok(in.cls == GF_CLASS_PRINTER && strcmp(in.model, "HP LaserJet 400") == 0 &&
	    strcmp(in.vendor, "HP") == 0 && in.serial[0] == '\0' && !in.has_pages,
	    "JetDirect: model after PID, a placeholder serial is none");
	reading_init(&r, 0);
	snprintf(r.sys_descr, sizeof(r.sys_descr), "ProCurve J9089A Switch 2610-48-PWR");
	classify_reading(&r, 0, 0, NULL, &in);
	tap_ok(in.cls == GF_CLASS_OTHER && strcmp(in.vendor, "HP") == 0, "a switch: other");
	snprintf(r.sys_descr, sizeof(r.sys_descr), "Development board SHARPENED");
	classify_reading(&r, 0, 0, NULL, &in);
	tap_ok(in.vendor[0] == '\0', "vendors match whole words only: '%s'", in.vendor);
}

/* A configuration from TEXT, through a temporary file. */
static struct gf_conf *
conf_from(const char *text)
{
	char path[] = "/tmp/gf-disc-XXXXXX";
	struct gf_conf *c;
	FILE *f;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return NULL;
	fputs(text, f);
	fclose(f);
	c = conf_load(path, stderr);
	unlink(path);
	return c;
}

#define DEV(id, host) "{ id = \"" id "\"; host = \"" host "\"; kind = \"printer\"; " \
	"department = \"a\"; snmp = { version = \"2c\"; community = \"public\"; }; }"

/* An answering host at 127.0.1.LAST. */
static struct disc_host
host(int last, enum gf_class cls, const char *name, const char *serial)
{
	struct disc_host h;

	memset(&h, 0, sizeof(h));
	h.addr = 0x7f000100u | (uint32_t)last;
	h.info.cls = cls;
	snprintf(h.info.sys_name, sizeof(h.info.sys_name), "%s", name);
	snprintf(h.info.serial, sizeof(h.info.serial), "%s", serial);
	return h;
}

/* New, known, moved and missing; ids unique against configured ids and each other. */
static void
test_fleet(void)
{
	struct gf_conf *c = conf_from("departments = ( { id = \"a\"; name = \"A\"; },"
	    " { id = \"b\"; name = \"B\"; } );\n"
	    "discover = { map = ( { net = \"127.0.1.0/28\"; department = \"b\"; } ); };\n"
	    "devices = ( " DEV("d1", "127.0.1.1") ", " DEV("d2", "127.0.1.2") ", "
	    DEV("d3", "127.0.1.3") ", " DEV("d4", "127.0.9.9") ", " DEV("d5", "printer.example")
	    " );\n");
	const char *serials[] = { "S1", "S2", "S3", NULL, "S5" };
	struct disc_host h[7];
	struct disc_result res = { h, 7, { 0, 0, 0, 0, 0, 0 } };
	struct gf_netrange t = { 0x7f000100u, 0x7f0001ffu };
	struct disc_fleet fl;
	char got[512] = "", line[96];
	size_t i;

	if (!tap_ok(c != NULL, "configuration loads"))
		return;
	h[0] = host(1, GF_CLASS_PRINTER, "whatever", "S9");
	h[1] = host(7, GF_CLASS_PRINTER, "moved-one", "S2");
	h[2] = host(8, GF_CLASS_PRINTER, "d1", "");
	h[3] = host(9, GF_CLASS_WORKSTATION, "D1", "S5x");
	h[4] = host(10, GF_CLASS_PRINTER, "", "");
	h[5] = host(20, GF_CLASS_OTHER, "sw", "");
	h[6] = host(21, GF_CLASS_PRINTER, "p", "S5");
	disc_fleet_build(c, &res, &t, 1, serials, -1, &fl);
	for (i = 0; i < fl.n; i++) {
		snprintf(line, sizeof(line), "%s %s %d %d %d\n", fl.v[i].id,
		    (const char *[]){ "new", "known", "moved", "missing" }[fl.v[i].state],
		    fl.v[i].dev, fl.v[i].dept, fl.v[i].configurable);
		strncat(got, line, sizeof(got) - strlen(got) - 1);
	}
	if (!tap_ok(strcmp(got,
	    "d1 known 0 0 0\n"		/* same host, whatever its serial now */
	    "d2 moved 1 0 0\n"		/* a configured serial at a new address */
	    "d1-2 new -1 1 1\n"		/* sysName d1 is taken: -2; the map gives b */
	    "d1-3 new -1 1 1\n"		/* D1 is d1 too */
	    "printer-127-0-1-10 new -1 1 1\n"
	    "sw new -1 -1 0\n"		/* outside the map, no default: not configurable */
	    "d5 known 4 0 0\n"		/* d5's serial; configured by name: may be this address */
	    "d3 missing 2 0 0\n") == 0,	/* d4 (outside the targets) and d5 (a name) are not */
	    "new, known, moved, missing; ids unique"))
		tap_diag("%s", got);
	disc_fleet_free(&fl);
	disc_fleet_build(c, &res, &t, 1, NULL, 0, &fl);
	tap_ok(fl.n == 9 && fl.v[1].state == DS_NEW && fl.v[5].dept == 0 &&
	    fl.v[5].configurable == 0 && fl.v[6].state == DS_NEW && fl.v[7].state == DS_MISSING &&
	    fl.v[8].state == DS_MISSING,
	    "without stored serials no move is seen; --department gives the rest a department");
	disc_fleet_free(&fl);
	conf_free(c);
}

int
main(void)
{
	test_safe_id();
	test_classify();
	test_fleet();
	return tap_done();
}
