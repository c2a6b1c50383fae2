/* The PostgreSQL backend's own declarations: shared by its files only, never by a caller of the store. */
#ifndef GF_STORE_PG_H
#define GF_STORE_PG_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store.h"
#include "store_backend.h"

/* The schema this greenfleet writes: the number of migrations in store_pg_schema.c. */
#define PG_SCHEMA_VERSION 3

/* The prepared statements, made once per session (again after a reconnection). */
enum pg_stmt {
	PS_PUT_STATE, PS_PUT_DOWN, PS_DEL_SUPPLIES, PS_PUT_SUPPLY, PS_GET_STATUS,
	PS_PUT_HEALTH, PS_PUT_DAILY, PS_PUT_FACTS, PS_PUT_SEEN, PS_PUT_JAMS,
	PS_H_KNOWN, PS_H_HEALTH, PS_H_FACTS, PS_H_MEM, PS_H_SUPPLIES, PS_H_JAMS,
	PS_STATUSES, PS_SUPPLIES, PS_SC_KNOWN, PS_SC_HEALTH, PS_SC_FACTS, PS_SC_MEM, PS_SC_JAMS,
	PS_SC_SUPPLY,
	PS_METER_LOAD, PS_IDENT_LOAD, PS_METER_SAVE, PS_IDENT_SAVE, PS_XCHECK_LOAD,
	PS_XCHECK_SAVE, PS_LEDGER_ADD, PS_AUDIT_ADD, PS_COUNTERS, PS_AUDITS, PS_DEPT_PAGES,
	PS_DEPT_PAGES_SINCE,
	PS_TOP_DEVICES, PS_LEDGER_SUMS, PS_DEPT_ROWS, PS_ODOMETERS,
	PS_QUOTA_FIRED, PS_QUOTA_FIRE, PS_QUOTA_LAST, PS_OUTBOX_KNOWN, PS_OUTBOX_WAITING,
	PS_OUTBOX_ADD,
	PS_OUTBOX_NEXT, PS_OUTBOX_HOLD, PS_OUTBOX_SENT, PS_OUTBOX_RETRY, PS_REPAIR_LOG, PS_REPAIRS,
	PS_METER_CLAIM, PS_BEAT, PS_POLLERS, PS_LEASE_HELD, PS_LEASE_FILL, PS_LEASE_CLAIM,
	PS_LEASE_RELEASE, PS_POLLER_EXPIRE, PS_LEADER,
	PS_N
};

/* Their SQL, by enum pg_stmt (store_pg_schema.c). */
extern const char *const pg_sql[PS_N];

/* A connection to one database; BASE first, so a struct gf_store * is one of these. */
struct pg {
	struct gf_store base;
	PGconn *conn;
	char name[512];			/* what messages call it: never the password */
	int ro;				/* GF_STORE_RO: every transaction read only */
	int down;			/* the connection was lost (said once) */
	int64_t retry_at;		/* monotonic ms of the next reconnection */
	int backoff_ms;			/* wait before the one after, doubled up to a minute */
	unsigned lead;			/* GF_LEAD_* advisory locks this session holds */
	int listening;			/* LISTEN greenfleet_pages is on in this session */
};

#define PG(s)	((struct pg *)(s))

#define PG_MAXARGS 24

/* The parameters of one statement, as text (NULL for SQL NULL). */
struct pg_args {
	int n;
	const char *v[PG_MAXARGS];
	char num[PG_MAXARGS][24];
	char *own[PG_MAXARGS];		/* text cleaned to UTF-8, freed after the call */
};

void pg_args_init(struct pg_args *a);
/* Text; NULL is SQL NULL. Bytes that are not UTF-8 are cleaned (PostgreSQL refuses them). */
void pg_t(struct pg_args *a, const char *s);
void pg_i(struct pg_args *a, long long v);
/* An integer, or NULL when the value is unknown. */
void pg_o(struct pg_args *a, long long v, int known);

/*
 * Runs the prepared statement ST with A (freed); the result, or NULL
 * (logged as WHAT, counted) on failure. The connection's loss is said
 * once, and the next call reconnects when its backoff has passed.
 */
PGresult *pg_run(struct pg *p, enum pg_stmt st, struct pg_args *a, const char *what);
/* The same for a statement that returns no rows: 0, or -1. */
int pg_cmd(struct pg *p, enum pg_stmt st, struct pg_args *a, const char *what);

/* Cell (ROW, COL) as clean text into DST ("" for NULL). */
void pg_text(const PGresult *r, int row, int col, char *dst, size_t sz);
/* Cell (ROW, COL) as an integer (0 for NULL). */
long long pg_int(const PGresult *r, int row, int col);
/* Cell (ROW, COL) as an integer, or -1 when NULL. */
long long pg_opt(const PGresult *r, int row, int col);
/* Cell (ROW, COL) duplicated ("" for NULL). */
char *pg_dup(const PGresult *r, int row, int col);

/* store_pg_schema.c: brings the database to PG_SCHEMA_VERSION (or, read only, checks it is). */
int pg_schema(struct pg *p, char *err, size_t errsz);
/* Prepares every statement of pg_sql; -1 with the reason in ERR. */
int pg_prepare_all(struct pg *p, char *err, size_t errsz);

/* store_pg_device.c */
int pg_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, int flags);
int pg_get_status(struct gf_store *s, const char *id, struct gf_status *out);
int pg_health(struct gf_store *s, const char *device, const char *since,
    struct gf_store_health *out);
int pg_statuses(struct gf_store *s, store_status_fn fn, void *arg);
int pg_supplies(struct gf_store *s, store_supply_fn fn, void *arg);
struct gf_store_scan *pg_health_scan(struct gf_store *s, const char *since);
int pg_health_next(struct gf_store_scan *sc, const char *device, struct gf_store_health *out);
void pg_health_scan_free(struct gf_store_scan *sc);

/* store_pg_ledger.c */
int pg_meter_load(struct gf_store *s, const char *device, struct gf_meter_prior *p);
int pg_meter_save(struct gf_store *s, const char *device, int counter,
    const struct gf_meter_state *st, const struct gf_counter *c);
int pg_ident_save(struct gf_store *s, const char *device, const char *serial,
    const char *serial_src, const char *objid);
int pg_xcheck_load(struct gf_store *s, const char *device, struct gf_xcheck *x);
int pg_xcheck_save(struct gf_store *s, const char *device, const struct gf_xcheck *x);
int pg_ledger_add(struct gf_store *s, const char *day, const char *device, const char *dept,
    const char *counter, uint64_t pages);
int pg_audit(struct gf_store *s, time_t when, const char *device, const char *counter,
    const char *event, uint64_t old, uint64_t new, const char *detail);
int pg_dept_pages(struct gf_store *s, const char *dept, const char *day, int since,
    uint64_t pages[3]);
int pg_dept_rows(struct gf_store *s, const char *dept, const char *first, const char *last,
    store_span_fn fn, void *arg);
int pg_top_devices(struct gf_store *s, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max);
int pg_ledger_sums(struct gf_store *s, const char *first, const char *last, store_sum_fn fn,
    void *arg);
int pg_counters(struct gf_store *s, const char *device, store_counter_fn fn, void *arg);
int pg_odometers(struct gf_store *s, store_odometer_fn fn, void *arg);
int pg_audits(struct gf_store *s, const char *device, store_audit_fn fn, void *arg);

/* store_pg_notes.c: quota state, outbox, repair log */
int pg_quota_fired(struct gf_store *s, const char *dept, const char *period, int thr);
int pg_quota_last_fired(struct gf_store *s, const char *dept, const char *period);
int pg_quota_fire(struct gf_store *s, const char *dept, const char *period, int thr,
    time_t when, int pct);
int pg_outbox_known(struct gf_store *s, const char *message_id);
long long pg_outbox_waiting(struct gf_store *s);
int pg_outbox_add(struct gf_store *s, const struct gf_notice *n);
int pg_outbox_next(struct gf_store *s, time_t now, struct gf_notice *n);
int pg_outbox_hold(struct gf_store *s, long long id, time_t now, time_t until);
int pg_outbox_sent(struct gf_store *s, long long id, time_t when);
int pg_outbox_retry(struct gf_store *s, long long id, time_t next_try, const char *err);
int pg_repair_log(struct gf_store *s, const char *device, const char *day, const char *part,
    const char *text, time_t now);
int pg_repairs(struct gf_store *s, const char *device, store_repair_fn fn, void *arg);

/* store_pg_poller.c: the meter's claim, pollers, leases and the leader */
int pg_meter_claim(struct gf_store *s, const char *device, int64_t when_ms);
int pg_poller_beat(struct gf_store *s, const struct gf_poller_beat *b, int *lapsed);
int pg_pollers(struct gf_store *s, store_poller_fn fn, void *arg);
int pg_lease_held(struct gf_store *s, const char *poller, store_device_fn fn, void *arg);
int pg_lease_claim(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n, size_t max, store_device_fn fn, void *arg);
int pg_lease_release(struct gf_store *s, const char *poller, const char *const *devices,
    size_t n);
int pg_poller_stop(struct gf_store *s, const char *poller);
int pg_leader(struct gf_store *s, int what);
int pg_pages_moved(struct gf_store *s, store_device_fn fn, void *arg, int *all);

#endif
