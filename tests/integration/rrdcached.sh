#!/bin/sh
# RRD updates through a real rrdcached (the `rrdcached` key), flushed when the daemon stops.
. "$(dirname "$0")/lib.sh"
need rrdcached rrdtool

start_snmpsim sharp_mx-3570n hp_laserjet-mfp-m130nw
mkdir -p "$T/data/rrd"
rrdcached -g -l "unix:$T/rrdc.sock" -b "$T/data/rrd" -B -w 3600 -f 7200 -z 1 -F -p "$T/rrdcached.pid" \
	>"$T/rrdcached.log" 2>&1 &
PIDS="$PIDS $!"
wait_for test -S "$T/rrdc.sock" || { echo "rrdcached did not start"; exit 99; }

CONF=$T/gf.conf
write_conf "$CONF" "rrdcached = \"unix:$T/rrdc.sock\";
devices = (
$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw)
);"
$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "--once through rrdcached exits 0" 0 $?
# -w 3600: rrdcached would hold the update for an hour; the file has it only if we flushed.
check "sharp toner on disk after the daemon's flush" 19 "$(rrd_last "$T/data/rrd/sharp.rrd" toner)"
check "sharp page counter baseline on disk" 0 "$(rrd_last "$T/data/rrd/sharp.rrd" total)"
check "hp toner on disk" 28 "$(rrd_last "$T/data/rrd/hp.rrd" toner)"
stats=$($PY - "$T/rrdc.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"STATS\n")
f = s.makefile("r")
head = f.readline()
print(head, end="")
for _ in range(int(head.split()[0])):
    print(f.readline(), end="")
PY
)
check_match "rrdcached saw our updates" "UpdatesReceived: [1-9]" "$stats"

# A wrong socket is a clear startup error, not a crash.
write_conf "$T/bad.conf" "rrdcached = \"unix:$T/nowhere.sock\";
devices = ( $(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n) );"
"$GREENFLEETD" -c "$T/bad.conf" --once 2>"$T/bad.log"
check "unreachable rrdcached: exit 1" 1 $?
check_match "and says why" "cannot connect to rrdcached at unix:$T/nowhere.sock" "$(cat "$T/bad.log")"

# A damaged file is checked by path before rrdcached is given it: set aside, made anew.
printf '\0\0\0\0\0\0\0\0' | dd of="$T/data/rrd/hp.rrd" bs=1 seek=40 conv=notrunc status=none
cp "$T/data/rrd/hp.rrd" "$T/hp.damaged"
sleep 1
"$GREENFLEETD" -c "$CONF" --once 2>"$T/damaged.log"
check "damaged file with rrdcached: exit 0" 0 $?
check_match "it says which file and why" "rrd: hp: $T/data/rrd/hp.rrd is damaged \(pdp_step is 0\): set aside" \
	"$(cat "$T/damaged.log")"
check "set aside byte for byte" same "$(cmp -s "$T/hp.damaged" "$T"/data/rrd/hp.rrd.damaged-* && echo same)"
check "rrdcached still runs" yes "$(kill -0 "$(cat "$T/rrdcached.pid")" 2>/dev/null && echo yes)"
check "the new file has the sample, through rrdcached" 28 "$(rrd_last "$T/data/rrd/hp.rrd" toner)"
finish
