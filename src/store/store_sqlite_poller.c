/*
 * The SQLite backend's side of pollers (store_poller.h). One state.db has
 * one writer at a time (BEGIN IMMEDIATE), so a claim needs no row locks:
 * the same tables as PostgreSQL's, on this machine's clock. There is no
 * one else to lead or to hear from: the leader is always this process.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store_sqlite.h"

int
sq_meter_claim(struct gf_store *base, const char *device, int64_t when_ms)
{
	struct sq *s = SQ(base);

	sqlite3_bind_text(s->meter_claim, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->meter_claim, 2, when_ms);
	if (sq_step_reset(s, s->meter_claim, "claim a reading") != 0)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

/* Runs Q (finalized) to its end in a transaction of its own; 0 or -1 (logged as WHAT). */
static int
run_alone(struct sq *s, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);

	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(s, what);
}

int
sq_poller_beat(struct gf_store *base, const struct gf_poller_beat *b, int *lapsed)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q;
	long long now = (long long)time(NULL);

	*lapsed = 1;
	if ((q = sq_query(s, "SELECT expires FROM poller WHERE name = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(q, 1, b->name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		*lapsed = sqlite3_column_int64(q, 0) <= now;
	sqlite3_finalize(q);
	if ((q = sq_query(s, "INSERT INTO poller AS p VALUES (?1,?2,?3,?4,?5,?5,?5 + ?6,?7,?8,?9)"
	    " ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid,"
	    " networks = excluded.networks, started = CASE WHEN p.expires <= ?5"
	    " OR p.pid IS NOT excluded.pid OR p.host IS NOT excluded.host THEN ?5"
	    " ELSE p.started END, beat = ?5, expires = excluded.expires,"
	    " last_commit = excluded.last_commit, leader = excluded.leader,"
	    " polled = excluded.polled")) == NULL)
		return -1;
	sqlite3_bind_text(q, 1, b->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, b->host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, b->pid);
	sqlite3_bind_text(q, 4, b->networks, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, now);
	sqlite3_bind_int64(q, 6, b->lease_s);
	sq_bind_opt(q, 7, (long long)b->last_commit, b->last_commit > 0);
	sqlite3_bind_int(q, 8, b->leader);
	sqlite3_bind_int64(q, 9, b->polled);
	return run_alone(s, q, "poller beat");
}

int
sq_pollers(struct gf_store *base, store_poller_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	struct gf_poller_row row;
	sqlite3_stmt *q;
	long long now = (long long)time(NULL);
	int rc;

	if ((q = sq_query(s, "SELECT p.name, p.host, p.pid, p.networks, p.started, p.beat,"
	    " p.expires, p.last_commit, p.leader, (SELECT count(*) FROM lease l"
	    " WHERE l.poller = p.name), p.polled FROM poller p ORDER BY p.name")) == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		sq_col_text(q, 0, row.name, sizeof(row.name));
		sq_col_text(q, 1, row.host, sizeof(row.host));
		row.pid = (long)sqlite3_column_int64(q, 2);
		sq_col_text(q, 3, row.networks, sizeof(row.networks));
		row.started = (time_t)sqlite3_column_int64(q, 4);
		row.beat = (time_t)sqlite3_column_int64(q, 5);
		row.expires = (time_t)sqlite3_column_int64(q, 6);
		row.last_commit = (time_t)sqlite3_column_int64(q, 7);
		row.now = (time_t)now;
		row.alive = row.expires > now;
		row.leader = row.alive && sqlite3_column_int(q, 8) != 0;
		row.devices = sqlite3_column_int64(q, 9);
		row.polled = sqlite3_column_int64(q, 10);
		fn(arg, &row);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read pollers");
}

int
sq_lease_held(struct gf_store *base, const char *poller, store_device_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q;
	char dev[GF_SHORT];
	int rc;

	if ((q = sq_query(s, "SELECT device FROM lease WHERE poller = ?1 ORDER BY device")) ==
	    NULL)
		return -1;
	sqlite3_bind_text(q, 1, poller, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sq_col_text(q, 0, dev, sizeof(dev));
		fn(arg, dev);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read leases");
}

/* One transaction for the whole claim: the write lock makes it the only claim running. */
int
sq_lease_claim(struct gf_store *base, const char *poller, const char *const *devices, size_t n,
    size_t max, store_device_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q;
	long long now = (long long)time(NULL);
	size_t i, got = 0;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, "claim leases");
	if ((q = sq_query(s, "INSERT INTO lease VALUES (?1, ?2, ?3) ON CONFLICT (device)"
	    " DO UPDATE SET poller = ?2, since = ?3 WHERE lease.poller IS NULL OR lease.poller"
	    " NOT IN (SELECT name FROM poller WHERE expires > ?3)")) == NULL) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (i = 0; i < n && got < max; i++) {
		sqlite3_bind_text(q, 1, devices[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, poller, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, now);
		if (sqlite3_step(q) != SQLITE_DONE)
			break;
		sqlite3_reset(q);
		if (sqlite3_changes(s->db) > 0) {
			got++;
			fn(arg, devices[i]);
		}
	}
	sqlite3_finalize(q);
	if (i < n && got < max) {
		sq_fail(s, "claim leases");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sq_fail(s, "claim leases");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return (int)got;
}

int
sq_lease_release(struct gf_store *base, const char *poller, const char *const *devices,
    size_t n)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q;
	size_t i;
	int rc = 0;

	if (devices == NULL) {
		if ((q = sq_query(s, "UPDATE lease SET poller = NULL WHERE poller = ?1")) == NULL)
			return -1;
		sqlite3_bind_text(q, 1, poller, -1, SQLITE_STATIC);
		return run_alone(s, q, "release leases");
	}
	if ((q = sq_query(s, "UPDATE lease SET poller = NULL WHERE poller = ?1 AND device = ?2"))
	    == NULL)
		return -1;
	sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	for (i = 0; i < n && rc == 0; i++) {
		sqlite3_bind_text(q, 1, poller, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, devices[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (rc != 0 || sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sq_fail(s, "release leases");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int
sq_poller_stop(struct gf_store *base, const char *poller)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q;

	if ((q = sq_query(s, "UPDATE poller SET expires = ?2, leader = 0 WHERE name = ?1")) ==
	    NULL)
		return -1;
	sqlite3_bind_text(q, 1, poller, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (long long)time(NULL));
	if (run_alone(s, q, "stop poller") != 0)
		return -1;
	return sq_lease_release(base, poller, NULL, 0);
}

int
sq_leader(struct gf_store *base, int what)
{
	(void)base;
	(void)what;
	return 1;
}

int
sq_pages_moved(struct gf_store *base, store_device_fn fn, void *arg, int *all)
{
	(void)base;
	(void)fn;
	(void)arg;
	*all = 0;
	return 0;
}
