#!/bin/sh
# The store-level unit test of the views (test_views: the ledger, quotas, audit
# and repairs written through the store and read back by every view) again, on
# a PostgreSQL database of its own (and test_pollers below): the same exact
# figures as on SQLite. Its exit status is taken first (a crash fails here), and
# its number of passed checks must be the SQLite run's: a run that stops early is
# no pass.
. "$(dirname "$0")/lib.sh"
start_postgres
pg_sql gf -c "create database views" >/dev/null || exit 99
"$top_builddir/tests/unit/test_views" >"$T/sqlite.log" 2>&1
check "test_views on SQLite exits" 0 $?
GF_TEST_STORE="postgresql:///views?host=$PGDIR&port=$PGPORT&user=gf" \
	"$top_builddir/tests/unit/test_views" >"$T/views.log" 2>&1
check "test_views on PostgreSQL exits" 0 $?
grep -v '^ok ' "$T/views.log"
want=$(grep -c '^ok ' "$T/sqlite.log")
check "test_views passes as many checks on PostgreSQL as on SQLite" "$want" \
	"$(grep -c '^ok ' "$T/views.log")"
check "the views read PostgreSQL" 3 "$(pg_sql views -c "select max(version) from schema_version")"

# test_pollers (two store handles as two pollers: concurrent claims, expiry, the
# meter's claim on a reading, the leader lock) on a database of its own.
pg_sql gf -c "create database pollers" >/dev/null || exit 99
"$top_builddir/tests/unit/test_pollers" >"$T/pollers-sqlite.log" 2>&1
check "test_pollers on SQLite exits" 0 $?
GF_TEST_STORE="postgresql:///pollers?host=$PGDIR&port=$PGPORT&user=gf" \
	"$top_builddir/tests/unit/test_pollers" >"$T/pollers.log" 2>&1
check "test_pollers on PostgreSQL exits" 0 $?
grep -v '^ok ' "$T/pollers.log"
check "test_pollers passes as many checks on PostgreSQL as on SQLite" \
	"$(grep -c '^ok ' "$T/pollers-sqlite.log")" "$(grep -c '^ok ' "$T/pollers.log")"
finish
