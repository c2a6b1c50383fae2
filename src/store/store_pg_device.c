/* The PostgreSQL backend, by device: state rows, supplies, health and age evidence. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "date.h"
#include "store_pg.h"
#include "xmalloc.h"

/* Text, or NULL when empty. */
static void
pg_tn(struct pg_args *a, const char *s)
{
	pg_t(a, s[0] ? s : NULL);
}

/* The supplies table of a printer, rewritten whole; jam alerts ride along. */
static int
put_supplies(struct pg *p, const char *id, const struct gf_reading *r)
{
	const struct gf_supply *sp;
	struct pg_args a;
	int i;

	pg_args_init(&a);
	pg_t(&a, id);
	pg_i(&a, r->jam_alerts);
	if (pg_cmd(p, PS_PUT_JAMS, &a, "write jam alerts") != 0)
		return -1;
	pg_t(&a, id);
	if (pg_cmd(p, PS_DEL_SUPPLIES, &a, "delete supplies") != 0)
		return -1;
	for (i = 0; i < r->nsupplies; i++) {
		sp = &r->supplies[i];
		pg_t(&a, id);
		pg_i(&a, sp->index);
		pg_t(&a, sp->descr);
		pg_i(&a, sp->type);
		pg_i(&a, sp->unit);
		pg_i(&a, sp->max);
		pg_i(&a, sp->level);
		if (pg_cmd(p, PS_PUT_SUPPLY, &a, "insert supply") != 0)
			return -1;
	}
	return 0;
}

/* A day's RAM samples, for the week's average. */
static int
put_daily(struct pg *p, const char *id, const struct gf_reading *r, int mem)
{
	struct pg_args a;
	char day[16];

	if (mem < 0 || gf_date_day(r->when, day) != 0)
		return 0;
	pg_args_init(&a);
	pg_t(&a, id);
	pg_t(&a, day);
	pg_i(&a, mem);
	return pg_cmd(p, PS_PUT_DAILY, &a, "write daily health");
}

/* Once a day: what the full plan read (age evidence, SMART). */
static int
put_facts(struct pg *p, const char *id, const struct gf_reading *r)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, id);
	pg_i(&a, (long long)r->when);
	pg_tn(&a, r->sw_oldest);
	pg_tn(&a, r->mfg_date);
	pg_tn(&a, r->ent_serial);
	pg_i(&a, r->has_smart);
	pg_o(&a, r->smart_bad, r->has_smart);
	pg_tn(&a, r->smart_disk);
	pg_o(&a, r->smart_hours, r->smart_hours >= 0);
	return pg_cmd(p, PS_PUT_FACTS, &a, "write facts");
}

/* A workstation's health now: worst disk, swap, disks down, RAM; first_seen is kept. */
static int
put_health(struct pg *p, const char *id, const struct gf_reading *r)
{
	struct pg_args a;
	char disk[GF_SHORT];
	int worst = reading_worst_disk(r, disk, sizeof(disk));
	int swap = reading_storage_pct(r, GF_STORAGE_VIRTUAL);
	int mem = reading_ram_pct(r);

	pg_args_init(&a);
	pg_t(&a, id);
	pg_i(&a, (long long)r->when);
	pg_o(&a, worst, worst >= 0);
	pg_t(&a, worst >= 0 ? disk : NULL);
	pg_o(&a, swap, swap >= 0);
	pg_o(&a, r->ndisks_down, r->ndisks > 0);
	pg_o(&a, mem, mem >= 0);
	if (pg_cmd(p, PS_PUT_HEALTH, &a, "write health") != 0 || put_daily(p, id, r, mem) != 0)
		return -1;
	return r->full ? put_facts(p, id, r) : 0;
}

/* Printers: when greenfleet first saw it (an age of last resort). */
static int
put_seen(struct pg *p, const char *id, time_t when)
{
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, id);
	pg_i(&a, (long long)when);
	return pg_cmd(p, PS_PUT_SEEN, &a, "write first seen");
}

/* Parameters 5 to 24 of a reachable device's state row, as SQLite's put_state binds them. */
static void
state_args(struct pg_args *a, const struct gf_device *d, const struct gf_reading *r)
{
	int pr = d->kind == GF_KIND_PRINTER, v;
	int up = r->has_hr_uptime || r->has_sys_uptime;

	pg_tn(a, r->error);
	pg_t(a, r->sys_descr);
	pg_t(a, r->sys_object_id);
	pg_t(a, r->sys_name);
	pg_t(a, r->sys_location);
	pg_o(a, (long long)(r->has_hr_uptime ? r->hr_uptime : r->sys_uptime) / 100, up);
	pg_o(a, (long long)r->lifecount, r->has_lifecount);
	pg_o(a, r->counter_unit, pr && r->counter_unit > 0);
	pg_t(a, r->serial);
	pg_o(a, r->printer_status, r->has_printer_status);
	pg_o(a, r->device_status, r->has_device_status);
	pg_o(a, r->error_state, pr);
	v = reading_min_colorant_pct(r);
	pg_o(a, v, v >= 0);
	v = reading_cpu_pct(r);
	pg_o(a, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_RAM);
	pg_o(a, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_FIXED_DISK);
	pg_o(a, v, v >= 0);
	pg_o(a, (long long)r->memory_kb, r->has_memory_kb);
	pg_o(a, r->ndevices_bad, r->ndevices > 0);
	pg_tn(a, r->serial_src);
	pg_o(a, r->poll_ms, r->poll_ms >= 0);
}

/* Inside the batch the neutral layer opened. */
int
pg_put_reading(struct gf_store *base, const struct gf_device *d, const char *dept,
    const struct gf_reading *r, int flags)
{
	struct pg *p = PG(base);
	struct pg_args a;

	pg_args_init(&a);
	pg_t(&a, d->id);
	pg_t(&a, conf_kind_name(d->kind));
	pg_t(&a, dept);
	pg_i(&a, (long long)r->when);
	if (!r->reachable) {
		pg_t(&a, r->error);
		pg_o(&a, r->poll_ms, r->poll_ms >= 0);
		return pg_cmd(p, PS_PUT_DOWN, &a, "write device state");
	}
	state_args(&a, d, r);
	if (pg_cmd(p, PS_PUT_STATE, &a, "write device state") != 0)
		return -1;
	if (d->kind != GF_KIND_PRINTER)
		return put_health(p, d->id, r);
	/* First time this process writes it: make sure its first sighting is on record. */
	if ((flags & GF_PUT_FIRST) && put_seen(p, d->id, r->when) != 0)
		return -1;
	return (flags & GF_PUT_SUPPLIES) ? put_supplies(p, d->id, r) : 0;
}

/* The columns of PS_GET_STATUS from column AT on, row ROW, into OUT (already zeroed). */
static void
status_cols(const PGresult *r, int row, int at, struct gf_status *out)
{
	out->known = 1;
	out->last_poll = pg_int(r, row, at);
	out->last_ok = pg_int(r, row, at + 1);
	out->reachable = (int)pg_int(r, row, at + 2);
	pg_text(r, row, at + 3, out->error, sizeof(out->error));
	pg_text(r, row, at + 4, out->sys_descr, sizeof(out->sys_descr));
	out->has_lifecount = !PQgetisnull(r, row, at + 5);
	out->lifecount = (uint64_t)pg_int(r, row, at + 5);
	out->counter_unit = (int)pg_int(r, row, at + 6);
	out->has_uptime = !PQgetisnull(r, row, at + 7);
	out->uptime_s = (uint64_t)pg_int(r, row, at + 7);
	out->toner_min = (int)pg_opt(r, row, at + 8);
	pg_text(r, row, at + 9, out->serial, sizeof(out->serial));
	pg_text(r, row, at + 10, out->serial_src, sizeof(out->serial_src));
	out->poll_ms = (int)pg_opt(r, row, at + 11);
	out->polls_failed = pg_int(r, row, at + 12);
}

int
pg_get_status(struct gf_store *base, const char *id, struct gf_status *out)
{
	struct pg_args a;
	PGresult *r;

	memset(out, 0, sizeof(*out));
	out->toner_min = -1;
	pg_args_init(&a);
	pg_t(&a, id);
	if ((r = pg_run(PG(base), PS_GET_STATUS, &a, "read device state")) == NULL)
		return -1;
	if (PQntuples(r) > 0)
		status_cols(r, 0, 0, out);
	PQclear(r);
	return 0;
}

/* Every device's state in one query: what get_status reads, for the whole fleet at once. */
int
pg_statuses(struct gf_store *base, store_status_fn fn, void *arg)
{
	struct gf_status st;
	struct pg_args a;
	PGresult *r;
	int i;

	pg_args_init(&a);
	if ((r = pg_run(PG(base), PS_STATUSES, &a, "read device state")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&st, 0, sizeof(st));
		status_cols(r, i, 1, &st);
		/* The id as written: it comes from the configuration, and is matched to it. */
		fn(arg, PQgetvalue(r, i, 0), &st);
	}
	PQclear(r);
	return 0;
}

/* A supply's columns from AT on (idx, type, max, level, descr) of row ROW. */
static void
supply_cols(const PGresult *r, int row, int at, struct gf_store_supply *sp)
{
	sp->idx = (int)pg_int(r, row, at);
	sp->type = (int)pg_int(r, row, at + 1);
	sp->max = pg_int(r, row, at + 2);
	sp->level = pg_int(r, row, at + 3);
	pg_text(r, row, at + 4, sp->descr, sizeof(sp->descr));
}

/* Every supply of every printer in one query, by device and index. */
int
pg_supplies(struct gf_store *base, store_supply_fn fn, void *arg)
{
	struct gf_store_supply sp;
	char dev[GF_SHORT];
	struct pg_args a;
	PGresult *r;
	int i;

	pg_args_init(&a);
	if ((r = pg_run(PG(base), PS_SUPPLIES, &a, "read supplies")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		pg_text(r, i, 0, dev, sizeof(dev));
		supply_cols(r, i, 1, &sp);
		fn(arg, dev, &sp);
	}
	PQclear(r);
	return 0;
}

/* Runs statement ST with DEVICE (and DAY) bound; calls FN on its first row, if any. */
static int
one_row(struct pg *p, enum pg_stmt st, const char *device, const char *day,
    void (*fn)(const PGresult *, int, struct gf_store_health *), struct gf_store_health *out)
{
	struct pg_args a;
	PGresult *r;

	pg_args_init(&a);
	pg_t(&a, device);
	if (day != NULL)
		pg_t(&a, day);
	if ((r = pg_run(p, st, &a, "read health")) == NULL)
		return -1;
	if (PQntuples(r) > 0)
		fn(r, 0, out);
	PQclear(r);
	return 0;
}

static void
row_health(const PGresult *r, int i, struct gf_store_health *o)
{
	o->first_seen = pg_int(r, i, 0);
	o->disk_pct = (int)pg_opt(r, i, 1);
	pg_text(r, i, 2, o->disk_name, sizeof(o->disk_name));
	o->disks_down = (int)pg_opt(r, i, 3);
	o->jam_alerts = (int)pg_opt(r, i, 4);
}

static void
row_known(const PGresult *r, int i, struct gf_store_health *o)
{
	o->known = !PQgetisnull(r, i, 0);
	o->error_state = (int)pg_opt(r, i, 1);
}

static void
row_facts(const PGresult *r, int i, struct gf_store_health *o)
{
	pg_text(r, i, 0, o->sw_oldest, sizeof(o->sw_oldest));
	pg_text(r, i, 1, o->mfg_date, sizeof(o->mfg_date));
	o->has_smart = (int)pg_int(r, i, 2);
	o->smart_bad = (int)pg_opt(r, i, 3);
	pg_text(r, i, 4, o->smart_disk, sizeof(o->smart_disk));
	o->smart_hours = (long)pg_opt(r, i, 5);
}

static void
row_mem(const PGresult *r, int i, struct gf_store_health *o)
{
	o->mem_sum = pg_int(r, i, 0);
	o->mem_n = pg_int(r, i, 1);
}

static void
row_jams(const PGresult *r, int i, struct gf_store_health *o)
{
	o->jams = (long)pg_opt(r, i, 0);
}

/* Every supply of the device, by index: which of them wear is advice's to say. */
static int
read_supplies(struct pg *p, const char *device, struct gf_store_health *o)
{
	struct pg_args a;
	PGresult *r;
	int i;

	pg_args_init(&a);
	pg_t(&a, device);
	if ((r = pg_run(p, PS_H_SUPPLIES, &a, "read supplies")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r) && o->nsupplies < GF_MAX_SUPPLIES; i++)
		supply_cols(r, i, 0, &o->supplies[o->nsupplies++]);
	PQclear(r);
	return 0;
}

int
pg_health(struct gf_store *base, const char *device, const char *since,
    struct gf_store_health *out)
{
	struct pg *p = PG(base);

	return one_row(p, PS_H_KNOWN, device, NULL, row_known, out) ||
	    one_row(p, PS_H_HEALTH, device, NULL, row_health, out) ||
	    one_row(p, PS_H_FACTS, device, NULL, row_facts, out) ||
	    one_row(p, PS_H_MEM, device, since, row_mem, out) ||
	    read_supplies(p, device, out) ||
	    one_row(p, PS_H_JAMS, device, since, row_jams, out) ? -1 : 0;
}

/*
 * A pass over every device's health: one query per table, each in device
 * order (bytewise, as strcmp) with the device as its last column, merged
 * with the caller's ascending ids; the row_* readers above read each row.
 * libpq holds each result whole: a cursor is a row number in it.
 */
enum { SC_KNOWN, SC_HEALTH, SC_FACTS, SC_MEM, SC_JAMS, SC_SUPPLY, SC_N };

struct pg_scan {
	struct gf_store_scan base;
	PGresult *r[SC_N];
	int row[SC_N];			/* the cursor: the next row not passed */
};

static void (*const scan_row[SC_N - 1])(const PGresult *, int, struct gf_store_health *) = {
	row_known, row_health, row_facts, row_mem, row_jams,
};

void
pg_health_scan_free(struct gf_store_scan *base)
{
	struct pg_scan *sc = (struct pg_scan *)base;
	int i;

	if (sc == NULL)
		return;
	for (i = 0; i < SC_N; i++)
		PQclear(sc->r[i]);
	free(sc);
}

struct gf_store_scan *
pg_health_scan(struct gf_store *base, const char *since)
{
	struct pg_scan *sc = xcalloc(1, sizeof(*sc));
	struct pg_args a;
	int i;

	sc->base.s = base;
	pg_args_init(&a);
	for (i = 0; i < SC_N; i++) {
		if (i == SC_MEM || i == SC_JAMS)
			pg_t(&a, since);
		if ((sc->r[i] = pg_run(PG(base), PS_SC_KNOWN + i, &a, "read health")) == NULL) {
			pg_health_scan_free(&sc->base);
			return NULL;
		}
	}
	return &sc->base;
}

/* Moves cursor I to DEVICE's first row: 1 if it has one, 0 if not. */
static int
scan_to(struct pg_scan *sc, int i, const char *device)
{
	const PGresult *r = sc->r[i];
	int c;

	for (; sc->row[i] < PQntuples(r); sc->row[i]++)
		if ((c = strcmp(PQgetvalue(r, sc->row[i], PQnfields(r) - 1), device)) >= 0)
			return c == 0;
	return 0;
}

int
pg_health_next(struct gf_store_scan *base, const char *device, struct gf_store_health *out)
{
	struct pg_scan *sc = (struct pg_scan *)base;
	int i;

	for (i = 0; i < SC_SUPPLY; i++)
		if (scan_to(sc, i, device))
			scan_row[i](sc->r[i], sc->row[i], out);
	for (; scan_to(sc, SC_SUPPLY, device); sc->row[SC_SUPPLY]++)
		if (out->nsupplies < GF_MAX_SUPPLIES)
			supply_cols(sc->r[SC_SUPPLY], sc->row[SC_SUPPLY], 0,
			    &out->supplies[out->nsupplies++]);
	return 0;
}
