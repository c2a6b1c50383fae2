/* The state store's page ledger: the meter's state, pages per day, and the audit of what was not counted. */
#ifndef GF_STORE_LEDGER_H
#define GF_STORE_LEDGER_H

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "meter.h"
#include "reading.h"

struct gf_store;
struct gf_store_memo;

/* Loads DEVICE's prior metering state (meter.h) inside the open batch (opened on demand). -1 on error. */
int store_meter_prior(struct gf_store *s, const char *device, struct gf_meter_prior *p);

/* Writes step RES of DEVICE (its pages under DEPT) in the open batch. -1 (logged) on error. */
int store_meter_commit(struct gf_store *s, const char *device, const char *dept,
    const struct gf_meter_result *res);

/*
 * Meters device D's reading R into the ledger under department DEPT, in the
 * open batch: loads the prior state, runs the pure meter (meter_apply) and
 * writes its step, so pages, new baselines and audit events are committed
 * together with the reading or not at all. An answer like the last is
 * metered from M's memo without I/O (M may be NULL). OUT (may be NULL) gets
 * the odometers. 1 when a reading as new was already metered (another
 * poller's, or this one's before a lost commit): nothing is counted, and
 * the caller drops the reading. -1 on a store error.
 */
int store_meter_reading(struct gf_store *s, struct gf_store_memo *m, const struct gf_device *d,
    const char *dept, const struct gf_reading *r, struct gf_metered *out);

/* DEVICE's total cross-check (zeroed if none yet). -1 on error. */
int store_xcheck(struct gf_store *s, const char *device, struct gf_xcheck *x);

/*
 * A department's pages counted on the days before DAY (SINCE 0) or from DAY
 * on (SINCE 1), "YYYY-MM-DD": total, mono, colour (sums of the ledger). The
 * two add up to every page it ever counted.
 */
int store_dept_pages(struct gf_store *s, const char *dept, const char *day, int since,
    uint64_t pages[3]);

/* Mono and colour pages of DEPT from day FIRST to LAST (meter_split says which is which). */
int store_dept_span(struct gf_store *s, const char *dept, const char *first, const char *last,
    uint64_t *mono, uint64_t *colour);

struct gf_top {
	char device[GF_SHORT];
	uint64_t pages;
};

/* The MAX devices of DEPT that printed most between FIRST and LAST; returns how many, -1 on error. */
int store_top_devices(struct gf_store *s, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max);

/* One ledger sum: pages of COUNTER on DEVICE in DEPARTMENT over a range of days. */
struct gf_ledger_sum {
	char device[GF_SHORT];
	char department[GF_SHORT];
	char counter[GF_SHORT];
	uint64_t pages;
	char total_unit[GF_SHORT];	/* the unit of the device's total counter */
	int has_split;			/* the device has a mono or colour counter */
};

typedef void (*store_sum_fn)(void *arg, const struct gf_ledger_sum *r);

/* Calls FN for each (device, department, counter) with pages between days FIRST and LAST. */
int store_ledger_sums(struct gf_store *s, const char *first, const char *last, store_sum_fn fn,
    void *arg);

/* A counter as `greenfleet counters` shows it. */
struct gf_counter_row {
	char counter[GF_SHORT];
	char src[GF_SHORT];
	char unit[GF_SHORT];
	char origin[GF_SHORT];
	uint64_t value;			/* last raw value read */
	uint64_t odometer;		/* pages counted */
	time_t seen;
};

/* An audit event as `greenfleet audit` shows it. */
struct gf_audit_row {
	time_t when;
	char device[GF_SHORT];
	char counter[GF_SHORT];
	char event[GF_SHORT];
	long long old, new;
	char detail[GF_STR];
};

typedef void (*store_counter_fn)(void *arg, const struct gf_counter_row *row);
typedef void (*store_audit_fn)(void *arg, const struct gf_audit_row *row);

/* One counter's pages counted since its first reading: the sum of its ledger rows, kept with them. */
struct gf_odometer {
	const char *device;		/* as configured */
	const char *counter;
	uint64_t pages;
};

typedef void (*store_odometer_fn)(void *arg, const struct gf_odometer *o);

/* Calls FN for every counter of every device, by device: the whole fleet in one pass. -1 on error. */
int store_odometers(struct gf_store *s, store_odometer_fn fn, void *arg);

/* Calls FN for each counter of DEVICE, in counter order. -1 on error. */
int store_counters(struct gf_store *s, const char *device, store_counter_fn fn, void *arg);

/* Calls FN for each audit event (of DEVICE, or all when NULL), oldest first. */
int store_audits(struct gf_store *s, const char *device, store_audit_fn fn, void *arg);

#endif
