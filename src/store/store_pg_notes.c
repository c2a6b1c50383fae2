/* The PostgreSQL backend's quota state, outbox and repair log. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store_pg.h"

/* Runs ST with DEPT and PERIOD (and THR unless < 0); the result or NULL (logged). */
static PGresult *
run_quota(struct pg *p, enum pg_stmt st, const char *dept, const char *period, int thr)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, dept);
	pg_t(&a, period);
	if (thr >= 0)
		pg_i(&a, thr);
	return pg_run(p, st, &a, "read quota state");
}

int
pg_quota_fired(struct gf_store *base, const char *dept, const char *period, int thr)
{
	PGresult *r = run_quota(PG(base), PS_QUOTA_FIRED, dept, period, thr);
	int n;

	if (r == NULL)
		return -1;
	n = PQntuples(r) > 0;
	PQclear(r);
	return n;
}

int
pg_quota_last_fired(struct gf_store *base, const char *dept, const char *period)
{
	PGresult *r = run_quota(PG(base), PS_QUOTA_LAST, dept, period, -1);
	int v;

	if (r == NULL)
		return -1;
	v = PQntuples(r) > 0 ? (int)pg_int(r, 0, 0) : 0;
	PQclear(r);
	return v;
}

int
pg_quota_fire(struct gf_store *base, const char *dept, const char *period, int thr, time_t when,
    int pct)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, dept);
	pg_t(&a, period);
	pg_i(&a, thr);
	pg_i(&a, (long long)when);
	pg_i(&a, pct);
	return pg_cmd(PG(base), PS_QUOTA_FIRE, &a, "write");
}

int
pg_outbox_add(struct gf_store *base, const struct gf_notice *n)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, n->message_id);
	pg_t(&a, n->kind);
	pg_t(&a, n->department);
	pg_i(&a, (long long)n->created);
	pg_t(&a, n->to);
	pg_t(&a, n->cc);
	pg_t(&a, n->subject);
	pg_t(&a, n->body);
	pg_t(&a, n->lang);
	return pg_cmd(PG(base), PS_OUTBOX_ADD, &a, "write");
}

int
pg_outbox_next(struct gf_store *base, time_t now, struct gf_notice *n)
{
	struct pg_args a;
	PGresult *r;
	int found;

	memset(n, 0, sizeof(*n));
	pg_args_init(&a);
	pg_i(&a, (long long)now);
	if ((r = pg_run(PG(base), PS_OUTBOX_NEXT, &a, "read outbox")) == NULL)
		return -1;
	if ((found = PQntuples(r) > 0)) {
		n->id = pg_int(r, 0, 0);
		n->message_id = pg_dup(r, 0, 1);
		n->kind = pg_dup(r, 0, 2);
		n->department = pg_dup(r, 0, 3);
		n->created = pg_int(r, 0, 4);
		n->to = pg_dup(r, 0, 5);
		n->cc = pg_dup(r, 0, 6);
		n->subject = pg_dup(r, 0, 7);
		n->body = pg_dup(r, 0, 8);
		n->lang = pg_dup(r, 0, 9);
		n->attempts = (int)pg_int(r, 0, 10);
	}
	PQclear(r);
	return found;
}

/* Outside any batch: the sender's own connection writes one row at a time. */
static int
outbox_update(struct pg *p, enum pg_stmt st, long long id, long long t, const char *err)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_i(&a, id);
	pg_i(&a, t);
	pg_t(&a, err);
	return pg_cmd(p, st, &a, "write outbox");
}

int
pg_outbox_hold(struct gf_store *base, long long id, time_t now, time_t until)
{
	struct pg_args a;
	PGresult *r;
	int held;

	pg_args_init(&a);
	pg_i(&a, id);
	pg_i(&a, (long long)now);
	pg_i(&a, (long long)until);
	if ((r = pg_run(PG(base), PS_OUTBOX_HOLD, &a, "write outbox")) == NULL)
		return -1;
	held = strtoll(PQcmdTuples(r), NULL, 10) > 0;
	PQclear(r);
	return held;
}

int
pg_outbox_sent(struct gf_store *base, long long id, time_t when)
{
	return outbox_update(PG(base), PS_OUTBOX_SENT, id, (long long)when, NULL);
}

int
pg_outbox_retry(struct gf_store *base, long long id, time_t next_try, const char *err)
{
	return outbox_update(PG(base), PS_OUTBOX_RETRY, id, (long long)next_try, err);
}

int
pg_outbox_known(struct gf_store *base, const char *message_id)
{
	struct pg_args a;
	PGresult *r;
	int n;

	pg_args_init(&a);
	pg_t(&a, message_id);
	if ((r = pg_run(PG(base), PS_OUTBOX_KNOWN, &a, "read outbox")) == NULL)
		return -1;
	n = PQntuples(r) > 0;
	PQclear(r);
	return n;
}

long long
pg_outbox_waiting(struct gf_store *base)
{
	struct pg_args a;
	PGresult *r;
	long long n;

	pg_args_init(&a);
	if ((r = pg_run(PG(base), PS_OUTBOX_WAITING, &a, "read outbox")) == NULL)
		return -1;
	n = PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
	PQclear(r);
	return n;
}

int
pg_repair_log(struct gf_store *base, const char *device, const char *day, const char *part,
    const char *text, time_t now)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, device);
	pg_t(&a, day);
	pg_t(&a, part);
	pg_t(&a, text);
	pg_i(&a, (long long)now);
	return pg_cmd(PG(base), PS_REPAIR_LOG, &a, "write repair log");
}

int
pg_repairs(struct gf_store *base, const char *device, store_repair_fn fn, void *arg)
{
	char dev[GF_SHORT], day[16], part[GF_SHORT], text[GF_STR];
	struct pg_args a;
	PGresult *r;
	int i;

	pg_args_init(&a);
	pg_t(&a, device);
	if ((r = pg_run(PG(base), PS_REPAIRS, &a, "read repair log")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		pg_text(r, i, 0, dev, sizeof(dev));
		pg_text(r, i, 1, day, sizeof(day));
		pg_text(r, i, 2, part, sizeof(part));
		pg_text(r, i, 3, text, sizeof(text));
		fn(arg, dev, day, part, text);
	}
	PQclear(r);
	return 0;
}
