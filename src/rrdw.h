/*
 * RRD writer: one RRD file per device under DATA_DIR/rrd, written with librrd
 * or through rrdcached. The only module that knows about RRD, so another
 * time-series backend is a new rrd.c, not a rewrite.
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

/* Asks rrdcached to write out what it holds for our files (no-op without it). */
void rrdw_flush(struct gf_rrd *w);
void rrdw_close(struct gf_rrd *w);

/* Fills ARGV (at most MAX) with the DS and RRA definitions for a kind and step; returns the count. */
int rrdw_schema(enum gf_kind kind, int step, char buf[][64], int max);

#endif
