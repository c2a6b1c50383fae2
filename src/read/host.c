/* Workstation reading: system group and HOST-RESOURCES (uptime, storage, processors, devices). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "readplan.h"
#include "storage.h"
#include "util.h"

enum { H_HRUPTIME = RP_NSYS, H_MEMSIZE, H_UCD_TOTAL, H_UCD_AVAIL, H_UCD_BUFFER, H_UCD_CACHED,
	H_NSCALARS };

/*
 * UCD-SNMP memory, where the agent is net-snmp: hrStorage counts the page
 * cache as used RAM, so "RAM in use" is total - free - buffers - cached.
 */
#define UCD_MEM(n)	{ 1, 3, 6, 1, 4, 1, 2021, 4, n, 0 }, 10
static const struct gf_plan_scalar host_scalars[H_NSCALARS] = {
	RP_SYS_SCALARS,
	[H_HRUPTIME] = { { 1, 3, 6, 1, 2, 1, 25, 1, 1, 0 }, 10 },
	[H_MEMSIZE] = { { 1, 3, 6, 1, 2, 1, 25, 2, 2, 0 }, 10 },
	[H_UCD_TOTAL] = { UCD_MEM(5) },
	[H_UCD_AVAIL] = { UCD_MEM(6) },
	[H_UCD_BUFFER] = { UCD_MEM(14) },
	[H_UCD_CACHED] = { UCD_MEM(15) },
};

static const oid storage_types[] = { 1, 3, 6, 1, 2, 1, 25, 2, 1 };
static const oid fs_types[] = { 1, 3, 6, 1, 2, 1, 25, 3, 9 };

/* hrDeviceType diskStorage: the disks whose status says whether to replace one. */
static const oid disk_type[] = { 1, 3, 6, 1, 2, 1, 25, 3, 1, 6 };

/* The extend that contrib/smart/greenfleet-smart publishes. */
#define SMART_EXTEND "greenfleet-smart"

/*
 * Every poll: storage and its file systems, processors, devices (type,
 * status). Once a day (the full plan) also: installed software dates and
 * ENTITY-MIB (age evidence), and the SMART attributes published by snmpd's
 * extend.
 */
enum { T_STORAGE, T_FS, T_PROCESSOR, T_DEVICE, T_SWINST, T_ENTITY, T_EXTEND, T_NTABLES };

static const struct gf_plan_table host_tables[T_NTABLES] = {
	[T_STORAGE] = { "hrStorage", { 1, 3, 6, 1, 2, 1, 25, 2, 3, 1 }, 10,
	    { 2, 3, 4, 5, 6 }, 5, GF_MAX_STORAGE },
	/* hrFSType, hrFSAccess, hrFSStorageIndex: what is read-only, a CD or remote. */
	[T_FS] = { "hrFS", { 1, 3, 6, 1, 2, 1, 25, 3, 8, 1 }, 10,
	    { 4, 5, 7 }, 3, GF_MAX_STORAGE },
	[T_PROCESSOR] = { "hrProcessor", { 1, 3, 6, 1, 2, 1, 25, 3, 3, 1 }, 10,
	    { 2 }, 1, 256 },
	[T_DEVICE] = { "hrDevice", { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1 }, 10,
	    { 2, 5 }, 2, 1024 },
	[T_SWINST] = { "hrSWInstalled", { 1, 3, 6, 1, 2, 1, 25, 6, 3, 1 }, 10,
	    { 5 }, 1, 4096 },
	[T_ENTITY] = { "entPhysical", { 1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1 }, 11,
	    { 11, 17 }, 2, 256 },
	[T_EXTEND] = { "nsExtendOutLine", { 1, 3, 6, 1, 4, 1, 8072, 1, 3, 2, 4, 1 }, 12,
	    { 2 }, 1, 256 },
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
	} else if (i >= H_UCD_TOTAL && i <= H_UCD_CACHED) {
		r->ucd_mem[i - H_UCD_TOTAL] = (uint64_t)v;
		r->ucd_have |= 1u << (i - H_UCD_TOTAL);
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

/* Finds or adds the hrFSTable row with this index; NULL when the table is full. */
static struct gf_fsrow *
fs_row(struct gf_reading *r, int index)
{
	int i;

	for (i = 0; i < r->nfs; i++)
		if (r->fs[i].index == index)
			return &r->fs[i];
	if (r->nfs == GF_MAX_STORAGE)
		return NULL;
	memset(&r->fs[i], 0, sizeof(r->fs[i]));
	r->fs[i].index = index;
	r->nfs++;
	return &r->fs[i];
}

static void
fs_cell(struct gf_reading *r, int col, int index, const netsnmp_variable_list *vb)
{
	struct gf_fsrow *f = fs_row(r, index);
	int64_t v;

	if (f == NULL)
		return;
	if (col == 4) {
		/* hrFSType is an OID under hrFSTypes (1.3.6.1.2.1.25.3.9). */
		if (vb->type == ASN_OBJECT_ID && vb->val_len == 10 * sizeof(oid) &&
		    snmp_oidtree_compare(vb->val.objid, 9, fs_types, 9) == 0 &&
		    vb->val.objid[9] <= 0x7fffffff)
			f->type = (int)vb->val.objid[9];
		return;
	}
	if (gf_vb_int(vb, &v) != 0 || v <= 0 || v > 0x7fffffff)
		return;
	if (col == 5 && (v == GF_FS_READ_WRITE || v == GF_FS_READ_ONLY))
		f->access = (int)v;
	else if (col == 7)
		f->storage = (int)v;
}

/* Gives each storage row the type and access of the file system hrFSStorageIndex puts on it. */
static void
fs_join(struct gf_reading *r)
{
	int i, k;

	for (i = 0; i < r->nfs; i++)
		for (k = 0; k < r->nstorage; k++)
			if (r->fs[i].storage > 0 && r->storage[k].index == r->fs[i].storage) {
				r->storage[k].fs_type = r->fs[i].type;
				r->storage[k].fs_access = r->fs[i].access;
			}
}

/* hrDevice: remembers disks by their type (column 2 comes before 5 in each row). */
static void
device_cell(struct gf_reading *r, int col, int index, const netsnmp_variable_list *vb)
{
	int64_t v;
	int i;

	if (col == 2) {
		if (vb->type == ASN_OBJECT_ID && vb->val_len == sizeof(disk_type) &&
		    memcmp(vb->val.objid, disk_type, sizeof(disk_type)) == 0 &&
		    r->ndisks < GF_MAX_DISKS)
			r->disk_index[r->ndisks++] = index;
		return;
	}
	r->ndevices++;
	if (gf_vb_int(vb, &v) != 0)
		return;
	/* hrDeviceStatus warning(3) or down(5): a part to look at. */
	if (v == 3 || v == 5)
		r->ndevices_bad++;
	for (i = 0; i < r->ndisks; i++)
		if (r->disk_index[i] == index && v == 5)
			r->ndisks_down++;
}

/* Keeps the oldest valid date of DATE into DST ("" means none yet). */
static void
keep_oldest(char dst[11], const netsnmp_variable_list *vb)
{
	char day[11];

	if (vb->type != ASN_OCTET_STR || reading_date(vb->val.string, vb->val_len, day) != 0)
		return;
	if (dst[0] == '\0' || strcmp(day, dst) < 0)
		memcpy(dst, day, 11);
}

/* One line "DISK ATTR RAW" of the SMART extend; anything else is ignored. */
static void
smart_line(struct gf_reading *r, const netsnmp_variable_list *vb)
{
	char line[96], disk[16];
	unsigned attr;
	long long raw;

	if (gf_vb_str(vb, line, sizeof(line)) != 0 ||
	    sscanf(line, "%15s %u %lld", disk, &attr, &raw) != 3 || raw < 0)
		return;
	r->has_smart = 1;
	if (attr == 9 && raw > r->smart_hours && raw < 2000000)
		r->smart_hours = (long)raw;
	/* Backblaze's failure predictors: reallocated, uncorrectable, timeouts, pending, offline. */
	if ((attr == 5 || attr == 187 || attr == 188 || attr == 197 || attr == 198) && raw > 0) {
		r->smart_bad++;
		snprintf(r->smart_disk, sizeof(r->smart_disk), "%s", disk);
	}
}

/* An extend's output line is indexed by (name length, name..., line number). */
static int
is_smart_extend(const oid *idx, size_t idxlen)
{
	size_t n = sizeof(SMART_EXTEND) - 1, i;

	if (idxlen != n + 2 || idx[0] != n)
		return 0;
	for (i = 0; i < n; i++)
		if (idx[1 + i] != (oid)(unsigned char)SMART_EXTEND[i])
			return 0;
	return 1;
}

static void
host_cell(struct gf_reading *r, int t, int col, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	int64_t v;

	if (t == T_EXTEND) {
		if (is_smart_extend(idx, idxlen))
			smart_line(r, vb);
		return;
	}
	if (idxlen != 1 || idx[0] > 0x7fffffff)
		return;
	switch (t) {
	case T_STORAGE:
		storage_cell(r, col, (int)idx[0], vb);
		break;
	case T_FS:
		fs_cell(r, col, (int)idx[0], vb);
		break;
	case T_PROCESSOR:
		if (gf_vb_int(vb, &v) == 0 && v >= 0 && v <= 100) {
			r->ncpu++;
			r->cpu_load_sum += (int)v;
		}
		break;
	case T_DEVICE:
		device_cell(r, col, (int)idx[0], vb);
		break;
	case T_SWINST:
		keep_oldest(r->sw_oldest, vb);
		break;
	case T_ENTITY:
		if (col == 17 && r->mfg_date[0] == '\0')
			keep_oldest(r->mfg_date, vb);
		else if (col == 11 && r->ent_serial[0] == '\0')
			gf_vb_str(vb, r->ent_serial, sizeof(r->ent_serial));
		break;
	}
}

static void
host_finish(struct gf_reading *r)
{
	r->full = r->plan->ntables == T_NTABLES;
	fs_join(r);
}

/* hrFSTable can only leave out a fixed disk that type and mount point did not: none, no walk. */
static int
host_want(const struct gf_reading *r, int t)
{
	int i;

	if (t != T_FS)
		return 1;
	for (i = 0; i < r->nstorage; i++)
		if (storage_excluded(&r->storage[i]) == NULL)
			return 1;
	return 0;
}

static const struct gf_readplan host_readplan = {
	"workstation", NULL, 0, host_scalars, H_NSCALARS, host_tables, T_SWINST,
	host_scalar, host_cell, host_finish, host_want,
};

static const struct gf_readplan host_full_readplan = {
	"workstation-full", NULL, 0, host_scalars, H_NSCALARS, host_tables, T_NTABLES,
	host_scalar, host_cell, host_finish, host_want,
};

const struct gf_readplan *
host_plan(void)
{
	return &host_readplan;
}

const struct gf_readplan *
host_full_plan(void)
{
	return &host_full_readplan;
}
