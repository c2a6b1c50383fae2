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
};

/* Opens (creating if needed) DATA_DIR/state.db; read-only for the CLI. NULL (logged) on failure. */
struct gf_store *store_open(const char *data_dir, int readonly);
void store_close(struct gf_store *s);

/* Records a reading inside the open batch (opened on demand). -1 (logged) on failure. */
int store_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r);

/* Commits the open batch, if any. -1 (logged) on failure. */
int store_commit(struct gf_store *s);

/* Milliseconds since the open batch began, or -1 if none is open. */
int64_t store_batch_age_ms(const struct gf_store *s);

/* Reads a device's last state; -1 on a database error. */
int store_get_status(struct gf_store *s, const char *id, struct gf_status *st);

#endif
