/*
 * The PostgreSQL backend's side of several pollers: the meter's claim on a
 * reading, the pollers' rows, their leases (claimed with FOR UPDATE SKIP
 * LOCKED) and the leader's advisory locks and LISTEN. Each call outside
 * the meter's claim is one statement in its own transaction.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store_pg.h"
#include "xmalloc.h"

/* The advisory lock keys of GF_LEAD_JUDGE and GF_LEAD_MAIL: 7011000024 + what. */
#define LEAD_KEY 7011000024LL

/* DEVICES as a PostgreSQL text array literal, {"a","b"}; allocated. Ids are quoted whole. */
static char *
text_array(const char *const *devices, size_t n)
{
	size_t i, len = 3, k = 0;
	const char *c;
	char *out;

	for (i = 0; i < n; i++)
		len += 2 * strlen(devices[i]) + 3;
	out = xmalloc(len);
	out[k++] = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			out[k++] = ',';
		out[k++] = '"';
		for (c = devices[i]; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				out[k++] = '\\';
			out[k++] = *c;
		}
		out[k++] = '"';
	}
	out[k++] = '}';
	out[k] = '\0';
	return out;
}

/* Rows the last command changed, from its result R. */
static long long
changed(const PGresult *r)
{
	return strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

int
pg_meter_claim(struct gf_store *base, const char *device, int64_t when_ms)
{
	struct pg_args a;
	PGresult *r;
	int rc;

	pg_args_init(&a);
	pg_t(&a, device);
	pg_i(&a, when_ms);
	if ((r = pg_run(PG(base), PS_METER_CLAIM, &a, "claim a reading")) == NULL)
		return -1;
	rc = changed(r) > 0;
	PQclear(r);
	return rc;
}

int
pg_poller_beat(struct gf_store *base, const struct gf_poller_beat *b, int *lapsed)
{
	struct pg_args a;
	PGresult *r;

	pg_args_init(&a);
	pg_t(&a, b->name);
	pg_t(&a, b->host);
	pg_i(&a, b->pid);
	pg_t(&a, b->networks);
	pg_i(&a, b->lease_s);
	pg_o(&a, b->last_commit, b->last_commit > 0);
	pg_i(&a, b->leader);
	pg_i(&a, b->polled);
	if ((r = pg_run(PG(base), PS_BEAT, &a, "poller beat")) == NULL)
		return -1;
	*lapsed = PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return 0;
}

int
pg_pollers(struct gf_store *base, store_poller_fn fn, void *arg)
{
	struct gf_poller_row row;
	struct pg_args a;
	PGresult *r;
	int i;

	pg_args_init(&a);
	if ((r = pg_run(PG(base), PS_POLLERS, &a, "read pollers")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		pg_text(r, i, 0, row.name, sizeof(row.name));
		pg_text(r, i, 1, row.host, sizeof(row.host));
		row.pid = (long)pg_int(r, i, 2);
		pg_text(r, i, 3, row.networks, sizeof(row.networks));
		row.started = (time_t)pg_int(r, i, 4);
		row.beat = (time_t)pg_int(r, i, 5);
		row.expires = (time_t)pg_int(r, i, 6);
		row.last_commit = (time_t)pg_int(r, i, 7);
		row.now = (time_t)pg_int(r, i, 8);
		row.alive = pg_int(r, i, 9) != 0;
		row.leader = row.alive && pg_int(r, i, 10) != 0;
		row.devices = pg_int(r, i, 11);
		row.polled = pg_int(r, i, 12);
		fn(arg, &row);
	}
	PQclear(r);
	return 0;
}

/* Calls FN with column 0 of each row of R (clean text), then frees R. */
static void
each_device(PGresult *r, store_device_fn fn, void *arg)
{
	char dev[GF_SHORT];
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		pg_text(r, i, 0, dev, sizeof(dev));
		fn(arg, dev);
	}
	PQclear(r);
}

int
pg_lease_held(struct gf_store *base, const char *poller, store_device_fn fn, void *arg)
{
	struct pg_args a;
	PGresult *r;

	pg_args_init(&a);
	pg_t(&a, poller);
	if ((r = pg_run(PG(base), PS_LEASE_HELD, &a, "read leases")) == NULL)
		return -1;
	each_device(r, fn, arg);
	return 0;
}

int
pg_lease_claim(struct gf_store *base, const char *poller, const char *const *devices, size_t n,
    size_t max, store_device_fn fn, void *arg)
{
	char *list = text_array(devices, n);
	struct pg_args a;
	PGresult *r;
	int got = -1;

	/* Devices never leased get a free row first: the claim below only locks rows. */
	pg_args_init(&a);
	pg_t(&a, list);
	if (pg_cmd(PG(base), PS_LEASE_FILL, &a, "add leases") == 0) {
		pg_args_init(&a);
		pg_t(&a, poller);
		pg_t(&a, list);
		pg_i(&a, (long long)max);
		if ((r = pg_run(PG(base), PS_LEASE_CLAIM, &a, "claim leases")) != NULL) {
			got = PQntuples(r);
			each_device(r, fn, arg);
		}
	}
	free(list);
	return got;
}

int
pg_lease_release(struct gf_store *base, const char *poller, const char *const *devices,
    size_t n)
{
	char *list = devices != NULL ? text_array(devices, n) : NULL;
	struct pg_args a;
	int rc;

	pg_args_init(&a);
	pg_t(&a, poller);
	pg_t(&a, list);
	rc = pg_cmd(PG(base), PS_LEASE_RELEASE, &a, "release leases");
	free(list);
	return rc;
}

int
pg_poller_stop(struct gf_store *base, const char *poller)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, poller);
	if (pg_cmd(PG(base), PS_POLLER_EXPIRE, &a, "stop poller") != 0)
		return -1;
	return pg_lease_release(base, poller, NULL, 0);
}

/* Session-level advisory locks: once taken, held until this connection ends. */
int
pg_leader(struct gf_store *base, int what)
{
	struct pg *p = PG(base);
	struct pg_args a;
	PGresult *r;
	int got;

	if (p->lead & (unsigned)what)
		return p->down ? 0 : 1;
	pg_args_init(&a);
	pg_i(&a, LEAD_KEY + what);
	if ((r = pg_run(p, PS_LEADER, &a, "leader lock")) == NULL)
		return -1;
	got = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (got)
		p->lead |= (unsigned)what;
	return got;
}

/*
 * Notifications are read from what libpq already received: those of
 * others' commits arrive between this session's transactions, so a moved
 * department is seen at most one batch late.
 */
int
pg_pages_moved(struct gf_store *base, store_device_fn fn, void *arg, int *all)
{
	struct pg *p = PG(base);
	PGnotify *nt;
	PGresult *r;

	if (p->down)
		return -1;
	if (!p->listening) {
		r = PQexec(p->conn, "LISTEN greenfleet_pages");
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			PQclear(r);
			return -1;
		}
		PQclear(r);
		p->listening = 1;
		*all = 1;
	}
	if (PQconsumeInput(p->conn) == 0)
		return -1;
	while ((nt = PQnotifies(p->conn)) != NULL) {
		if (!*all)
			fn(arg, nt->extra);
		PQfreemem(nt);
	}
	return 0;
}
