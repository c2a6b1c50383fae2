/*
 * Metering: turns raw counter readings into pages for the ledger. Exact
 * integers only: a wrap is counted across the wrap, a reset, a swapped
 * board or device, or a jump no device could print in the time elapsed
 * counts nothing and leaves an audit event instead. See meter.c for rules.
 */
#ifndef GF_METER_H
#define GF_METER_H

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "counter.h"
#include "reading.h"

struct gf_store;

enum gf_meter_event {
	GF_EV_NONE,
	GF_EV_BASELINE,		/* first value seen: counting starts from it */
	GF_EV_WRAP,		/* passed the agent's modulus: counted across */
	GF_EV_RESET,		/* went down: new baseline, nothing counted */
	GF_EV_SWAP,		/* serial or sysObjectID changed: new baseline */
	GF_EV_GARBAGE,		/* jump beyond max_ppm: not counted, held as suspect */
	GF_EV_CONFIRMED,	/* the suspect jump was real: new baseline from it */
	GF_EV_SOURCE,		/* the counter now comes from another source: new baseline */
	GF_NEVENTS
};

/* One counter of one device, as the store keeps it. */
struct gf_meter_state {
	int known;
	int src;
	uint64_t last;		/* baseline: the last raw value believed */
	time_t seen;		/* when the baseline was read */
	uint64_t odometer;	/* pages counted since greenfleet first saw it */
	int has_suspect;
	uint64_t suspect;	/* an unbelievable value, waiting for confirmation */
};

struct gf_meter_step {
	enum gf_meter_event ev;
	uint64_t pages;
	uint64_t old, new;
};

/* What one reading added, per counter (metered and derived), for the RRD writer. */
struct gf_metered {
	int have[GF_NCOUNTERS];
	uint64_t pages[GF_NCOUNTERS];
	uint64_t odometer[GF_NCOUNTERS];
};

/* Pure: judges raw counter C read at NOW against ST and moves ST on. */
void meter_step(struct gf_meter_state *st, const struct gf_counter *c, time_t now, int max_ppm,
    struct gf_meter_step *out);

const char *meter_event_name(int ev);

/*
 * Meters device D's reading R into the ledger under department DEPT, in the
 * store's open batch: pages, new baselines and audit events are committed
 * together or not at all. OUT (may be NULL) gets the odometers. -1 on a
 * store error.
 */
int meter_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, struct gf_metered *out);

#endif
