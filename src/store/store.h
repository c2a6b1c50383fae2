/*
 * State store: what must be exact or durable (last readings, the page
 * ledger, quota state, the mail outbox, the repair log). Backend-neutral:
 * callers see only these headers; a backend (SQLite today, see
 * store_backend.h) is a table of operations chosen by the `store` key.
 * Writes are batched into transactions: a kill -9 loses at most the open
 * batch, never half of one. By concern:
 *   store_device.h   last state, health and age evidence of each device
 *   store_ledger.h   the meter's state, the page ledger and its audit
 *   store_quota.h    which quota thresholds fired
 *   store_outbox.h   mails waiting to be sent
 *   store_repair.h   the repair log
 *   store_poller.h   pollers sharing the store: leases and the leader
 */
#ifndef GF_STORE_H
#define GF_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

struct gf_store;

#define GF_STORE_RO	1	/* read only (the CLI): never creates the state */
#define GF_STORE_CHECK	2	/* a deep check of the state first: the daemon's start */

/*
 * Opens the state CONF's `store` key names (default: state.db in
 * data_dir), creating it unless GF_STORE_RO. State that is damaged, or
 * holds greenfleet's schema with a table or column missing, is refused and
 * left as it is: only empty state is initialised. NULL (logged) on failure.
 */
struct gf_store *store_open(const struct gf_conf *conf, int flags);
/* The same, NULL with the reason in ERR ("DIR/state.db: file is not a database") unlogged. */
struct gf_store *store_open_err(const struct gf_conf *conf, int flags, char *err, size_t errsz);

/*
 * The file CONF's state lives in when it is a local SQLite file (PATH, SZ
 * bytes), for a reader that wants to know whether it changed; -1 otherwise.
 */
int store_local_file(const struct gf_conf *conf, char *path, size_t sz);

/* Whether CONF's state is a store other pollers may share (not a local SQLite file). */
int store_shared(const struct gf_conf *conf);

/* How many store failures this process has logged, on every connection: for the exit summary. */
unsigned long store_failures(void);
void store_close(struct gf_store *s);

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

#include "store_device.h"
#include "store_ledger.h"
#include "store_quota.h"
#include "store_outbox.h"
#include "store_repair.h"
#include "store_poller.h"

#endif
