#!/bin/sh
# A total that is not the Printer-MIB's is cross-checked against prtMarkerLifeCount at
# every poll; an implausible one is never the ledger's total, and says why.
#   e  an Epson label printer (scenario after the real layout): epson.conf matches every
#      1.3.6.1.4.1.1248 device and reads 27.1.1.33.1.1, which holds 2 here, while the
#      life count (unit 7, impressions) and Epson's own 27.15.1.2.1.1.1 hold 7389.
#   h  the real HP M130nw recording: its HP total agrees with the life count at first,
#      then stays still while the life count rises 100: rejected, and the 100 pages of
#      that interval are counted once, from the life count. Its HP mono goes with the
#      rejected total: no longer counted, and the quota counts the life count's pages
#      as mono, so the department is charged 150 pages, not 50.
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=Europe/Paris
start_snmpsim scenario_epson-label hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
DEPARTMENTS='  { id = "urbanisme"; name = "Urbanisme"; },
  { id = "etat-civil"; name = "État civil"; quota = { period = "month"; mono = 1000; }; }'
H=$T/sim/hp_laserjet-mfp-m130nw.snmprec
E=$T/sim/scenario_epson-label.snmprec
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
HPTOTAL=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HPMONO=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0
write_conf "$CONF" "devices = (
$(device e printer 127.0.0.1 "$SIM_PORT" scenario_epson-label),
$(device h printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw etat-civil) );"

poll() {
	faketime -f "@$1:00" $GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1 exited $?"
}
ts() { date -d "$1" +%s; }
q() { state_sql -s ' ' "$1"; }
# counters DEVICE COUNTER: value|unit|source|counted|reason (tsv columns 2, 3, 4, 6, 7)
c() { "$GREENFLEET" -c "$CONF" counters "$1" --format tsv |
	awk -F '\t' -v k="$2" '$1 == k { print $2 "|" $3 "|" $4 "|" $6 "|" $7 }'; }
audit() { "$GREENFLEET" -c "$CONF" audit "$1" --format tsv | cut -f 3-7; }
ledger() { q "select counter, pages from ledger where device = '$1' order by counter"; }

# Poll 1 (discovery), poll 2: the profile's plan reads the counters.
poll '2026-11-02 09:00'
poll '2026-11-02 09:10'
WHY="profile total 2 is below half the Printer-MIB life count 7389"
check "epson: total is the life count, with the reason" "7389|impressions|printer-mib|0|$WHY" "$(c e total)"
check "epson: text says which source and why" "total from printer-mib: $WHY" \
	"$("$GREENFLEET" -c "$CONF" counters e | tail -1)"
check "epson: the ledger's baseline is 7389, never 2" "7389 7389 printer-mib" \
	"$(q "select value, last, src from meter where device = 'e' and counter = 'total'")"
check "epson: audit: the source choice with its reason, then the baseline" "total	source	2	7389	printer-mib: $WHY
total	baseline	0	7389	$LIFE" "$(audit e)"
check "hp: its own total agrees" "15232|impressions|profile|0|agrees with the Printer-MIB life count 15232" "$(c h total)"

# Poll 3: the Epson prints 12 labels (its vendor OID still says 2): 12 pages.
# The HP prints 40: life count, HP total and mono all move.
set_rec "$E" $LIFE 7401 1.3.6.1.4.1.1248.1.2.2.27.15.1.2.1.1.1 7401
set_rec "$H" $LIFE 15272 $HPTOTAL 15272 $HPMONO 15272
poll '2026-11-02 09:20'
check "epson: 12 pages from the life count" "total 12" "$(ledger e)"
check "hp: 40 pages" "mono 40
total 40" "$(ledger h)"

# Poll 4: the HP's total stays at 15272 while its life count rises 100: rejected.
set_rec "$H" $LIFE 15372
poll '2026-11-02 09:30'
WHYH="profile total rose 0 while the Printer-MIB life count rose 100"
check "hp: the interval's 100 pages counted once, from the life count" "mono 40
total 140" "$(ledger h)"
check "hp: total now from the life count, with the reason" "15372|impressions|printer-mib|140|$WHYH" "$(c h total)"
check "hp: audit: the switch, with its reason" "total	baseline	0	15232	$HPTOTAL
mono	baseline	0	15232	$HPMONO
duplex	baseline	0	0	1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.22.0
jams	baseline	0	12	1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.34.0
total	source	15272	15372	printer-mib: $WHYH
mono	source	15272	15272	not counted: it goes with the rejected total ($WHYH)" "$(audit h)"

# Poll 5: the HP total moves again with the life count: still rejected (for good).
set_rec "$H" $LIFE 15382 $HPTOTAL 15282 $HPMONO 15282
poll '2026-11-02 09:40'
check "hp: rejected for good: 10 more from the life count, none from its mono" "mono 40
total 150" "$(ledger h)"
check "hp: its mono stopped at its last counted value, and says why" \
	"15272|impressions|profile|40|not counted: it goes with the rejected total" "$(c h mono)"
# The quota and the report charge the department the 150 pages, all mono.
check "hp: department report: 150 impressions, 150 mono, 0 colour" "etat-civil,150,150,0" \
	"$("$GREENFLEET" -c "$CONF" report --from 2026-11-01 --to 2026-11-30 --format csv |
	tr -d '\r' | awk -F, '$1 == "etat-civil" { print $1 "," $3 "," $4 "," $5 }')"
check_match "hp: the quota counts the 150 pages" '"used_mono": 150, "used_colour": 0' \
	"$(faketime -f '@2026-11-02 12:00:00' "$GREENFLEET" -c "$CONF" quota --format json)"
check "epson: no new audit event" 2 "$(audit e | wc -l)"
finish
