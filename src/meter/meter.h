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
	GF_EV_HELD,		/* a sum missing a part in this answer: held, nothing counted */
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
	uint64_t suspect;	/* an unbelievable value, waiting for confirmation; for a
				   derived counter held for a missing part: the parts'
				   pages counted meanwhile */
	char origin[64];	/* where it was read; for a derived counter, its parts */
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

/*
 * Pure: derived counter C (a sum of parts, see counter_derive) whose parts
 * counted PAGES this poll. While a part it was made of last time is missing
 * from the answer (one answer only), it is held: nothing counted, the parts'
 * pages kept pending and counted when it is whole again.
 */
void meter_derived_step(struct gf_meter_state *st, const struct gf_counter *c, uint64_t pages,
    time_t now, struct gf_meter_step *out);

/* Whether every part named in BEFORE ("mono+colour") is named in NOW too. */
int meter_parts_cover(const char *now, const char *before);

/*
 * Cross-check of a total that is not the Printer-MIB's against the device's
 * Printer-MIB life count, at every poll that gives both (see meter.c).
 */
enum gf_xcheck_choice { GF_XC_VENDOR, GF_XC_LIFECOUNT, GF_XC_HOLD };

struct gf_xcheck {
	int known;		/* an answer gave both figures */
	int rejected;		/* the other total was implausible: never used again */
	int on_life;		/* the life count is the total (rejected, or the other gone) */
	uint64_t vendor, life;	/* both figures at the last answer that gave both */
	int held;		/* answers running that lacked the chosen total */
	char reason[128];	/* why the total has its source */
};

/*
 * Pure: the total to meter this poll, given the total the device offers
 * other than the Printer-MIB's (VENDOR, NULL if none) and its life count
 * (LIFE, NULL if none). Moves X on; *CHANGED says the choice changed (an
 * audit event with X->reason).
 */
enum gf_xcheck_choice meter_xcheck(struct gf_xcheck *x, const struct gf_counter *vendor,
    const struct gf_counter *life, int *changed);

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
