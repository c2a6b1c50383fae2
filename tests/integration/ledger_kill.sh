#!/bin/sh
# kill -9 never loses or doubles a page: the daemon (interval 10 s) polls two printers
# whose counters keep growing (and wrap: a Counter32 and an HP INTEGER), and is killed
# again and again: while a metered reading waits in the open batch, during a poll (the
# agent holds the request), between polls. Restarted each time. At the end the ledger of
# each counter is exactly the final raw value minus the baseline (modulo the wrap).
. "$(dirname "$0")/lib.sh"
need state

INTERVAL=10 TIMEOUT_MS=1000 RETRIES=1
start_snmpsim scenario_ledger scenario_ledger-int
SIM_PID=${PIDS##* }
CONF=$T/gf.conf
P=$T/sim/scenario_ledger.snmprec
H=$T/sim/scenario_ledger-int.snmprec
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
HPTOTAL=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HPMONO=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0
# max_ppm 3000: the printers print ~10 and ~30 pages a second here; nothing is garbage.
write_conf "$CONF" "max_ppm = 3000;
devices = (
$(device p printer 127.0.0.1 "$SIM_PORT" scenario_ledger),
$(device h printer 127.0.0.1 "$SIM_PORT" scenario_ledger-int etat-civil) );"
q() { state_sql -s ' ' "$1"; }

# The printers: p's Counter32 starts 100 below 2^32, h's INTEGERs 150 below 2^31. Values
# are written 10 digits wide, zero-padded, so every version of a recording has the same
# layout: snmpsim (which indexes byte offsets) is never fooled by a rewrite that races
# its re-reading. Each rewrite: temp file, mtime a second later than the last, rename.
PV=4294967196 HV=2147483498
rand() { echo $(( $(od -An -N4 -tu4 /dev/urandom) % $1 )); }
rec() { # FILE OID VALUE...: the recording with these values
	f=$1
	shift
	awk -F '|' -v OFS='|' -v kv="$*" 'BEGIN { n = split(kv, a, " "); for (i = 1; i < n; i += 2) v[a[i]] = a[i + 1] }
		$1 in v { $3 = sprintf("%010.0f", v[$1]) } { print }' "$f" >"$f.tmp"
	touch -d "@$MTIME" "$f.tmp"
	chmod a+r "$f.tmp"
	mv "$f.tmp" "$f"
}
MTIME=$(( $(date +%s) + 2 ))
rec "$P" $LIFE $PV
rec "$H" $HPTOTAL $HV $HPMONO $HV
echo "$PV $HV" >"$T/first"
# The baselines, taken before any printing.
$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log"
check "baselines" "h mono $HV
h total $HV
p total $PV" "$(q "select device, counter, last from meter order by device, counter")"

# The printing: a background writer, until $T/stop appears; $T/truth is what it last served.
(
	while [ ! -e "$T/stop" ]; do
		sleep 0.4
		PV=$(( (PV + 1 + $(rand 9)) % 4294967296 ))
		HV=$(( (HV + 5 + $(rand 21)) % 2147483648 ))
		MTIME=$(( MTIME + 1 ))
		rec "$P" $LIFE $PV
		rec "$H" $HPTOTAL $HV $HPMONO $HV
		echo "$PV $HV" >"$T/truth.tmp"
		mv "$T/truth.tmp" "$T/truth"
	done
) &
WRITER=$!
PIDS="$PIDS $WRITER"

# The agent's socket has a request waiting (snmpsim stopped): the daemon is mid-poll.
sim_port_hex=$(printf '%04X' "$SIM_PORT")
request_waiting() {
	awk -v p=":$sim_port_hex" '$2 ~ p"$" { split($5, q, ":"); if (q[2] != "00000000") found = 1 }
		END { exit !found }' /proc/net/udp
}

start() {
	$GF_WRAP "$GREENFLEETD" -c "$CONF" -f 2>>"$T/daemon.log" &
	GF=$!
	PIDS="$PIDS $GF"
}
kill9() {
	kill -9 "$GF"
	wait "$GF" 2>/dev/null
	PIDS=${PIDS% $GF}	# gone: cleanup must not signal a recycled pid
	echo "--- killed ($1)" >>"$T/daemon.log"
}
# rnd MS: a random delay in seconds, 0 <= delay < MS ms.
rnd() { r=$(rand "$1"); printf '%d.%03d' $((r / 1000)) $((r % 1000)); }

# Devices are due at 0 s (p) and 5 s (h) after a start, then every 10 s; a batch is
# committed at most ~3 s after its first reading.
midpoll=0
seen() { q "select group_concat(device || ' ' || seen, ', ') from (select device, seen from meter
	where counter = 'total' order by device)"; }
for i in 1 2 3 4 5 6; do
	before=$(seen)
	start
	case $i in
	1) # p's reading metered, its batch still open (committed 2 s after it opened)
		sleep 0.5; sleep "$(rnd 1000)"; kill9 "p's batch, $i" ;;
	5) # p's reading metered, its batch open, being committed or committed
		sleep "$(rnd 3000)"; kill9 "p's batch, $i" ;;
	2) # h's first reading (discovery, then metered) in an open batch
		sleep 5.1; sleep "$(rnd 2500)"; kill9 "h's batch, $i" ;;
	3|6) # mid-poll: p's second poll of this run, its request held by a stopped agent
		sleep 9.5
		kill -STOP "$SIM_PID"
		for _ in $(seq 1 120); do request_waiting && break; sleep 0.05; done
		request_waiting && midpoll=$((midpoll + 1))
		kill9 "mid-poll, $i"
		kill -CONT "$SIM_PID" ;;
	4) # between polls: both readings committed, none due
		sleep 9; kill9 "between polls, $i" ;;
	esac
	echo "# run $i killed: readings committed (device, time): before: $before; after: $(seen)"
done
check "the daemon was killed mid-poll (a request held by the agent) twice" 2 "$midpoll"

# The printing stops; a last run reads the final values.
touch "$T/stop"
wait "$WRITER"
PIDS=$(echo " $PIDS " | sed "s/ $WRITER / /")
read -r PF HF <"$T/truth"
read -r P0 H0 <"$T/first"
$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log"
check "last run: clean exit" 0 $?
check "the final values are metered" "h mono $HF
h total $HF
p total $PF" "$(q "select device, counter, value from meter order by device, counter")"

check "p: baseline is the first value" "$P0" "$(q "select new from audit where device = 'p' and event = 'baseline'")"
check "h: baselines are the first value" "$H0 $H0" "$(q "select group_concat(new, ' ') from audit where device = 'h' and event = 'baseline'")"
# The true pages: across one wrap of each.
ptrue=$(( PF + 4294967296 - P0 ))
htrue=$(( HF + 2147483648 - H0 ))
echo "p printed $P0 -> $PF ($ptrue pages), h $H0 -> $HF ($htrue pages)"
check "p: ledger = pages printed" "$ptrue" "$(q "select sum(pages) from ledger where device = 'p' and counter = 'total'")"
check "h: ledger total = pages printed" "$htrue" "$(q "select sum(pages) from ledger where device = 'h' and counter = 'total'")"
check "h: ledger mono = pages printed" "$htrue" "$(q "select sum(pages) from ledger where device = 'h' and counter = 'mono'")"
check "odometers = ledger" "h mono $htrue
h total $htrue
p total $ptrue" "$(q "select device, counter, odometer from meter order by device, counter")"
check "department totals" "etat-civil total $htrue
urbanisme total $ptrue" "$(q "select department, counter, sum(pages) from ledger where counter = 'total' group by department, counter order by department")"
check "audit: a baseline and one wrap per counter, nothing else" "h mono baseline 1
h mono wrap 1
h total baseline 1
h total wrap 1
p total baseline 1
p total wrap 1" "$(q "select device, counter, event, count(*) from audit group by device, counter, event order by device, counter, event")"
check "wraps: from below the modulus to above 0" "h mono 1
h total 1
p total 1" "$(q "select device, counter, case when old > new then 1 else 0 end from audit where event = 'wrap' order by device, counter")"
finish
