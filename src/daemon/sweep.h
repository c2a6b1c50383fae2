/*
 * greenfleetd's periodic discovery (the configuration's discover interval
 * and networks): a sweep with the engine of `greenfleet discover`, on the
 * daemon's own event loop beside the poller, slowed by its own token bucket
 * so that polls never wait behind it. What it finds (new, moved and missing
 * devices) is logged and kept for IT's fleet digest; the configuration is
 * never written.
 */
#ifndef GF_SWEEP_H
#define GF_SWEEP_H

#include <stdint.h>

#include "conf.h"

struct gf_evloop;
struct gf_store;
struct gf_sweep;

/* Sweeps at SWEEP_RATE datagrams a second, SWEEP_CONCURRENCY addresses in flight. */
#define SWEEP_RATE		50
#define SWEEP_CONCURRENCY	16

/* A sweeper for CONF on LOOP; NULL when the discover interval is 0 (off). */
struct gf_sweep *sweep_new(const struct gf_conf *conf, struct gf_evloop *loop);

/*
 * Called after each turn of the loop: starts a sweep when one is due (the
 * first at start, then every interval), or turns a finished one into its
 * findings, comparing serials with those STORE last read. STOP: no new sweep,
 * and one under way sends no further address. 1 when a sweep has just
 * finished (its findings are new), else 0.
 */
int sweep_step(struct gf_sweep *w, struct gf_store *store, int stop);

/* Whether a sweep is under way (its requests are in flight). */
int sweep_busy(const struct gf_sweep *w);

/* Whether a sweep has finished since start (a fleet digest waits for it). */
int sweep_done(const struct gf_sweep *w);

/* The last sweep's findings, one "  - ..." line each, in the digest's language; "" none. */
const char *sweep_lines(const struct gf_sweep *w);

void sweep_free(struct gf_sweep *w);

#endif
