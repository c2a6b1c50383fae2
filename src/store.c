/* SQLite state database. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "log.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

#define SCHEMA_VERSION 1

struct gf_store {
	sqlite3 *db;
	sqlite3_stmt *put_state;
	sqlite3_stmt *put_down;
	sqlite3_stmt *del_supplies;
	sqlite3_stmt *put_supply;
	sqlite3_stmt *get_status;
	int64_t batch_start;		/* monotonic ms, 0 when no batch is open */
	struct seen *seen;		/* open-addressing map: device id -> hash of its supplies */
	size_t nseen, cap;
};

/* What was last written of a device's supplies, so unchanged tables are not rewritten each poll. */
struct seen {
	char *id;
	uint64_t hash;
};

static void seen_forget(struct gf_store *s);

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS device_state ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, department TEXT NOT NULL,"
    " last_poll INTEGER NOT NULL, last_ok INTEGER, reachable INTEGER NOT NULL,"
    " error TEXT, sys_descr TEXT, sys_object_id TEXT, sys_name TEXT, sys_location TEXT,"
    " uptime_s INTEGER, lifecount INTEGER, counter_unit INTEGER, serial TEXT,"
    " printer_status INTEGER, device_status INTEGER, error_state INTEGER,"
    " toner_min INTEGER, cpu_pct INTEGER, mem_pct INTEGER, disk_pct INTEGER,"
    " memory_kb INTEGER, devices_bad INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS supply ("
    " device TEXT NOT NULL, idx INTEGER NOT NULL, descr TEXT, type INTEGER,"
    " unit INTEGER, max INTEGER, level INTEGER, PRIMARY KEY (device, idx)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');";

/* A reachable reading replaces the whole row; lifecount stays NULL when the device has none. */
static const char put_state_sql[] =
    "INSERT OR REPLACE INTO device_state VALUES (?1,?2,?3,?4,?4,1,?5,?6,?7,?8,?9,?10,?11,?12,"
    "?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)";

/* An unreachable poll keeps the last known values and only says it failed. */
static const char put_down_sql[] =
    "INSERT INTO device_state (id, kind, department, last_poll, reachable, error)"
    " VALUES (?1,?2,?3,?4,0,?5) ON CONFLICT(id) DO UPDATE SET kind=?2, department=?3,"
    " last_poll=?4, reachable=0, error=?5";

static const char get_status_sql[] =
    "SELECT last_poll, last_ok, reachable, error, sys_descr, lifecount, counter_unit,"
    " uptime_s, toner_min FROM device_state WHERE id = ?1";

static int
db_fail(struct gf_store *s, const char *what)
{
	log_err("store: %s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

static int
prepare(struct gf_store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return db_fail(s, "prepare");
	return 0;
}

/* Sets up a writable database: WAL so the CLI reads while the daemon writes, schema. */
static int
setup_writer(struct gf_store *s)
{
	char *err = NULL;

	/* WAL + synchronous=NORMAL: commits are atomic and survive kill -9 of the process. */
	/* A 1 MB page cache: the state table is small and RSS counts on 1,000-device sites. */
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    " PRAGMA cache_size=-1024;",
	    NULL, NULL, &err) != SQLITE_OK || sqlite3_exec(s->db, schema, NULL, NULL,
	    &err) != SQLITE_OK) {
		log_err("store: schema: %s", err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	if (prepare(s, put_state_sql, &s->put_state) || prepare(s, put_down_sql, &s->put_down) ||
	    prepare(s, "DELETE FROM supply WHERE device = ?1", &s->del_supplies) ||
	    prepare(s, "INSERT INTO supply VALUES (?1,?2,?3,?4,?5,?6,?7)", &s->put_supply))
		return -1;
	return 0;
}

struct gf_store *
store_open(const char *data_dir, int readonly)
{
	struct gf_store *s = xcalloc(1, sizeof(*s));
	char path[4096];
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	/* The daemon makes its data directory; the CLI only reads what exists. */
	if (!readonly && mkdir(data_dir, 0750) != 0 && errno != EEXIST)
		log_err("store: cannot create %s: %s", data_dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/state.db", data_dir);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		log_err("store: cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) :
		    "out of memory");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if ((!readonly && setup_writer(s) != 0) ||
	    prepare(s, get_status_sql, &s->get_status) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

void
store_close(struct gf_store *s)
{
	if (s == NULL)
		return;
	if (s->batch_start)
		store_commit(s);
	sqlite3_finalize(s->put_state);
	sqlite3_finalize(s->put_down);
	sqlite3_finalize(s->del_supplies);
	sqlite3_finalize(s->put_supply);
	sqlite3_finalize(s->get_status);
	sqlite3_close(s->db);
	seen_forget(s);
	free(s->seen);
	free(s);
}

static int
batch_begin(struct gf_store *s)
{
	if (s->batch_start)
		return 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, "begin");
	s->batch_start = gf_mono_ms();
	if (s->batch_start == 0)
		s->batch_start = 1;
	return 0;
}

int
store_commit(struct gf_store *s)
{
	if (!s->batch_start)
		return 0;
	s->batch_start = 0;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(s, "commit");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		seen_forget(s);
		return -1;
	}
	return 0;
}

int64_t
store_batch_age_ms(const struct gf_store *s)
{
	return s->batch_start ? gf_mono_ms() - s->batch_start : -1;
}

/* Binds an integer, or NULL when the value is unknown. */
static void
bind_opt(sqlite3_stmt *st, int i, long long v, int known)
{
	if (known)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int
step_reset(struct gf_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, what);
}

static uint64_t
fnv1a(const void *buf, size_t len, uint64_t h)
{
	const unsigned char *b = buf;

	while (len--)
		h = (h ^ *b++) * 1099511628211ULL;
	return h;
}

/* The map slot for ID (empty if absent); the table is never more than half full. */
static struct seen *
seen_slot(struct gf_store *s, const char *id)
{
	size_t i = fnv1a(id, strlen(id), 14695981039346656037ULL) & (s->cap - 1);

	while (s->seen[i].id && strcmp(s->seen[i].id, id) != 0)
		i = (i + 1) & (s->cap - 1);
	return &s->seen[i];
}

static void
seen_grow(struct gf_store *s)
{
	struct seen *old = s->seen;
	size_t i, oldcap = s->cap;

	s->cap = oldcap ? oldcap * 2 : 1024;
	s->seen = xcalloc(s->cap, sizeof(*s->seen));
	for (i = 0; i < oldcap; i++)
		if (old[i].id)
			*seen_slot(s, old[i].id) = old[i];
	free(old);
}

/* After a rollback the database no longer holds what the map remembers. */
static void
seen_forget(struct gf_store *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++) {
		free(s->seen[i].id);
		s->seen[i].id = NULL;
	}
	s->nseen = 0;
}

/* Returns 1 if ID's supplies hashed to H last time; records H either way. */
static int
supplies_unchanged(struct gf_store *s, const char *id, uint64_t h)
{
	struct seen *e;

	if (2 * (s->nseen + 1) > s->cap)
		seen_grow(s);
	e = seen_slot(s, id);
	if (e->id && e->hash == h)
		return 1;
	if (e->id == NULL) {
		e->id = xstrdup(id);
		s->nseen++;
	}
	e->hash = h;
	return 0;
}

static int
put_supplies(struct gf_store *s, const char *id, const struct gf_reading *r)
{
	const struct gf_supply *sp;
	int i;

	/* Supply rows are zeroed before filling, so equal tables hash equal. */
	if (supplies_unchanged(s, id, fnv1a(r->supplies, r->nsupplies * sizeof(*sp),
	    14695981039346656037ULL ^ (uint64_t)r->nsupplies)))
		return 0;
	sqlite3_bind_text(s->del_supplies, 1, id, -1, SQLITE_STATIC);
	if (step_reset(s, s->del_supplies, "delete supplies") != 0)
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
		if (step_reset(s, s->put_supply, "insert supply") != 0)
			return -1;
	}
	return 0;
}

static int
put_reachable(struct gf_store *s, const struct gf_device *d, const struct gf_reading *r)
{
	sqlite3_stmt *st = s->put_state;
	int pr = d->kind == GF_KIND_PRINTER, v;
	int up = r->has_hr_uptime || r->has_sys_uptime;

	sqlite3_bind_text(st, 5, r->error[0] ? r->error : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->sys_descr, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->sys_object_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->sys_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->sys_location, -1, SQLITE_STATIC);
	bind_opt(st, 10, (r->has_hr_uptime ? r->hr_uptime : r->sys_uptime) / 100, up);
	bind_opt(st, 11, (long long)r->lifecount, r->has_lifecount);
	bind_opt(st, 12, r->counter_unit, pr && r->counter_unit > 0);
	sqlite3_bind_text(st, 13, r->serial, -1, SQLITE_STATIC);
	bind_opt(st, 14, r->printer_status, r->has_printer_status);
	bind_opt(st, 15, r->device_status, r->has_device_status);
	bind_opt(st, 16, r->error_state, pr);
	v = reading_min_colorant_pct(r);
	bind_opt(st, 17, v, v >= 0);
	v = reading_cpu_pct(r);
	bind_opt(st, 18, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_RAM);
	bind_opt(st, 19, v, v >= 0);
	v = reading_storage_pct(r, GF_STORAGE_FIXED_DISK);
	bind_opt(st, 20, v, v >= 0);
	bind_opt(st, 21, (long long)r->memory_kb, r->has_memory_kb);
	bind_opt(st, 22, r->ndevices_bad, r->ndevices > 0);
	if (step_reset(s, st, "write device state") != 0)
		return -1;
	return pr ? put_supplies(s, d->id, r) : 0;
}

int
store_put_reading(struct gf_store *s, const struct gf_device *d, const char *dept,
    const struct gf_reading *r)
{
	sqlite3_stmt *st = r->reachable ? s->put_state : s->put_down;

	if (batch_begin(s) != 0)
		return -1;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, conf_kind_name(d->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, dept, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (long long)r->when);
	if (!r->reachable) {
		sqlite3_bind_text(st, 5, r->error, -1, SQLITE_STATIC);
		return step_reset(s, st, "write device state");
	}
	return put_reachable(s, d, r);
}

static void
col_text(sqlite3_stmt *st, int i, char *dst, size_t sz)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	gf_clean_str(dst, sz, t ? t : (const unsigned char *)"", t ? strlen((const char *)t) : 0);
}

int
store_get_status(struct gf_store *s, const char *id, struct gf_status *out)
{
	sqlite3_stmt *st = s->get_status;
	int rc;

	memset(out, 0, sizeof(*out));
	out->toner_min = -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->known = 1;
		out->last_poll = sqlite3_column_int64(st, 0);
		out->last_ok = sqlite3_column_int64(st, 1);
		out->reachable = sqlite3_column_int(st, 2);
		col_text(st, 3, out->error, sizeof(out->error));
		col_text(st, 4, out->sys_descr, sizeof(out->sys_descr));
		out->has_lifecount = sqlite3_column_type(st, 5) != SQLITE_NULL;
		out->lifecount = sqlite3_column_int64(st, 5);
		out->counter_unit = sqlite3_column_int(st, 6);
		out->has_uptime = sqlite3_column_type(st, 7) != SQLITE_NULL;
		out->uptime_s = sqlite3_column_int64(st, 7);
		if (sqlite3_column_type(st, 8) != SQLITE_NULL)
			out->toner_min = sqlite3_column_int(st, 8);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_fail(s, "read device state");
}
