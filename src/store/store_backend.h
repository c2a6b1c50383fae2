/*
 * The store's backends, seen from the neutral layer (store.c): a backend is
 * one table of operations, and its connection a struct that begins with
 * struct gf_store. Batches, the failure count, the caller's memos and the
 * domain rules live above, in store.c and store_meter.c: a backend only
 * reads and writes rows. SQLite is store_sqlite*.c, PostgreSQL store_pg*.c;
 * store.c picks one by the `store` key.
 */
#ifndef GF_STORE_BACKEND_H
#define GF_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store_device.h"
#include "store_ledger.h"
#include "store_outbox.h"
#include "store_poller.h"
#include "store_quota.h"
#include "store_repair.h"

/* Flags of put_reading: what the caller's memo says must be written. */
#define GF_PUT_SUPPLIES	1	/* the supplies (and jam alerts) changed, or were never written */
#define GF_PUT_FIRST	2	/* first write of the device by this process: its first sighting */

/* One ledger row of a department, as store_dept_span sums it. */
struct gf_store_span_row {
	char device[GF_SHORT];		/* rows come grouped by device */
	char counter[16];
	uint64_t pages;
};

typedef void (*store_span_fn)(void *arg, const struct gf_store_span_row *r);

/* Every member after NAME is an operation, and every backend fills them all (store_ops_check). */
struct gf_store_ops {
	const char *name;
	/* TARGET: where the state is; DATA_DIR for messages. NULL with ERR on failure. */
	struct gf_store *(*open)(const char *target, const char *data_dir, int flags, char *err,
	    size_t errsz);
	void (*close)(struct gf_store *s);
	int (*begin)(struct gf_store *s);
	int (*commit)(struct gf_store *s);
	void (*rollback)(struct gf_store *s);

	int (*put_reading)(struct gf_store *s, const struct gf_device *d, const char *dept,
	    const struct gf_reading *r, int flags);
	int (*get_status)(struct gf_store *s, const char *id, struct gf_status *st);
	int (*health)(struct gf_store *s, const char *device, const char *since,
	    struct gf_store_health *out);
	int (*statuses)(struct gf_store *s, store_status_fn fn, void *arg);
	int (*supplies)(struct gf_store *s, store_supply_fn fn, void *arg);
	struct gf_store_scan *(*health_scan)(struct gf_store *s, const char *since);
	int (*health_next)(struct gf_store_scan *sc, const char *device,
	    struct gf_store_health *out);
	void (*health_scan_free)(struct gf_store_scan *sc);

	int (*meter_load)(struct gf_store *s, const char *device, struct gf_meter_prior *p);
	int (*meter_save)(struct gf_store *s, const char *device, int counter,
	    const struct gf_meter_state *st, const struct gf_counter *c);
	int (*ident_save)(struct gf_store *s, const char *device, const char *serial,
	    const char *serial_src, const char *objid);
	int (*xcheck_load)(struct gf_store *s, const char *device, struct gf_xcheck *x);
	int (*xcheck_save)(struct gf_store *s, const char *device, const struct gf_xcheck *x);
	int (*ledger_add)(struct gf_store *s, const char *day, const char *device,
	    const char *dept, const char *counter, uint64_t pages);
	int (*audit)(struct gf_store *s, time_t when, const char *device, const char *counter,
	    const char *event, uint64_t old, uint64_t new, const char *detail);
	int (*dept_pages)(struct gf_store *s, const char *dept, const char *day, int since,
	    uint64_t pages[3]);
	int (*dept_rows)(struct gf_store *s, const char *dept, const char *first,
	    const char *last, store_span_fn fn, void *arg);
	int (*top_devices)(struct gf_store *s, const char *dept, const char *first,
	    const char *last, struct gf_top *top, int max);
	int (*ledger_sums)(struct gf_store *s, const char *first, const char *last,
	    store_sum_fn fn, void *arg);
	int (*counters)(struct gf_store *s, const char *device, store_counter_fn fn, void *arg);
	int (*odometers)(struct gf_store *s, store_odometer_fn fn, void *arg);
	int (*audits)(struct gf_store *s, const char *device, store_audit_fn fn, void *arg);

	int (*quota_fired)(struct gf_store *s, const char *dept, const char *period, int thr);
	int (*quota_last_fired)(struct gf_store *s, const char *dept, const char *period);
	int (*quota_fire)(struct gf_store *s, const char *dept, const char *period, int thr,
	    time_t when, int pct);

	int (*outbox_known)(struct gf_store *s, const char *message_id);
	long long (*outbox_waiting)(struct gf_store *s);
	int (*outbox_add)(struct gf_store *s, const struct gf_notice *n);
	int (*outbox_next)(struct gf_store *s, time_t now, struct gf_notice *n);
	int (*outbox_hold)(struct gf_store *s, long long id, time_t now, time_t until);
	int (*outbox_sent)(struct gf_store *s, long long id, time_t when);
	int (*outbox_retry)(struct gf_store *s, long long id, time_t next_try, const char *err);

	int (*repair_log)(struct gf_store *s, const char *device, const char *day,
	    const char *part, const char *text, time_t now);
	int (*repairs)(struct gf_store *s, const char *device, store_repair_fn fn, void *arg);

	/*
	 * In the open batch, before a reading's step is loaded: locks DEVICE's
	 * metering until the batch ends and records that its reading of WHEN_MS
	 * is metered. 1 to go on; 0 when a reading as new or newer was already
	 * metered (by another poller, or this one before a lost commit): this
	 * one must count nothing. -1 on error.
	 */
	int (*meter_claim)(struct gf_store *s, const char *device, int64_t when_ms);
	int (*poller_beat)(struct gf_store *s, const struct gf_poller_beat *b, int *lapsed);
	int (*pollers)(struct gf_store *s, store_poller_fn fn, void *arg);
	int (*lease_held)(struct gf_store *s, const char *poller, store_device_fn fn, void *arg);
	int (*lease_claim)(struct gf_store *s, const char *poller, const char *const *devices,
	    size_t n, size_t max, store_device_fn fn, void *arg);
	int (*lease_release)(struct gf_store *s, const char *poller, const char *const *devices,
	    size_t n);
	int (*poller_stop)(struct gf_store *s, const char *poller);
	int (*leader)(struct gf_store *s, int what);
	int (*pages_moved)(struct gf_store *s, store_device_fn fn, void *arg, int *all);
};

/* The head of every backend's connection. */
struct gf_store {
	const struct gf_store_ops *ops;
	int64_t batch_start;		/* monotonic ms, 0 when no batch is open */
	unsigned long epoch;		/* rollbacks so far: the caller's memos older are void */
};

/* The head of every backend's health scan. */
struct gf_store_scan {
	struct gf_store *s;
};

/* Opens the batch if none is open (every write, and the meter's reads, run inside one). */
int store_batch_begin(struct gf_store *s);

/*
 * The first operation OPS leaves NULL, numbered from `open` (0) in the
 * order of struct gf_store_ops; -1 when it has them all. store_open
 * refuses such a backend.
 */
int store_ops_check(const struct gf_store_ops *ops);

/* Counts one failure the backend logged, for store_failures(). */
void store_failed(void);

extern const struct gf_store_ops gf_store_sqlite;
extern const struct gf_store_ops gf_store_pg;

#endif
