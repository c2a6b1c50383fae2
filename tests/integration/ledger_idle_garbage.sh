#!/bin/sh
# A printer left idle for days is still judged on the time since it was last read: a
# jump of 1,000,000 pages an hour after a poll that read the old value is garbage
# (300 ppm x 60 min = 18,000 at most), however long ago the counter last moved.
. "$(dirname "$0")/lib.sh"
need faketime state

TIMEOUT_MS=500 RETRIES=1
export TZ=Europe/Paris
start_snmpsim scenario_ledger
CONF=$T/gf.conf
P=$T/sim/scenario_ledger.snmprec
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
write_conf "$CONF" "devices = ( $(device p printer 127.0.0.1 "$SIM_PORT" scenario_ledger) );"
q() { state_sql -s ' ' "$1"; }
MTIME=$(( $(date +%s) + 2 ))
set_life() { # VALUE: the recording's life count, as snmpsim wants a rewrite
	awk -F '|' -v OFS='|' -v oid="$LIFE" -v val="$1" '$1 == oid { $3 = val } { print }' "$P" >"$T/rec.tmp"
	now=$(( $(date +%s) + 2 ))
	MTIME=$(( MTIME + 1 > now ? MTIME + 1 : now ))
	touch -d "@$MTIME" "$T/rec.tmp"
	chmod a+r "$T/rec.tmp"
	mv "$T/rec.tmp" "$P"
}
poll() { faketime -f "@$1:00" $GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" || { fail "poll at $1 (exit $?)"; tail -n 5 "$T/daemon.log"; }; }

set_life 1000
poll '2026-11-02 09:00'
# Ten days idle, read every morning: always 1000.
for d in 03 04 05 06 07 08 09 10 11 12; do poll "2026-11-$d 08:00"; done
check "idle: nothing counted" 0 "$(q "select count(*) from ledger")"
# An hour after the last poll read 1000, the agent answers 1001000.
set_life 1001000
poll '2026-11-12 09:00'
check "a jump of 1,000,000 in an hour is not counted" 0 "$(q "select coalesce(sum(pages), 0) from ledger")"
check "it is audited as garbage" "garbage 1000 1001000" "$(q "select event, old, new from audit where event != 'baseline'")"
# The next hour, back to 1000 + 50: counted as usual.
set_life 1050
poll '2026-11-12 10:00'
check "back to normal: 50 pages on 12 Nov" "2026-11-12 urbanisme 50" "$(q "select day, department, pages from ledger")"
finish
