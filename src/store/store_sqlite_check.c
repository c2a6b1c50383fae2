/*
 * Checks of the state database before anything reads or writes it: a file
 * that is not SQLite, a damaged one, or one whose tables were dropped or
 * altered is refused with the reason, and never initialised over.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "store_sqlite_check.h"
#include "text.h"

#define COLS_MAX 1024		/* "name type notnull pk," for every column of a table */

/*
 * SQLite's page-level check: every b-tree page, cell and freelist entry
 * (no index contents), so a truncated or overwritten file shows at start
 * rather than as a failed write hours later.
 */
static int
quick_check(sqlite3 *db, const char *path, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	const unsigned char *row;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &q, NULL) != SQLITE_OK) {
		gf_errf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(q);
	row = rc == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
	if (rc != SQLITE_ROW)
		gf_errf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
	else if (row == NULL || strcmp((const char *)row, "ok") != 0)
		gf_errf(err, errsz, "%s: database disk image is malformed (%.200s)", path,
		    row ? (const char *)row : "?");
	sqlite3_finalize(q);
	return rc == SQLITE_ROW && row != NULL && strcmp((const char *)row, "ok") == 0 ? 0 : -1;
}

/* Table T's columns in DB as one comparable string; -1 on a database error. */
static int
columns(sqlite3 *db, const char *t, char *dst, size_t sz)
{
	sqlite3_stmt *q = NULL;
	size_t len = 0;
	int rc;

	dst[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)"
	    " ORDER BY cid", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, t, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && len < sz)
		len += (size_t)snprintf(dst + len, sz - len, "%s %s %d %d,",
		    (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
		    sqlite3_column_int(q, 2), sqlite3_column_int(q, 3));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* 1 if table T exists in DB, 0 if not, -1 on a database error. */
static int
has_table(sqlite3 *db, const char *t)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND"
	    " name = ?1", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, t, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The first column of REF's table T that DB lacks, into DST ("" if none is missing). */
static void
missing_column(sqlite3 *db, sqlite3 *ref, const char *t, char *dst, size_t sz)
{
	sqlite3_stmt *q = NULL, *h = NULL;
	const char *sql = "SELECT name FROM pragma_table_info(?1) ORDER BY cid";

	dst[0] = '\0';
	if (sqlite3_prepare_v2(ref, sql, -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &h,
	    NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(q, 1, t, -1, SQLITE_STATIC);
	while (dst[0] == '\0' && sqlite3_step(q) == SQLITE_ROW) {
		sqlite3_bind_text(h, 1, t, -1, SQLITE_STATIC);
		sqlite3_bind_text(h, 2, (const char *)sqlite3_column_text(q, 0), -1,
		    SQLITE_TRANSIENT);
		if (sqlite3_step(h) == SQLITE_DONE)
			snprintf(dst, sz, "%s", (const char *)sqlite3_column_text(q, 0));
		sqlite3_reset(h);
	}
out:
	sqlite3_finalize(q);
	sqlite3_finalize(h);
}

/*
 * Compares every table of REF (the schema as this program creates it) with
 * DB. Sets *OURS to how many of them DB holds; 0 and "" in ERR when all are
 * there with the same columns, or none is; -1 with the reason otherwise.
 */
static int
compare_tables(sqlite3 *db, sqlite3 *ref, const char *path, int *ours, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	char want[COLS_MAX], have[COLS_MAX], col[128], missing[64] = "";
	const char *t;
	int rc, n = 0, h, bad = 0;

	*ours = 0;
	if (sqlite3_prepare_v2(ref, "SELECT name FROM sqlite_master WHERE type = 'table'"
	    " ORDER BY rowid", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while (!bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(q, 0);
		n++;
		if ((h = has_table(db, t)) == 0 && missing[0] == '\0')
			snprintf(missing, sizeof(missing), "%s", t);
		if (h == 0)
			continue;
		if (h < 0 || columns(ref, t, want, sizeof(want)) != 0 ||
		    columns(db, t, have, sizeof(have)) != 0) {
			gf_errf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
			bad = 1;
		} else if (strcmp(want, have) != 0) {
			missing_column(db, ref, t, col, sizeof(col));
			if (col[0] != '\0')
				gf_errf(err, errsz, "%s: the state database is damaged: table %s has"
				    " no column %s", path, t, col);
			else
				gf_errf(err, errsz, "%s: the state database is damaged: the columns"
				    " of table %s are not greenfleet's", path, t);
			bad = 1;
		}
		++*ours;
	}
	sqlite3_finalize(q);
	if (bad)
		return -1;
	if (*ours > 0 && missing[0] != '\0') {
		gf_errf(err, errsz, "%s: the state database is damaged: table %s is missing",
		    path, missing);
		return -1;
	}
	return n > 0 ? 0 : -1;
}

/* The schema version DB records, 0 if none, -1 on a database error. */
static int
schema_version(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int rc, v = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? v : -1;
}

/* 1 if DB holds any table at all, 0 if not, -1 on a database error (not SQLite, say). */
static int
any_table(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1",
	    -1, &q, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Checks the tables of DB against SCHEMA built in a scratch in-memory database. */
static int
check_schema(sqlite3 *db, const char *path, const char *schema, int version, char *err,
    size_t errsz)
{
	sqlite3 *ref = NULL;
	int ours = 0, rc, v;

	/* An older schema is not damage: the daemon upgrades it (the CLI only reads). */
	if ((v = schema_version(db)) > 0 && v < version) {
		gf_errf(err, errsz, "%s: schema version %d is older than %d: greenfleetd upgrades it"
		    " when it starts", path, v, version);
		return -1;
	}
	if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(ref, schema, NULL, NULL, NULL) != SQLITE_OK) {
		gf_errf(err, errsz, "%s: cannot build the reference schema", path);
		sqlite3_close(ref);
		return -1;
	}
	rc = compare_tables(db, ref, path, &ours, err, errsz);
	sqlite3_close(ref);
	if (rc != 0)
		return -1;
	if (ours == 0) {
		gf_errf(err, errsz, "%s: not a greenfleet state database (it holds other tables)",
		    path);
		return -1;
	}
	if ((v = schema_version(db)) < 0) {
		gf_errf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (v == 0)
		gf_errf(err, errsz, "%s: the state database is damaged: it records no schema"
		    " version", path);
	else if (v > version)
		gf_errf(err, errsz, "%s: state schema version %d is newer than this greenfleet"
		    " (%d): upgrade greenfleet", path, v, version);
	if (v != version)
		return -1;
	return 0;
}

int
store_check_db(sqlite3 *db, const char *path, const char *schema, int version, int deep,
    char *err, size_t errsz)
{
	int any;

	err[0] = '\0';
	if ((any = any_table(db)) < 0) {
		gf_errf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (deep && quick_check(db, path, err, errsz) != 0)
		return -1;
	if (!any)
		return 1;
	return check_schema(db, path, schema, version, err, errsz) == 0 ? 0 : -1;
}
