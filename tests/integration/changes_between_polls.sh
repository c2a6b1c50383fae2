#!/bin/sh
# The daemon follows a device that changes between polls: pages printed, toner used.
# (It must not keep stale supplies when it skips rewriting unchanged tables.)
. "$(dirname "$0")/lib.sh"
need state rrdtool

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
# rrd_batch = 2: RRD samples are written two at a time, like collectd's CacheTimeout.
INTERVAL=10 write_conf "$CONF" "rrd_batch = 2;
devices = ( $(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
q() { state_sql "$1" 2>/dev/null; }

$GF_WRAP "$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
until_q() { # SQL EXPECTED: waits up to 15 s for the query to give EXPECTED
	for _ in $(seq 1 60); do [ "$(q "$1")" = "$2" ] && return 0; sleep 0.25; done
	return 1
}
until_q "select lifecount from device_state where id='hp'" 15232
check "first poll: pages" 15232 "$(q "select lifecount from device_state where id='hp'")"
check "first poll: toner 28" 28 "$(q "select level from supply where device='hp' and idx=1")"
check "first RRD sample held back (rrd_batch 2)" U "$(rrd_last "$T/data/rrd/hp.rrd" toner)"

# 40 pages later the cartridge is at 27 %: rewrite the recording as snmpsim wants it
# (the Printer-MIB life count and HP's own total and mono counters all move).
sed -e 's/^1.3.6.1.2.1.43.10.2.1.4.1.1|65|15232$/1.3.6.1.2.1.43.10.2.1.4.1.1|65|15272/' \
	-e 's/^\(1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.[56].0\)|2|15232$/\1|2|15272/' \
	-e 's/^1.3.6.1.2.1.43.11.1.1.9.1.1|2|28$/1.3.6.1.2.1.43.11.1.1.9.1.1|2|27/' \
	"$T/sim/hp_laserjet-mfp-m130nw.snmprec" >"$T/new.snmprec"
check "scenario edit took" 4 "$(diff "$T/sim/hp_laserjet-mfp-m130nw.snmprec" "$T/new.snmprec" | grep -c '^>')"
mv "$T/new.snmprec" "$T/sim/hp_laserjet-mfp-m130nw.snmprec"
touch -d "@$(( $(date +%s) + 2 ))" "$T/sim/hp_laserjet-mfp-m130nw.snmprec"
chmod a+r "$T/sim/hp_laserjet-mfp-m130nw.snmprec"

until_q "select lifecount from device_state where id='hp'" 15272
check "second poll: pages" 15272 "$(q "select lifecount from device_state where id='hp'")"
check "second poll: toner follows" 27 "$(q "select level from supply where device='hp' and idx=1")"
check "second poll: other supplies kept" "Imaging Drum HP CF219A|71" "$(q "select descr, level from supply where device='hp' and idx=5")"
sleep 1
check "both samples written together: 40 pages counted" 40 "$(rrd_last "$T/data/rrd/hp.rrd" total)"
check "RRD mono follows the ledger" 40 "$(rrd_last "$T/data/rrd/hp.rrd" mono)"
check "ledger: 40 pages, total and mono" "mono|40
total|40" "$(q "select counter, sum(pages) from ledger where device='hp' group by counter order by counter")"
check "RRD toner follows" 27 "$(rrd_last "$T/data/rrd/hp.rrd" toner)"
kill -TERM $gf
wait $gf
check "clean exit" 0 $?
check "department series: the ledger's 40 pages" 40 "$(rrd_last "$T/data/rrd/departments/urbanisme.rrd" total)"
check "department series: mono" 40 "$(rrd_last "$T/data/rrd/departments/urbanisme.rrd" mono)"
check "department series: colour" 0 "$(rrd_last "$T/data/rrd/departments/urbanisme.rrd" colour)"
# One --once poll with rrd_batch 2 holds its only sample: it must be written at exit.
sleep 1
"$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log"
check "a sample held at exit is flushed" "$(q "select last_poll from device_state where id='hp'")" "$(rrdtool lastupdate "$T/data/rrd/hp.rrd" | awk 'NR == 3 { print $1 + 0 }')"
finish
