/*
 * The SQLite backend: state.db with WAL, so the CLI reads while the daemon
 * writes. This file opens, checks, upgrades and closes it and runs its
 * transactions; the rows are read and written by store_sqlite_device.c,
 * store_sqlite_ledger.c and store_sqlite_notes.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "log.h"
#include "store_sqlite_check.h"
#include "store_sqlite.h"
#include "util.h"
#include "xmalloc.h"

#define SCHEMA_VERSION 4

/* Pollers sharing the store (store_poller.h): the newest reading metered, leases. */
#define POLLER_TABLES \
    "CREATE TABLE IF NOT EXISTS meter_claim (" \
    " device TEXT PRIMARY KEY, at_ms INTEGER NOT NULL) WITHOUT ROWID;" \
    "CREATE TABLE IF NOT EXISTS poller (" \
    " name TEXT PRIMARY KEY, host TEXT, pid INTEGER, networks TEXT, started INTEGER NOT NULL," \
    " beat INTEGER NOT NULL, expires INTEGER NOT NULL, last_commit INTEGER," \
    " leader INTEGER NOT NULL DEFAULT 0, polled INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;" \
    "CREATE TABLE IF NOT EXISTS lease (" \
    " device TEXT PRIMARY KEY, poller TEXT, since INTEGER NOT NULL) WITHOUT ROWID;" \
    "CREATE INDEX IF NOT EXISTS lease_poller ON lease (poller);"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS device_state ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, department TEXT NOT NULL,"
    " last_poll INTEGER NOT NULL, last_ok INTEGER, reachable INTEGER NOT NULL,"
    " error TEXT, sys_descr TEXT, sys_object_id TEXT, sys_name TEXT, sys_location TEXT,"
    " uptime_s INTEGER, lifecount INTEGER, counter_unit INTEGER, serial TEXT,"
    " printer_status INTEGER, device_status INTEGER, error_state INTEGER,"
    " toner_min INTEGER, cpu_pct INTEGER, mem_pct INTEGER, disk_pct INTEGER,"
    " memory_kb INTEGER, devices_bad INTEGER, serial_src TEXT, poll_ms INTEGER,"
    " polls_failed INTEGER) WITHOUT ROWID;"
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
    POLLER_TABLES
    "INSERT OR IGNORE INTO meta VALUES ('schema_version', '4');";

/*
 * Upgrades, by the schema version they start from; each ends by recording
 * the next version. Columns are only ever added at the end of a table.
 */
static const char *const upgrades[SCHEMA_VERSION] = {
	/* 1 -> 2: where the serial number was read (Printer-MIB, ENTITY-MIB, a profile). */
	[1] = "ALTER TABLE device_state ADD COLUMN serial_src TEXT;"
	    "ALTER TABLE meter_ident ADD COLUMN serial_src TEXT;"
	    "UPDATE meta SET value = '2' WHERE key = 'schema_version';",
	/* 2 -> 3: how long the last poll took, and how many polls failed since the last answer. */
	[2] = "ALTER TABLE device_state ADD COLUMN poll_ms INTEGER;"
	    "ALTER TABLE device_state ADD COLUMN polls_failed INTEGER;"
	    "UPDATE meta SET value = '3' WHERE key = 'schema_version';",
	/* 3 -> 4: pollers sharing the store. */
	[3] = POLLER_TABLES "UPDATE meta SET value = '4' WHERE key = 'schema_version';",
};

static const char meter_save_sql[] =
    "INSERT OR REPLACE INTO meter VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
static const char ledger_add_sql[] =
    "INSERT INTO ledger VALUES (?1,?2,?3,?4,?5) ON CONFLICT (day, device, counter, department)"
    " DO UPDATE SET pages = pages + excluded.pages";

/*
 * A reachable reading replaces the whole row (no failed poll since);
 * lifecount stays NULL when the device has none.
 */
static const char put_state_sql[] =
    "INSERT OR REPLACE INTO device_state VALUES (?1,?2,?3,?4,?4,1,?5,?6,?7,?8,?9,?10,?11,?12,"
    "?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,0)";

/* An unreachable poll keeps the last known values, says it failed and counts the failures. */
static const char put_down_sql[] =
    "INSERT INTO device_state (id, kind, department, last_poll, reachable, error, poll_ms,"
    " polls_failed) VALUES (?1,?2,?3,?4,0,?5,?6,1) ON CONFLICT(id) DO UPDATE SET kind=?2,"
    " department=?3, last_poll=?4, reachable=0, error=?5, poll_ms=?6,"
    " polls_failed=coalesce(polls_failed, 0) + 1";

static const char get_status_sql[] =
    "SELECT last_poll, last_ok, reachable, error, sys_descr,"
    " (SELECT value FROM meter WHERE device = ?1 AND counter = 'total'), counter_unit,"
    " uptime_s, toner_min, serial, serial_src, poll_ms, polls_failed FROM device_state"
    " WHERE id = ?1";

int
sq_fail(struct sq *s, const char *what)
{
	store_failed();
	log_err("store: %s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

static int
prepare(struct sq *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return sq_fail(s, "prepare");
	return 0;
}

/* Sets up a writable database: WAL so the CLI reads while the daemon writes, schema. */
static int
setup_writer(struct sq *s, const char *path, char *errbuf, size_t errsz)
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
	    prepare(s, "INSERT INTO health VALUES (?1,?2,?3,?4,?5,?6,?7,NULL) ON CONFLICT (device) DO"
	    " UPDATE SET disk_pct=?3, disk_name=?4, swap_pct=?5, disks_down=?6, mem_pct=?7",
	    &s->put_health) ||
	    prepare(s, "INSERT INTO health_daily VALUES (?1,?2,?3,1) ON CONFLICT (device, day) DO"
	    " UPDATE SET mem_sum = mem_sum + ?3, mem_n = mem_n + 1", &s->put_daily) ||
	    prepare(s, "INSERT OR REPLACE INTO facts VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	    &s->put_facts) ||
	    prepare(s, "INSERT OR IGNORE INTO health (device, first_seen) VALUES (?1,?2)",
	    &s->put_seen) ||
	    prepare(s, "UPDATE health SET jam_alerts = ?2 WHERE device = ?1", &s->put_jams) ||
	    prepare(s, "INSERT INTO meter_claim VALUES (?1,?2) ON CONFLICT (device) DO UPDATE"
	    " SET at_ms = excluded.at_ms WHERE meter_claim.at_ms < excluded.at_ms",
	    &s->meter_claim))
		return -1;
	return 0;
}

/*
 * Whether PATH may be opened: a missing file is new (created by a writer,
 * "no state yet" for a reader); anything but a regular file is refused.
 */
static int
open_precheck(const char *path, const char *where, int flags, char *err, size_t errsz)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && (flags & GF_STORE_RO))
			snprintf(err, errsz, "no state in %s yet: has greenfleetd run?", where);
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

static void sq_close(struct gf_store *base);

/* Opens PATH; WHERE names the state in the message when it does not exist yet. */
static struct gf_store *
sq_open(const char *path, const char *where, int flags, char *err, size_t errsz)
{
	struct sq *s;
	int rc, ro = flags & GF_STORE_RO;

	if (open_precheck(path, where, flags, err, errsz) != 0)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &gf_store_sqlite;
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
		snprintf(err, errsz, "no state in %s yet: has greenfleetd run?", where);
		goto fail;
	}
	if ((!ro && setup_writer(s, path, err, errsz) != 0) ||
	    prepare(s, get_status_sql, &s->get_status) != 0) {
		if (err[0] == '\0')
			snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	return &s->base;
fail:
	sq_close(&s->base);
	return NULL;
}

static void
sq_close(struct gf_store *base)
{
	struct sq *s = SQ(base);
	sqlite3_stmt **kept[] = {
		&s->put_state, &s->put_down, &s->del_supplies, &s->put_supply, &s->get_status,
		&s->meter_load, &s->ident_load, &s->meter_save, &s->ident_save, &s->xcheck_save,
		&s->ledger_add, &s->audit_add, &s->put_health, &s->put_daily,
		&s->put_facts, &s->put_seen, &s->put_jams, &s->meter_claim,
	};
	size_t i;

	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		sqlite3_finalize(*kept[i]);
	sqlite3_close(s->db);
	free(s);
}

static int
sq_begin(struct gf_store *s)
{
	if (sqlite3_exec(SQ(s)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(SQ(s), "begin");
	return 0;
}

/* On failure the batch is rolled back: nothing of it is left half written. */
static int
sq_commit(struct gf_store *s)
{
	if (sqlite3_exec(SQ(s)->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sq_fail(SQ(s), "commit");
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static void
sq_rollback(struct gf_store *s)
{
	sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

void
sq_bind_opt(sqlite3_stmt *st, int i, long long v, int known)
{
	if (known)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int
sq_step_reset(struct sq *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, what);
}

/* A database the daemon never wrote has no tables yet: the CLI's reads fail here, logged. */
sqlite3_stmt *
sq_query(struct sq *s, const char *sql)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
		sq_fail(s, "query");
		return NULL;
	}
	return q;
}

void
sq_col_text(sqlite3_stmt *st, int i, char *dst, size_t sz)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	gf_clean_str(dst, sz, t ? t : (const unsigned char *)"", t ? strlen((const char *)t) : 0);
}

long long
sq_col_opt(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, i);
}

const struct gf_store_ops gf_store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.put_reading = sq_put_reading,
	.get_status = sq_get_status,
	.health = sq_health,
	.statuses = sq_statuses,
	.supplies = sq_supplies,
	.health_scan = sq_health_scan,
	.health_next = sq_health_next,
	.health_scan_free = sq_health_scan_free,
	.meter_load = sq_meter_load,
	.meter_save = sq_meter_save,
	.ident_save = sq_ident_save,
	.xcheck_load = sq_xcheck_load,
	.xcheck_save = sq_xcheck_save,
	.ledger_add = sq_ledger_add,
	.audit = sq_audit,
	.dept_pages = sq_dept_pages,
	.dept_rows = sq_dept_rows,
	.top_devices = sq_top_devices,
	.ledger_sums = sq_ledger_sums,
	.counters = sq_counters,
	.odometers = sq_odometers,
	.audits = sq_audits,
	.quota_fired = sq_quota_fired,
	.quota_last_fired = sq_quota_last_fired,
	.quota_fire = sq_quota_fire,
	.outbox_known = sq_outbox_known,
	.outbox_waiting = sq_outbox_waiting,
	.outbox_add = sq_outbox_add,
	.outbox_next = sq_outbox_next,
	.outbox_hold = sq_outbox_hold,
	.outbox_sent = sq_outbox_sent,
	.outbox_retry = sq_outbox_retry,
	.repair_log = sq_repair_log,
	.repairs = sq_repairs,
	.meter_claim = sq_meter_claim,
	.poller_beat = sq_poller_beat,
	.pollers = sq_pollers,
	.lease_held = sq_lease_held,
	.lease_claim = sq_lease_claim,
	.lease_release = sq_lease_release,
	.poller_stop = sq_poller_stop,
	.leader = sq_leader,
	.pages_moved = sq_pages_moved,
};
