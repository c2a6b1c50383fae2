#!/bin/sh
# The daemon in the foreground: polls spread over the interval, SIGTERM stops it cleanly,
# and kill -9 never leaves the state database damaged.
. "$(dirname "$0")/lib.sh"
need state rrdtool

start_snmpsim sharp_mx-3570n hp_laserjet-mfp-m130nw konica_bizhub-c250i ricoh_aficio-mp-c3002
CONF=$T/gf.conf
INTERVAL=10 write_conf "$CONF" "devices = (
$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw),
$(device konica printer 127.0.0.1 "$SIM_PORT" konica_bizhub-c250i),
$(device ricoh printer 127.0.0.1 "$SIM_PORT" ricoh_aficio-mp-c3002)
);"
q() { state_sql "$1" 2>/dev/null; }

$GF_WRAP "$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
# Four devices over 10 s: one every 2.5 s; batches commit within 3 s, so by 11.5 s all four
# are stored, their poll times spread over >= 6 s.
sleep 11.5
check "all four polled in the first interval" 4 "$(q "select count(*) from device_state where reachable = 1")"
spread=$(q "select max(last_poll) - min(last_poll) from device_state")
check "polls spread over the interval, not all at once" yes "$([ "${spread:-0}" -ge 6 ] && echo yes || echo "no: ${spread}s")"
# RRD samples are written while the daemon runs, not only at exit: every file
# reaches the committed poll time of its device (rechecked for up to 4 s).
polls=$(q "select id || ' ' || last_poll from device_state order by id")
behind=x
for _ in $(seq 1 16); do
	behind=$(echo "$polls" | while read -r id t; do
		last=$(rrdtool lastupdate "$T/data/rrd/$id.rrd" 2>/dev/null | awk 'NR == 3 { print $1 + 0 }')
		[ "${last:-0}" -ge "$t" ] || echo "$id"
	done)
	[ -z "$behind" ] && break
	sleep 0.25
done
check "RRD files written while running, not only at exit" "" "$behind"
kill -TERM $gf
wait $gf
check "SIGTERM: clean exit 0" 0 $?
check_match "SIGTERM: says it stopped" "stopped: [0-9]+ polls" "$(cat "$T/daemon.log")"
check "database intact" ok "$(q "pragma integrity_check")"

# kill -9 in the middle of polling, over and over: the database stays whole and right.
for i in 1 2 3 4 5; do
	"$GREENFLEETD" -c "$CONF" --once 2>/dev/null &
	pid=$!
	sleep 0.0$((i * 2))
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check "after kill -9 #$i: integrity" ok "$(q "pragma integrity_check")"
done
"$GREENFLEETD" -c "$CONF" --once 2>"$T/after.log"
"$GREENFLEETD" -c "$CONF" --once 2>>"$T/after.log"
check "runs within the same second as the last sample do not fail" "" "$(grep -E '\[(warning|error)\]' "$T/after.log")"
check "after the kills a clean run stores everything" "hp|15232
konica|33810
ricoh|271871
sharp|121104" "$(q "select id, lifecount from device_state order by id")"
check "RRD still readable" 19 "$(rrd_last "$T/data/rrd/sharp.rrd" toner)"
finish
