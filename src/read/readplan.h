/*
 * A read plan says what to ask a device of one kind (scalars, then tables)
 * and how to turn the answers into a reading. The poller is generic; a new
 * kind of data (vendor counters, ENTITY-MIB) is a new plan entry, not new
 * poller code.
 */
#ifndef GF_READPLAN_H
#define GF_READPLAN_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "conf.h"
#include "reading.h"

#define GF_PLAN_OID	32
#define GF_PLAN_COLS	8

struct gf_plan_scalar {
	oid o[GF_PLAN_OID];
	size_t len;
};

/* The system group comes first in every plan, at these indexes. */
enum { RP_SYSDESCR, RP_SYSOBJID, RP_SYSUPTIME, RP_SYSNAME, RP_SYSLOCATION, RP_NSYS };

#define RP_SYS_SCALARS \
	[RP_SYSDESCR] = { { 1, 3, 6, 1, 2, 1, 1, 1, 0 }, 9 }, \
	[RP_SYSOBJID] = { { 1, 3, 6, 1, 2, 1, 1, 2, 0 }, 9 }, \
	[RP_SYSUPTIME] = { { 1, 3, 6, 1, 2, 1, 1, 3, 0 }, 9 }, \
	[RP_SYSNAME] = { { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, 9 }, \
	[RP_SYSLOCATION] = { { 1, 3, 6, 1, 2, 1, 1, 6, 0 }, 9 }

struct gf_plan_table {
	const char *name;
	oid entry[GF_PLAN_OID];		/* e.g. prtMarkerSuppliesEntry */
	size_t entry_len;
	int cols[GF_PLAN_COLS];
	int ncols;
	int max_rows;			/* bound on hostile agents */
};

struct gf_readplan {
	const char *name;
	const void *profile;		/* vendor profile, or NULL */
	int discover;			/* a first-contact plan: pick the device's real plan after it */
	const struct gf_plan_scalar *scalars;
	int nscalars;
	const struct gf_plan_table *tables;
	int ntables;
	/* Stores the answer to scalar I; absent scalars are never passed. */
	void (*scalar)(struct gf_reading *r, int i, const netsnmp_variable_list *vb);
	/* Stores one cell of table T, column COL, row index IDX. */
	void (*cell)(struct gf_reading *r, int t, int col, const oid *idx,
	    size_t idxlen, const netsnmp_variable_list *vb);
	/* Runs once when the poll ends (counters from raw values); may be NULL. */
	void (*finish)(struct gf_reading *r);
	/* Whether table T (never the first) is worth walking given the reading so far; NULL: all. */
	int (*want)(const struct gf_reading *r, int t);
};

/* Stores a system group scalar (index below RP_NSYS). */
void readplan_sys_scalar(struct gf_reading *r, int i, const netsnmp_variable_list *vb);

const struct gf_readplan *host_plan(void);
/* The workstation plan plus what changes slowly (read once a day): software dates, ENTITY-MIB, SMART. */
const struct gf_readplan *host_full_plan(void);

/* The first plan of a device of KIND: printers start with a discovery poll. */
const struct gf_readplan *readplan_first(enum gf_kind kind);

#endif
