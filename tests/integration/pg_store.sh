#!/bin/sh
# The PostgreSQL store on a server of the test's own: a password in the `store`
# key works and never shows in a log or an error (wrong password, server gone,
# URI or key=value form); PostgreSQL stopped while greenfleetd runs costs no
# page: the loss is said once, polling goes on, the connection comes back and
# the next committed reading carries every page; a newer schema is refused by
# the daemon and the CLI, an older one migrated (version 1, before poll
# durations); the CLI reading a database greenfleetd never wrote
# says so and creates nothing.
. "$(dirname "$0")/lib.sh"
need snmpget
start_postgres

PW=Pw-S3cret-42
BAD=Wrong-Pw-77
# A user that must give its password (scram), with its own database.
pg_sql gf -c "set password_encryption = 'scram-sha-256'; create role gfpw login password '$PW'" \
	-c "create database gfpw owner gfpw" >/dev/null || exit 99
{ echo "local all gfpw scram-sha-256"; cat "$PGDIR/db/pg_hba.conf"; } >"$T/hba"
cat "$T/hba" >"$PGDIR/db/pg_hba.conf"
pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/db" reload >/dev/null || exit 99
q() { pg_sql gfpw -F ' ' -c "$1"; }

INTERVAL=10 TIMEOUT_MS=500 RETRIES=0
start_snmpsim scenario_ledger
P=$T/sim/scenario_ledger.snmprec
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
CONF=$T/gf.conf
URI="postgresql://gfpw:$PW@/gfpw?host=$PGDIR&port=$PGPORT"
conf() { write_conf "$CONF" "store = \"$1\";
devices = ( $(device p printer 127.0.0.1 "$SIM_PORT" scenario_ledger) );"; }

# A wrong password, as a URI and as a key=value string: refused, said, never shown.
for s in "postgresql://gfpw:$BAD@/gfpw?host=$PGDIR&port=$PGPORT" \
	"postgresql:host=$PGDIR port=$PGPORT dbname=gfpw user=gfpw password=$BAD"; do
	conf "$s"
	"$GREENFLEETD" -c "$CONF" --once >"$T/bad.log" 2>&1
	check "wrong password: greenfleetd does not start" 1 $?
	check_match "wrong password: the reason is said" \
		"store: PostgreSQL \(host=$PGDIR port=$PGPORT dbname=gfpw user=gfpw\): .*password authentication failed for user \"gfpw\"" \
		"$(cat "$T/bad.log")"
	"$GREENFLEET" -c "$CONF" status >>"$T/bad.log" 2>&1
	check "wrong password: never shown" 0 "$(grep -c -- "$BAD" "$T/bad.log")"
done

# The right one: the schema is made (version 3), the first reading a baseline.
set_rec "$P" $LIFE 0000001000
conf "$URI"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "-t: a postgresql:// store is a good store" "0 configuration OK" "$? $out"
"$GREENFLEETD" -c "$CONF" -f 2>"$T/d.log" &
DPID=$!
PIDS="$PIDS $DPID"
wait_q() { for _ in $(seq 1 ${3:-150}); do [ "$(q "$1" 2>/dev/null)" = "$2" ] && return 0; sleep 0.2; done; return 1; }
wait_q "select last from meter where device = 'p' and counter = 'total'" 1000 || fail "no baseline"
check "the schema is at version 3" "1 3" "$(q "select min(version), max(version) from schema_version")"
set_rec "$P" $LIFE 0000001100
wait_q "select sum(pages) from ledger" 100 || fail "100 pages not counted"

# PostgreSQL stops: pages printed meanwhile are counted once it is back.
pg_stop
set_rec "$P" $LIFE 0000001250
wait_for grep -q 'connection lost' "$T/d.log" || sleep 5
wait_for grep -q 'connection lost' "$T/d.log" || fail "the loss is not said"
sleep 11
set_rec "$P" $LIFE 0000001300
pg_start
wait_q "select sum(pages) from ledger" 300 200 || fail "the pages printed while PostgreSQL was down are not all counted"
kill "$DPID"
wait "$DPID"
check "the daemon stops cleanly" 0 $?
check "the ledger holds every page: 1300 - 1000" 300 "$(q "select sum(pages) from ledger where counter = 'total'")"
check "no page counted twice: one row a day" 1 "$(q "select count(*) from ledger where counter = 'total'")"
check "the meter's baseline is the last value" "1300 300" "$(q "select last, odometer from meter where device = 'p' and counter = 'total'")"
check "the loss is said once" 1 "$(grep -c 'greenfleetd\[error\]: store: .*connection lost' "$T/d.log")"
check "its return too" 1 "$(grep -c 'greenfleetd\[info\]: store: .*connection back' "$T/d.log")"
check "the summary counts one store error" "1 store errors" \
	"$(sed -n 's/.*stopped: .*, \([0-9]* store errors\)$/\1/p' "$T/d.log")"
check_match "polling went on: a poll every 10 s" "stopped: ([3-9]|[1-9][0-9]+) polls" "$(cat "$T/d.log")"
check "the password never shows in the daemon's log" 0 "$(grep -c -- "$PW" "$T/d.log")"
check_match "the CLI reads the ledger from PostgreSQL" "^total +1300 .* 300 " \
	"$("$GREENFLEET" -c "$CONF" counters p 2>&1)"

# A schema of version 1 (no poll durations): the CLI says the daemon migrates
# it; the daemon does, and its poll records its duration and no failure.
q "alter table device_state drop column poll_ms, drop column polls_failed;
	drop table meter_claim, poller, lease; drop trigger ledger_moved on ledger;
	drop function greenfleet_pages_moved(); delete from schema_version where version >= 2" >/dev/null
check_match "version 1: the CLI says the daemon upgrades it" \
	"state schema version 1 is older than 3: greenfleetd upgrades it when it starts" \
	"$("$GREENFLEET" -c "$CONF" status 2>&1)"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/mig.log"
check "version 1: greenfleetd migrates and runs" "0 1 3" \
	"$? $(q "select min(version), max(version) from schema_version")"
check "version 1: the poll's duration and failures are stored" "1 t 0" \
	"$(q "select reachable, poll_ms > 0, polls_failed from device_state where id = 'p'")"
check "version 1: the ledger is kept" 300 "$(q "select sum(pages) from ledger where counter = 'total'")"

# A newer schema: refused by the daemon and the CLI, left as it is.
q "insert into schema_version values (7, 0)" >/dev/null
"$GREENFLEETD" -c "$CONF" --once 2>"$T/new.log"
check "newer schema: greenfleetd does not start" 1 $?
check_match "newer schema: said" "state schema version 7 is newer than this greenfleet \(3\): upgrade greenfleet" \
	"$(cat "$T/new.log")"
check_match "newer schema: the CLI says it too" "state schema version 7 is newer than this greenfleet \(3\)" \
	"$("$GREENFLEET" -c "$CONF" status 2>&1)"
check "newer schema: left as it is" "1 7" "$(q "select min(version), max(version) from schema_version")"

# The CLI on a database greenfleetd never wrote: says so, creates nothing.
pg_sql gf -c "create database empty owner gfpw" >/dev/null
conf "postgresql://gfpw:$PW@/empty?host=$PGDIR&port=$PGPORT"
check_match "empty database: the CLI says greenfleetd has not run" \
	"no state in PostgreSQL \(host=$PGDIR port=$PGPORT dbname=empty user=gfpw\) yet: has greenfleetd run\?" \
	"$("$GREENFLEET" -c "$CONF" status 2>&1)"
check "empty database: nothing created" 0 "$(pg_sql empty -c "select count(*) from pg_tables where schemaname = 'public'")"
finish
