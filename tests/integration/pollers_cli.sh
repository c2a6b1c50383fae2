#!/bin/sh
# greenfleet pollers and the per-poller metrics. SQLite first: before any
# daemon the CLI says there is no state (exit 1); after --once (which takes no
# lease) it says no poller has run (exit 0, JSON []); a daemon run -n solo
# shows one row, alive, leader, holding the whole fleet, then stopped with 0
# devices after SIGTERM. Then PostgreSQL: two daemons -n a and -n b (interval
# 10) on six printers share them 3 and 3, exactly one leads; the text, CSV and
# JSON formats agree, and so do `greenfleet metrics` and greenfleet-web's
# /metrics (which promtool accepts); after SIGTERM of one, its row says
# stopped with 0 devices and the other holds all six and leads; after kill -9
# of that one, its row lapses and keeps its leases until someone takes them. The
# dashboard's /pollers shows the same rows (in Chromium when it is installed).
. "$(dirname "$0")/lib.sh"
need promtool psql snmpget curl

INTERVAL=10 TIMEOUT_MS=1000 RETRIES=1
N=6
# One recording served under six communities: six printers.
mkdir -p "$T/sim"
for i in $(seq 1 $N); do cp "$DATA/scenario_ledger.snmprec" "$T/sim/p$i.snmprec"; done
start_snmpsim scenario_ledger
CONF=$T/gf.conf
devices() {
	_sep=""
	printf 'devices = (\n'
	for i in $(seq 1 $N); do
		printf '%s%s' "$_sep" "$(device "p$i" printer 127.0.0.1 "$SIM_PORT" "p$i")"
		_sep=",
"
	done
	printf ' );\n'
}
pollers() { "$GREENFLEET" -c "$CONF" pollers "$@"; }

# field JSON POLLER KEY: one key of one poller's object in `pollers --format json`.
field() {
	printf '%s' "$1" | $PY -c 'import json, sys
rows = [r for r in json.load(sys.stdin) if r["poller"] == sys.argv[1]]
v = rows[0][sys.argv[2]] if rows else "absent"
print("null" if v is None else v)' "$2" "$3"
}
# summary JSON: "poller:state:leader:devices" for each row, by name, space-separated.
summary() {
	printf '%s' "$1" | $PY -c 'import json, sys
print(" ".join("%s:%s:%s:%s" % (r["poller"], r["state"], r["leader"], r["devices"])
               for r in json.load(sys.stdin)))'
}
# wait_summary WANT [SECONDS]: until the pollers' summary is WANT (default 60 s).
wait_summary() {
	_end=$(( $(date +%s) + ${2:-60} ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		[ "$(summary "$(pollers --format json 2>/dev/null)" 2>/dev/null)" = "$1" ] && return 0
		sleep 0.5
	done
	return 1
}
start_daemon() { # NAME: greenfleetd -f -n NAME, its pid in DPID
	"$GREENFLEETD" -f -n "$1" -c "$CONF" 2>>"$T/$1.log" &
	DPID=$!
	PIDS="$PIDS $DPID"
}
stop_daemon() { # PID: SIGTERM, and it exits 0 within 30 s (a sanitizer's report would not)
	kill -TERM "$1"
	for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$1" 2>/dev/null && fail "greenfleetd $1 did not stop within 30 s"
	wait "$1"
	check "greenfleetd $1 stopped cleanly" 0 $?
}

# ---- SQLite: the one poller there is ----
write_conf "$CONF" "$(devices)"
out=$(pollers 2>&1)
check "no state yet: exit 1, said" "1 greenfleet: no state in $T/data yet: has greenfleetd run?" "$? $out"
"$GREENFLEETD" -c "$CONF" --once 2>>"$T/once.log" || fail "greenfleetd --once"
out=$(pollers 2>&1)
check "after --once only: no poller yet, exit 0" \
	"0 no poller has run on this store yet (greenfleetd --once takes no part)" "$? $out"
check "after --once only: JSON is an empty array" "[]" "$(pollers --format json | tr -d ' \n')"
check "after --once only: CSV is the heading alone" \
	"poller,host,pid,state,leader,devices,polled,last_commit,lag_s,since,networks" \
	"$(pollers --format csv | tr -d '\r')"
start_daemon solo
SOLO=$DPID
wait_summary "solo:alive:yes:$N" || fail "solo never held the $N devices: $(pollers 2>&1)"
j=$(pollers --format json)
check "SQLite: its pid and host" "$SOLO $(hostname)" "$(field "$j" solo pid) $(field "$j" solo host)"
check "SQLite: no networks" "" "$(field "$j" solo networks)"
stop_daemon "$SOLO"
j=$(pollers --format json)
check "SQLite: after SIGTERM it is stopped, leads no more, holds nothing" "solo:stopped:no:0" "$(summary "$j")"
check_match "SQLite: text shows the row" "^solo +$(hostname | cut -c1-16) +$SOLO +stopped +no +0 " \
	"$(pollers | sed -n 2p)"

# ---- PostgreSQL: two pollers share the fleet ----
rm -rf "$T/data"
STORE_BACKEND=pg
WEB_PORT=$(free_port tcp)
write_conf "$CONF" "web = { listen = \"127.0.0.1:$WEB_PORT\"; };
$(devices)"
out=$(pollers 2>&1)
check "PostgreSQL never written: exit 1" 1 $?
start_daemon a
A=$DPID
start_daemon b
B=$DPID
# Whoever starts first may hold all six for a round; then each holds its share, 3.
end=$(( $(date +%s) + 90 ))
while [ "$(date +%s)" -lt "$end" ]; do
	s=$(summary "$(pollers --format json 2>/dev/null)" 2>/dev/null)
	case $s in "a:alive:yes:3 b:alive:no:3"|"a:alive:no:3 b:alive:yes:3") break ;; esac
	sleep 0.5
done
check_match "both alive, 3 devices each, exactly one leader" \
	'^(a:alive:yes:3 b:alive:no:3|a:alive:no:3 b:alive:yes:3)$' "$s"
LEADER=a OTHER=b LPID=$A OPID=$B
[ "$s" = "a:alive:no:3 b:alive:yes:3" ] && LEADER=b OTHER=a LPID=$B OPID=$A

# Every poller polls its three: each has committed, and lags less than two intervals.
end=$(( $(date +%s) + 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
	j=$(pollers --format json)
	[ "$(field "$j" a polled)" -ge 3 ] && [ "$(field "$j" b polled)" -ge 3 ] &&
		[ "$(field "$j" a last_commit)" != null ] && [ "$(field "$j" b last_commit)" != null ] && break
	sleep 0.5
done
for p in a b; do
	check_match "$p: at least its 3 readings polled" '^([3-9]|[1-9][0-9]+)$' "$(field "$j" $p polled)"
	check_match "$p: a last commit" '^[0-9]{10}$' "$(field "$j" $p last_commit)"
	lag=$(field "$j" $p lag_s)
	check "$p: lag between 0 and 2 intervals" yes "$([ "$lag" -ge 0 ] && [ "$lag" -le 20 ] && echo yes || echo "no ($lag)")"
done
check "pids as started" "$A $B" "$(field "$j" a pid) $(field "$j" b pid)"

# CSV and text say the same as JSON.
csv=$(pollers --format csv | tr -d '\r')
check "CSV heading" "poller,host,pid,state,leader,devices,polled,last_commit,lag_s,since,networks" \
	"$(printf '%s\n' "$csv" | sed -n 1p)"
check "CSV: both rows, devices summing to $N, one leader" "a,alive,3 b,alive,3 6 1" \
	"$(printf '%s\n' "$csv" | awk -F, 'NR > 1 { s = s $1 "," $4 "," $6 " "; n += $6; l += ($5 == "yes") }
		END { print s n, l }')"
check_match "text: a heading, then a and b" \
	'^POLLER +HOST +PID +STATE +LEADER +DEVICES +POLLED +LAST COMMIT +LAG \(S\) +SINCE +NETWORKS;a +.* alive .*;b +.* alive ' \
	"$(pollers | paste -sd';')"

# metrics: the same figures. Polls and commits move with each round: take JSON,
# metrics, JSON, until the two JSON agree (then the metrics between them must).
for _ in $(seq 1 20); do
	j1=$(pollers --format json)
	"$GREENFLEET" -c "$CONF" metrics >"$T/m.txt"
	j2=$(pollers --format json)
	[ "$j1" = "$j2" ] && break
	sleep 0.3
done
check "a quiet moment to compare metrics with the CLI" "$j1" "$j2"
promtool check metrics <"$T/m.txt" >"$T/promtool.log" 2>&1
check "promtool accepts the exposition" "0" "$?$(cat "$T/promtool.log")"
mx() { awk -v k="$1{poller=\"$2\"}" '$1 == k { print $2 }' "$T/m.txt"; }
for p in a b; do
	leader=$([ "$(field "$j1" $p leader)" = yes ] && echo 1 || echo 0)
	check "metrics of $p: up, leader, devices, polls, last commit, lag, start" \
		"1 $leader 3 $(field "$j1" $p polled) $(field "$j1" $p last_commit) $(field "$j1" $p lag_s) $(field "$j1" $p since)" \
		"$(mx greenfleet_poller_up $p) $(mx greenfleet_poller_leader $p) $(mx greenfleet_poller_devices $p) $(mx greenfleet_poller_polls_total $p) $(mx greenfleet_poller_last_commit_timestamp_seconds $p) $(mx greenfleet_poller_lag_seconds $p) $(mx greenfleet_poller_start_time_seconds $p)"
done
check "each family has its HELP and TYPE" \
	"up gauge leader gauge devices gauge polls_total counter last_commit_timestamp_seconds gauge lag_seconds gauge start_time_seconds gauge" \
	"$(grep '^# TYPE greenfleet_poller_' "$T/m.txt" | sed 's/^# TYPE greenfleet_poller_//' | paste -sd' ')"
check "and a HELP line each" 7 "$(grep -c '^# HELP greenfleet_poller_' "$T/m.txt")"
# greenfleet-web's /metrics: the same families from the same store.
start_web "$CONF"
curl -s "http://127.0.0.1:$WEB_PORT/metrics" >"$T/web.txt"
"$GREENFLEET" -c "$CONF" metrics >"$T/m.txt"
promtool check metrics <"$T/web.txt" >"$T/promtool.log" 2>&1
check "promtool accepts /metrics" "0" "$?$(cat "$T/promtool.log")"
steady() { grep -E '^greenfleet_poller_(up|leader|devices)\{' "$1"; }
check "/metrics: up, leader and devices of each poller as greenfleet metrics says" \
	"$(steady "$T/m.txt" | paste -sd' ')" "$(steady "$T/web.txt" | paste -sd' ')"
check "/metrics: two pollers in each of the 7 families" 14 "$(grep -c '^greenfleet_poller_' "$T/web.txt")"
# /pollers: the page shows the CLI's rows. Polls move with each round: take the
# JSON, then the page, until the page shows that JSON's rows (20 tries).
base=http://127.0.0.1:$WEB_PORT
prow() { # JSON POLLER: the opening cells of its row as /pollers writes them
	printf '<tr id="poller-%s"><td>%s</td><td>%s</td><td class="num">%s</td><td><span class="st st-alive">alive</span></td><td>%s</td><td class="num">3</td><td class="num">%s</td>' \
		"$2" "$2" "$(hostname | cut -c1-16)" "$(field "$1" "$2" pid)" "$(field "$1" "$2" leader)" \
		"$(field "$1" "$2" polled)"
}
for _ in $(seq 1 20); do
	j1=$(pollers --format json)
	curl -s "$base/pollers?lang=en" | tr '\n' ' ' >"$T/pollers.flat"
	grep -qF "$(prow "$j1" a)" "$T/pollers.flat" && grep -qF "$(prow "$j1" b)" "$T/pollers.flat" && break
	sleep 0.3
done
for p in a b; do
	check "/pollers: $p's row as greenfleet pollers (pid, alive, leader, 3 devices, polls)" 1 \
		"$(grep -cF "$(prow "$j1" $p)" "$T/pollers.flat")"
done
LEADER_NOW=$([ "$(field "$j1" a leader)" = yes ] && echo a || echo b)
check_match "/pollers: 2 / 2 alive, the leader named" \
	"<span class=\"n\">2</span> / 2 pollers alive\\. Leader \\(judges quotas, sends mail\\): <strong>$LEADER_NOW</strong>" \
	"$(cat "$T/pollers.flat")"
check "/pollers: French when asked" 1 "$(curl -s "$base/pollers?lang=fr" | grep -c '2 collecteurs actifs')"
check "/pollers/x is no page: 404" 404 \
	"$(http_code /pollers/x)"
if command -v chromium >/dev/null 2>&1; then
	browse pollers "/pollers?lang=en"
	check "/pollers in Chromium: a 1280x900 screenshot" 1280x900 "$(png_size "$T/pollers.png")"
	check_match "/pollers in Chromium: both rows in the DOM" 'id="poller-a".*id="poller-b"' \
		"$(cat "$T/pollers.flat")"
else
	echo "# chromium is not installed: /pollers is checked by curl only"
fi
check "one department's metrics have no poller family" 0 \
	"$("$GREENFLEET" -c "$CONF" metrics --department urbanisme | grep -c greenfleet_poller_)"

# SIGTERM of the one that does not lead: its leases come back, the leader takes all six.
stop_daemon "$OPID"
wait_summary "$(echo "$LEADER:alive:yes:$N $OTHER:stopped:no:0" | tr ' ' '\n' | sort | paste -sd' ')" 60 ||
	fail "after SIGTERM of $OTHER: $(pollers 2>&1)"
j=$(pollers --format json)
check "after SIGTERM of $OTHER: $LEADER holds all, $OTHER stopped" \
	"$(echo "$LEADER:alive:yes:$N $OTHER:stopped:no:0" | tr ' ' '\n' | sort | paste -sd' ')" "$(summary "$j")"
"$GREENFLEET" -c "$CONF" metrics >"$T/m.txt"
check "metrics after SIGTERM: $OTHER down with 0 devices, $LEADER up with $N" "0 0 1 $N" \
	"$(mx greenfleet_poller_up $OTHER) $(mx greenfleet_poller_devices $OTHER) $(mx greenfleet_poller_up $LEADER) $(mx greenfleet_poller_devices $LEADER)"

# kill -9 of the last one: no clean stop, so its row lapses a lease (8 s) after its
# last beat, its leases still in its name (no one is left to take them).
kill -9 "$LPID"
wait_summary "$(echo "$LEADER:lapsed:no:$N $OTHER:stopped:no:0" | tr ' ' '\n' | sort | paste -sd' ')" 60 ||
	fail "after kill -9 of $LEADER: $(pollers 2>&1)"
check "after kill -9: $LEADER lapsed, its $N leases waiting" \
	"$(echo "$LEADER:lapsed:no:$N $OTHER:stopped:no:0" | tr ' ' '\n' | sort | paste -sd' ')" \
	"$(summary "$(pollers --format json)")"
check "greenfleet_poller_up of $LEADER is 0 now" 0 \
	"$("$GREENFLEET" -c "$CONF" metrics | awk -v k="greenfleet_poller_up{poller=\"$LEADER\"}" '$1 == k { print $2 }')"
finish
