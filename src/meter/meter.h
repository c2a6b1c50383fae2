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

/* Who the counters belonged to last time. */
struct gf_meter_ident {
	int known;
	time_t last_ok;			/* the device's previous answered poll, 0 if none */
	char serial[GF_SHORT];
	char serial_src[48];		/* "" before schema 2: the Printer-MIB */
	char objid[GF_SHORT];
};

/* What the store holds of one device for the meter: the prior state of a step. */
struct gf_meter_prior {
	struct gf_meter_state st[GF_NCOUNTERS];	/* unknown ones zeroed */
	struct gf_meter_ident id;
	struct gf_xcheck x;			/* zeroed if none yet */
};

/* One audit event of a step: every event other than a plain count. */
struct gf_meter_audit {
	int counter;
	enum gf_meter_event ev;
	uint64_t old, new;
	char detail[160];
};

#define GF_METER_MAX_AUDIT	(2 * GF_NCOUNTERS + 1)

/*
 * One reading's step: what the caller writes, all in one transaction (the
 * rows of SAVE, the audit events in order, the cross-check, the ledger's
 * pages on DAY, the identity), or nothing at all.
 */
struct gf_meter_result {
	struct gf_metered m;			/* pages and odometers */
	struct gf_meter_state st[GF_NCOUNTERS];	/* the new states */
	struct gf_counter shown[GF_NCOUNTERS];	/* each saved counter as its row shows it */
	struct gf_counter cur[GF_NCOUNTERS];	/* the counters as metered */
	unsigned save;				/* bit i: counter i's row is written */
	int save_xcheck;
	struct gf_xcheck x;
	int save_ident;
	char serial[GF_SHORT];
	char serial_src[48];
	char objid[GF_SHORT];
	time_t when;				/* of the reading: the audit's time */
	char day[11];				/* the local day the pages belong to */
	int held;				/* a counter held: metering again is no no-op */
	int naudit;
	struct gf_meter_audit audit[GF_METER_MAX_AUDIT];
};

/* Whether R has anything to meter (an answer with counters): else no step and no I/O. */
int meter_wanted(const struct gf_reading *r);

/*
 * Pure: meters reading R of device D from its prior state P into OUT. The
 * caller loaded P and writes OUT in the same transaction as the reading's
 * state row: pages, new baselines and audit events together or not at all.
 */
void meter_apply(const struct gf_meter_prior *p, const struct gf_device *d,
    const struct gf_reading *r, struct gf_meter_result *out);

/*
 * Whether counter ID read from source SRC goes unmetered because the total
 * it is a part of was rejected (X): mono, colour and their parts read from
 * a vendor source are no better than its total. Their pages are in the life
 * count, which meter_split puts on the mono side.
 */
int meter_distrusted(const struct gf_xcheck *x, int id, int src);

/*
 * The quota sides of one device's pages over a span, from its ledger sums
 * of TOTAL, MONO and COLOUR pages: *M mono, *C colour. Pages of the total
 * that its mono and colour counters do not explain count as mono: a device
 * without a split, or one whose split counters went unmetered with a
 * rejected total, never loses a page.
 */
void meter_split(uint64_t total, uint64_t mono, uint64_t colour, uint64_t *m, uint64_t *c);

/*
 * The meter's memo of one device (meter_memo.c): most polls of most
 * printers see no page, and an answer equal to the last one is metered from
 * it without reading or writing anything. The caller keeps it and drops it
 * whenever the store no longer holds what it describes (a rollback).
 */
struct gf_meter_memo;

/* 1 and OUT filled if R is the answer MM was made from, else 0. MM may be NULL. */
int meter_memo_hit(const struct gf_meter_memo *mm, const struct gf_reading *r,
    struct gf_metered *out);
/* The memo of step RES of R, or NULL when metering R again would not be a no-op. */
struct gf_meter_memo *meter_memo_make(const struct gf_meter_result *res,
    const struct gf_reading *r);
void meter_memo_free(struct gf_meter_memo *mm);

#endif
