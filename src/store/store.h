/*
 * State store: what must be exact or durable (last readings now; the page
 * ledger, alert state and mail outbox later), in SQLite under DATA_DIR.
 * The only module that speaks SQL, so PostgreSQL is a new store.c.
 * Writes are batched into transactions: a kill -9 loses at most the open
 * batch, never half of one.
 */
#ifndef GF_STORE_H
#define GF_STORE_H

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "advice.h"
#include "meter.h"
#include "reading.h"

struct gf_store;

/* What `greenfleet status` shows of a device. */
struct gf_status {
	int known;			/* polled at least once */
	time_t last_poll;
	time_t last_ok;
	int reachable;
	char error[GF_SHORT];
	char sys_descr[GF_STR];
	int has_lifecount;
	uint64_t lifecount;
	int counter_unit;
	int has_uptime;
	uint64_t uptime_s;
	int toner_min;			/* -1 unknown */
	char serial[GF_SHORT];		/* "" unknown */
	char serial_src[48];		/* where it was read, as gf_reading's */
};

#define GF_STORE_RO	1	/* read only (the CLI): never creates the file */
#define GF_STORE_CHECK	2	/* PRAGMA quick_check first: the daemon's start */

/*
 * Opens DATA_DIR/state.db, creating it unless GF_STORE_RO. A file that is
 * not SQLite, is damaged, or holds greenfleet's schema with a table or
 * column missing is refused and left as it is: only a file without any
 * table is initialised. NULL (logged) on failure.
 */
struct gf_store *store_open(const char *data_dir, int flags);
/* The same, NULL with the reason in ERR ("DIR/state.db: file is not a database") unlogged. */
struct gf_store *store_open_err(const char *data_dir, int flags, char *err, size_t errsz);

/* How many store failures this process has logged, on every connection: for the exit summary. */
unsigned long store_failures(void);
void store_close(struct gf_store *s);

/* Records a reading inside the open batch (opened on demand). -1 (logged) on failure. */
int store_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r);

/* Commits the open batch, if any. -1 (logged) on failure. */
int store_commit(struct gf_store *s);

/*
 * Drops the open batch: every reading in it is lost together with its
 * ledger rows, so the next poll meters again from the older baselines and
 * no page is lost or counted twice.
 */
void store_abort(struct gf_store *s);

/* Milliseconds since the open batch began, or -1 if none is open. */
int64_t store_batch_age_ms(const struct gf_store *s);

/* ---- the page ledger (see meter.c for the rules) ---- */

/* Who the counters belonged to last time. */
struct gf_meter_ident {
	int known;
	time_t last_ok;			/* the device's previous answered poll, 0 if none */
	char serial[GF_SHORT];
	char serial_src[48];		/* "" before schema 2: the Printer-MIB */
	char objid[GF_SHORT];
};

/* Loads DEVICE's counter states (unknown ones zeroed) and identity. -1 on error. */
int store_meter_load(struct gf_store *s, const char *device, struct gf_meter_state st[GF_NCOUNTERS],
    struct gf_meter_ident *id);
int store_meter_save(struct gf_store *s, const char *device, int counter,
    const struct gf_meter_state *st, const struct gf_counter *c);
int store_ident_save(struct gf_store *s, const char *device, const char *serial,
    const char *serial_src, const char *objid);
/* DEVICE's total cross-check (zeroed if none yet), and writing it. -1 on error. */
int store_xcheck(struct gf_store *s, const char *device, struct gf_xcheck *x);
int store_xcheck_save(struct gf_store *s, const char *device, const struct gf_xcheck *x);
/*
 * The meter's memo of DEVICE (meter.c defines it), or NULL. The store owns
 * it and drops every memo on a rollback, since the database then no longer
 * holds what they describe. It assumes this process is the only writer of
 * the device's meter rows: one poller per device.
 */
void *store_meter_memo(struct gf_store *s, const char *device);
/* Replaces DEVICE's memo (freeing the old one); MEMO may be NULL. */
void store_set_meter_memo(struct gf_store *s, const char *device, void *memo);
/* Adds PAGES to DAY's row of (DEVICE, COUNTER, DEPT). */
int store_ledger_add(struct gf_store *s, const char *day, const char *device, const char *dept,
    const char *counter, uint64_t pages);
int store_audit(struct gf_store *s, time_t when, const char *device, const char *counter,
    const char *event, uint64_t old, uint64_t new, const char *detail);

/* A department's pages counted since ever: total, mono, colour (sums of the ledger). */
int store_dept_pages(struct gf_store *s, const char *dept, uint64_t pages[3]);

/* ---- quotas and notices ---- */

/* Mono and colour pages of DEPT from day FIRST to LAST (a device without a colour split counts as mono). */
int store_dept_span(struct gf_store *s, const char *dept, const char *first, const char *last,
    uint64_t *mono, uint64_t *colour);

struct gf_top {
	char device[GF_SHORT];
	uint64_t pages;
};

/* The MAX devices of DEPT that printed most between FIRST and LAST; returns how many, -1 on error. */
int store_top_devices(struct gf_store *s, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max);

/* 1 if threshold THR of DEPT already fired in PERIOD, 0 if not, -1 on error. */
int store_quota_fired(struct gf_store *s, const char *dept, const char *period, int thr);
/* The highest threshold that fired for DEPT in PERIOD, 0 if none, -1 on error. */
int store_quota_last_fired(struct gf_store *s, const char *dept, const char *period);
/* Records the crossing, in the open batch (with the notice it queues). */
int store_quota_fire(struct gf_store *s, const char *dept, const char *period, int thr,
    time_t when, int pct);

/* A mail waiting in the outbox (strings owned when read back). */
struct gf_notice {
	long long id;
	char *message_id;		/* stable: a resend after a crash carries the same id */
	char *kind;			/* "quota-warning", "quota-breach", "digest" */
	char *department;
	time_t created;
	char *to;
	char *cc;			/* comma-separated bare addresses, or "" */
	char *subject;
	char *body;
	char *lang;
	int attempts;
};

/* 1 if a notice with this Message-ID was ever queued, 0 if not, -1 on error. */
int store_outbox_known(struct gf_store *s, const char *message_id);
/* Queues N in the open batch; a notice whose message id exists is not queued twice. */
int store_outbox_add(struct gf_store *s, const struct gf_notice *n);
/* The sender's side, on its own connection: the next due notice (1), none (0), error (-1). */
int store_outbox_next(struct gf_store *s, time_t now, struct gf_notice *n);
void store_notice_free(struct gf_notice *n);
int store_outbox_sent(struct gf_store *s, long long id, time_t when);
int store_outbox_retry(struct gf_store *s, long long id, time_t next_try, const char *err);

/* ---- health, age and repairs ---- */

struct gf_device_health {
	struct gf_health h;
	char sw_oldest[11];		/* age evidence, "" unknown */
	char mfg_date[11];
	time_t first_seen;		/* 0 unknown */
};

/* What advice is made of for DEVICE at NOW (RAM and jams over the 7 days before). */
int store_device_health(struct gf_store *s, const char *device, time_t now,
    struct gf_device_health *out);

/* Records an intervention (the store must be opened writable). */
int store_repair_log(struct gf_store *s, const char *device, const char *day, const char *part,
    const char *text, time_t now);

typedef void (*store_repair_fn)(void *arg, const char *device, const char *day, const char *part,
    const char *text);
int store_repairs(struct gf_store *s, const char *device, store_repair_fn fn, void *arg);

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

/* Calls FN for each counter of DEVICE, in counter order. -1 on error. */
int store_counters(struct gf_store *s, const char *device, store_counter_fn fn, void *arg);

/* Calls FN for each audit event (of DEVICE, or all when NULL), oldest first. */
int store_audits(struct gf_store *s, const char *device, store_audit_fn fn, void *arg);

/* Reads a device's last state; -1 on a database error. */
int store_get_status(struct gf_store *s, const char *id, struct gf_status *st);

#endif
