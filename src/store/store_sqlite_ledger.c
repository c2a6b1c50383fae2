/* The SQLite backend's page ledger: meter rows, identities, pages per day, audit. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "counter.h"
#include "store_sqlite.h"

/* The meter rows of DEVICE into ST (unknown ones left zeroed). */
static int
load_states(struct sq *s, const char *device, struct gf_meter_state *st)
{
	sqlite3_stmt *q = s->meter_load;
	struct gf_meter_state *m;
	int rc, i;

	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((i = counter_by_name((const char *)sqlite3_column_text(q, 0))) < 0)
			continue;
		m = &st[i];
		m->known = 1;
		m->src = counter_src_by_name((const char *)sqlite3_column_text(q, 1));
		m->last = (uint64_t)sqlite3_column_int64(q, 2);
		m->seen = sqlite3_column_int64(q, 3);
		m->odometer = (uint64_t)sqlite3_column_int64(q, 4);
		m->has_suspect = sqlite3_column_type(q, 5) != SQLITE_NULL;
		m->suspect = (uint64_t)sqlite3_column_int64(q, 5);
		sq_col_text(q, 6, m->origin, sizeof(m->origin));
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read meter");
}

/* Inside the batch the neutral layer opened: the reads see what the batch wrote. */
int
sq_meter_load(struct gf_store *base, const char *device, struct gf_meter_prior *p)
{
	struct sq *s = SQ(base);
	struct gf_meter_ident *id = &p->id;
	sqlite3_stmt *q;
	int rc;

	if (load_states(s, device, p->st) != 0 || sq_xcheck_load(base, device, &p->x) != 0)
		return -1;
	q = s->ident_load;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		id->known = 1;
		sq_col_text(q, 0, id->serial, sizeof(id->serial));
		sq_col_text(q, 1, id->objid, sizeof(id->objid));
		id->last_ok = sqlite3_column_int64(q, 2);
		sq_col_text(q, 3, id->serial_src, sizeof(id->serial_src));
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, "read meter identity");
}

int
sq_meter_save(struct gf_store *base, const char *device, int counter,
    const struct gf_meter_state *st, const struct gf_counter *c)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = s->meter_save;

	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, counter_name(counter), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, counter_src_name(st->src), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, counter_unit_name(c->unit), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)c->value);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)st->last);
	sqlite3_bind_int64(q, 8, (sqlite3_int64)st->seen);
	sqlite3_bind_int64(q, 9, (sqlite3_int64)st->odometer);
	sq_bind_opt(q, 10, (long long)st->suspect, st->has_suspect);
	return sq_step_reset(s, q, "write meter");
}

/*
 * The cross-check of a device's total (meter_xcheck) is one row of the meta
 * table, key "xcheck:DEVICE", so that the meter table keeps one row per
 * counter: "STATE VENDOR LIFE HELD KNOWN REASON", STATE being "rejected",
 * "printer-mib" (the other total gone) or "checked".
 */
int
sq_xcheck_load(struct gf_store *base, const char *device, struct gf_xcheck *x)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT value FROM meta WHERE key = 'xcheck:' || ?1");
	char state[16];
	unsigned long long v, l;
	const char *t;
	int rc, n = -1;

	memset(x, 0, sizeof(*x));
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW && (t = (const char *)sqlite3_column_text(q, 0)) &&
	    sscanf(t, "%15s %llu %llu %d %d %n", state, &v, &l, &x->held, &x->known, &n) == 5 &&
	    n > 0) {
		x->rejected = strcmp(state, "rejected") == 0;
		x->on_life = x->rejected || strcmp(state, "printer-mib") == 0;
		x->vendor = v;
		x->life = l;
		snprintf(x->reason, sizeof(x->reason), "%s", t + n);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, "read total cross-check");
}

int
sq_xcheck_save(struct gf_store *base, const char *device, const struct gf_xcheck *x)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = s->xcheck_save;
	char v[64 + sizeof(x->reason)];

	snprintf(v, sizeof(v), "%s %llu %llu %d %d %s", x->rejected ? "rejected" : x->on_life ?
	    "printer-mib" : "checked", (unsigned long long)x->vendor,
	    (unsigned long long)x->life, x->held, x->known, x->reason);
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, v, -1, SQLITE_STATIC);
	return sq_step_reset(s, q, "write total cross-check");
}

int
sq_ident_save(struct gf_store *base, const char *device, const char *serial,
    const char *serial_src, const char *objid)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = s->ident_save;

	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, objid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, serial_src[0] ? serial_src : NULL, -1, SQLITE_STATIC);
	return sq_step_reset(s, q, "write meter identity");
}

int
sq_ledger_add(struct gf_store *base, const char *day, const char *device, const char *dept,
    const char *counter, uint64_t pages)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = s->ledger_add;

	sqlite3_bind_text(q, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, counter, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, dept, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)pages);
	return sq_step_reset(s, q, "write ledger");
}

int
sq_audit(struct gf_store *base, time_t when, const char *device, const char *counter,
    const char *event, uint64_t old, uint64_t new, const char *detail)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = s->audit_add;

	sqlite3_bind_int64(q, 1, (sqlite3_int64)when);
	sqlite3_bind_text(q, 2, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, counter, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)old);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)new);
	sqlite3_bind_text(q, 7, detail, -1, SQLITE_STATIC);
	return sq_step_reset(s, q, "write audit");
}

int
sq_counters(struct gf_store *base, const char *device, store_counter_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT counter, src, unit, origin, value, odometer, seen"
	    " FROM meter WHERE device = ?1");
	struct gf_counter_row rows[GF_NCOUNTERS];
	int have[GF_NCOUNTERS] = { 0 }, rc, i;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((i = counter_by_name((const char *)sqlite3_column_text(q, 0))) < 0)
			continue;
		sq_col_text(q, 0, rows[i].counter, sizeof(rows[i].counter));
		sq_col_text(q, 1, rows[i].src, sizeof(rows[i].src));
		sq_col_text(q, 2, rows[i].unit, sizeof(rows[i].unit));
		sq_col_text(q, 3, rows[i].origin, sizeof(rows[i].origin));
		rows[i].value = (uint64_t)sqlite3_column_int64(q, 4);
		rows[i].odometer = (uint64_t)sqlite3_column_int64(q, 5);
		rows[i].seen = sqlite3_column_int64(q, 6);
		have[i] = 1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "read counters");
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (have[i])
			fn(arg, &rows[i]);
	return 0;
}

int
sq_audits(struct gf_store *base, const char *device, store_audit_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT time, device, counter, event, old, new, detail"
	    " FROM audit WHERE ?1 IS NULL OR device = ?1 ORDER BY time, rowid");
	struct gf_audit_row row;
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.when = sqlite3_column_int64(q, 0);
		sq_col_text(q, 1, row.device, sizeof(row.device));
		sq_col_text(q, 2, row.counter, sizeof(row.counter));
		sq_col_text(q, 3, row.event, sizeof(row.event));
		row.old = sqlite3_column_int64(q, 4);
		row.new = sqlite3_column_int64(q, 5);
		sq_col_text(q, 6, row.detail, sizeof(row.detail));
		fn(arg, &row);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read audit");
}

int
sq_dept_pages(struct gf_store *base, const char *dept, const char *day, int since,
    uint64_t pages[3])
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, since ?
	    "SELECT counter, sum(pages) FROM ledger WHERE department = ?1 AND day >= ?2"
	    " AND counter IN ('total', 'mono', 'colour') GROUP BY counter" :
	    "SELECT counter, sum(pages) FROM ledger WHERE department = ?1 AND day < ?2"
	    " AND counter IN ('total', 'mono', 'colour') GROUP BY counter");
	const char *c;
	int rc;

	pages[0] = pages[1] = pages[2] = 0;
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		c = (const char *)sqlite3_column_text(q, 0);
		pages[strcmp(c, "total") == 0 ? 0 : strcmp(c, "mono") == 0 ? 1 : 2] =
		    (uint64_t)sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "sum department pages");
}

int
sq_top_devices(struct gf_store *base, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT device, sum(pages) FROM ledger WHERE"
	    " department = ?1 AND day BETWEEN ?2 AND ?3 AND counter = 'total'"
	    " GROUP BY device ORDER BY 2 DESC, 1 LIMIT ?4");
	int n = 0, rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, last, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, max);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < max) {
		sq_col_text(q, 0, top[n].device, sizeof(top[n].device));
		top[n].pages = (uint64_t)sqlite3_column_int64(q, 1);
		n++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : sq_fail(s, "top devices");
}

int
sq_ledger_sums(struct gf_store *base, const char *first, const char *last, store_sum_fn fn,
    void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT l.device, l.department, l.counter, sum(l.pages),"
	    " (SELECT unit FROM meter m WHERE m.device = l.device AND m.counter = 'total'),"
	    " EXISTS (SELECT 1 FROM meter m WHERE m.device = l.device AND m.counter IN"
	    " ('mono', 'colour')) FROM ledger l WHERE l.day BETWEEN ?1 AND ?2"
	    " GROUP BY l.device, l.department, l.counter ORDER BY l.department, l.device");
	struct gf_ledger_sum r;
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, last, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		sq_col_text(q, 0, r.device, sizeof(r.device));
		sq_col_text(q, 1, r.department, sizeof(r.department));
		sq_col_text(q, 2, r.counter, sizeof(r.counter));
		r.pages = (uint64_t)sqlite3_column_int64(q, 3);
		sq_col_text(q, 4, r.total_unit, sizeof(r.total_unit));
		r.has_split = sqlite3_column_int(q, 5);
		fn(arg, &r);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read ledger");
}

/* Pages of DEPT between two days by device and counter, grouped by device. */
int
sq_dept_rows(struct gf_store *base, const char *dept, const char *first, const char *last,
    store_span_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT l.device, l.counter, sum(l.pages) FROM ledger l"
	    " WHERE l.department = ?1 AND l.day BETWEEN ?2 AND ?3 AND l.counter IN"
	    " ('total', 'mono', 'colour') GROUP BY l.device, l.counter ORDER BY l.device");
	struct gf_store_span_row r;
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, last, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		sq_col_text(q, 0, r.device, sizeof(r.device));
		sq_col_text(q, 1, r.counter, sizeof(r.counter));
		r.pages = (uint64_t)sqlite3_column_int64(q, 2);
		fn(arg, &r);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "sum department pages");
}


int
sq_odometers(struct gf_store *base, store_odometer_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT device, counter, odometer FROM meter ORDER BY device");
	struct gf_odometer o;
	int rc;

	if (q == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		/* Ids as written: they come from the configuration, and are matched to it. */
		o.device = (const char *)sqlite3_column_text(q, 0);
		o.counter = (const char *)sqlite3_column_text(q, 1);
		o.pages = (uint64_t)sqlite3_column_int64(q, 2);
		if (o.device != NULL && o.counter != NULL)
			fn(arg, &o);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read meter");
}
