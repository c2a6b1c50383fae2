/* The state database's checks at open: SQLite's own page check and greenfleet's tables. */
#ifndef GF_STORE_SQLITE_CHECK_H
#define GF_STORE_SQLITE_CHECK_H

#include <stddef.h>

#include <sqlite3.h>

/*
 * Checks DB (opened from PATH) before use: with DEEP, PRAGMA quick_check;
 * then, when it holds tables, that every table SCHEMA creates is there with
 * the same columns and that meta records schema VERSION. Returns 0 when it
 * holds greenfleet's schema, 1 when it holds no table at all (a new file),
 * -1 with "PATH: reason" in ERR otherwise. Reads only: nothing is written.
 */
int store_check_db(sqlite3 *db, const char *path, const char *schema, int version, int deep,
    char *err, size_t errsz);

#endif
