#!/bin/sh
# Datagrams nobody asked for, sent to the daemon's SNMP sockets between polls (garbage,
# and a well-formed GetResponse carrying a huge page counter): they are read and dropped,
# the daemon does not spin on them, no page is counted, and the next polls are normal.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim sharp_mx-3570n hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
INTERVAL=10 write_conf "$CONF" "devices = (
$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
q() { state_sql "$1" 2>/dev/null; }

$GF_WRAP "$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
GF=$!
PIDS="$PIDS $GF"
polled() { [ "$(q "select count(*) from device_state where reachable = 1")" = 2 ]; }
wait_for polled || { cat "$T/daemon.log"; }
check "both printers polled" "hp|15232
sharp|121104" "$(q "select id, lifecount from device_state order by id")"
first=$(q "select max(last_poll) from device_state")

# The daemon's UDP sockets: their inodes in /proc/PID/fd, their ports in /proc/net/udp.
inodes=$(ls -l "/proc/$GF/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p' | tr '\n' ' ')
ports=""
for hex in $(awk -v inodes=" $inodes " 'NR > 1 && index(inodes, " " $10 " ") { split($2, a, ":"); print a[2] }' /proc/net/udp); do
	ports="$ports $((0x$hex))"
done
echo "# daemon UDP ports: $ports"
check "the daemon keeps a socket per printer between polls" 2 "$(echo $ports | wc -w)"

cpu() { awk '{ print $14 + $15 }' "/proc/$GF/stat"; }
c0=$(cpu)
# 200 datagrams per socket: random bytes, and a GetResponse (request-id 4242, which
# the daemon never sent) saying prtMarkerLifeCount = 4000000000.
$PY - $ports <<'EOF'
import os, socket, sys
def tlv(t, v): return bytes([t, len(v)]) + v
oid = bytes([0x2b, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1])
vb = tlv(0x30, tlv(0x06, oid) + tlv(0x41, (4000000000).to_bytes(5, "big")))
pdu = tlv(0xa2, tlv(0x02, (4242).to_bytes(2, "big")) + tlv(0x02, b"\0") + tlv(0x02, b"\0") + tlv(0x30, vb))
msg = tlv(0x30, tlv(0x02, b"\1") + tlv(0x04, b"sharp_mx-3570n") + pdu)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port in sys.argv[1:]:
    for i in range(100):
        s.sendto(os.urandom(1 + i * 7), ("127.0.0.1", int(port)))
        s.sendto(msg, ("127.0.0.1", int(port)))
EOF
sleep 3
c1=$(cpu)
echo "# daemon CPU over the 3 s after the datagrams: $((c1 - c0)) ticks"
check "the daemon did not spin on them (< 50 ticks in 3 s)" yes "$([ $((c1 - c0)) -lt 50 ] && echo yes || echo no)"
check "still running" yes "$(kill -0 "$GF" 2>/dev/null && echo yes || echo no)"

# The next polls (every 10 s) read the real counters.
again() { [ "$(q "select count(*) from device_state where last_poll > $first and reachable = 1")" = 2 ]; }
for _ in 1 2 3; do again && break; wait_for again; done
check "the next polls are answered" "hp|1|15232
sharp|1|121104" "$(q "select id, reachable, lifecount from device_state order by id")"
check "no page counted from the forged answer" "0|hp|15232
0|sharp|121104" "$(q "select odometer, device, last from meter where counter = 'total' order by device")"
check "no ledger row" 0 "$(q "select count(*) from ledger")"
check "no garbage event" 0 "$(q "select count(*) from audit where event != 'baseline'")"
finish
