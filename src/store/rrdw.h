/*
 * RRD writer: one RRD file per device under DATA_DIR/rrd, written by the
 * native updater (rrdfile.h), librrd, or through rrdcached. The only module
 * that knows about RRD, so another time-series backend is a new rrd.c, not
 * a rewrite.
 */
#ifndef GF_RRDW_H
#define GF_RRDW_H

#include "conf.h"
#include "meter.h"
#include "reading.h"

struct gf_rrd;

/* Prepares DATA_DIR/rrd and connects to rrdcached if configured; NULL (logged) on failure. */
struct gf_rrd *rrdw_open(const struct gf_conf *conf);

/* Writes one reading and what it metered; creates the file on first use. -1 (logged) on failure. */
int rrdw_update(struct gf_rrd *w, int dev, const struct gf_reading *r, const struct gf_metered *m);

/* Writes a department's pages counted so far (total, mono, colour) to DATA_DIR/rrd/departments/ID.rrd. */
int rrdw_department(struct gf_rrd *w, const char *dept, time_t when, const uint64_t pages[3]);

/*
 * Whether ERR is RRD's refusal of a sample no newer than the file's last
 * (librrd's, the native updater's or rrdcached's "illegal attempt to update
 * using time T when last update time is L"), with L - T at most SLACK
 * seconds: pollers sharing the files each sent a sample of that stretch
 * (a takeover), and the one there stands. Older samples are true errors.
 */
int rrdw_refused_step(const char *err, long slack);

/* Asks rrdcached to write out what it holds for our files (no-op without it). */
void rrdw_flush(struct gf_rrd *w);
void rrdw_close(struct gf_rrd *w);

/* A data source a device's file may hold. */
struct gf_rrd_ds {
	const char *name, *type, *min, *max;
};

/* The data sources a file of KIND may hold, in canonical order; returns the count. */
int rrdw_sources(enum gf_kind kind, const struct gf_rrd_ds **ds);

/*
 * Fills BUF (at most MAX) with the DS and RRA definitions of a new file for a
 * kind and step, keeping what KEEP says (NULL: the defaults): a printer's
 * file has the counters in HAVE (may be NULL) beyond the ones every printer
 * file has. Returns the count, -1 if MAX is too small.
 */
int rrdw_schema(enum gf_kind kind, int step, const struct gf_rrd_keep *keep, const int *have,
    char buf[][64], int max);

/*
 * The data sources of the file at PATH in file order, as indexes into
 * rrdw_sources(KIND) (0xff: not one of ours); at most MAX. Also its last
 * update time if LAST. Returns the count, -1 (rrd_get_error) on failure.
 */
int rrdw_file_sources(const char *path, enum gf_kind kind, unsigned char *id, int max,
    time_t *last);

#endif
