/* The SQLite backend's quota state, outbox and repair log. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_sqlite.h"
#include "xmalloc.h"

int
sq_quota_fired(struct gf_store *base, const char *dept, const char *period, int thr)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT crossed_at FROM quota_state WHERE"
	    " department = ?1 AND period = ?2 AND threshold = ?3");
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, period, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, thr);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(s, "read quota state");
	return rc == SQLITE_ROW;
}

/* Runs SQL (one statement) with up to 8 text/integer bindings given as a format: 't' or 'i'. */
static int
exec_bound(struct sq *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *q;
	va_list ap;
	const char *t;
	int i, rc;

	if ((q = sq_query(s, sql)) == NULL)
		return -1;
	va_start(ap, fmt);
	for (i = 0; fmt[i]; i++) {
		if (fmt[i] == 't') {
			t = va_arg(ap, const char *);
			sqlite3_bind_text(q, i + 1, t, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_int64(q, i + 1, va_arg(ap, long long));
		}
	}
	va_end(ap);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "write");
}

int
sq_quota_fire(struct gf_store *base, const char *dept, const char *period, int thr, time_t when,
    int pct)
{
	struct sq *s = SQ(base);

	return exec_bound(s, "INSERT OR IGNORE INTO quota_state VALUES (?1,?2,?3,?4,?5)", "ttiii",
	    dept, period, (long long)thr, (long long)when, (long long)pct);
}

long long
sq_outbox_waiting(struct gf_store *base)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
	long long n = -1;

	if (q == NULL)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	else
		sq_fail(s, "read outbox");
	sqlite3_finalize(q);
	return n;
}

int
sq_outbox_add(struct gf_store *base, const struct gf_notice *n)
{
	struct sq *s = SQ(base);

	return exec_bound(s, "INSERT OR IGNORE INTO outbox (message_id, kind, department, created,"
	    " rcpt_to, rcpt_cc, subject, body, lang, next_try) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?4)",
	    "tttitttt" "t", n->message_id, n->kind, n->department, (long long)n->created, n->to,
	    n->cc, n->subject, n->body, n->lang);
}

/* Duplicates column I as text ("" for NULL). */
static char *
col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return xstrdup(t ? (const char *)t : "");
}

int
sq_outbox_next(struct gf_store *base, time_t now, struct gf_notice *n)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT id, message_id, kind, department, created,"
	    " rcpt_to, rcpt_cc, subject, body, lang, attempts FROM outbox"
	    " WHERE sent_at IS NULL AND next_try <= ?1 ORDER BY next_try, id LIMIT 1");
	int rc;

	memset(n, 0, sizeof(*n));
	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)now);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		n->id = sqlite3_column_int64(q, 0);
		n->message_id = col_dup(q, 1);
		n->kind = col_dup(q, 2);
		n->department = col_dup(q, 3);
		n->created = sqlite3_column_int64(q, 4);
		n->to = col_dup(q, 5);
		n->cc = col_dup(q, 6);
		n->subject = col_dup(q, 7);
		n->body = col_dup(q, 8);
		n->lang = col_dup(q, 9);
		n->attempts = sqlite3_column_int(q, 10);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read outbox");
}

/* Outside any batch: the sender's own connection writes one row at a time. */
static int
outbox_update(struct sq *s, const char *sql, long long id, long long t, const char *err)
{
	sqlite3_stmt *q = sq_query(s, sql);
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, t);
	sqlite3_bind_text(q, 3, err, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "write outbox");
}

int
sq_outbox_hold(struct gf_store *base, long long id, time_t now, time_t until)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "UPDATE outbox SET next_try = ?3 WHERE id = ?1 AND"
	    " sent_at IS NULL AND next_try <= ?2");
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, (long long)now);
	sqlite3_bind_int64(q, 3, (long long)until);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "write outbox");
	return sqlite3_changes(s->db) > 0;
}

int
sq_outbox_sent(struct gf_store *base, long long id, time_t when)
{
	struct sq *s = SQ(base);

	return outbox_update(s, "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1,"
	    " last_error = ?3 WHERE id = ?1", id, (long long)when, NULL);
}

int
sq_outbox_retry(struct gf_store *base, long long id, time_t next_try, const char *err)
{
	struct sq *s = SQ(base);

	return outbox_update(s, "UPDATE outbox SET attempts = attempts + 1, next_try = ?2,"
	    " last_error = ?3 WHERE id = ?1", id, (long long)next_try, err);
}

int
sq_quota_last_fired(struct gf_store *base, const char *dept, const char *period)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT max(threshold) FROM quota_state WHERE"
	    " department = ?1 AND period = ?2");
	int v = -1;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, period, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

int
sq_outbox_known(struct gf_store *base, const char *message_id)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT 1 FROM outbox WHERE message_id = ?1");
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, message_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(s, "read outbox");
	return rc == SQLITE_ROW;
}

int
sq_repair_log(struct gf_store *base, const char *device, const char *day, const char *part,
    const char *text, time_t now)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "INSERT INTO repair_log (device, day, part, text, logged)"
	    " VALUES (?1,?2,?3,?4,?5)");
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, part, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, (long long)now);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "write repair log");
}

int
sq_repairs(struct gf_store *base, const char *device, store_repair_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT device, day, coalesce(part, ''), text FROM"
	    " repair_log WHERE ?1 IS NULL OR device = ?1 ORDER BY day, id");
	char dev[GF_SHORT], day[16], part[GF_SHORT], text[GF_STR];
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sq_col_text(q, 0, dev, sizeof(dev));
		sq_col_text(q, 1, day, sizeof(day));
		sq_col_text(q, 2, part, sizeof(part));
		sq_col_text(q, 3, text, sizeof(text));
		fn(arg, dev, day, part, text);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read repair log");
}

