#!/bin/sh
# Two pollers as if on two machines (each its own data_dir), one PostgreSQL store, one
# rrdcached over TCP with a base directory ($T/central, -B -R) and a journal: every
# device's RRD file is made and written through rrdcached, under $T/central, by whichever
# poller holds the device; none lands in a poller's own data_dir. The CLI, with
# data_dir = $T/central and the same rrdcached, reads the samples rrdcached still holds
# (it flushes them by name). Then rrdcached is killed -9 and started again on its
# journal: every update it had acknowledged (its PENDING list) is back in it, from the
# journal or sent again by the pollers, and the pollers write on.
. "$(dirname "$0")/lib.sh"
need rrdcached rrdtool

export TZ=UTC
STORE_BACKEND=pg INTERVAL=10 TIMEOUT_MS=500 RETRIES=0
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
DEVS="q1 q2 q3 q4"
# Four copiers, each its own recording (community qN) of the same scenario.
mkdir -p "$T/sim"
for d in $DEVS; do cp "$DATA/scenario_quota.snmprec" "$T/sim/$d.snmprec"; done
start_snmpsim scenario_quota
P=$T/sim/q1.snmprec
set_rec "$P" $MONO 10000 $COLOUR 500 $TOTAL 10500

RC_PORT=$(free_port tcp)
RC=127.0.0.1:$RC_PORT
mkdir -p "$T/central" "$T/journal"
# rc COMMAND: one request to rrdcached over TCP; its status line, then the lines it announced.
rc() {
	$PY - "$RC_PORT" "$*" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode() + b"\n")
f = s.makefile("r")
head = f.readline()
print(head, end="")
for _ in range(max(int(head.split()[0]), 0)):
    print(f.readline(), end="")
PY
}
# pending FILE: the updates rrdcached holds for FILE (a name below its base directory).
pending() { rc PENDING "$1" 2>/dev/null | sed 1d; }
has_pending() { [ -n "$(pending "$1")" ]; }
# -w 3600: nothing is written before a FLUSH (or the shutdown), so what is on disk is
# what a FLUSH wrote and what rrdcached holds is what PENDING lists.
start_rrdcached() {
	rm -f "$T/rrdcached.pid"
	rrdcached -g -l "$RC" -b "$T/central" -B -R -j "$T/journal" -w 3600 -f 7200 -z 1 -F \
		-V LOG_INFO -p "$T/rrdcached.pid" >>"$T/rrdcached.log" 2>&1 &
	RC_PID=$!
	PIDS="$PIDS $RC_PID"
	wait_for rc STATS || { echo "rrdcached did not start"; cat "$T/rrdcached.log"; exit 99; }
}
start_rrdcached

CONF=$T/central.conf
write_conf "$CONF" "rrdcached = \"$RC\";
devices = (
$(printer_devices $DEVS)
);"
sed -i "s|data_dir = \"$T/data\";|data_dir = \"$T/central\";|" "$CONF"
for p in a b; do
	sed "s|data_dir = \"$T/central\";|data_dir = \"$T/$p\";|" "$CONF" >"$T/$p.conf"
	chmod 600 "$T/$p.conf"
done
check "the pollers' data_dirs are their own" 1 "$(grep -c "data_dir = \"$T/a\"" "$T/a.conf")"

$GF_WRAP "$GREENFLEETD" -c "$T/a.conf" -f -n a 2>>"$T/a.log" &
A_PID=$!
PIDS="$PIDS $A_PID"
$GF_WRAP "$GREENFLEETD" -c "$T/b.conf" -f -n b 2>>"$T/b.log" &
B_PID=$!
PIDS="$PIDS $B_PID"

# until SECONDS CMD...: retries CMD every half second for up to SECONDS.
until_ok() {
	_n=$(($1 * 2))
	shift
	while [ "$_n" -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; _n=$((_n - 1)); done
	return 1
}
leases() { pg_sql gf -c "select poller || ':' || count(*) from lease where poller is not null
	group by poller order by poller" | tr '\n' ' '; }
shared() { [ "$(leases)" = "a:2 b:2 " ]; }
all_files() { for d in $DEVS; do [ -f "$T/central/rrd/$d.rrd" ] || return 1; done; }
until_ok 90 shared
for p in a b; do
	kill -0 "$(eval echo \$$(echo $p | tr ab AB)_PID)" 2>/dev/null ||
		{ echo "poller $p died"; cat "$T/$p.log"; exit 1; }
done
echo "# $(date +%T) leases shared"
check "the pollers share the four devices (the lease table)" "a:2 b:2 " "$(leases)"
until_ok 60 all_files
check "every device's RRD file is under rrdcached's base directory" "q1 q2 q3 q4" \
	"$(cd "$T/central/rrd" && ls ./*.rrd | sed 's|^\./||; s|\.rrd$||' | tr '\n' ' ' | sed 's/ $//')"
check "the leader's department file too" yes \
	"$(until_ok 30 test -f "$T/central/rrd/departments/urbanisme.rrd" && echo yes)"
check "no RRD file in either poller's data_dir" 0 "$(find "$T/a" "$T/b" -name '*.rrd*' | wc -l)"
check "no rrd directory there either" 0 "$(find "$T/a" "$T/b" -name rrd | wc -l)"
# Each poller wrote the devices it holds: both sent samples for theirs.
for p in a b; do
	mine=$(pg_sql gf -c "select device from lease where poller = '$p' order by device" | tr '\n' ' ')
	n=0
	for d in $mine; do until_ok 30 has_pending "rrd/$d.rrd" && n=$((n + 1)); done
	check "rrdcached holds samples of both devices poller $p holds ($mine)" 2 "$n"
done

# steady FILE: rrdcached holds three updates of FILE or more, the last three at most 15 s
# apart: pages printed now fall between two samples within the heartbeat (2 intervals),
# after one that started the step they fall in (RRD leaves a step more than half unknown).
steady() { pending "$1" | awk -F: '{ t[n++] = $1 }
	END { exit !(n >= 3 && t[n - 1] - t[n - 2] <= 15 && t[n - 2] - t[n - 3] <= 15) }'; }
until_ok 60 steady rrd/q1.rrd
echo "# $(date +%T) q1 polled steadily"
# 7 mono and 2 colour pages on q1.
set_rec "$P" $MONO 10007 $COLOUR 502 $TOTAL 10509
ledger() { state_sql "select coalesce(sum(pages), 0) from ledger where device = 'q1' and counter = '$1'"; }
ledger_is() { [ "$(ledger "$1")" = "$2" ]; }
until_ok 60 ledger_is mono 7
check "the ledger counted q1's 7 mono pages" 7 "$(ledger mono)"
t0=$(date +%s)
# newest FILE: the time of the newest update rrdcached holds for FILE (0 if none).
newest() { pending "$1" | awk -F: '{ if ($1 > m) m = $1 } END { print m + 0 }'; }
newer() { [ "$(newest "$1")" -gt "$2" ]; }
# A sample after the one that carried the pages closes the steps they fall in.
until_ok 60 newer rrd/q1.rrd "$t0"
on_disk=$(rrdtool last "$T/central/rrd/q1.rrd")
check "that sample is still only in rrdcached" yes \
	"$([ "$on_disk" -lt "$(newest rrd/q1.rrd)" ] && echo yes)"

out=$("$GREENFLEET" -c "$CONF" export --device q1 --from -1h --step 10 --format csv)
echo "$out" >"$T/export1.csv"
check "export through rrdcached: exit 0" 0 $?
check "export: the 7 mono and 2 colour pages, to 0.01" "7.00 2.00" "$(echo "$out" | tr -d '\r' |
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ m += $c["mono"]; k += $c["colour"] } END { printf "%.2f %.2f", m, k }')"
check "the export had rrdcached write q1's samples" yes \
	"$([ "$(rrdtool last "$T/central/rrd/q1.rrd")" -gt "$t0" ] && echo yes)"
check "q1's last mono and colour odometers on disk" "7 2" \
	"$(rrd_last "$T/central/rrd/q1.rrd" mono) $(rrd_last "$T/central/rrd/q1.rrd" colour)"
"$GREENFLEET" -c "$CONF" graph --device q1 --from -1h -o "$T/g.json"
check "graph through rrdcached: exit 0" 0 $?
check "graph: 7 mono and 2 colour pages in the legend" "7 2" \
	"$(sed -n 's/^ *{ "gprint": " *\([0-9]*\) pages.*/\1/p' "$T/g.json" | head -2 | tr '\n' ' ' |
	sed 's/ $//')"

# kill -9 with updates acknowledged and not yet written: the pollers are held still
# (SIGSTOP) so that PENDING lists every update acknowledged, then rrdcached dies.
until_ok 30 has_pending rrd/q1.rrd
echo "# $(date +%T) kill -9 of rrdcached"
kill -STOP "$A_PID" "$B_PID"
files="rrd/q1.rrd rrd/q2.rrd rrd/q3.rrd rrd/q4.rrd rrd/departments/urbanisme.rrd"
for f in $files; do pending "$f" >"$T/acked.$(basename "$f")"; done
acked=$(cat "$T"/acked.* | wc -l)
check "rrdcached holds acknowledged updates of every device" 4 \
	"$(for d in $DEVS; do [ -s "$T/acked.$d.rrd" ] && echo "$d"; done | wc -l)"
kill -9 "$RC_PID"
wait "$RC_PID" 2>/dev/null
cat "$T"/journal/* >"$T/journal.at-kill" 2>/dev/null
echo "# $acked updates acknowledged and pending; $(grep -c '^update ' "$T/journal.at-kill") update" \
	"lines in rrdcached's journal on disk at the kill"
start_rrdcached
check_match "rrdcached read its journal again" "replaying from journal" "$(cat "$T/rrdcached.log")"
kill -CONT "$A_PID" "$B_PID"
# missing FILE: the updates acknowledged before the kill that rrdcached neither holds
# again (from its journal, or sent again by a poller) nor wrote to FILE (after replaying
# a journal, -F has it write everything: a value no later than the file's last update
# is on disk, since each file is written in order).
missing() {
	_b=$(basename "$1")
	pending "$1" >"$T/now.$_b"
	_last=$(rrdtool last "$T/central/$1" 2>/dev/null || echo 0)
	awk -F: -v last="$_last" -v held="$T/now.$_b" '
		BEGIN { while ((getline l < held) > 0) h[l] = 1 }
		!($0 in h) && $1 > last' "$T/acked.$_b"
}
all_back() { for f in $files; do [ -z "$(missing "$f")" ] || return 1; done; }
until_ok 60 all_back
check "no update rrdcached had acknowledged is lost to kill -9 ($acked)" "" \
	"$(for f in $files; do missing "$f"; done)"
check_match "a poller said rrdcached was lost" "lost rrdcached at $RC" "$(cat "$T/a.log" "$T/b.log")"
check_match "and that it answers again, its kept samples sent" \
	"rrdcached at $RC answers again: [0-9]+ kept sample\(s\) sent again" "$(cat "$T/a.log" "$T/b.log")"

# Writing goes on: 5 more mono pages on q1, read through rrdcached by the CLI.
until_ok 60 steady rrd/q1.rrd
set_rec "$P" $MONO 10012 $COLOUR 502 $TOTAL 10514
until_ok 60 ledger_is mono 12
t1=$(date +%s)
until_ok 60 newer rrd/q1.rrd "$t1"
out=$("$GREENFLEET" -c "$CONF" export --device q1 --from -1h --step 10 --format csv)
check "after the restart, the export has the 12 mono pages" "12.00" "$(echo "$out" | tr -d '\r' |
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { m += $c["mono"] }
		END { printf "%.2f", m }')"
check "q1's last mono odometer on disk" 12 "$(rrd_last "$T/central/rrd/q1.rrd" mono)"
check "still no RRD file in either poller's data_dir" 0 "$(find "$T/a" "$T/b" -name '*.rrd*' | wc -l)"

# A clean stop: each poller flushes its files through rrdcached.
kill "$A_PID" "$B_PID"
wait "$A_PID"
check "poller a stops cleanly" 0 $?
wait "$B_PID"
check "poller b stops cleanly" 0 $?
check "nothing left pending for q1 after the pollers' flush" "" "$(pending rrd/q1.rrd)"
finish
