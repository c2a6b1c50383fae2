/* SQLite state database. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "date.h"
#include "log.h"
#include "store.h"
#include "store_check.h"
#include "util.h"
#include "xmalloc.h"

#define SCHEMA_VERSION 2

struct gf_store {
	sqlite3 *db;
	sqlite3_stmt *put_state;
	sqlite3_stmt *put_down;
	sqlite3_stmt *del_supplies;
	sqlite3_stmt *put_supply;
	sqlite3_stmt *get_status;
	sqlite3_stmt *meter_load;
	sqlite3_stmt *ident_load;
	sqlite3_stmt *meter_save;
	sqlite3_stmt *ident_save;
	sqlite3_stmt *xcheck_save;
	sqlite3_stmt *ledger_add;
	sqlite3_stmt *audit_add;
	sqlite3_stmt *dept_pages;
	sqlite3_stmt *put_health;
	sqlite3_stmt *put_daily;
	sqlite3_stmt *put_facts;
	sqlite3_stmt *put_seen;
	sqlite3_stmt *put_jams;
	int64_t batch_start;		/* monotonic ms, 0 when no batch is open */
	struct seen *seen;		/* open-addressing map: device id -> hash of its supplies */
	size_t nseen, cap;
};

/*
 * What this process last wrote of a device: its supplies' hash, so unchanged
 * tables are not rewritten each poll, and the meter's memo.
 */
struct seen {
	char *id;
	int has_hash;
	uint64_t hash;
	void *memo;			/* see store_meter_memo() */
};

static void seen_forget(struct gf_store *s);
static sqlite3_stmt *read_query(struct gf_store *s, const char *sql);

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS device_state ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, department TEXT NOT NULL,"
    " last_poll INTEGER NOT NULL, last_ok INTEGER, reachable INTEGER NOT NULL,"
    " error TEXT, sys_descr TEXT, sys_object_id TEXT, sys_name TEXT, sys_location TEXT,"
    " uptime_s INTEGER, lifecount INTEGER, counter_unit INTEGER, serial TEXT,"
    " printer_status INTEGER, device_status INTEGER, error_state INTEGER,"
    " toner_min INTEGER, cpu_pct INTEGER, mem_pct INTEGER, disk_pct INTEGER,"
    " memory_kb INTEGER, devices_bad INTEGER, serial_src TEXT) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS supply ("
    " device TEXT NOT NULL, idx INTEGER NOT NULL, descr TEXT, type INTEGER,"
    " unit INTEGER, max INTEGER, level INTEGER, PRIMARY KEY (device, idx)) WITHOUT ROWID;"
    /* Page ledger: baselines per counter, pages per local day, and what was not counted. */
    "CREATE TABLE IF NOT EXISTS meter ("
    " device TEXT NOT NULL, counter TEXT NOT NULL, src TEXT NOT NULL, unit TEXT, origin TEXT,"
    " value INTEGER NOT NULL, last INTEGER NOT NULL, seen INTEGER NOT NULL,"
    " odometer INTEGER NOT NULL, suspect INTEGER,"
    " PRIMARY KEY (device, counter)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS meter_ident ("
    " device TEXT PRIMARY KEY, serial TEXT, sys_object_id TEXT, serial_src TEXT) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS ledger ("
    " day TEXT NOT NULL, device TEXT NOT NULL, counter TEXT NOT NULL, department TEXT NOT NULL,"
    " pages INTEGER NOT NULL CHECK (pages >= 0),"
    " PRIMARY KEY (day, device, counter, department)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS ledger_dept ON ledger (department, day);"
    "CREATE TABLE IF NOT EXISTS audit ("
    " time INTEGER NOT NULL, device TEXT NOT NULL, counter TEXT, event TEXT NOT NULL,"
    " old INTEGER, new INTEGER, detail TEXT);"
    "CREATE INDEX IF NOT EXISTS audit_device ON audit (device, time);"
    /* Quotas: which thresholds fired in which period; notices waiting to be sent. */
    "CREATE TABLE IF NOT EXISTS quota_state ("
    " department TEXT NOT NULL, period TEXT NOT NULL, threshold INTEGER NOT NULL,"
    " crossed_at INTEGER NOT NULL, pct INTEGER NOT NULL,"
    " PRIMARY KEY (department, period, threshold)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS outbox ("
    " id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    " department TEXT, created INTEGER NOT NULL, rcpt_to TEXT NOT NULL, rcpt_cc TEXT,"
    " subject TEXT NOT NULL, body TEXT NOT NULL, lang TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, next_try INTEGER NOT NULL, last_error TEXT,"
    " sent_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (sent_at, next_try);"
    /* Health and age: what repair advice is made of. */
    "CREATE TABLE IF NOT EXISTS health ("
    " device TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, disk_pct INTEGER, disk_name TEXT,"
    " swap_pct INTEGER, disks_down INTEGER, mem_pct INTEGER, jam_alerts INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS health_daily ("
    " device TEXT NOT NULL, day TEXT NOT NULL, mem_sum INTEGER NOT NULL, mem_n INTEGER NOT NULL,"
    " PRIMARY KEY (device, day)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS facts ("
    " device TEXT PRIMARY KEY, time INTEGER NOT NULL, sw_oldest TEXT, mfg_date TEXT,"
    " ent_serial TEXT, has_smart INTEGER, smart_bad INTEGER, smart_disk TEXT,"
    " smart_hours INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS repair_log ("
    " id INTEGER PRIMARY KEY, device TEXT NOT NULL, day TEXT NOT NULL, part TEXT,"
    " text TEXT NOT NULL, logged INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO meta VALUES ('schema_version', '2');";

/*
 * Upgrades, by the schema version they start from; each ends by recording
 * the next version. Columns are only ever added at the end of a table.
 */
static const char *const upgrades[SCHEMA_VERSION] = {
	/* 1 -> 2: where the serial number was read (Printer-MIB, ENTITY-MIB, a profile). */
	[1] = "ALTER TABLE device_state ADD COLUMN serial_src TEXT;"
	    "ALTER TABLE meter_ident ADD COLUMN serial_src TEXT;"
	    "UPDATE meta SET value = '2' WHERE key = 'schema_version';",
};

static const char meter_save_sql[] =
    "INSERT OR REPLACE INTO meter VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
static const char ledger_add_sql[] =
    "INSERT INTO ledger VALUES (?1,?2,?3,?4,?5) ON CONFLICT (day, device, counter, department)"
    " DO UPDATE SET pages = pages + excluded.pages";

/* A reachable reading replaces the whole row; lifecount stays NULL when the device has none. */
static const char put_state_sql[] =
    "INSERT OR REPLACE INTO device_state VALUES (?1,?2,?3,?4,?4,1,?5,?6,?7,?8,?9,?10,?11,?12,"
    "?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23)";

/* An unreachable poll keeps the last known values and only says it failed. */
static const char put_down_sql[] =
    "INSERT INTO device_state (id, kind, department, last_poll, reachable, error)"
    " VALUES (?1,?2,?3,?4,0,?5) ON CONFLICT(id) DO UPDATE SET kind=?2, department=?3,"
    " last_poll=?4, reachable=0, error=?5";

static const char get_status_sql[] =
    "SELECT last_poll, last_ok, reachable, error, sys_descr,"
    " (SELECT value FROM meter WHERE device = ?1 AND counter = 'total'), counter_unit,"
    " uptime_s, toner_min, serial, serial_src FROM device_state WHERE id = ?1";

/* Every failure logged below, counted where it is logged: the exit summary must be true. */
static atomic_ulong failures;

unsigned long
store_failures(void)
{
	return atomic_load(&failures);
}

static int
db_fail(struct gf_store *s, const char *what)
{
	atomic_fetch_add(&failures, 1);
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
setup_writer(struct gf_store *s, const char *path, char *errbuf, size_t errsz)
{
	char *err = NULL;

	/* WAL + synchronous=NORMAL: commits are atomic and survive kill -9 of the process. */
	/* A 1 MB page cache: the state table is small and RSS counts on 1,000-device sites. */
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    " PRAGMA cache_size=-1024;",
	    NULL, NULL, &err) != SQLITE_OK || sqlite3_exec(s->db, schema, NULL, NULL,
	    &err) != SQLITE_OK) {
		snprintf(errbuf, errsz, "%s: %s", path, err ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	if (prepare(s, put_state_sql, &s->put_state) || prepare(s, put_down_sql, &s->put_down) ||
	    prepare(s, "DELETE FROM supply WHERE device = ?1", &s->del_supplies) ||
	    prepare(s, "INSERT INTO supply VALUES (?1,?2,?3,?4,?5,?6,?7)", &s->put_supply) ||
	    prepare(s, "SELECT counter, src, last, seen, odometer, suspect, origin FROM meter"
	    " WHERE device = ?1", &s->meter_load) ||
	    prepare(s, "SELECT serial, sys_object_id, (SELECT last_ok FROM device_state"
	    " WHERE id = ?1), serial_src FROM meter_ident WHERE device = ?1", &s->ident_load) ||
	    prepare(s, meter_save_sql, &s->meter_save) ||
	    prepare(s, "INSERT OR REPLACE INTO meter_ident VALUES (?1,?2,?3,?4)", &s->ident_save) ||
	    prepare(s, "INSERT OR REPLACE INTO meta VALUES ('xcheck:' || ?1, ?2)",
	    &s->xcheck_save) ||
	    prepare(s, ledger_add_sql, &s->ledger_add) ||
	    prepare(s, "INSERT INTO audit VALUES (?1,?2,?3,?4,?5,?6,?7)", &s->audit_add) ||
	    prepare(s, "SELECT counter, sum(pages) FROM ledger WHERE department = ?1"
	    " AND counter IN ('total', 'mono', 'colour') GROUP BY counter", &s->dept_pages) ||
	    prepare(s, "INSERT INTO health VALUES (?1,?2,?3,?4,?5,?6,?7,NULL) ON CONFLICT (device) DO"
	    " UPDATE SET disk_pct=?3, disk_name=?4, swap_pct=?5, disks_down=?6, mem_pct=?7",
	    &s->put_health) ||
	    prepare(s, "INSERT INTO health_daily VALUES (?1,?2,?3,1) ON CONFLICT (device, day) DO"
	    " UPDATE SET mem_sum = mem_sum + ?3, mem_n = mem_n + 1", &s->put_daily) ||
	    prepare(s, "INSERT OR REPLACE INTO facts VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	    &s->put_facts) ||
	    prepare(s, "INSERT OR IGNORE INTO health (device, first_seen) VALUES (?1,?2)",
	    &s->put_seen) ||
	    prepare(s, "UPDATE health SET jam_alerts = ?2 WHERE device = ?1", &s->put_jams))
		return -1;
	return 0;
}

/*
 * Whether PATH may be opened: a missing file is new (created by a writer,
 * "no state yet" for a reader); anything but a regular file is refused.
 */
static int
open_precheck(const char *path, const char *data_dir, int flags, char *err, size_t errsz)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && (flags & GF_STORE_RO))
			snprintf(err, errsz, "no state in %s yet: has greenfleetd run?", data_dir);
		else if (errno != ENOENT)
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return errno == ENOENT && !(flags & GF_STORE_RO) ? 0 : -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errsz, "%s: %s, not a database file", path, S_ISDIR(sb.st_mode) ?
		    "a directory" : "a special file");
		return -1;
	}
	return 0;
}

/* The schema version DB records, 0 if none or unreadable. */
static int
recorded_version(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int v = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &q,
	    NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

/*
 * Brings an older state database of a sound file up to this schema, in one
 * transaction; on any failure it is left as it was and the schema check
 * that follows says why.
 */
static void
upgrade(sqlite3 *db, const char *path)
{
	sqlite3_stmt *q = NULL;
	int v = recorded_version(db), from = v, sound;

	if (v < 1 || v >= SCHEMA_VERSION)
		return;
	sound = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(q, 0),
	    "ok") == 0;
	sqlite3_finalize(q);
	if (!sound || sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return;
	while (v < SCHEMA_VERSION && sqlite3_exec(db, upgrades[v], NULL, NULL, NULL) == SQLITE_OK)
		v++;
	if (v == SCHEMA_VERSION && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
		log_info("store: %s: schema upgraded from version %d to %d", path, from, v);
		return;
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

struct gf_store *
store_open_err(const char *data_dir, int flags, char *err, size_t errsz)
{
	struct gf_store *s;
	char path[4096];
	int rc, ro = flags & GF_STORE_RO;

	err[0] = '\0';
	/* The daemon makes its data directory; the CLI only reads what exists. */
	if (!ro && mkdir(data_dir, 0750) != 0 && errno != EEXIST)
		log_err("store: cannot create %s: %s", data_dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/state.db", data_dir);
	if (open_precheck(path, data_dir, flags, err, errsz) != 0)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	if (sqlite3_open_v2(path, &s->db, ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) :
		    "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (!ro)
		upgrade(s->db, path);
	/* Checked before the first write: a damaged file is never initialised over. */
	rc = store_check_db(s->db, path, schema, SCHEMA_VERSION, flags & GF_STORE_CHECK, err,
	    errsz);
	if (rc < 0)
		goto fail;
	if (rc == 1 && ro) {
		snprintf(err, errsz, "no state in %s yet: has greenfleetd run?", data_dir);
		goto fail;
	}
	if (!ro && setup_writer(s, path, err, errsz) != 0) {
		if (err[0] == '\0')
			snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if (prepare(s, get_status_sql, &s->get_status) != 0) {
		snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

struct gf_store *
store_open(const char *data_dir, int flags)
{
	struct gf_store *s;
	char err[1024];

	if ((s = store_open_err(data_dir, flags, err, sizeof(err))) == NULL)
		log_err("store: %s", err);
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
	sqlite3_finalize(s->meter_load);
	sqlite3_finalize(s->ident_load);
	sqlite3_finalize(s->meter_save);
	sqlite3_finalize(s->ident_save);
	sqlite3_finalize(s->xcheck_save);
	sqlite3_finalize(s->ledger_add);
	sqlite3_finalize(s->audit_add);
	sqlite3_finalize(s->dept_pages);
	sqlite3_finalize(s->put_health);
	sqlite3_finalize(s->put_daily);
	sqlite3_finalize(s->put_facts);
	sqlite3_finalize(s->put_seen);
	sqlite3_finalize(s->put_jams);
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

void
store_abort(struct gf_store *s)
{
	if (!s->batch_start)
		return;
	s->batch_start = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	seen_forget(s);
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
		free(s->seen[i].memo);
		memset(&s->seen[i], 0, sizeof(s->seen[i]));
	}
	s->nseen = 0;
}

/* ID's entry, made empty if it has none. */
static struct seen *
seen_entry(struct gf_store *s, const char *id)
{
	struct seen *e;

	if (2 * (s->nseen + 1) > s->cap)
		seen_grow(s);
	e = seen_slot(s, id);
	if (e->id == NULL) {
		e->id = xstrdup(id);
		s->nseen++;
	}
	return e;
}

/* ID's entry, or NULL. */
static struct seen *
seen_find(struct gf_store *s, const char *id)
{
	struct seen *e;

	if (s->cap == 0)
		return NULL;
	e = seen_slot(s, id);
	return e->id ? e : NULL;
}

/* Returns 1 if ID's supplies hashed to H last time; records H either way. */
static int
supplies_unchanged(struct gf_store *s, const char *id, uint64_t h)
{
	struct seen *e = seen_entry(s, id);

	if (e->has_hash && e->hash == h)
		return 1;
	e->has_hash = 1;
	e->hash = h;
	return 0;
}

void *
store_meter_memo(struct gf_store *s, const char *device)
{
	struct seen *e = seen_find(s, device);

	return e ? e->memo : NULL;
}

void
store_set_meter_memo(struct gf_store *s, const char *device, void *memo)
{
	struct seen *e = seen_find(s, device);

	/* No entry and nothing to keep: do not make one. */
	if (e == NULL && memo == NULL)
		return;
	if (e == NULL)
		e = seen_entry(s, device);
	free(e->memo);
	e->memo = memo;
}

static int
put_jams(struct gf_store *s, const char *id, int jams)
{
	sqlite3_bind_text(s->put_jams, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s->put_jams, 2, jams);
	return step_reset(s, s->put_jams, "write jam alerts");
}

static int
put_supplies(struct gf_store *s, const char *id, const struct gf_reading *r)
{
	const struct gf_supply *sp;
	int i;

	/* Supply rows are zeroed before filling, so equal tables hash equal; jam alerts ride along. */
	if (supplies_unchanged(s, id, fnv1a(r->supplies, r->nsupplies * sizeof(*sp),
	    14695981039346656037ULL ^ (uint64_t)r->nsupplies ^ (uint64_t)r->jam_alerts << 32)))
		return 0;
	if (put_jams(s, id, r->jam_alerts) != 0)
		return -1;
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

/* A day's RAM samples, for the week's average. */
static int
put_daily(struct gf_store *s, const char *id, const struct gf_reading *r, int mem)
{
	char day[16];

	if (mem < 0 || gf_date_day(r->when, day) != 0)
		return 0;
	sqlite3_bind_text(s->put_daily, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->put_daily, 2, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s->put_daily, 3, mem);
	return step_reset(s, s->put_daily, "write daily health");
}

/* Once a day: what the full plan read (age evidence, SMART). */
static int
put_facts(struct gf_store *s, const char *id, const struct gf_reading *r)
{
	sqlite3_stmt *q = s->put_facts;

	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (long long)r->when);
	sqlite3_bind_text(q, 3, r->sw_oldest[0] ? r->sw_oldest : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->mfg_date[0] ? r->mfg_date : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->ent_serial[0] ? r->ent_serial : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, r->has_smart);
	bind_opt(q, 7, r->smart_bad, r->has_smart);
	sqlite3_bind_text(q, 8, r->smart_disk[0] ? r->smart_disk : NULL, -1, SQLITE_STATIC);
	bind_opt(q, 9, r->smart_hours, r->smart_hours >= 0);
	return step_reset(s, q, "write facts");
}

/* A workstation's health now: worst disk, swap, disks down, RAM; first_seen is kept. */
static int
put_health(struct gf_store *s, const char *id, const struct gf_reading *r)
{
	sqlite3_stmt *q = s->put_health;
	char disk[GF_SHORT];
	int worst = reading_worst_disk(r, disk, sizeof(disk));
	int swap = reading_storage_pct(r, GF_STORAGE_VIRTUAL);
	int mem = reading_ram_pct(r);

	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (long long)r->when);
	bind_opt(q, 3, worst, worst >= 0);
	sqlite3_bind_text(q, 4, worst >= 0 ? disk : NULL, -1, SQLITE_TRANSIENT);
	bind_opt(q, 5, swap, swap >= 0);
	bind_opt(q, 6, r->ndisks_down, r->ndisks > 0);
	bind_opt(q, 7, mem, mem >= 0);
	if (step_reset(s, q, "write health") != 0 || put_daily(s, id, r, mem) != 0)
		return -1;
	return r->full ? put_facts(s, id, r) : 0;
}

/* Printers: when greenfleet first saw it (an age of last resort). */
static int
put_seen(struct gf_store *s, const char *id, time_t when)
{
	sqlite3_bind_text(s->put_seen, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->put_seen, 2, (long long)when);
	return step_reset(s, s->put_seen, "write first seen");
}

static int
put_reachable(struct gf_store *s, const struct gf_device *d, const struct gf_reading *r)
{
	sqlite3_stmt *st = s->put_state;
	int pr = d->kind == GF_KIND_PRINTER, v;
	int up = r->has_hr_uptime || r->has_sys_uptime;
	struct seen *e;

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
	sqlite3_bind_text(st, 23, r->serial_src[0] ? r->serial_src : NULL, -1, SQLITE_STATIC);
	if (step_reset(s, st, "write device state") != 0)
		return -1;
	if (!pr)
		return put_health(s, d->id, r);
	/* First time this process writes it: make sure its first sighting is on record. */
	if (((e = seen_find(s, d->id)) == NULL || !e->has_hash) && put_seen(s, d->id, r->when) != 0)
		return -1;
	return put_supplies(s, d->id, r);
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
		col_text(st, 9, out->serial, sizeof(out->serial));
		col_text(st, 10, out->serial_src, sizeof(out->serial_src));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_fail(s, "read device state");
}

/* ---- page ledger ---- */

int
store_meter_load(struct gf_store *s, const char *device, struct gf_meter_state st[GF_NCOUNTERS],
    struct gf_meter_ident *id)
{
	sqlite3_stmt *q = s->meter_load;
	struct gf_meter_state *m;
	int rc, i;

	memset(st, 0, GF_NCOUNTERS * sizeof(*st));
	memset(id, 0, sizeof(*id));
	if (batch_begin(s) != 0)
		return -1;
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
		col_text(q, 6, m->origin, sizeof(m->origin));
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return db_fail(s, "read meter");
	q = s->ident_load;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		id->known = 1;
		col_text(q, 0, id->serial, sizeof(id->serial));
		col_text(q, 1, id->objid, sizeof(id->objid));
		id->last_ok = sqlite3_column_int64(q, 2);
		col_text(q, 3, id->serial_src, sizeof(id->serial_src));
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, "read meter identity");
}

int
store_meter_save(struct gf_store *s, const char *device, int counter,
    const struct gf_meter_state *st, const struct gf_counter *c)
{
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
	bind_opt(q, 10, (long long)st->suspect, st->has_suspect);
	return step_reset(s, q, "write meter");
}

/*
 * The cross-check of a device's total (meter_xcheck) is one row of the meta
 * table, key "xcheck:DEVICE", so that the meter table keeps one row per
 * counter: "STATE VENDOR LIFE HELD KNOWN REASON", STATE being "rejected",
 * "printer-mib" (the other total gone) or "checked".
 */
int
store_xcheck(struct gf_store *s, const char *device, struct gf_xcheck *x)
{
	sqlite3_stmt *q = read_query(s, "SELECT value FROM meta WHERE key = 'xcheck:' || ?1");
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
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, "read total cross-check");
}

int
store_xcheck_save(struct gf_store *s, const char *device, const struct gf_xcheck *x)
{
	sqlite3_stmt *q = s->xcheck_save;
	char v[64 + sizeof(x->reason)];

	snprintf(v, sizeof(v), "%s %llu %llu %d %d %s", x->rejected ? "rejected" : x->on_life ?
	    "printer-mib" : "checked", (unsigned long long)x->vendor,
	    (unsigned long long)x->life, x->held, x->known, x->reason);
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, v, -1, SQLITE_STATIC);
	return step_reset(s, q, "write total cross-check");
}

int
store_ident_save(struct gf_store *s, const char *device, const char *serial,
    const char *serial_src, const char *objid)
{
	sqlite3_stmt *q = s->ident_save;

	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, objid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, serial_src[0] ? serial_src : NULL, -1, SQLITE_STATIC);
	return step_reset(s, q, "write meter identity");
}

int
store_ledger_add(struct gf_store *s, const char *day, const char *device, const char *dept,
    const char *counter, uint64_t pages)
{
	sqlite3_stmt *q = s->ledger_add;

	sqlite3_bind_text(q, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, counter, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, dept, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)pages);
	return step_reset(s, q, "write ledger");
}

int
store_audit(struct gf_store *s, time_t when, const char *device, const char *counter,
    const char *event, uint64_t old, uint64_t new, const char *detail)
{
	sqlite3_stmt *q = s->audit_add;

	sqlite3_bind_int64(q, 1, (sqlite3_int64)when);
	sqlite3_bind_text(q, 2, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, counter, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)old);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)new);
	sqlite3_bind_text(q, 7, detail, -1, SQLITE_STATIC);
	return step_reset(s, q, "write audit");
}

/* Prepares a one-off read for the CLI; a database the daemon never wrote has no tables yet. */
static sqlite3_stmt *
read_query(struct gf_store *s, const char *sql)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
		db_fail(s, "query");
		return NULL;
	}
	return q;
}

int
store_counters(struct gf_store *s, const char *device, store_counter_fn fn, void *arg)
{
	sqlite3_stmt *q = read_query(s, "SELECT counter, src, unit, origin, value, odometer, seen"
	    " FROM meter WHERE device = ?1");
	struct gf_counter_row rows[GF_NCOUNTERS];
	int have[GF_NCOUNTERS] = { 0 }, rc, i;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((i = counter_by_name((const char *)sqlite3_column_text(q, 0))) < 0)
			continue;
		col_text(q, 0, rows[i].counter, sizeof(rows[i].counter));
		col_text(q, 1, rows[i].src, sizeof(rows[i].src));
		col_text(q, 2, rows[i].unit, sizeof(rows[i].unit));
		col_text(q, 3, rows[i].origin, sizeof(rows[i].origin));
		rows[i].value = (uint64_t)sqlite3_column_int64(q, 4);
		rows[i].odometer = (uint64_t)sqlite3_column_int64(q, 5);
		rows[i].seen = sqlite3_column_int64(q, 6);
		have[i] = 1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(s, "read counters");
	for (i = 0; i < GF_NCOUNTERS; i++)
		if (have[i])
			fn(arg, &rows[i]);
	return 0;
}

int
store_audits(struct gf_store *s, const char *device, store_audit_fn fn, void *arg)
{
	sqlite3_stmt *q = read_query(s, "SELECT time, device, counter, event, old, new, detail"
	    " FROM audit WHERE ?1 IS NULL OR device = ?1 ORDER BY time, rowid");
	struct gf_audit_row row;
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.when = sqlite3_column_int64(q, 0);
		col_text(q, 1, row.device, sizeof(row.device));
		col_text(q, 2, row.counter, sizeof(row.counter));
		col_text(q, 3, row.event, sizeof(row.event));
		row.old = sqlite3_column_int64(q, 4);
		row.new = sqlite3_column_int64(q, 5);
		col_text(q, 6, row.detail, sizeof(row.detail));
		fn(arg, &row);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, "read audit");
}

int
store_dept_pages(struct gf_store *s, const char *dept, uint64_t pages[3])
{
	sqlite3_stmt *q = s->dept_pages;
	const char *c;
	int rc;

	pages[0] = pages[1] = pages[2] = 0;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		c = (const char *)sqlite3_column_text(q, 0);
		pages[strcmp(c, "total") == 0 ? 0 : strcmp(c, "mono") == 0 ? 1 : 2] =
		    (uint64_t)sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, "sum department pages");
}

/* ---- quotas and the outbox ---- */

/*
 * Pages of DEPT between two days: mono and colour from the ledger; the
 * total of a device that gives no colour split at all counts as mono.
 */
int
store_dept_span(struct gf_store *s, const char *dept, const char *first, const char *last,
    uint64_t *mono, uint64_t *colour)
{
	sqlite3_stmt *q = read_query(s, "SELECT l.counter = 'colour', sum(l.pages) FROM ledger l"
	    " WHERE l.department = ?1 AND l.day BETWEEN ?2 AND ?3 AND (l.counter IN"
	    " ('mono', 'colour') OR (l.counter = 'total' AND NOT EXISTS (SELECT 1 FROM meter m"
	    " WHERE m.device = l.device AND m.counter IN ('mono', 'colour'))))"
	    " GROUP BY l.counter = 'colour'");
	int rc;

	*mono = *colour = 0;
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, last, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*(sqlite3_column_int(q, 0) ? colour : mono) = (uint64_t)sqlite3_column_int64(q, 1);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, "sum department pages");
}

int
store_top_devices(struct gf_store *s, const char *dept, const char *first, const char *last,
    struct gf_top *top, int max)
{
	sqlite3_stmt *q = read_query(s, "SELECT device, sum(pages) FROM ledger WHERE"
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
		col_text(q, 0, top[n].device, sizeof(top[n].device));
		top[n].pages = (uint64_t)sqlite3_column_int64(q, 1);
		n++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : db_fail(s, "top devices");
}

int
store_quota_fired(struct gf_store *s, const char *dept, const char *period, int thr)
{
	sqlite3_stmt *q = read_query(s, "SELECT crossed_at FROM quota_state WHERE"
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
		return db_fail(s, "read quota state");
	return rc == SQLITE_ROW;
}

/* Runs SQL (one statement) with up to 8 text/integer bindings given as a format: 't' or 'i'. */
static int
exec_bound(struct gf_store *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *q;
	va_list ap;
	const char *t;
	int i, rc;

	if (batch_begin(s) != 0 || (q = read_query(s, sql)) == NULL)
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
	return rc == SQLITE_DONE ? 0 : db_fail(s, "write");
}

int
store_quota_fire(struct gf_store *s, const char *dept, const char *period, int thr, time_t when,
    int pct)
{
	return exec_bound(s, "INSERT OR IGNORE INTO quota_state VALUES (?1,?2,?3,?4,?5)", "ttiii",
	    dept, period, (long long)thr, (long long)when, (long long)pct);
}

int
store_outbox_add(struct gf_store *s, const struct gf_notice *n)
{
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
store_outbox_next(struct gf_store *s, time_t now, struct gf_notice *n)
{
	sqlite3_stmt *q = read_query(s, "SELECT id, message_id, kind, department, created,"
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
	return rc == SQLITE_DONE ? 0 : db_fail(s, "read outbox");
}

void
store_notice_free(struct gf_notice *n)
{
	free(n->message_id);
	free(n->kind);
	free(n->department);
	free(n->to);
	free(n->cc);
	free(n->subject);
	free(n->body);
	free(n->lang);
	memset(n, 0, sizeof(*n));
}

/* Outside any batch: the sender's own connection writes one row at a time. */
static int
outbox_update(struct gf_store *s, const char *sql, long long id, long long t, const char *err)
{
	sqlite3_stmt *q = read_query(s, sql);
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, t);
	sqlite3_bind_text(q, 3, err, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, "write outbox");
}

int
store_outbox_sent(struct gf_store *s, long long id, time_t when)
{
	return outbox_update(s, "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1,"
	    " last_error = ?3 WHERE id = ?1", id, (long long)when, NULL);
}

int
store_outbox_retry(struct gf_store *s, long long id, time_t next_try, const char *err)
{
	return outbox_update(s, "UPDATE outbox SET attempts = attempts + 1, next_try = ?2,"
	    " last_error = ?3 WHERE id = ?1", id, (long long)next_try, err);
}

int
store_quota_last_fired(struct gf_store *s, const char *dept, const char *period)
{
	sqlite3_stmt *q = read_query(s, "SELECT max(threshold) FROM quota_state WHERE"
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
store_outbox_known(struct gf_store *s, const char *message_id)
{
	sqlite3_stmt *q = read_query(s, "SELECT 1 FROM outbox WHERE message_id = ?1");
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, message_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, "read outbox");
	return rc == SQLITE_ROW;
}

/* Column I as an integer, or -1 when NULL. */
static long long
col_opt(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, i);
}

/* Runs a one-row query with DEVICE (and DAY) bound; calls FN on the row. 0, or -1 on error. */
static int
one_row(struct gf_store *s, const char *sql, const char *device, const char *day,
    void (*fn)(sqlite3_stmt *, struct gf_device_health *), struct gf_device_health *out)
{
	sqlite3_stmt *q = read_query(s, sql);
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	if (day != NULL)
		sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(q, out);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, "read health");
}

static void
row_health(sqlite3_stmt *q, struct gf_device_health *o)
{
	o->first_seen = sqlite3_column_int64(q, 0);
	o->h.disk_pct = (int)col_opt(q, 1);
	col_text(q, 2, o->h.disk_name, sizeof(o->h.disk_name));
	o->h.disks_down = (int)col_opt(q, 3);
	o->h.jam_alerts = (int)col_opt(q, 4);
}

static void
row_known(sqlite3_stmt *q, struct gf_device_health *o)
{
	o->h.known = sqlite3_column_type(q, 0) != SQLITE_NULL;
	o->h.error_state = (int)col_opt(q, 1);
}

static void
row_facts(sqlite3_stmt *q, struct gf_device_health *o)
{
	col_text(q, 0, o->sw_oldest, sizeof(o->sw_oldest));
	col_text(q, 1, o->mfg_date, sizeof(o->mfg_date));
	o->h.has_smart = sqlite3_column_int(q, 2);
	o->h.smart_bad = (int)col_opt(q, 3);
	col_text(q, 4, o->h.smart_disk, sizeof(o->h.smart_disk));
	o->h.smart_hours = (long)col_opt(q, 5);
}

static void
row_mem(sqlite3_stmt *q, struct gf_device_health *o)
{
	o->h.mem_week_pct = (int)col_opt(q, 0);
}

static void
row_supply(sqlite3_stmt *q, struct gf_device_health *o)
{
	col_text(q, 0, o->h.supply_name, sizeof(o->h.supply_name));
	o->h.supply_pct = sqlite3_column_int(q, 1);
}

static void
row_jams(sqlite3_stmt *q, struct gf_device_health *o)
{
	o->h.jams_week = (long)col_opt(q, 0);
}

int
store_device_health(struct gf_store *s, const char *device, time_t now,
    struct gf_device_health *out)
{
	time_t week = now - 6 * 86400;
	char since[16];

	memset(out, 0, sizeof(*out));
	out->h.disk_pct = out->h.disks_down = out->h.mem_week_pct = out->h.supply_pct = -1;
	out->h.smart_bad = -1;
	out->h.smart_hours = out->h.jams_week = -1;
	out->h.error_state = out->h.jam_alerts = -1;
	if (gf_date_day(week, since) != 0)
		return -1;
	/* Waste receptacles fill up: their level is no wear. */
	return one_row(s, "SELECT last_ok, error_state FROM device_state WHERE id = ?1", device, NULL,
	    row_known, out) ||
	    one_row(s, "SELECT first_seen, disk_pct, disk_name, disks_down, jam_alerts FROM health"
	    " WHERE device = ?1", device, NULL, row_health, out) ||
	    one_row(s, "SELECT sw_oldest, mfg_date, has_smart, smart_bad, smart_disk, smart_hours"
	    " FROM facts WHERE device = ?1", device, NULL, row_facts, out) ||
	    one_row(s, "SELECT sum(mem_sum) / sum(mem_n) FROM health_daily WHERE device = ?1"
	    " AND day >= ?2", device, since, row_mem, out) ||
	    one_row(s, "SELECT descr, level * 100 / max FROM supply WHERE device = ?1 AND max > 0"
	    " AND level >= 0 AND level <= max AND type NOT IN (4, 8, 14, 24, 26)"
	    " ORDER BY 2, idx LIMIT 1", device, NULL, row_supply, out) ||
	    one_row(s, "SELECT sum(pages) FROM ledger WHERE device = ?1 AND counter = 'jams'"
	    " AND day >= ?2", device, since, row_jams, out) ? -1 : 0;
}

int
store_repair_log(struct gf_store *s, const char *device, const char *day, const char *part,
    const char *text, time_t now)
{
	sqlite3_stmt *q = read_query(s, "INSERT INTO repair_log (device, day, part, text, logged)"
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
	return rc == SQLITE_DONE ? 0 : db_fail(s, "write repair log");
}

int
store_repairs(struct gf_store *s, const char *device, store_repair_fn fn, void *arg)
{
	sqlite3_stmt *q = read_query(s, "SELECT device, day, coalesce(part, ''), text FROM"
	    " repair_log WHERE ?1 IS NULL OR device = ?1 ORDER BY day, id");
	char dev[GF_SHORT], day[16], part[GF_SHORT], text[GF_STR];
	int rc;

	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, device, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		col_text(q, 0, dev, sizeof(dev));
		col_text(q, 1, day, sizeof(day));
		col_text(q, 2, part, sizeof(part));
		col_text(q, 3, text, sizeof(text));
		fn(arg, dev, day, part, text);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, "read repair log");
}

int
store_ledger_sums(struct gf_store *s, const char *first, const char *last, store_sum_fn fn,
    void *arg)
{
	sqlite3_stmt *q = read_query(s, "SELECT l.device, l.department, l.counter, sum(l.pages),"
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
		col_text(q, 0, r.device, sizeof(r.device));
		col_text(q, 1, r.department, sizeof(r.department));
		col_text(q, 2, r.counter, sizeof(r.counter));
		r.pages = (uint64_t)sqlite3_column_int64(q, 3);
		col_text(q, 4, r.total_unit, sizeof(r.total_unit));
		r.has_split = sqlite3_column_int(q, 5);
		fn(arg, &r);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, "read ledger");
}
