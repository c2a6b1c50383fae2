/* The SQLite backend, by device: state rows, supplies, health and age evidence. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "date.h"
#include "store_sqlite.h"
#include "xmalloc.h"

static int
put_jams(struct sq *s, const char *id, int jams)
{
	sqlite3_bind_text(s->put_jams, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s->put_jams, 2, jams);
	return sq_step_reset(s, s->put_jams, "write jam alerts");
}

/* The supplies table of a printer, rewritten whole; jam alerts ride along. */
static int
put_supplies(struct sq *s, const char *id, const struct gf_reading *r)
{
	const struct gf_supply *sp;
	int i;

	if (put_jams(s, id, r->jam_alerts) != 0)
		return -1;
	sqlite3_bind_text(s->del_supplies, 1, id, -1, SQLITE_STATIC);
	if (sq_step_reset(s, s->del_supplies, "delete supplies") != 0)
		return -1;
	for (i = 0; i < r->nsupplies; i++) {
		sp = &r->supplies[i];
		sqlite3_bind_text(s->put_supply, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(s->put_supply, 2, sp->index);
		sqlite3_bind_text(s->put_supply, 3, sp->descr, -1, SQLITE_STATIC);
		sqlite3_bind_int(s->put_supply, 4, sp->type);
		sqlite3_bind_int(s->put_supply, 5, sp->unit);
		sqlite3_bind_int64(s->put_supply, 6, sp->max);
		sqlite3_bind_int64(s->put_supply, 7, sp->level);
		if (sq_step_reset(s, s->put_supply, "insert supply") != 0)
			return -1;
	}
	return 0;
}

/* A day's RAM samples, for the week's average. */
static int
put_daily(struct sq *s, const char *id, const struct gf_reading *r, int mem)
{
	char day[16];

	if (mem < 0 || gf_date_day(r->when, day) != 0)
		return 0;
	sqlite3_bind_text(s->put_daily, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->put_daily, 2, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s->put_daily, 3, mem);
	return sq_step_reset(s, s->put_daily, "write daily health");
}

/* Once a day: what the full plan read (age evidence, SMART). */
static int
put_facts(struct sq *s, const char *id, const struct gf_reading *r)
{
	sqlite3_stmt *q = s->put_facts;

	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (long long)r->when);
	sqlite3_bind_text(q, 3, r->sw_oldest[0] ? r->sw_oldest : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->mfg_date[0] ? r->mfg_date : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->ent_serial[0] ? r->ent_serial : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, r->has_smart);
	sq_bind_opt(q, 7, r->smart_bad, r->has_smart);
	sqlite3_bind_text(q, 8, r->smart_disk[0] ? r->smart_disk : NULL, -1, SQLITE_STATIC);
	sq_bind_opt(q, 9, r->smart_hours, r->smart_hours >= 0);
	return sq_step_reset(s, q, "write facts");
}

/* A workstation's health now: worst disk, swap, disks down, RAM; first_seen is kept. */
static int
put_health(struct sq *s, const char *id, const struct gf_reading *r)
{
	sqlite3_stmt *q = s->put_health;
	char disk[GF_SHORT];
	int worst = reading_worst_disk(r, disk, sizeof(disk));
	int swap = reading_storage_pct(r, GF_STORAGE_VIRTUAL);
	int mem = reading_ram_pct(r);

	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (long long)r->when);
	sq_bind_opt(q, 3, worst, worst >= 0);
	sqlite3_bind_text(q, 4, worst >= 0 ? disk : NULL, -1, SQLITE_TRANSIENT);
	sq_bind_opt(q, 5, swap, swap >= 0);
	sq_bind_opt(q, 6, r->ndisks_down, r->ndisks > 0);
	sq_bind_opt(q, 7, mem, mem >= 0);
	if (sq_step_reset(s, q, "write health") != 0 || put_daily(s, id, r, mem) != 0)
		return -1;
	return r->full ? put_facts(s, id, r) : 0;
}

/* Printers: when greenfleet first saw it (an age of last resort). */
static int
put_seen(struct sq *s, const char *id, time_t when)
{
	sqlite3_bind_text(s->put_seen, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->put_seen, 2, (long long)when);
	return sq_step_reset(s, s->put_seen, "write first seen");
}

static int
put_reachable(struct sq *s, const struct gf_device *d, const struct gf_reading *r, int flags)
{
	sqlite3_stmt *st = s->put_state;
	int pr = d->kind == GF_KIND_PRINTER, v;
	int up = r->has_hr_uptime || r->has_sys_uptime;

	sqlite3_bind_text(st, 5, r->error[0] ? r->error : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->sys_descr, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->sys_object_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->sys_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->sys_location, -1, SQLITE_STATIC);
	sq_bind_opt(st, 10, (r->has_hr_uptime ? r->hr_uptime : r->sys_uptime) / 100, up);
	sq_bind_opt(st, 11, (long long)r->lifecount, r->has_lifecount);
	sq_bind_opt(st, 12, r->counter_unit, pr && r->counter_unit > 0);
	sqlite3_bind_text(st, 13, r->serial, -1, SQLITE_STATIC);
	sq_bind_opt(st, 14, r->printer_status, r->has_printer_status);
	sq_bind_opt(st, 15, r->device_status, r->has_device_status);
	sq_bind_opt(st, 16, r->error_state, pr);
	v = reading_min_colorant_pct(r);
	sq_bind_opt(st, 17, v, v >= 0);
	v = reading_cpu_pct(r);
	sq_bind_opt(st, 18, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_RAM);
	sq_bind_opt(st, 19, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_FIXED_DISK);
	sq_bind_opt(st, 20, v, v >= 0);
	sq_bind_opt(st, 21, (long long)r->memory_kb, r->has_memory_kb);
	sq_bind_opt(st, 22, r->ndevices_bad, r->ndevices > 0);
	sqlite3_bind_text(st, 23, r->serial_src[0] ? r->serial_src : NULL, -1, SQLITE_STATIC);
	sq_bind_opt(st, 24, r->poll_ms, r->poll_ms >= 0);
	if (sq_step_reset(s, st, "write device state") != 0)
		return -1;
	if (!pr)
		return put_health(s, d->id, r);
	/* First time this process writes it: make sure its first sighting is on record. */
	if ((flags & GF_PUT_FIRST) && put_seen(s, d->id, r->when) != 0)
		return -1;
	return (flags & GF_PUT_SUPPLIES) ? put_supplies(s, d->id, r) : 0;
}

/* Inside the batch the neutral layer opened. */
int
sq_put_reading(struct gf_store *base, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, int flags)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *st = r->reachable ? s->put_state : s->put_down;

	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, conf_kind_name(d->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, dept, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (long long)r->when);
	if (!r->reachable) {
		sqlite3_bind_text(st, 5, r->error, -1, SQLITE_STATIC);
		sq_bind_opt(st, 6, r->poll_ms, r->poll_ms >= 0);
		return sq_step_reset(s, st, "write device state");
	}
	return put_reachable(s, d, r, flags);
}

/* The columns of get_status_sql from column AT on, into OUT (already zeroed). */
static void
status_cols(sqlite3_stmt *st, int at, struct gf_status *out)
{
	out->known = 1;
	out->last_poll = sqlite3_column_int64(st, at);
	out->last_ok = sqlite3_column_int64(st, at + 1);
	out->reachable = sqlite3_column_int(st, at + 2);
	sq_col_text(st, at + 3, out->error, sizeof(out->error));
	sq_col_text(st, at + 4, out->sys_descr, sizeof(out->sys_descr));
	out->has_lifecount = sqlite3_column_type(st, at + 5) != SQLITE_NULL;
	out->lifecount = sqlite3_column_int64(st, at + 5);
	out->counter_unit = sqlite3_column_int(st, at + 6);
	out->has_uptime = sqlite3_column_type(st, at + 7) != SQLITE_NULL;
	out->uptime_s = sqlite3_column_int64(st, at + 7);
	if (sqlite3_column_type(st, at + 8) != SQLITE_NULL)
		out->toner_min = sqlite3_column_int(st, at + 8);
	sq_col_text(st, at + 9, out->serial, sizeof(out->serial));
	sq_col_text(st, at + 10, out->serial_src, sizeof(out->serial_src));
	if (sqlite3_column_type(st, at + 11) != SQLITE_NULL)
		out->poll_ms = sqlite3_column_int(st, at + 11);
	out->polls_failed = sqlite3_column_int64(st, at + 12);
}

int
sq_get_status(struct gf_store *base, const char *id, struct gf_status *out)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *st = s->get_status;
	int rc;

	memset(out, 0, sizeof(*out));
	out->toner_min = -1;
	out->poll_ms = -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		status_cols(st, 0, out);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : sq_fail(s, "read device state");
}

/* Every device's state in one query: what get_status reads, for the whole fleet at once. */
int
sq_statuses(struct gf_store *base, store_status_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT d.id, d.last_poll, d.last_ok, d.reachable, d.error,"
	    " d.sys_descr, m.value, d.counter_unit, d.uptime_s, d.toner_min, d.serial, d.serial_src,"
	    " d.poll_ms, d.polls_failed"
	    " FROM device_state d LEFT JOIN meter m ON m.device = d.id AND m.counter = 'total'");
	const unsigned char *id;
	struct gf_status st;
	int rc;

	if (q == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&st, 0, sizeof(st));
		st.toner_min = -1;
		st.poll_ms = -1;
		/* The id as written: it comes from the configuration, and is matched to it. */
		if ((id = sqlite3_column_text(q, 0)) == NULL)
			continue;
		status_cols(q, 1, &st);
		fn(arg, (const char *)id, &st);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read device state");
}

/* Every supply of every printer in one query, by device and index. */
int
sq_supplies(struct gf_store *base, store_supply_fn fn, void *arg)
{
	struct sq *s = SQ(base);
	sqlite3_stmt *q = sq_query(s, "SELECT device, idx, type, max, level, descr FROM supply"
	    " ORDER BY device, idx");
	struct gf_store_supply sp;
	char dev[GF_SHORT];
	int rc;

	if (q == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sq_col_text(q, 0, dev, sizeof(dev));
		sp.idx = sqlite3_column_int(q, 1);
		sp.type = sqlite3_column_int(q, 2);
		sp.max = sqlite3_column_int64(q, 3);
		sp.level = sqlite3_column_int64(q, 4);
		sq_col_text(q, 5, sp.descr, sizeof(sp.descr));
		fn(arg, dev, &sp);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, "read supplies");
}

/* Runs a one-row query with DEVICE (and DAY) bound; calls FN on the row. 0, or -1 on error. */
static int
one_row(struct sq *s, const char *sql, const char *device, const char *day,
    void (*fn)(sqlite3_stmt *, struct gf_store_health *), struct gf_store_health *out)
{
	sqlite3_stmt *q = sq_query(s, sql);
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	if (day != NULL)
		sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(q, out);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, "read health");
}

static void
row_health(sqlite3_stmt *q, struct gf_store_health *o)
{
	o->first_seen = sqlite3_column_int64(q, 0);
	o->disk_pct = (int)sq_col_opt(q, 1);
	sq_col_text(q, 2, o->disk_name, sizeof(o->disk_name));
	o->disks_down = (int)sq_col_opt(q, 3);
	o->jam_alerts = (int)sq_col_opt(q, 4);
}

static void
row_known(sqlite3_stmt *q, struct gf_store_health *o)
{
	o->known = sqlite3_column_type(q, 0) != SQLITE_NULL;
	o->error_state = (int)sq_col_opt(q, 1);
}

static void
row_facts(sqlite3_stmt *q, struct gf_store_health *o)
{
	sq_col_text(q, 0, o->sw_oldest, sizeof(o->sw_oldest));
	sq_col_text(q, 1, o->mfg_date, sizeof(o->mfg_date));
	o->has_smart = sqlite3_column_int(q, 2);
	o->smart_bad = (int)sq_col_opt(q, 3);
	sq_col_text(q, 4, o->smart_disk, sizeof(o->smart_disk));
	o->smart_hours = (long)sq_col_opt(q, 5);
}

static void
row_mem(sqlite3_stmt *q, struct gf_store_health *o)
{
	o->mem_sum = sqlite3_column_int64(q, 0);
	o->mem_n = sqlite3_column_int64(q, 1);
}

static void
row_jams(sqlite3_stmt *q, struct gf_store_health *o)
{
	o->jams = (long)sq_col_opt(q, 0);
}

/* Every supply of the device, by index: which of them wear is advice's to say. */
static int
read_supplies(struct sq *s, const char *device, struct gf_store_health *o)
{
	sqlite3_stmt *q = sq_query(s, "SELECT idx, type, max, level, descr FROM supply"
	    " WHERE device = ?1 ORDER BY idx");
	struct gf_store_supply *sp;
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && o->nsupplies < GF_MAX_SUPPLIES) {
		sp = &o->supplies[o->nsupplies++];
		sp->idx = sqlite3_column_int(q, 0);
		sp->type = sqlite3_column_int(q, 1);
		sp->max = sqlite3_column_int64(q, 2);
		sp->level = sqlite3_column_int64(q, 3);
		sq_col_text(q, 4, sp->descr, sizeof(sp->descr));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, "read supplies");
}

int
sq_health(struct gf_store *base, const char *device, const char *since,
    struct gf_store_health *out)
{
	struct sq *s = SQ(base);

	return one_row(s, "SELECT last_ok, error_state FROM device_state WHERE id = ?1", device, NULL,
	    row_known, out) ||
	    one_row(s, "SELECT first_seen, disk_pct, disk_name, disks_down, jam_alerts FROM health"
	    " WHERE device = ?1", device, NULL, row_health, out) ||
	    one_row(s, "SELECT sw_oldest, mfg_date, has_smart, smart_bad, smart_disk, smart_hours"
	    " FROM facts WHERE device = ?1", device, NULL, row_facts, out) ||
	    one_row(s, "SELECT coalesce(sum(mem_sum), 0), coalesce(sum(mem_n), 0) FROM health_daily"
	    " WHERE device = ?1 AND day >= ?2", device, since, row_mem, out) ||
	    read_supplies(s, device, out) ||
	    one_row(s, "SELECT sum(pages) FROM ledger WHERE device = ?1 AND counter = 'jams'"
	    " AND day >= ?2", device, since, row_jams, out) ? -1 : 0;
}

/*
 * A pass over every device's health: one query per table, each in device
 * order with the device as its last column, merged with the caller's
 * ascending ids (the row_* readers above then read each row as one_row's).
 */
enum { SC_KNOWN, SC_HEALTH, SC_FACTS, SC_MEM, SC_JAMS, SC_SUPPLY, SC_N };

struct sq_scan {
	struct gf_store_scan base;
	sqlite3_stmt *q[SC_N];
	int rc[SC_N];			/* SQLITE_ROW while the cursor is on a row */
};

static const char *const scan_sql[SC_N] = {
	"SELECT last_ok, error_state, id FROM device_state ORDER BY id",
	"SELECT first_seen, disk_pct, disk_name, disks_down, jam_alerts, device FROM health"
	" ORDER BY device",
	"SELECT sw_oldest, mfg_date, has_smart, smart_bad, smart_disk, smart_hours, device"
	" FROM facts ORDER BY device",
	"SELECT coalesce(sum(mem_sum), 0), coalesce(sum(mem_n), 0), device FROM health_daily"
	" WHERE day >= ?1 GROUP BY device ORDER BY device",
	"SELECT sum(pages), device FROM ledger WHERE counter = 'jams' AND day >= ?1"
	" GROUP BY device ORDER BY device",
	"SELECT idx, type, max, level, descr, device FROM supply ORDER BY device, idx",
};

static void (*const scan_row[SC_N - 1])(sqlite3_stmt *, struct gf_store_health *) = {
	row_known, row_health, row_facts, row_mem, row_jams,
};

void
sq_health_scan_free(struct gf_store_scan *base)
{
	struct sq_scan *sc = (struct sq_scan *)base;
	int i;

	if (sc == NULL)
		return;
	for (i = 0; i < SC_N; i++)
		sqlite3_finalize(sc->q[i]);
	free(sc);
}

struct gf_store_scan *
sq_health_scan(struct gf_store *base, const char *since)
{
	struct sq *s = SQ(base);
	struct sq_scan *sc = xcalloc(1, sizeof(*sc));
	int i;

	sc->base.s = base;
	for (i = 0; i < SC_N; i++) {
		if ((sc->q[i] = sq_query(s, scan_sql[i])) == NULL) {
			sq_health_scan_free(&sc->base);
			return NULL;
		}
		if (i == SC_MEM || i == SC_JAMS)
			sqlite3_bind_text(sc->q[i], 1, since, -1, SQLITE_TRANSIENT);
		sc->rc[i] = sqlite3_step(sc->q[i]);
	}
	return &sc->base;
}

/* Moves cursor I to DEVICE's first row: 1 if it has one, 0 if not, -1 on error. */
static int
scan_to(struct sq_scan *sc, int i, const char *device)
{
	sqlite3_stmt *q = sc->q[i];
	const unsigned char *d;
	int c;

	for (;;) {
		if (sc->rc[i] == SQLITE_DONE)
			return 0;
		if (sc->rc[i] != SQLITE_ROW)
			return sq_fail(SQ(sc->base.s), "read health");
		d = sqlite3_column_text(q, sqlite3_column_count(q) - 1);
		if ((c = strcmp(d != NULL ? (const char *)d : "", device)) >= 0)
			return c == 0;
		sc->rc[i] = sqlite3_step(q);
	}
}

int
sq_health_next(struct gf_store_scan *base, const char *device, struct gf_store_health *out)
{
	struct sq_scan *sc = (struct sq_scan *)base;
	struct gf_store_supply *sp;
	sqlite3_stmt *q = sc->q[SC_SUPPLY];
	int i, r;

	for (i = 0; i < SC_SUPPLY; i++) {
		if ((r = scan_to(sc, i, device)) < 0)
			return -1;
		if (r == 1)
			scan_row[i](sc->q[i], out);
	}
	while ((r = scan_to(sc, SC_SUPPLY, device)) == 1) {
		if (out->nsupplies < GF_MAX_SUPPLIES) {
			sp = &out->supplies[out->nsupplies++];
			sp->idx = sqlite3_column_int(q, 0);
			sp->type = sqlite3_column_int(q, 1);
			sp->max = sqlite3_column_int64(q, 2);
			sp->level = sqlite3_column_int64(q, 3);
			sq_col_text(q, 4, sp->descr, sizeof(sp->descr));
		}
		sc->rc[SC_SUPPLY] = sqlite3_step(q);
	}
	return r < 0 ? -1 : 0;
}
