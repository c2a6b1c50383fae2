/*
 * What graph.c and graphexport.c share to call librrd: an owned argv for
 * rrd_graph_v and rrd_xport, errors on one line, and the RRD file of a device
 * or department, checked before librrd maps it. Internal to src/report.
 */
#ifndef GF_GRAPHARGS_H
#define GF_GRAPHARGS_H

#include <stddef.h>
#include <time.h>

#include "conf.h"

/* An argv for librrd, each string owned; V[N] is NULL. */
struct gargs {
	char **v;
	int n, cap;
};

void gargs_add(struct gargs *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gargs_free(struct gargs *a);

void gargs_err_rrd(char *err, size_t errsz, const char *what);

/* PATH escaped for a DEF: rrd_graph splits its arguments at colons. */
void gargs_path(char *dst, size_t sz, const char *path);

/* The last update of the RRD file at PATH, flushed by CONF's rrdcached first; 0 if unknown. */
time_t gargs_last(const struct gf_conf *conf, const char *path);

/*
 * Checks the RRD file at PATH before librrd maps it and reads its step into
 * *STEP (0 if unknown; STEP may be NULL); -1 with ERR naming what is wrong.
 */
int gargs_vet(const char *path, unsigned long *step, char *err, size_t errsz);

/*
 * Finds DATA_DIR/rrd/ID.rrd (a device) or DATA_DIR/rrd/departments/ID.rrd
 * (DEPT) into PATH, has rrdcached (if any) write what it holds for it, and
 * checks it (its step in *STEP, as gargs_vet); -1 with
 * ERR when there is none yet or it is damaged.
 */
int gargs_file(const struct gf_conf *conf, int dept, const char *id, char *path, size_t sz,
    unsigned long *step, char *err, size_t errsz);

/* One RRD file as a graph reads it: rows of STEP over [FROM, TO]. */
struct gdef {
	const char *path;		/* on disk, for librrd's fetch */
	const char *file;		/* the same, escaped for a DEF */
	int step;			/* seconds per row drawn */
	unsigned long base;		/* the file's own step */
	time_t from, to;
	time_t last;			/* its last update; 0 if unknown */
};

/*
 * Adds "DEF:VAR_d" of source DS of D and "CDEF:VAR": its rows, except those
 * RRD left unknown or averaged over part of the row (the first and the open
 * hour or day), which get what the finest archive holds: the pages over the
 * row (TOTAL: DS is a rate) or the mean level. 1 if VAR has a known row over
 * the graph, 0 if none ("no data yet"), -1 if librrd could not read the file
 * (VAR is then the plain DEF). In graphdef.c.
 */
int gdef_add(struct gargs *a, const struct gdef *d, const char *var, const char *ds, int total);

#endif
