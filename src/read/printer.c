/* Printer reading: system group, Printer-MIB marker life count and supplies, HOST-RESOURCES printer status. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "printer.h"
#include "profile.h"
#include "readplan.h"
#include "util.h"
#include "xmalloc.h"

/* Larger counter values are garbage: no printer has printed 2^52 pages, and sums must not overflow. */
#define GF_RAW_MAX	(1LL << 52)

enum {
	P_DEVSTATUS = RP_NSYS, P_PRTSTATUS, P_PRTERRSTATE, P_LIFECOUNT, P_COUNTERUNIT,
	P_SERIAL, P_NSCALARS
};

/* hrDeviceIndex 1 is the printer on every recording seen; vendor profiles (issue 3) may refine it. */
static const struct gf_plan_scalar printer_scalars[P_NSCALARS] = {
	RP_SYS_SCALARS,
	[P_DEVSTATUS] = { { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 5, 1 }, 12 },
	[P_PRTSTATUS] = { { 1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 1, 1 }, 12 },
	[P_PRTERRSTATE] = { { 1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1 }, 12 },
	[P_LIFECOUNT] = { { 1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1 }, 13 },
	[P_COUNTERUNIT] = { { 1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 3, 1, 1 }, 13 },
	[P_SERIAL] = { { 1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17, 1 }, 12 },
};

/*
 * prtMarkerSuppliesEntry (type, description, unit, max capacity, level), the
 * Printer-MIB alerts, then the PWG counter MIB: icKeyTable's service type, then the lifetime work
 * totals of icImpressionTable (total, mono, full colour), icTwoSidedTable
 * and icSheetTable. The discovery plan only probes icKeyTable.
 */
enum { T_SUPPLIES, T_ALERT, T_ENTITY, T_ICKEY, T_ICIMP, T_ICTWO, T_ICSHEET, T_NPWG };
#define T_PROFILE	3	/* a profile plan's own tables start here */
#define IC(n)	{ 1, 3, 6, 1, 4, 1, 2699, 1, 3, 1, n, 1, 1 }, 13
static const struct gf_plan_table printer_tables[T_NPWG] = {
	[T_SUPPLIES] = { "prtMarkerSupplies", { 1, 3, 6, 1, 2, 1, 43, 11, 1, 1 }, 10,
	    { 5, 6, 7, 8, 9 }, 5, GF_MAX_SUPPLIES },
	/* prtAlertTable: severity and code of the alerts standing now. */
	[T_ALERT] = { "prtAlertTable", { 1, 3, 6, 1, 2, 1, 43, 18, 1, 1 }, 10, { 2, 7 }, 2, 64 },
	/* ENTITY-MIB entPhysicalClass and entPhysicalSerialNum: a serial the Printer-MIB lacks. */
	[T_ENTITY] = { "entPhysicalTable", { 1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1 }, 11, { 5, 11 }, 2,
	    GF_MAX_ENT },
	[T_ICKEY] = { "icKeyTable", IC(2), { 2 }, 1, GF_MAX_PWG },
	[T_ICIMP] = { "icImpressionTable", IC(8), { 4, 5, 7 }, 3, 4 * GF_MAX_PWG },
	[T_ICTWO] = { "icTwoSidedTable", IC(9), { 4 }, 1, 4 * GF_MAX_PWG },
	[T_ICSHEET] = { "icSheetTable", IC(10), { 4 }, 1, 4 * GF_MAX_PWG },
};

/* hrPrinterDetectedErrorState is a BITS octet string; keep its first two bytes. */
static uint32_t
error_bits(const netsnmp_variable_list *vb)
{
	uint32_t bits = 0;

	if (vb->type != ASN_OCTET_STR)
		return 0;
	if (vb->val_len > 0)
		bits = (uint32_t)vb->val.string[0] << 8;
	if (vb->val_len > 1)
		bits |= vb->val.string[1];
	return bits;
}

/* Stores the answer to a profile's serial-number OID K (a scalar index); 0 if K is none. */
static int
vendor_serial(struct gf_reading *r, int k, const netsnmp_variable_list *vb)
{
	const struct gf_profile *p = r->plan != NULL ? r->plan->profile : NULL;
	int i;

	if (p == NULL)
		return 0;
	for (i = 0; i < p->nserials && i < GF_MAX_VSERIAL; i++)
		if (p->serial[i] == k) {
			gf_vb_str(vb, r->vserial[i], sizeof(r->vserial[i]));
			return 1;
		}
	return 0;
}

static void
printer_scalar(struct gf_reading *r, int i, const netsnmp_variable_list *vb)
{
	int64_t v;
	int isint = gf_vb_int(vb, &v) == 0;

	switch (i) {
	case P_DEVSTATUS:
		if (isint && v >= 1 && v <= 5) {
			r->has_device_status = 1;
			r->device_status = (int)v;
		}
		break;
	case P_PRTSTATUS:
		if (isint && v >= 1 && v <= 5) {
			r->has_printer_status = 1;
			r->printer_status = (int)v;
		}
		break;
	case P_PRTERRSTATE:
		r->error_state = error_bits(vb);
		r->has_error_state = vb->type == ASN_OCTET_STR;
		break;
	case P_LIFECOUNT:
		/* A life count is a Counter32; a negative INTEGER, or one past its modulus, is garbage. */
		if (isint && v >= 0 && v <= UINT32_MAX && (uint64_t)v < gf_vb_modulus(vb)) {
			r->has_lifecount = 1;
			r->lifecount = (uint64_t)v;
			r->lifecount_mod = gf_vb_modulus(vb);
		}
		break;
	case P_COUNTERUNIT:
		if (isint && v >= 0 && v <= 20)
			r->counter_unit = (int)v;
		break;
	case P_SERIAL:
		gf_vb_str(vb, r->serial, sizeof(r->serial));
		break;
	default:
		if (i < RP_NSYS)
			readplan_sys_scalar(r, i, vb);
		else if (vendor_serial(r, i - P_NSCALARS, vb))
			;
		else if (i - P_NSCALARS < GF_MAX_RAW && isint && v >= 0 && v < GF_RAW_MAX &&
		    (uint64_t)v < gf_vb_modulus(vb))
			/* A vendor counter; negative values, or past the type's modulus, are garbage. */
			r->raw[i - P_NSCALARS] = (uint64_t)v,
			r->raw_mod[i - P_NSCALARS] = gf_vb_modulus(vb);
	}
}

/* Finds or adds the supply row with this index; NULL when the table is full. */
static struct gf_supply *
supply_row(struct gf_reading *r, int index)
{
	int i;

	for (i = 0; i < r->nsupplies; i++)
		if (r->supplies[i].index == index)
			return &r->supplies[i];
	if (r->nsupplies == GF_MAX_SUPPLIES)
		return NULL;
	memset(&r->supplies[i], 0, sizeof(r->supplies[i]));
	r->supplies[i].index = index;
	r->supplies[i].max = -2;
	r->supplies[i].level = -2;
	r->nsupplies++;
	return &r->supplies[i];
}

static void
supply_cell(struct gf_reading *r, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	struct gf_supply *s;
	int64_t v;

	/* Index is (hrDeviceIndex, prtMarkerSuppliesIndex). */
	if (idxlen != 2 || idx[1] > 65535 || (s = supply_row(r, (int)idx[1])) == NULL)
		return;
	if (col == 6) {
		gf_vb_str(vb, s->descr, sizeof(s->descr));
		return;
	}
	if (gf_vb_int(vb, &v) != 0 || v < -1000000000 || v > 1000000000)
		return;
	switch (col) {
	case 5: s->type = (int)v; break;
	case 7: s->unit = (int)v; break;
	case 8: s->max = (long)v; break;
	case 9: s->level = (long)v; break;
	}
}


/* ---- PWG Imaging System Counter MIB ---- */

static struct gf_pwg_key *
pwg_key(struct gf_reading *r, oid key)
{
	int i;

	for (i = 0; i < r->npwg; i++)
		if ((oid)r->pwg[i].key == key)
			return &r->pwg[i];
	if (r->npwg == GF_MAX_PWG || key < 1 || key > INT32_MAX)
		return NULL;
	memset(&r->pwg[i], 0, sizeof(r->pwg[i]));
	r->pwg[i].key = (int)key;
	r->npwg++;
	return &r->pwg[i];
}

static void
pwg_cell(struct gf_reading *r, int t, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	struct gf_pwg_key *k;
	int64_t v;
	int slot;

	/* IcCounter32 and the enums are 0..2^31-1; anything else is garbage. */
	if (gf_vb_int(vb, &v) != 0 || v < 0 || v > INT32_MAX)
		return;
	if (t == T_ICKEY) {
		if (idxlen == 1 && (k = pwg_key(r, idx[0])) != NULL)
			k->service = (int)v;
		return;
	}
	/* Index (key, work type, persistence): keep lifetime (3) work totals (3) only. */
	if (idxlen != 3 || idx[1] != 3 || idx[2] != 3 || (k = pwg_key(r, idx[0])) == NULL)
		return;
	if (t == T_ICIMP)
		slot = col == 4 ? PWG_IMPS : col == 5 ? PWG_MONO : PWG_COLOUR;
	else
		slot = t == T_ICTWO ? PWG_TWOSIDED : PWG_SHEETS;
	k->have[slot] = 1;
	k->v[slot] = (uint64_t)v;
}

/* ---- vendor tables that name their rows ---- */

static uint64_t
idx_hash(const oid *idx, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	while (len--)
		h = (h ^ *idx++) * 1099511628211ULL;
	return h;
}

static struct gf_rawrow *
raw_row(struct gf_reading *r, int t, uint64_t h)
{
	int i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].table == t && r->rows[i].idx == h)
			return &r->rows[i];
	if (r->nrows == GF_MAX_ROWS)
		return NULL;
	memset(&r->rows[i], 0, sizeof(r->rows[i]));
	r->rows[i].table = (unsigned char)t;
	r->rows[i].idx = h;
	r->nrows++;
	return &r->rows[i];
}

static void
row_cell(struct gf_reading *r, int t, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	const struct gf_profile *p = r->plan->profile;
	const struct gf_prof_table *pt = &p->tables[t - T_PROFILE];
	struct gf_rawrow *row = raw_row(r, t, idx_hash(idx, idxlen));
	int64_t v;

	if (row == NULL)
		return;
	if (col == pt->key_col) {
		if (gf_vb_str(vb, row->key, sizeof(row->key)) == 0)
			row->has_key = 1;
		else if (gf_vb_int(vb, &v) == 0)
			row->has_key = snprintf(row->key, sizeof(row->key), "%lld", (long long)v) > 0;
	}
	if (col == pt->value_col && gf_vb_int(vb, &v) == 0 && v >= 0 && v < GF_RAW_MAX &&
	    (uint64_t)v < gf_vb_modulus(vb)) {
		row->value = (uint64_t)v;
		row->modulus = gf_vb_modulus(vb);
		row->has_value = 1;
	}
}

/* Finds or adds the ENTITY-MIB row with this index; NULL when the table is full. */
static struct gf_ent *
ent_row(struct gf_reading *r, const oid *idx, size_t idxlen)
{
	int i;

	if (idxlen != 1 || idx[0] < 1 || idx[0] > INT32_MAX)
		return NULL;
	for (i = 0; i < r->nent; i++)
		if (r->ent[i].index == idx[0])
			return &r->ent[i];
	if (r->nent == GF_MAX_ENT)
		return NULL;
	memset(&r->ent[i], 0, sizeof(r->ent[i]));
	r->ent[i].index = (uint32_t)idx[0];
	r->nent++;
	return &r->ent[i];
}

/* entPhysicalClass chassis(3) marks the row whose serial is the device's. */
static void
ent_cell(struct gf_reading *r, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	struct gf_ent *e = ent_row(r, idx, idxlen);
	int64_t v;

	if (e == NULL)
		return;
	if (col == 5 && gf_vb_int(vb, &v) == 0)
		e->chassis = v == 3;
	else if (col == 11)
		gf_vb_str(vb, e->serial, sizeof(e->serial));
}

/* prtAlertCode jam(8): a jam standing now (RFC 3805 PrtAlertCodeTC). */
static void
alert_cell(struct gf_reading *r, int col, const netsnmp_variable_list *vb)
{
	int64_t v;

	if (col == 7 && gf_vb_int(vb, &v) == 0 && v == 8 && r->jam_alerts < 1000)
		r->jam_alerts++;
}

static void
printer_cell(struct gf_reading *r, int t, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	if (t == T_SUPPLIES)
		supply_cell(r, col, idx, idxlen, vb);
	else if (t == T_ALERT)
		alert_cell(r, col, vb);
	else if (t == T_ENTITY)
		ent_cell(r, col, idx, idxlen, vb);
	else if (r->plan->profile != NULL)
		row_cell(r, t, col, idx, idxlen, vb);
	else
		pwg_cell(r, t, col, idx, idxlen, vb);
}

/* ---- counters, when the poll ends ---- */

static void
set_counter(struct gf_reading *r, int id, int src, int unit, uint64_t v, uint64_t mod,
    const char *origin)
{
	struct gf_counter *c = &r->counters[id];

	if (c->present)
		return;		/* the first (best) source wins */
	c->present = 1;
	c->src = src;
	c->unit = unit;
	c->value = v;
	c->modulus = mod;
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	r->ncounters++;
}

/* The PWG keys of the system totals, copy, print and received-fax services. */
static void
pwg_counters(struct gf_reading *r)
{
	static const struct { int service, slot, id; } map[] = {
		{ 3, PWG_IMPS, GF_C_TOTAL }, { 3, PWG_MONO, GF_C_MONO },
		{ 3, PWG_COLOUR, GF_C_COLOUR }, { 3, PWG_TWOSIDED, GF_C_DUPLEX },
		{ 3, PWG_SHEETS, GF_C_SHEETS },
		{ 11, PWG_MONO, GF_C_PRINT_MONO }, { 11, PWG_COLOUR, GF_C_PRINT_COLOUR },
		{ 4, PWG_MONO, GF_C_COPY_MONO }, { 4, PWG_COLOUR, GF_C_COPY_COLOUR },
		{ 7, PWG_IMPS, GF_C_FAX },
	};
	static const char *const table[] = { "8.1.1.4", "8.1.1.5", "8.1.1.7", "9.1.1.4",
		"10.1.1.4" };
	const struct gf_pwg_key *k;
	char origin[64];
	size_t m;
	int i;

	for (m = 0; m < sizeof(map) / sizeof(map[0]); m++)
		for (i = 0; i < r->npwg; i++) {
			k = &r->pwg[i];
			if (k->service != map[m].service || !k->have[map[m].slot])
				continue;
			snprintf(origin, sizeof(origin), "1.3.6.1.4.1.2699.1.3.1.%s.%d.3.3",
			    table[map[m].slot], k->key);
			set_counter(r, map[m].id, GF_SRC_PWG, map[m].slot == PWG_SHEETS ?
			    GF_UNIT_SHEETS : GF_UNIT_IMPRESSIONS, k->v[map[m].slot], 1ULL << 31,
			    origin);
			break;
		}
}

/* The sum of a keyed counter's rows; every row named must be there. */
static int
keyed_value(const struct gf_reading *r, const struct gf_prof_counter *pc, uint64_t *v,
    uint64_t *mod)
{
	int i, k, found;

	for (k = 0; k < pc->nkeys; k++) {
		for (i = 0, found = 0; i < r->nrows && !found; i++) {
			if (r->rows[i].table != pc->table + T_PROFILE || !r->rows[i].has_key ||
			    !r->rows[i].has_value || strcmp(r->rows[i].key, pc->keys[k]) != 0)
				continue;
			*v += r->rows[i].value;
			if (r->rows[i].modulus > *mod)
				*mod = r->rows[i].modulus;
			found = 1;
		}
		if (!found)
			return -1;
	}
	return 0;
}

/* A profile counter: the sum of its scalars (all needed) or its named table row. */
static int
profile_value(const struct gf_reading *r, const struct gf_prof_counter *pc, uint64_t *v,
    uint64_t *mod)
{
	int i;

	*v = 0;
	*mod = 0;
	if (pc->table >= 0)
		return keyed_value(r, pc, v, mod);
	for (i = 0; i < pc->nparts; i++) {
		if (r->raw_mod[pc->part[i]] == 0)
			return -1;
		*v += r->raw[pc->part[i]];
		if (r->raw_mod[pc->part[i]] > *mod)
			*mod = r->raw_mod[pc->part[i]];
	}
	return 0;
}

static void
profile_counters(struct gf_reading *r, const struct gf_profile *p)
{
	const struct gf_prof_counter *pc;
	uint64_t v, mod;
	int i;

	for (i = 0; i < p->ncounters; i++) {
		pc = &p->counters[i];
		if (profile_value(r, pc, &v, &mod) == 0)
			set_counter(r, pc->id, GF_SRC_PROFILE, pc->unit, v, mod, pc->origin);
	}
}

/* Sums that stand for a counter the source lacks (see counter_derive). */
static void
derive_counters(struct gf_reading *r)
{
	static const int order[] = { GF_C_MONO, GF_C_COLOUR, GF_C_TOTAL };
	int present[GF_NCOUNTERS], derived[GF_NCOUNTERS], i, unit = GF_UNIT_UNKNOWN;
	uint64_t v[GF_NCOUNTERS];

	for (i = GF_NCOUNTERS - 1; i >= 0; i--) {
		present[i] = r->counters[i].present;
		v[i] = r->counters[i].value;
		if (present[i])
			unit = r->counters[i].unit;
	}
	counter_derive(present, derived, v);
	for (i = 0; i < 3; i++)
		if (derived[order[i]])
			set_counter(r, order[i], GF_SRC_DERIVED, unit, v[order[i]], 0,
			    counter_derive_origin(order[i], r->counters));
}

/* ---- the serial number ---- */

/*
 * Trims S in place and says whether it is a serial number: not empty, not
 * only zeros, spaces, dashes or question marks, not a placeholder word.
 */
int
printer_serial_ok(char *s)
{
	static const char *const junk[] = { "N/A", "NA", "unknown", "Not Available", "none",
		"null", "serial", "serial number", "default", "not set", NULL };
	size_t n, i;

	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	i = strspn(s, " ");
	memmove(s, s + i, n - i + 1);
	if (s[strspn(s, "0 ?-.")] == '\0')
		return 0;
	for (i = 0; junk[i] != NULL; i++)
		if (strcasecmp(s, junk[i]) == 0)
			return 0;
	return 1;
}

/* The ENTITY-MIB serial: the chassis row's if valid, else the lowest index's valid one. */
static const char *
ent_serial(struct gf_reading *r)
{
	struct gf_ent *best = NULL;
	int i;

	for (i = 0; i < r->nent; i++)
		if (r->ent[i].chassis && printer_serial_ok(r->ent[i].serial))
			return r->ent[i].serial;
	for (i = 0; i < r->nent; i++)
		if (printer_serial_ok(r->ent[i].serial) &&
		    (best == NULL || r->ent[i].index < best->index))
			best = &r->ent[i];
	return best != NULL ? best->serial : NULL;
}

/* The first valid serial: Printer-MIB, then ENTITY-MIB, then the profile's OIDs in order. */
static void
pick_serial(struct gf_reading *r)
{
	const struct gf_profile *p = r->plan->profile;
	const char *s;
	int i;

	if (printer_serial_ok(r->serial)) {
		snprintf(r->serial_src, sizeof(r->serial_src), "printer-mib");
		return;
	}
	if ((s = ent_serial(r)) != NULL) {
		snprintf(r->serial, sizeof(r->serial), "%s", s);
		snprintf(r->serial_src, sizeof(r->serial_src), "entity-mib");
		return;
	}
	for (i = 0; p != NULL && i < p->nserials && i < GF_MAX_VSERIAL; i++)
		if (printer_serial_ok(r->vserial[i])) {
			snprintf(r->serial, sizeof(r->serial), "%s", r->vserial[i]);
			snprintf(r->serial_src, sizeof(r->serial_src), "profile:%.32s", p->name);
			return;
		}
	r->serial[0] = '\0';
	r->serial_src[0] = '\0';
}

/*
 * One source per counter, best first: the PWG counter MIB, else the vendor
 * profile, else sums of those; the Printer-MIB life count only gives a total
 * when neither does, so it is never added to a vendor's figures.
 */
static void
printer_finish(struct gf_reading *r)
{
	pick_serial(r);
	if (r->npwg > 0)
		pwg_counters(r);
	if (r->plan->profile != NULL)
		profile_counters(r, r->plan->profile);
	derive_counters(r);
	if (r->has_lifecount)
		set_counter(r, GF_C_TOTAL, GF_SRC_PRTMIB, counter_unit_from_prtmib(r->counter_unit),
		    r->lifecount, r->lifecount_mod, "1.3.6.1.2.1.43.10.2.1.4.1.1");
}

/* ---- plans ---- */

/*
 * prtAlertTable costs a round trip: walk it only when hrPrinterDetectedErrorState
 * reports trouble (a standing jam sets its "jammed" bit), or when the agent gave
 * no error state at all.
 */
static int
printer_want(const struct gf_reading *r, int t)
{
	char s[GF_SHORT];

	if (t == T_ENTITY) {
		/* Only a device whose Printer-MIB gave no serial pays for this walk. */
		snprintf(s, sizeof(s), "%s", r->serial);
		return !r->plan->discover && !printer_serial_ok(s);
	}
	return t != T_ALERT || r->error_state != 0 || !r->has_error_state;
}

static const struct gf_readplan base_plan = {
	"printer", NULL, 0, printer_scalars, P_NSCALARS, printer_tables, T_ENTITY + 1,
	printer_scalar, printer_cell, printer_finish, printer_want,
};

/* First contact: the base plan plus a probe of the PWG counter MIB's key table. */
static const struct gf_readplan discover_plan = {
	"printer-discovery", NULL, 1, printer_scalars, P_NSCALARS, printer_tables, T_ICKEY + 1,
	printer_scalar, printer_cell, NULL, printer_want,
};

static const struct gf_readplan pwg_plan = {
	"printer-pwg", NULL, 0, printer_scalars, P_NSCALARS, printer_tables, T_NPWG,
	printer_scalar, printer_cell, printer_finish, printer_want,
};

const struct gf_readplan *
printer_plan(void)
{
	return &base_plan;
}

struct gf_readplan *
printer_plan_for_profile(const struct gf_profile *p)
{
	struct gf_readplan *rp = xcalloc(1, sizeof(*rp));
	struct gf_plan_scalar *sc = xcalloc(P_NSCALARS + p->noids, sizeof(*sc));
	struct gf_plan_table *tb = xcalloc(T_PROFILE + p->ntables, sizeof(*tb));
	int i;

	memcpy(sc, printer_scalars, sizeof(printer_scalars));
	for (i = 0; i < p->noids; i++) {
		memcpy(sc[P_NSCALARS + i].o, p->oids[i].o, p->oids[i].len * sizeof(oid));
		sc[P_NSCALARS + i].len = p->oids[i].len;
	}
	tb[T_SUPPLIES] = printer_tables[T_SUPPLIES];
	tb[T_ALERT] = printer_tables[T_ALERT];
	tb[T_ENTITY] = printer_tables[T_ENTITY];
	for (i = 0; i < p->ntables; i++) {
		tb[T_PROFILE + i].name = p->name;
		memcpy(tb[T_PROFILE + i].entry, p->tables[i].entry, p->tables[i].len * sizeof(oid));
		tb[T_PROFILE + i].entry_len = p->tables[i].len;
		tb[T_PROFILE + i].cols[0] = p->tables[i].value_col;
		tb[T_PROFILE + i].cols[1] = p->tables[i].key_col;
		tb[T_PROFILE + i].ncols = 2;
		tb[T_PROFILE + i].max_rows = GF_MAX_ROWS;
	}
	*rp = base_plan;
	rp->name = p->name;
	rp->profile = p;
	rp->scalars = sc;
	rp->nscalars = P_NSCALARS + p->noids;
	rp->tables = tb;
	rp->ntables = T_PROFILE + p->ntables;
	return rp;
}

void
printer_plan_free(struct gf_readplan *rp)
{
	if (rp == NULL)
		return;
	free((void *)rp->scalars);
	free((void *)rp->tables);
	free(rp);
}

/* The profiles' plans, one per profile, in the profiles' order. */
struct gf_printer_plans {
	const struct gf_profiles *ps;
	struct gf_readplan **plan;
};

struct gf_printer_plans *
printer_plans_new(const struct gf_profiles *ps)
{
	struct gf_printer_plans *pp = xcalloc(1, sizeof(*pp));
	size_t i;

	pp->ps = ps;
	if (ps == NULL || ps->n == 0)
		return pp;
	pp->plan = xcalloc(ps->n, sizeof(*pp->plan));
	for (i = 0; i < ps->n; i++)
		pp->plan[i] = printer_plan_for_profile(&ps->v[i]);
	return pp;
}

void
printer_plans_free(struct gf_printer_plans *pp)
{
	size_t i;

	if (pp == NULL)
		return;
	for (i = 0; pp->plan != NULL && i < pp->ps->n; i++)
		printer_plan_free(pp->plan[i]);
	free(pp->plan);
	free(pp);
}

const struct gf_readplan *
printer_choose_plan(const struct gf_reading *r, const struct gf_printer_plans *pp)
{
	const struct gf_profile *p;
	int i;

	for (i = 0; i < r->npwg; i++)
		if (r->pwg[i].service == 3)
			return &pwg_plan;
	if (pp->plan != NULL && (p = profiles_match(pp->ps, r->sys_object_id, r->sys_descr)) != NULL)
		return pp->plan[p - pp->ps->v];
	return &base_plan;
}

const struct gf_readplan *
readplan_first(enum gf_kind kind)
{
	return kind == GF_KIND_PRINTER ? &discover_plan : host_plan();
}
