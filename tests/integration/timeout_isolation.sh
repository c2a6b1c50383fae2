#!/bin/sh
# Dead devices never delay healthy ones, and `concurrency` really bounds what is in flight.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim sharp_mx-3570n hp_laserjet-mfp-m130nw ricoh_aficio-mp-c3002
# A UDP port that swallows everything: an SNMPv3 device that never answers engine discovery.
$PY -u -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1]); time.sleep(120)' >"$T/blackhole.port" &
PIDS="$PIDS $!"
wait_for test -s "$T/blackhole.port"
HOLE=$(cat "$T/blackhole.port")
CONF=$T/gf.conf
devs="  { id = \"deadv3\"; kind = \"workstation\"; host = \"127.0.0.1\"; port = $HOLE; department = \"urbanisme\";
    snmp = { version = \"3\"; user = \"gf\"; auth_password = \"12345678\"; priv_password = \"12345678\"; }; },
"
for i in 1 2 3 4 5 6; do
	devs="$devs$(device "dead$i" printer 127.0.0.1 "$SIM_PORT" "nobody-home-$i"),
"
done
devs="$devs$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw),
$(device ricoh printer 127.0.0.1 "$SIM_PORT" ricoh_aficio-mp-c3002)"
# Dead devices (one SNMPv3) come first in the file and each costs 3 s x 2 tries.
TIMEOUT_MS=3000 RETRIES=1 CONCURRENCY=16 write_conf "$CONF" "devices = (
$devs
);"

start=$(date +%s%N)
"$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log" &
gf=$!
q() { state_sql "$1" 2>/dev/null; }
# The healthy rows are looked for until they are there (a loaded machine is slow to
# start), then the daemon must still be waiting: the dead ones take 6 s.
healthy() { q "select id, reachable, lifecount from device_state where reachable = 1 order by id"; }
i=0
while [ $i -lt 50 ] && [ "$(healthy | wc -l)" -lt 3 ]; do sleep 0.1; i=$((i + 1)); done
check "healthy devices stored while the dead still time out" "hp|1|15232
ricoh|1|271871
sharp|1|121104" "$(healthy)"
check "the daemon is still waiting for the dead ones" yes "$(kill -0 $gf 2>/dev/null && echo yes || echo no)"
wait $gf
check "--once exits 0" 0 $?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check "six dead devices time out in parallel (~6 s, not 36 s)" yes "$([ $elapsed -ge 5500 ] && [ $elapsed -lt 12000 ] && echo yes || echo "no: $elapsed ms")"
check "dead devices are down" 7 "$(q "select count(*) from device_state where reachable = 0 and error like 'no answer after 3000 ms x 2'")"
check "each dead device logged once" 6 "$(grep -c 'poll: dead[0-9].*unreachable' "$T/daemon.log")"

# concurrency = 2 with four dead devices (1 s, no retry): two waves, so about 2 s.
rm -rf "$T/data"
TIMEOUT_MS=1000 RETRIES=0 CONCURRENCY=2 write_conf "$CONF" "devices = (
$(device d1 printer 127.0.0.1 "$SIM_PORT" x1),
$(device d2 printer 127.0.0.1 "$SIM_PORT" x2),
$(device d3 printer 127.0.0.1 "$SIM_PORT" x3),
$(device d4 printer 127.0.0.1 "$SIM_PORT" x4)
);"
start=$(date +%s%N)
"$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check "concurrency 2: four 1 s timeouts take two waves" yes "$([ $elapsed -ge 1900 ] && [ $elapsed -lt 3500 ] && echo yes || echo "no: $elapsed ms")"
finish
