/* The PostgreSQL backend's page ledger: meter rows, identities, pages per day, audit. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "counter.h"
#include "store_pg.h"

/* Runs ST with one text parameter V (NULL allowed); the result or NULL (logged). */
static PGresult *
run1(struct pg *p, enum pg_stmt st, const char *v, const char *what)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, v);
	return pg_run(p, st, &a, what);
}

/* Runs ST with DEPT, FIRST and LAST; the result or NULL (logged). */
static PGresult *
run_span(struct pg *p, enum pg_stmt st, const char *dept, const char *first, const char *last,
    const char *what)
{
	struct pg_args a;

	pg_args_init(&a);
	if (dept != NULL)
		pg_t(&a, dept);
	pg_t(&a, first);
	pg_t(&a, last);
	return pg_run(p, st, &a, what);
}

/* The meter rows of DEVICE into ST (unknown ones left zeroed). */
static int
load_states(struct pg *p, const char *device, struct gf_meter_state *st)
{
	PGresult *r = run1(p, PS_METER_LOAD, device, "read meter");
	struct gf_meter_state *m;
	int row, i;

	if (r == NULL)
		return -1;
	for (row = 0; row < PQntuples(r); row++) {
		if ((i = counter_by_name(PQgetvalue(r, row, 0))) < 0)
			continue;
		m = &st[i];
		m->known = 1;
		m->src = counter_src_by_name(PQgetvalue(r, row, 1));
		m->last = (uint64_t)pg_int(r, row, 2);
		m->seen = pg_int(r, row, 3);
		m->odometer = (uint64_t)pg_int(r, row, 4);
		m->has_suspect = !PQgetisnull(r, row, 5);
		m->suspect = (uint64_t)pg_int(r, row, 5);
		pg_text(r, row, 6, m->origin, sizeof(m->origin));
	}
	PQclear(r);
	return 0;
}

/* Inside the batch the neutral layer opened: the reads see what the batch wrote. */
int
pg_meter_load(struct gf_store *base, const char *device, struct gf_meter_prior *pr)
{
	struct pg *p = PG(base);
	struct gf_meter_ident *id = &pr->id;
	PGresult *r;

	if (load_states(p, device, pr->st) != 0 || pg_xcheck_load(base, device, &pr->x) != 0)
		return -1;
	if ((r = run1(p, PS_IDENT_LOAD, device, "read meter identity")) == NULL)
		return -1;
	if (PQntuples(r) > 0) {
		id->known = 1;
		pg_text(r, 0, 0, id->serial, sizeof(id->serial));
		pg_text(r, 0, 1, id->objid, sizeof(id->objid));
		id->last_ok = pg_int(r, 0, 2);
		pg_text(r, 0, 3, id->serial_src, sizeof(id->serial_src));
	}
	PQclear(r);
	return 0;
}

int
pg_meter_save(struct gf_store *base, const char *device, int counter,
    const struct gf_meter_state *st, const struct gf_counter *c)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, device);
	pg_t(&a, counter_name(counter));
	pg_t(&a, counter_src_name(st->src));
	pg_t(&a, counter_unit_name(c->unit));
	pg_t(&a, c->origin);
	pg_i(&a, (long long)c->value);
	pg_i(&a, (long long)st->last);
	pg_i(&a, (long long)st->seen);
	pg_i(&a, (long long)st->odometer);
	pg_o(&a, (long long)st->suspect, st->has_suspect);
	return pg_cmd(PG(base), PS_METER_SAVE, &a, "write meter");
}

/* As SQLite's: one meta row "xcheck:DEVICE" = "STATE VENDOR LIFE HELD KNOWN REASON". */
int
pg_xcheck_load(struct gf_store *base, const char *device, struct gf_xcheck *x)
{
	PGresult *r = run1(PG(base), PS_XCHECK_LOAD, device, "read total cross-check");
	char state[16];
	unsigned long long v, l;
	const char *t;
	int n = -1;

	memset(x, 0, sizeof(*x));
	if (r == NULL)
		return -1;
	if (PQntuples(r) > 0 && (t = PQgetvalue(r, 0, 0)) != NULL &&
	    sscanf(t, "%15s %llu %llu %d %d %n", state, &v, &l, &x->held, &x->known, &n) == 5 &&
	    n > 0) {
		x->rejected = strcmp(state, "rejected") == 0;
		x->on_life = x->rejected || strcmp(state, "printer-mib") == 0;
		x->vendor = v;
		x->life = l;
		snprintf(x->reason, sizeof(x->reason), "%s", t + n);
	}
	PQclear(r);
	return 0;
}

int
pg_xcheck_save(struct gf_store *base, const char *device, const struct gf_xcheck *x)
{
	struct pg_args a;
	char v[64 + sizeof(x->reason)];

	snprintf(v, sizeof(v), "%s %llu %llu %d %d %s", x->rejected ? "rejected" : x->on_life ?
	    "printer-mib" : "checked", (unsigned long long)x->vendor,
	    (unsigned long long)x->life, x->held, x->known, x->reason);
	pg_args_init(&a);
	pg_t(&a, device);
	pg_t(&a, v);
	return pg_cmd(PG(base), PS_XCHECK_SAVE, &a, "write total cross-check");
}

int
pg_ident_save(struct gf_store *base, const char *device, const char *serial,
    const char *serial_src, const char *objid)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, device);
	pg_t(&a, serial);
	pg_t(&a, objid);
	pg_t(&a, serial_src[0] ? serial_src : NULL);
	return pg_cmd(PG(base), PS_IDENT_SAVE, &a, "write meter identity");
}

int
pg_ledger_add(struct gf_store *base, const char *day, const char *device, const char *dept,
    const char *counter, uint64_t pages)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, day);
	pg_t(&a, device);
	pg_t(&a, counter);
	pg_t(&a, dept);
	pg_i(&a, (long long)pages);
	return pg_cmd(PG(base), PS_LEDGER_ADD, &a, "write ledger");
}

int
pg_audit(struct gf_store *base, time_t when, const char *device, const char *counter,
    const char *event, uint64_t old, uint64_t new, const char *detail)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_i(&a, (long long)when);
	pg_t(&a, device);
	pg_t(&a, counter);
	pg_t(&a, event);
	pg_i(&a, (long long)old);
	pg_i(&a, (long long)new);
	pg_t(&a, detail);
	return pg_cmd(PG(base), PS_AUDIT_ADD, &a, "write audit");
}

int
pg_counters(struct gf_store *base, const char *device, store_counter_fn fn, void *arg)
{
	PGresult *r = run1(PG(base), PS_COUNTERS, device, "read counters");
	struct gf_counter_row rows[GF_NCOUNTERS];
	int have[GF_NCOUNTERS] = { 0 }, row, i;

	if (r == NULL)
		return -1;
	for (row = 0; row < PQntuples(r); row++) {
		if ((i = counter_by_name(PQgetvalue(r, row, 0))) < 0)
			continue;
		pg_text(r, row, 0, rows[i].counter, sizeof(rows[i].counter));
		pg_text(r, row, 1, rows[i].src, sizeof(rows[i].src));
		pg_text(r, row, 2, rows[i].unit, sizeof(rows[i].unit));
		pg_text(r, row, 3, rows[i].origin, sizeof(rows[i].origin));
		rows[i].value = (uint64_t)pg_int(r, row, 4);
		rows[i].odometer = (uint64_t)pg_int(r, row, 5);
		rows[i].seen = pg_int(r, row, 6);
		have[i] = 1;
	}
	PQclear(r);
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (have[i])
			fn(arg, &rows[i]);
	return 0;
}

/* Every counter's odometer in one query, by device then counter (SQLite's key order). */
int
pg_odometers(struct gf_store *base, store_odometer_fn fn, void *arg)
{
	struct gf_odometer o;
	struct pg_args a;
	PGresult *r;
	int row;

	pg_args_init(&a);
	if ((r = pg_run(PG(base), PS_ODOMETERS, &a, "read meter")) == NULL)
		return -1;
	for (row = 0; row < PQntuples(r); row++) {
		/* Ids as written: they come from the configuration, and are matched to it. */
		o.device = PQgetvalue(r, row, 0);
		o.counter = PQgetvalue(r, row, 1);
		o.pages = (uint64_t)pg_int(r, row, 2);
		fn(arg, &o);
	}
	PQclear(r);
	return 0;
}

int
pg_audits(struct gf_store *base, const char *device, store_audit_fn fn, void *arg)
{
	PGresult *r = run1(PG(base), PS_AUDITS, device, "read audit");
	struct gf_audit_row row;
	int i;

	if (r == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		row.when = pg_int(r, i, 0);
		pg_text(r, i, 1, row.device, sizeof(row.device));
		pg_text(r, i, 2, row.counter, sizeof(row.counter));
		pg_text(r, i, 3, row.event, sizeof(row.event));
		row.old = pg_int(r, i, 4);
		row.new = pg_int(r, i, 5);
		pg_text(r, i, 6, row.detail, sizeof(row.detail));
		fn(arg, &row);
	}
	PQclear(r);
	return 0;
}

int
pg_dept_pages(struct gf_store *base, const char *dept, const char *day, int since,
    uint64_t pages[3])
{
	struct pg_args a;
	PGresult *r;
	const char *c;
	int i;

	pages[0] = pages[1] = pages[2] = 0;
	pg_args_init(&a);
	pg_t(&a, dept);
	pg_t(&a, day);
	if ((r = pg_run(PG(base), since ? PS_DEPT_PAGES_SINCE : PS_DEPT_PAGES, &a,
	    "sum department pages")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		c = PQgetvalue(r, i, 0);
		pages[strcmp(c, "total") == 0 ? 0 : strcmp(c, "mono") == 0 ? 1 : 2] =
		    (uint64_t)pg_int(r, i, 1);
	}
	PQclear(r);
	return 0;
}

int
pg_top_devices(struct gf_store *base, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max)
{
	struct pg_args a;
	PGresult *r;
	int n;

	pg_args_init(&a);
	pg_t(&a, dept);
	pg_t(&a, first);
	pg_t(&a, last);
	pg_i(&a, max);
	if ((r = pg_run(PG(base), PS_TOP_DEVICES, &a, "top devices")) == NULL)
		return -1;
	for (n = 0; n < PQntuples(r) && n < max; n++) {
		pg_text(r, n, 0, top[n].device, sizeof(top[n].device));
		top[n].pages = (uint64_t)pg_int(r, n, 1);
	}
	PQclear(r);
	return n;
}

int
pg_ledger_sums(struct gf_store *base, const char *first, const char *last, store_sum_fn fn,
    void *arg)
{
	PGresult *r = run_span(PG(base), PS_LEDGER_SUMS, NULL, first, last, "read ledger");
	struct gf_ledger_sum s;
	int i;

	if (r == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&s, 0, sizeof(s));
		pg_text(r, i, 0, s.device, sizeof(s.device));
		pg_text(r, i, 1, s.department, sizeof(s.department));
		pg_text(r, i, 2, s.counter, sizeof(s.counter));
		s.pages = (uint64_t)pg_int(r, i, 3);
		pg_text(r, i, 4, s.total_unit, sizeof(s.total_unit));
		s.has_split = (int)pg_int(r, i, 5);
		fn(arg, &s);
	}
	PQclear(r);
	return 0;
}

/* Pages of DEPT between two days by device and counter, grouped by device. */
int
pg_dept_rows(struct gf_store *base, const char *dept, const char *first, const char *last,
    store_span_fn fn, void *arg)
{
	PGresult *r = run_span(PG(base), PS_DEPT_ROWS, dept, first, last,
	    "sum department pages");
	struct gf_store_span_row s;
	int i;

	if (r == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&s, 0, sizeof(s));
		pg_text(r, i, 0, s.device, sizeof(s.device));
		pg_text(r, i, 1, s.counter, sizeof(s.counter));
		s.pages = (uint64_t)pg_int(r, i, 2);
		fn(arg, &s);
	}
	PQclear(r);
	return 0;
}
