#!/bin/sh
# The store-level and ledger tests again, on PostgreSQL: each script below runs
# unchanged with STORE_BACKEND=pg, so that write_conf names a PostgreSQL server
# of its own in `store` and state_sql asks it. Same checks, same exact values
# as on SQLite. Skips when PostgreSQL is not installed. This one runs the ledger
# scripts; pg_suite_views.sh the quota, report and CLI ones; pg_suite_web.sh
# metrics, fleet advice and the web pages (three tests, so that make -j runs
# them side by side). PG_TESTS="a b" runs those scripts instead.
. "$(dirname "$0")/lib.sh"
start_postgres
stop_postgres

for t in ${PG_TESTS:-ledger_blink ledger_idle_garbage ledger_kill ledger_scenarios counters_xcheck}; do
	start=$(date +%s)
	STORE_BACKEND=pg sh "$top_srcdir/tests/integration/$t.sh" >"$T/$t.log" 2>&1
	rc=$?
	end=$(date +%s)
	CHECKS=$((CHECKS + 1))
	case $rc in
	0) echo "ok - $t on PostgreSQL ($(grep -c '^ok ' "$T/$t.log") checks, $((end - start)) s)" ;;
	77) echo "ok - $t skipped: $(grep SKIP "$T/$t.log")" ;;
	*) fail "$t on PostgreSQL exited $rc:"; sed 's/^/    /' "$T/$t.log" ;;
	esac
done
finish
