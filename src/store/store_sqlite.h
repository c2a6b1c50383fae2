/* The SQLite backend's own declarations: shared by its files only, never by a caller of the store. */
#ifndef GF_STORE_SQLITE_H
#define GF_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"
#include "store_backend.h"

/* A connection to one state.db; BASE first, so a struct gf_store * is one of these. */
struct sq {
	struct gf_store base;
	sqlite3 *db;
	sqlite3_stmt *put_state;
	sqlite3_stmt *put_down;
	sqlite3_stmt *del_supplies;
	sqlite3_stmt *put_supply;
	sqlite3_stmt *get_status;
	sqlite3_stmt *meter_load;
	sqlite3_stmt *ident_load;
	sqlite3_stmt *meter_save;
	sqlite3_stmt *ident_save;
	sqlite3_stmt *xcheck_save;
	sqlite3_stmt *ledger_add;
	sqlite3_stmt *audit_add;
	sqlite3_stmt *put_health;
	sqlite3_stmt *put_daily;
	sqlite3_stmt *put_facts;
	sqlite3_stmt *put_seen;
	sqlite3_stmt *put_jams;
	sqlite3_stmt *meter_claim;
};

#define SQ(s)	((struct sq *)(s))

/* Logs WHAT with SQLite's message and counts the failure; returns -1. */
int sq_fail(struct sq *q, const char *what);
/* Prepares a one-off statement; NULL (logged) on failure. */
sqlite3_stmt *sq_query(struct sq *q, const char *sql);
/* Steps a kept statement once, then resets it and its bindings; -1 (logged) unless done. */
int sq_step_reset(struct sq *q, sqlite3_stmt *st, const char *what);
/* Binds an integer, or NULL when the value is unknown. */
void sq_bind_opt(sqlite3_stmt *st, int i, long long v, int known);
/* Column I as clean text into DST ("" for NULL). */
void sq_col_text(sqlite3_stmt *st, int i, char *dst, size_t sz);
/* Column I as an integer, or -1 when NULL. */
long long sq_col_opt(sqlite3_stmt *st, int i);

/* store_sqlite_device.c */
int sq_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, int flags);
int sq_get_status(struct gf_store *s, const char *id, struct gf_status *out);
int sq_health(struct gf_store *s, const char *device, const char *since,
    struct gf_store_health *out);
int sq_statuses(struct gf_store *s, store_status_fn fn, void *arg);
int sq_supplies(struct gf_store *s, store_supply_fn fn, void *arg);
struct gf_store_scan *sq_health_scan(struct gf_store *s, const char *since);
int sq_health_next(struct gf_store_scan *sc, const char *device, struct gf_store_health *out);
void sq_health_scan_free(struct gf_store_scan *sc);

/* store_sqlite_ledger.c */
int sq_meter_load(struct gf_store *s, const char *device, struct gf_meter_prior *p);
int sq_meter_save(struct gf_store *s, const char *device, int counter,
    const struct gf_meter_state *st, const struct gf_counter *c);
int sq_ident_save(struct gf_store *s, const char *device, const char *serial,
    const char *serial_src, const char *objid);
int sq_xcheck_load(struct gf_store *s, const char *device, struct gf_xcheck *x);
int sq_xcheck_save(struct gf_store *s, const char *device, const struct gf_xcheck *x);
int sq_ledger_add(struct gf_store *s, const char *day, const char *device, const char *dept,
    const char *counter, uint64_t pages);
int sq_audit(struct gf_store *s, time_t when, const char *device, const char *counter,
    const char *event, uint64_t old, uint64_t new, const char *detail);
int sq_dept_pages(struct gf_store *s, const char *dept, const char *day, int since,
    uint64_t pages[3]);
int sq_dept_rows(struct gf_store *s, const char *dept, const char *first, const char *last,
    store_span_fn fn, void *arg);
int sq_top_devices(struct gf_store *s, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max);
int sq_ledger_sums(struct gf_store *s, const char *first, const char *last, store_sum_fn fn,
    void *arg);
int sq_counters(struct gf_store *s, const char *device, store_counter_fn fn, void *arg);
int sq_odometers(struct gf_store *s, store_odometer_fn fn, void *arg);
int sq_audits(struct gf_store *s, const char *device, store_audit_fn fn, void *arg);

/* store_sqlite_notes.c: quota state, outbox, repair log */
int sq_quota_fired(struct gf_store *s, const char *dept, const char *period, int thr);
int sq_quota_last_fired(struct gf_store *s, const char *dept, const char *period);
int sq_quota_fire(struct gf_store *s, const char *dept, const char *period, int thr,
    time_t when, int pct);
int sq_outbox_known(struct gf_store *s, const char *message_id);
long long sq_outbox_waiting(struct gf_store *s);
int sq_outbox_add(struct gf_store *s, const struct gf_notice *n);
int sq_outbox_next(struct gf_store *s, time_t now, struct gf_notice *n);
int sq_outbox_hold(struct gf_store *s, long long id, time_t now, time_t until);
int sq_outbox_sent(struct gf_store *s, long long id, time_t when);
int sq_outbox_retry(struct gf_store *s, long long id, time_t next_try, const char *err);
int sq_repair_log(struct gf_store *s, const char *device, const char *day, const char *part,
    const char *text, time_t now);
int sq_repairs(struct gf_store *s, const char *device, store_repair_fn fn, void *arg);

/* store_sqlite_poller.c: the meter's claim, pollers and leases (one machine, one writer) */
int sq_meter_claim(struct gf_store *s, const char *device, int64_t when_ms);
int sq_poller_beat(struct gf_store *s, const struct gf_poller_beat *b, int *lapsed);
int sq_pollers(struct gf_store *s, store_poller_fn fn, void *arg);
int sq_lease_held(struct gf_store *s, const char *poller, store_device_fn fn, void *arg);
int sq_lease_claim(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n, size_t max, store_device_fn fn, void *arg);
int sq_lease_release(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n);
int sq_poller_stop(struct gf_store *s, const char *poller);
int sq_leader(struct gf_store *s, int what);
int sq_pages_moved(struct gf_store *s, store_device_fn fn, void *arg, int *all);

#endif
