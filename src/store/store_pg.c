/*
 * The PostgreSQL backend, on libpq: one connection per store handle, every
 * statement prepared once per session, one transaction per batch as with
 * SQLite. This file connects, reconnects and runs the transactions and
 * statements; the schema is store_pg_schema.c's, the rows are read and
 * written by store_pg_device.c, store_pg_ledger.c and store_pg_notes.c.
 * A password in the connection string is never shown: messages name the
 * database by its host, port, database and user only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "log.h"
#include "store_pg.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

#define BACKOFF_MAX_MS 60000

/* MSG (libpq's, one or more lines) on one line into DST. */
static void
one_line(char *dst, size_t sz, const char *msg)
{
	size_t n = 0;

	for (; *msg != '\0' && n + 1 < sz; msg++) {
		if (*msg == '\n' || *msg == '\t' || *msg == '\r') {
			if (n > 0 && dst[n - 1] != ' ')
				dst[n++] = ' ';
			continue;
		}
		dst[n++] = *msg;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/*
 * What messages call the database of CONNINFO: "PostgreSQL (host=H
 * port=P dbname=D user=U)", the keys it sets among those, never its
 * password. -1 if libpq cannot parse CONNINFO.
 */
static int
display_name(const char *conninfo, char *out, size_t sz)
{
	static const char *const keys[] = { "service", "host", "hostaddr", "port", "dbname",
	    "user" };
	PQconninfoOption *opts, *o;
	char *msg = NULL;
	size_t len, k;

	if ((opts = PQconninfoParse(conninfo, &msg)) == NULL) {
		PQfreemem(msg);
		return -1;
	}
	len = (size_t)snprintf(out, sz, "PostgreSQL (");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (o = opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, keys[k]) == 0 && o->val != NULL && o->val[0] != '\0' &&
			    len < sz)
				len += (size_t)snprintf(out + len, sz - len, "%s%s=%s",
				    out[len - 1] == '(' ? "" : " ", o->keyword, o->val);
	if (len < sz)
		snprintf(out + len, sz - len, "%s)", out[len - 1] == '(' ? "libpq's defaults" : "");
	PQconninfoFree(opts);
	return 0;
}

/* Server notices (a table that already exists, say) are not errors: not shown. */
static void
on_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* A session's settings and statements: at open, and again after each reconnection. */
static int
session(struct pg *p, char *err, size_t errsz)
{
	PGresult *r;
	int ok;

	PQsetNoticeProcessor(p->conn, on_notice, NULL);
	if (p->ro) {
		r = PQexec(p->conn, "SET default_transaction_read_only = on");
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			snprintf(err, errsz, "%s: %s", p->name, PQresultErrorMessage(r));
		PQclear(r);
		if (!ok)
			return -1;
	}
	return pg_prepare_all(p, err, errsz);
}

/* Said once when it happens: until the connection is back, operations fail unlogged. */
static void
lost(struct pg *p)
{
	char why[512];

	if (p->down)
		return;
	one_line(why, sizeof(why), PQerrorMessage(p->conn));
	store_failed();
	log_err("store: %s: connection lost (%s); readings wait, reconnecting with backoff",
	    p->name, why);
	p->down = 1;
	p->backoff_ms = 1000;
	p->retry_at = gf_mono_ms() + p->backoff_ms;
}

/* 0 when the connection is up, or back (its backoff past); -1 while it is down. */
static int
ready(struct pg *p)
{
	char err[512];

	if (!p->down)
		return 0;
	if (gf_mono_ms() < p->retry_at)
		return -1;
	PQreset(p->conn);
	/* A new session: the old one's advisory locks and LISTEN went with it. */
	p->lead = 0;
	p->listening = 0;
	if (PQstatus(p->conn) == CONNECTION_OK && session(p, err, sizeof(err)) == 0) {
		p->down = 0;
		log_info("store: %s: connection back", p->name);
		return 0;
	}
	p->backoff_ms = p->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : p->backoff_ms * 2;
	p->retry_at = gf_mono_ms() + p->backoff_ms;
	return -1;
}

/* Logs WHAT with R's message (or the connection's) and counts it; -1. */
static int
fail(struct pg *p, const char *what, const PGresult *r)
{
	char why[512];

	if (PQstatus(p->conn) == CONNECTION_BAD) {
		lost(p);
		return -1;
	}
	one_line(why, sizeof(why), r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(p->conn));
	store_failed();
	log_err("store: %s: %s", what, why);
	return -1;
}

/* Runs SQL with no parameter; 0, or -1 (logged as WHAT). */
static int
simple(struct pg *p, const char *sql, const char *what)
{
	PGresult *r = PQexec(p->conn, sql);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(p, what, r);

	PQclear(r);
	return rc;
}

static void pgs_close(struct gf_store *base);

/* Connects to CONNINFO; WHERE is SQLite's (unused). */
static struct gf_store *
pgs_open(const char *conninfo, const char *where, int flags, char *err, size_t errsz)
{
	struct pg *p = xcalloc(1, sizeof(*p));
	char why[512];

	(void)where;
	p->base.ops = &gf_store_pg;
	p->ro = flags & GF_STORE_RO;
	if (display_name(conninfo, p->name, sizeof(p->name)) != 0) {
		snprintf(err, errsz, "not a PostgreSQL connection string that libpq understands");
		goto fail;
	}
	p->conn = PQconnectdb(conninfo);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		one_line(why, sizeof(why), PQerrorMessage(p->conn));
		snprintf(err, errsz, "%s: %s", p->name, why);
		goto fail;
	}
	PQsetNoticeProcessor(p->conn, on_notice, NULL);
	if (pg_schema(p, err, errsz) != 0 || session(p, err, errsz) != 0)
		goto fail;
	return &p->base;
fail:
	pgs_close(&p->base);
	return NULL;
}

static void
pgs_close(struct gf_store *base)
{
	struct pg *p = PG(base);

	if (p->conn != NULL)
		PQfinish(p->conn);
	free(p);
}

static int
pgs_begin(struct gf_store *s)
{
	if (ready(PG(s)) != 0)
		return -1;
	return simple(PG(s), "BEGIN", "begin");
}

/* A transaction a failed statement aborted commits as ROLLBACK: that is a failure too. */
static int
pgs_commit(struct gf_store *s)
{
	struct pg *p = PG(s);
	PGresult *r = PQexec(p->conn, "COMMIT");
	int rc = 0;

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = fail(p, "commit", r);
	} else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
		store_failed();
		log_err("store: commit: a statement of the batch had failed: rolled back");
		rc = -1;
	}
	PQclear(r);
	if (rc != 0 && !p->down)
		PQclear(PQexec(p->conn, "ROLLBACK"));
	return rc;
}

static void
pgs_rollback(struct gf_store *s)
{
	if (!PG(s)->down && PQstatus(PG(s)->conn) == CONNECTION_OK)
		PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
}

void
pg_args_init(struct pg_args *a)
{
	memset(a, 0, sizeof(*a));
}

/* S with each byte that starts no valid UTF-8 sequence made '?'; allocated. */
static char *
utf8_fix(const char *s)
{
	char *d = xstrdup(s);
	size_t i = 0, n;

	while (d[i] != '\0') {
		if ((n = gf_utf8_len((const unsigned char *)d + i, strlen(d + i))) == 0) {
			d[i++] = '?';
			continue;
		}
		i += n;
	}
	return d;
}

void
pg_t(struct pg_args *a, const char *s)
{
	if (a->n >= PG_MAXARGS)
		return;
	if (s != NULL && !gf_utf8_valid(s))
		s = a->own[a->n] = utf8_fix(s);
	a->v[a->n++] = s;
}

void
pg_i(struct pg_args *a, long long v)
{
	if (a->n >= PG_MAXARGS)
		return;
	snprintf(a->num[a->n], sizeof(a->num[0]), "%lld", v);
	a->v[a->n] = a->num[a->n];
	a->n++;
}

void
pg_o(struct pg_args *a, long long v, int known)
{
	if (known)
		pg_i(a, v);
	else
		pg_t(a, NULL);
}

PGresult *
pg_run(struct pg *p, enum pg_stmt st, struct pg_args *a, const char *what)
{
	PGresult *r = NULL;
	char name[16];
	int i;

	if (ready(p) == 0) {
		snprintf(name, sizeof(name), "gf%d", (int)st);
		r = PQexecPrepared(p->conn, name, a->n, a->v, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
			fail(p, what, r);
			PQclear(r);
			r = NULL;
		}
	}
	for (i = 0; i < a->n; i++)
		free(a->own[i]);
	pg_args_init(a);
	return r;
}

int
pg_cmd(struct pg *p, enum pg_stmt st, struct pg_args *a, const char *what)
{
	PGresult *r = pg_run(p, st, a, what);

	PQclear(r);
	return r != NULL ? 0 : -1;
}

void
pg_text(const PGresult *r, int row, int col, char *dst, size_t sz)
{
	const char *t = PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);

	gf_clean_str(dst, sz, (const unsigned char *)t, strlen(t));
}

long long
pg_int(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

long long
pg_opt(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? -1 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *
pg_dup(const PGresult *r, int row, int col)
{
	return xstrdup(PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

const struct gf_store_ops gf_store_pg = {
	.name = "postgresql",
	.open = pgs_open,
	.close = pgs_close,
	.begin = pgs_begin,
	.commit = pgs_commit,
	.rollback = pgs_rollback,
	.put_reading = pg_put_reading,
	.get_status = pg_get_status,
	.health = pg_health,
	.statuses = pg_statuses,
	.supplies = pg_supplies,
	.health_scan = pg_health_scan,
	.health_next = pg_health_next,
	.health_scan_free = pg_health_scan_free,
	.meter_load = pg_meter_load,
	.meter_save = pg_meter_save,
	.ident_save = pg_ident_save,
	.xcheck_load = pg_xcheck_load,
	.xcheck_save = pg_xcheck_save,
	.ledger_add = pg_ledger_add,
	.audit = pg_audit,
	.dept_pages = pg_dept_pages,
	.dept_rows = pg_dept_rows,
	.top_devices = pg_top_devices,
	.ledger_sums = pg_ledger_sums,
	.counters = pg_counters,
	.odometers = pg_odometers,
	.audits = pg_audits,
	.quota_fired = pg_quota_fired,
	.quota_last_fired = pg_quota_last_fired,
	.quota_fire = pg_quota_fire,
	.outbox_known = pg_outbox_known,
	.outbox_waiting = pg_outbox_waiting,
	.outbox_add = pg_outbox_add,
	.outbox_next = pg_outbox_next,
	.outbox_hold = pg_outbox_hold,
	.outbox_sent = pg_outbox_sent,
	.outbox_retry = pg_outbox_retry,
	.repair_log = pg_repair_log,
	.repairs = pg_repairs,
	.meter_claim = pg_meter_claim,
	.poller_beat = pg_poller_beat,
	.pollers = pg_pollers,
	.lease_held = pg_lease_held,
	.lease_claim = pg_lease_claim,
	.lease_release = pg_lease_release,
	.poller_stop = pg_poller_stop,
	.leader = pg_leader,
	.pages_moved = pg_pages_moved,
};
