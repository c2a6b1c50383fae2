/*
 * Vendor profiles: data files (conf/profiles.d/NAME.conf) that say which OIDs
 * of a vendor's private MIB hold which page counter. Matched on sysObjectID
 * prefix or sysDescr substring; an operator adds one without recompiling.
 */
#ifndef GF_PROFILE_H
#define GF_PROFILE_H

#include <stddef.h>
#include <stdio.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "counter.h"

#define GF_PROF_OID	32	/* parts of one OID */
#define GF_PROF_OIDS	40	/* scalar OIDs one profile may ask */
#define GF_PROF_TABLES	2	/* keyed tables one profile may walk */
#define GF_PROF_PARTS	4	/* OIDs summed into one counter */
#define GF_PROF_KEY	40
#define GF_PROF_KEYS	4	/* keyed rows summed into one counter */
#define GF_PROF_SERIALS	4	/* vendor serial-number OIDs, tried in order */

/* One OID a profile asks. */
struct gf_prof_oid {
	oid o[GF_PROF_OID];
	size_t len;
};

/* A table whose rows name themselves: the key column says what the value column counts. */
struct gf_prof_table {
	oid entry[GF_PROF_OID];
	size_t len;
	int value_col;
	int key_col;
};

struct gf_prof_counter {
	int id;				/* enum gf_counter_id */
	int unit;			/* enum gf_unit */
	int table;			/* -1: a sum of scalars; else a keyed table */
	int part[GF_PROF_PARTS];	/* scalar indexes summed */
	int nparts;
	char keys[GF_PROF_KEYS][GF_PROF_KEY];	/* keyed: the key column's values, summed */
	int nkeys;
	char origin[64];
};

struct gf_profile {
	char *name;
	char *file;
	char **objids;			/* sysObjectID prefixes */
	int nobjids;
	char **descrs;			/* sysDescr substrings, case-insensitive */
	int ndescrs;
	struct gf_prof_oid oids[GF_PROF_OIDS];
	int noids;
	struct gf_prof_table tables[GF_PROF_TABLES];
	int ntables;
	struct gf_prof_counter counters[GF_NCOUNTERS];
	int ncounters;
	int serial[GF_PROF_SERIALS];	/* scalar indexes of the serial-number OIDs */
	int nserials;
};

struct gf_profiles {
	struct gf_profile *v;
	size_t n;
};

/*
 * Loads every *.conf file of DIR in name order. Errors are printed to ERRS
 * as "FILE:LINE: message" and counted in *NERR. A missing DIR is an error
 * only when WHERE ("FILE:LINE" of the profiles_dir setting) is given; FLAGS
 * are cfgfile_read()'s. Never NULL.
 */
struct gf_profiles *profiles_load(const char *dir, const char *where, int flags, FILE *errs,
    int *nerr);
void profiles_free(struct gf_profiles *ps);

/* The best profile for a device: longest sysObjectID prefix, then a sysDescr match; or NULL. */
const struct gf_profile *profiles_match(const struct gf_profiles *ps, const char *objid,
    const char *descr);

#endif
