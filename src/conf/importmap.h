/*
 * What an inventory export's cells mean for the configuration: which column
 * holds what (GLPI's French and English headers, Snipe-IT's, or the caller's
 * mapping), dates as people write them, hardware types and statuses in
 * French and English words, locations mapped to departments. Pure functions
 * over strings, for `greenfleet import`.
 */
#ifndef GF_IMPORTMAP_H
#define GF_IMPORTMAP_H

#include <stddef.h>

#include "conf.h"

enum imp_key {
	IMP_NAME, IMP_SERIAL, IMP_HOST, IMP_IN_SERVICE, IMP_TYPE, IMP_LOCATION, IMP_STATUS,
	IMP_ENTITY, IMP_CATEGORY, IMP_MODEL, IMP_RETIRED, IMP_NKEYS
};

/* Where each key is in a record: a field index, or -1 when no column holds it. */
struct imp_columns {
	int col[IMP_NKEYS];
};

/* The key named NAME (as --column spells it: name, serial, host...), or -1. */
int imp_key_parse(const char *name);
const char *imp_key_name(enum imp_key k);

/*
 * Finds each key's column among the N header FIELDS: the header WANT[k] when
 * not NULL (--column), else the best known GLPI or Snipe-IT header. -1 and
 * ERR when a wanted header is missing, or nothing identifies a device.
 */
int imp_map_header(struct imp_columns *m, char *const *fields, size_t n,
    const char *const want[IMP_NKEYS], char *err, size_t errsz);

/* S lower-cased, accents of French letters dropped, blanks trimmed and collapsed. */
void imp_fold(char *dst, size_t dstsz, const char *s);

/*
 * A day written YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY (a time after it is
 * ignored) into OUT[11] as YYYY-MM-DD; -1 and WHY if it is none.
 */
int imp_date(const char *s, char out[11], char *why, size_t whysz);

/* The hardware type words of S name (desktop, laptop, server, printer), or -1. */
int imp_hw_type(const char *s);

/* 1 if status S means the device is out of service for good (scrapped, retired, archived). */
int imp_status_retired(const char *s);

/* A location given on the command line: TEXT=DEPARTMENT. */
struct imp_loc {
	const char *match;
	const char *dept;
};

/*
 * The department that location or entity text S stands for: the command
 * line's EXTRA first, then import.locations, then a department's id or
 * name; S matches a whole text, or one level of a "A > B > C" path. -1: none.
 */
int imp_location_dept(const struct gf_conf *conf, const struct imp_loc *extra, size_t nextra,
    const char *s);

#endif
