/* Printer reading: system group, Printer-MIB marker life count and supplies, HOST-RESOURCES printer status. */
#include "config.h"

#include <string.h>

#include "readplan.h"
#include "util.h"

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

/* prtMarkerSuppliesEntry: type, description, unit, max capacity, level. */
static const struct gf_plan_table printer_tables[] = {
	{ "prtMarkerSupplies", { 1, 3, 6, 1, 2, 1, 43, 11, 1, 1 }, 10,
	    { 5, 6, 7, 8, 9 }, 5, GF_MAX_SUPPLIES },
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
		break;
	case P_LIFECOUNT:
		/* A life count is a Counter32; a negative INTEGER is garbage, not pages. */
		if (isint && v >= 0 && v <= UINT32_MAX) {
			r->has_lifecount = 1;
			r->lifecount = (uint64_t)v;
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
		readplan_sys_scalar(r, i, vb);
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
printer_cell(struct gf_reading *r, int t, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	struct gf_supply *s;
	int64_t v;

	(void)t;
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

static const struct gf_readplan printer_readplan = {
	"printer", printer_scalars, P_NSCALARS,
	printer_tables, sizeof(printer_tables) / sizeof(printer_tables[0]),
	printer_scalar, printer_cell,
};

const struct gf_readplan *
printer_plan(void)
{
	return &printer_readplan;
}

const struct gf_readplan *
readplan_for(enum gf_kind kind)
{
	return kind == GF_KIND_PRINTER ? printer_plan() : host_plan();
}
