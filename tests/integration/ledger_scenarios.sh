#!/bin/sh
# The page ledger over three faked weeks: one --once run per poll, the recordings
# rewritten between runs. Two printers:
#   p  Printer-MIB life count only (Counter32, no profile), department urbanisme then
#      etat-civil: steady growth, a poll just after local midnight, a Counter32 wrap,
#      a reset to 0, a board swap (new serial), a garbage spike then back to normal,
#      a 3-day outage, a department move, a device swap (new sysObjectID).
#   h  HP profile (INTEGER counters, total and mono), department etat-civil: an INTEGER
#      wrap, a garbage jump that the next poll confirms, the same outage.
# Every expected figure is an exact integer worked out by hand below.
. "$(dirname "$0")/lib.sh"
need faketime state

TIMEOUT_MS=500 RETRIES=1
export TZ=Europe/Paris
start_snmpsim scenario_ledger scenario_ledger-int
SIM_PID=${PIDS##* }
CONF=$T/gf.conf
P=$T/sim/scenario_ledger.snmprec
H=$T/sim/scenario_ledger-int.snmprec
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
SERIAL=1.3.6.1.2.1.43.5.1.1.17.1
OBJID=1.3.6.1.2.1.1.2.0
HPTOTAL=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HPMONO=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0

# conf DEPT_OF_P: the two printers; p's department is the argument.
conf() {
	write_conf "$CONF" "devices = (
$(device p printer 127.0.0.1 "$SIM_PORT" scenario_ledger "$1"),
$(device h printer 127.0.0.1 "$SIM_PORT" scenario_ledger-int etat-civil) );"
}

# set_rec (lib.sh) rewrites a recording as snmpsim wants it.

# poll 'YYYY-MM-DD HH:MM': one --once run with the clock (Europe/Paris) at that time.
poll() {
	echo "--- poll at $1" >>"$T/daemon.log"
	faketime -f "@$1:00" $GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1 exited $?"
}
ts() { date -d "$1" +%s; }
q() { state_sql -s ' ' "$1"; }
# snmp OID COMMUNITY: what snmpsim serves now (checks a rewrite took).
snmp() { snmpget -v2c -c "$2" -t 1 -r 1 -Oqv 127.0.0.1:"$SIM_PORT" "$1" 2>/dev/null; }
ledger() { q "select day, department, counter, pages from ledger where device = '$1'
	order by day, department, counter"; }
total() { q "select coalesce(sum(pages), 0) from ledger where $1"; }
# The audit rows, their times to the minute: a loaded machine (or a PostgreSQL store
# to connect to) may start a poll a second after its faked minute.
audit() { "$GREENFLEET" -c "$CONF" audit "$1" --format tsv |
	awk -F '\t' -v OFS='\t' '{ $1 = $1 - $1 % 60; print }'; }
counted() { "$GREENFLEET" -c "$CONF" counters "$1" --format tsv | awk -F '\t' -v c="$2" '$1 == c { print $2, $6 }'; }

conf urbanisme

# 2 Nov 09:00: first values are baselines, nothing counted.
poll '2026-11-02 09:00'
check "baselines: ledger empty" 0 "$(total "1 = 1")"
check "baselines: p's meter" "4294966000 4294966000 0" "$(q "select value, last, odometer from meter where device = 'p' and counter = 'total'")"
check "baselines: h's counters from the HP profile" "mono profile 2147482000
total profile 2147482000" "$(q "select counter, src, last from meter where device = 'h' order by counter")"

# 2 Nov 17:00: steady growth.
set_rec "$P" $LIFE 4294966250
set_rec "$H" $HPTOTAL 2147482500 $HPMONO 2147482500
check "rewrite served" 4294966250 "$(snmp $LIFE scenario_ledger)"
poll '2026-11-02 17:00'

# 3 Nov 00:30 local (2 Nov 23:30 UTC): the pages belong to the local day, 3 Nov.
set_rec "$P" $LIFE 4294966600
set_rec "$H" $HPTOTAL 2147483000 $HPMONO 2147483000
poll '2026-11-03 00:30'

# 3 Nov 09:00: p grows to just below 2^32; h's INTEGER counters wrap at 2^31:
# 2147483648 - 2147483000 + 300 = 948 pages.
set_rec "$P" $LIFE 4294967000
set_rec "$H" $HPTOTAL 300 $HPMONO 300
check "INTEGER wrap served" 300 "$(snmp $HPTOTAL scenario_ledger-int)"
poll '2026-11-03 09:00'
check "INTEGER wrap: 948 pages on 3 Nov (500 + 948), total and mono" "2026-11-02 etat-civil mono 500
2026-11-02 etat-civil total 500
2026-11-03 etat-civil mono 1448
2026-11-03 etat-civil total 1448" "$(ledger h)"

# 4 Nov: p's Counter32 wraps: 4294967296 - 4294967000 + 200 = 496 pages.
# h jumps by 4999700 in a day (allowance 300 ppm x 1440 min = 432000): garbage.
set_rec "$P" $LIFE 200
set_rec "$H" $HPTOTAL 5000000 $HPMONO 5000000
poll '2026-11-04 09:00'
check "Counter32 wrap: 496 pages on 4 Nov" 496 "$(total "device = 'p' and day = '2026-11-04'")"
check "h garbage: nothing counted on 4 Nov" 0 "$(total "device = 'h' and day = '2026-11-04'")"
check "h garbage: baseline kept, value held as suspect" "mono 300 5000000
total 300 5000000" "$(q "select counter, last, suspect from meter where device = 'h' order by counter")"

# 5 Nov: p grows; h goes on from the suspect: the jump was real, only the 400 after it count.
set_rec "$P" $LIFE 700
set_rec "$H" $HPTOTAL 5000400 $HPMONO 5000400
poll '2026-11-05 09:00'
check "h confirmed: 400 pages on 5 Nov" "mono 400
total 400" "$(q "select counter, pages from ledger where device = 'h' and day = '2026-11-05' order by counter")"
check "h confirmed: suspect cleared, new baseline" "mono 5000400 
total 5000400 " "$(q "select counter, last, suspect from meter where device = 'h' order by counter")"

# 6 Nov 09:00: p resets to 0: new baseline, nothing counted. 15:00: 120 pages.
set_rec "$P" $LIFE 0
poll '2026-11-06 09:00'
check "reset: nothing counted" 0 "$(total "device = 'p' and day = '2026-11-06'")"
set_rec "$P" $LIFE 120
poll '2026-11-06 15:00'
check "after the reset: 120 pages on 6 Nov" 120 "$(total "device = 'p' and day = '2026-11-06'")"

# 7 Nov: a new formatter board: new serial, counter at 50. Nothing counted.
set_rec "$P" $SERIAL LGR0000002 $LIFE 50
poll '2026-11-07 09:00'
check "board swap: nothing counted" 0 "$(total "day = '2026-11-07'")"
check "board swap: new identity kept" "LGR0000002 1.3.6.1.4.1.99999.7" "$(q "select serial, sys_object_id from meter_ident where device = 'p'")"

# 8 Nov: 250 pages from the new board's baseline.
set_rec "$P" $LIFE 300
poll '2026-11-08 09:00'

# 9 Nov: a garbage spike (9000000 in a day); 10 Nov: back to normal, 500 more than the
# baseline: counted as usual, in two days' allowance.
set_rec "$P" $LIFE 9000000
poll '2026-11-09 09:00'
check "spike: not counted" 0 "$(total "device = 'p' and day = '2026-11-09'")"
check "spike: held as suspect" "300 9000000" "$(q "select last, suspect from meter where device = 'p' and counter = 'total'")"
set_rec "$P" $LIFE 800
poll '2026-11-10 09:00'
check "after the spike: 500 pages on 10 Nov, suspect dropped" "800 " "$(q "select last, suspect from meter where device = 'p' and counter = 'total'")"

# 11-13 Nov: both printers stop answering; 5000 (p) and 1000 (h) pages are printed.
kill -STOP "$SIM_PID"
poll '2026-11-11 09:00'
poll '2026-11-12 09:00'
poll '2026-11-13 09:00'
check "outage: both unreachable" "h 0
p 0" "$(q "select id, reachable from device_state order by id")"
check "outage: nothing in the ledger" 0 "$(total "day between '2026-11-11' and '2026-11-13'")"
set_rec "$P" $LIFE 5800
set_rec "$H" $HPTOTAL 5001400 $HPMONO 5001400
kill -CONT "$SIM_PID"
# 14 Nov: back: the outage's pages are counted once, on the day they are seen.
poll '2026-11-14 09:00'
check "outage over: both reachable" "h 1
p 1" "$(q "select id, reachable from device_state order by id")"
check "outage: pages counted on 14 Nov" "h total 1000
p total 5000" "$(q "select device, counter, pages from ledger where day = '2026-11-14' and counter = 'total' order by device")"
poll '2026-11-15 09:00'
check "outage: counted once (a poll later, nothing more)" 0 "$(total "day = '2026-11-15'")"

# 16 Nov: 100 pages in the morning in urbanisme; p moves to etat-civil at noon;
# 100 pages in the afternoon and 300 on 17 Nov go to etat-civil.
set_rec "$P" $LIFE 5900
poll '2026-11-16 09:00'
conf etat-civil
set_rec "$P" $LIFE 6000
poll '2026-11-16 15:00'
set_rec "$P" $LIFE 6300
poll '2026-11-17 09:00'
check "department move: device state follows" etat-civil "$(q "select department from device_state where id = 'p'")"

# 17 Nov 15:00: p is replaced by another model (new sysObjectID, same serial): swap.
# 18 Nov: 60 pages from its baseline of 10.
set_rec "$P" $OBJID 1.3.6.1.4.1.99999.8 $LIFE 10
poll '2026-11-17 15:00'
set_rec "$P" $LIFE 70
poll '2026-11-18 09:00'

# The whole ledger, to the page.
check "p: ledger per day and department" "2026-11-02 urbanisme total 250
2026-11-03 urbanisme total 750
2026-11-04 urbanisme total 496
2026-11-05 urbanisme total 500
2026-11-06 urbanisme total 120
2026-11-08 urbanisme total 250
2026-11-10 urbanisme total 500
2026-11-14 urbanisme total 5000
2026-11-16 etat-civil total 100
2026-11-16 urbanisme total 100
2026-11-17 etat-civil total 300
2026-11-18 etat-civil total 60" "$(ledger p)"
check "h: ledger per day" "2026-11-02 etat-civil mono 500
2026-11-02 etat-civil total 500
2026-11-03 etat-civil mono 1448
2026-11-03 etat-civil total 1448
2026-11-05 etat-civil mono 400
2026-11-05 etat-civil total 400
2026-11-14 etat-civil mono 1000
2026-11-14 etat-civil total 1000" "$(ledger h)"
check "p: device total" 8426 "$(total "device = 'p' and counter = 'total'")"
check "h: device total" 3348 "$(total "device = 'h' and counter = 'total'")"
check "h: device mono" 3348 "$(total "device = 'h' and counter = 'mono'")"
check "urbanisme total (p before the move)" 7966 "$(total "department = 'urbanisme' and counter = 'total'")"
check "etat-civil total (h, and p after the move)" 3808 "$(total "department = 'etat-civil' and counter = 'total'")"
check "etat-civil mono (h)" 3348 "$(total "department = 'etat-civil' and counter = 'mono'")"
check "p: pages counted (odometer) = ledger" "70 8426" "$(counted p total)"
check "h: pages counted (odometer) = ledger" "5001400 3348" "$(counted h total)"
check "h: mono counted" "5001400 3348" "$(counted h mono)"

# The audit trail, with old and new values.
check "p: audit" "$(ts '2026-11-02 09:00')	p	total	baseline	0	4294966000	$LIFE
$(ts '2026-11-04 09:00')	p	total	wrap	4294967000	200	$LIFE
$(ts '2026-11-06 09:00')	p	total	reset	700	0	$LIFE
$(ts '2026-11-07 09:00')	p	total	swap	120	50	serial LGR0000001 -> LGR0000002 (printer-mib)
$(ts '2026-11-09 09:00')	p	total	garbage	300	9000000	$LIFE
$(ts '2026-11-17 15:00')	p	total	swap	6300	10	sysObjectID 1.3.6.1.4.1.99999.7 -> 1.3.6.1.4.1.99999.8" "$(audit p)"
check "h: audit" "$(ts '2026-11-02 09:00')	h	total	baseline	0	2147482000	$HPTOTAL
$(ts '2026-11-02 09:00')	h	mono	baseline	0	2147482000	$HPMONO
$(ts '2026-11-03 09:00')	h	total	wrap	2147483000	300	$HPTOTAL
$(ts '2026-11-03 09:00')	h	mono	wrap	2147483000	300	$HPMONO
$(ts '2026-11-04 09:00')	h	total	garbage	300	5000000	$HPTOTAL
$(ts '2026-11-04 09:00')	h	mono	garbage	300	5000000	$HPMONO
$(ts '2026-11-05 09:00')	h	total	confirmed	300	5000400	$HPTOTAL
$(ts '2026-11-05 09:00')	h	mono	confirmed	300	5000400	$HPMONO" "$(audit h)"
finish
