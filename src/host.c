/* Workstation reading: system group and HOST-RESOURCES (uptime, storage, processors, devices). */
#include "config.h"

#include <string.h>

#include "readplan.h"
#include "util.h"

enum { H_HRUPTIME = RP_NSYS, H_MEMSIZE, H_NSCALARS };

static const struct gf_plan_scalar host_scalars[H_NSCALARS] = {
	RP_SYS_SCALARS,
	[H_HRUPTIME] = { { 1, 3, 6, 1, 2, 1, 25, 1, 1, 0 }, 10 },
	[H_MEMSIZE] = { { 1, 3, 6, 1, 2, 1, 25, 2, 2, 0 }, 10 },
};

static const oid storage_types[] = { 1, 3, 6, 1, 2, 1, 25, 2, 1 };

enum { T_STORAGE, T_PROCESSOR, T_DEVICE };

static const struct gf_plan_table host_tables[] = {
	[T_STORAGE] = { "hrStorage", { 1, 3, 6, 1, 2, 1, 25, 2, 3, 1 }, 10,
	    { 2, 3, 4, 5, 6 }, 5, GF_MAX_STORAGE },
	[T_PROCESSOR] = { "hrProcessor", { 1, 3, 6, 1, 2, 1, 25, 3, 3, 1 }, 10,
	    { 2 }, 1, 256 },
	[T_DEVICE] = { "hrDevice", { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1 }, 10,
	    { 5 }, 1, 1024 },
};

static void
host_scalar(struct gf_reading *r, int i, const netsnmp_variable_list *vb)
{
	int64_t v;

	if (i < RP_NSYS) {
		readplan_sys_scalar(r, i, vb);
		return;
	}
	if (gf_vb_int(vb, &v) != 0 || v < 0)
		return;
	if (i == H_HRUPTIME && vb->type == ASN_TIMETICKS) {
		r->has_hr_uptime = 1;
		r->hr_uptime = (uint32_t)v;
	} else if (i == H_MEMSIZE) {
		r->has_memory_kb = 1;
		r->memory_kb = (uint64_t)v;
	}
}

/* Finds or adds the storage row with this index; NULL when the table is full. */
static struct gf_storage *
storage_row(struct gf_reading *r, int index)
{
	int i;

	for (i = 0; i < r->nstorage; i++)
		if (r->storage[i].index == index)
			return &r->storage[i];
	if (r->nstorage == GF_MAX_STORAGE)
		return NULL;
	memset(&r->storage[i], 0, sizeof(r->storage[i]));
	r->storage[i].index = index;
	r->nstorage++;
	return &r->storage[i];
}

static void
storage_cell(struct gf_reading *r, int col, int index, const netsnmp_variable_list *vb)
{
	struct gf_storage *s = storage_row(r, index);
	int64_t v;

	if (s == NULL)
		return;
	if (col == 2) {
		/* hrStorageType is an OID under hrStorageTypes (1.3.6.1.2.1.25.2.1). */
		if (vb->type == ASN_OBJECT_ID && vb->val_len == 10 * sizeof(oid) &&
		    snmp_oidtree_compare(vb->val.objid, 9, storage_types, 9) == 0)
			s->type = (int)vb->val.objid[9];
		return;
	}
	if (col == 3) {
		gf_vb_str(vb, s->descr, sizeof(s->descr));
		return;
	}
	/* Sizes are Integer32 but some agents overflow into negatives: ignore those. */
	if (gf_vb_int(vb, &v) != 0 || v < 0)
		return;
	if (col == 4)
		s->units = (uint64_t)v;
	else if (col == 5)
		s->size = (uint64_t)v;
	else if (col == 6)
		s->used = (uint64_t)v;
}

static void
host_cell(struct gf_reading *r, int t, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	int64_t v;

	if (idxlen != 1 || idx[0] > 0x7fffffff)
		return;
	switch (t) {
	case T_STORAGE:
		storage_cell(r, col, (int)idx[0], vb);
		break;
	case T_PROCESSOR:
		if (gf_vb_int(vb, &v) == 0 && v >= 0 && v <= 100) {
			r->ncpu++;
			r->cpu_load_sum += (int)v;
		}
		break;
	case T_DEVICE:
		r->ndevices++;
		/* hrDeviceStatus warning(3) or down(5): a part to look at. */
		if (gf_vb_int(vb, &v) == 0 && (v == 3 || v == 5))
			r->ndevices_bad++;
		break;
	}
}

static const struct gf_readplan host_readplan = {
	"workstation", NULL, 0, host_scalars, H_NSCALARS,
	host_tables, sizeof(host_tables) / sizeof(host_tables[0]),
	host_scalar, host_cell, NULL,
};

const struct gf_readplan *
host_plan(void)
{
	return &host_readplan;
}
