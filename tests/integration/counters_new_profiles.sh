#!/bin/sh
# The Samsung, FUJIFILM, Brother and Epson profiles, on recordings written from
# their MIBs (base rows of the real recordings plus the vendor rows): matched on
# their family's sysObjectID arc, read exactly over two polls, each total
# cross-checked against prtMarkerLifeCount. A Samsung whose counters sum far
# below its life count is rejected: the life count is the ledger's total.
# The real FUJIFILM and Epson recordings get their profile and stay "no page
# counter" (they have none), never 0 pages.
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=Europe/Paris
NAMES="scenario_samsung scenario_samsung-low scenario_fujifilm scenario_brother scenario_epson-wf fujifilm_apeos-c7580 fujifilm_apeospro-c810 epson_wf-c5790"
start_snmpsim $NAMES
CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(printer_devices $NAMES)
);"
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1

poll() {
	faketime -f "@$1:00" $GF_WRAP "$GREENFLEETD" -d -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1 exited $?"
}
q() { state_sql -s ' ' "$1"; }
# counters DEVICE COUNTER: value|unit|source|counted|reason (tsv columns 2, 3, 4, 6, 7)
c() { "$GREENFLEET" -c "$CONF" counters "$1" --format tsv |
	awk -F '\t' -v k="$2" '$1 == k { print $2 "|" $3 "|" $4 "|" $6 "|" $7 }'; }
plan() { sed -n "s/.*poll: $1: [0-9.]*: reading plan \\(.*\\)/\\1/p" "$T/daemon.log" | head -1; }
ledger() { q "select counter, pages from ledger where device = '$1' order by counter"; }

poll '2026-11-02 09:00'
poll '2026-11-02 09:10'

# Each family gets its profile, on the narrowest key.
for n in scenario_samsung scenario_samsung-low; do check "$n plan" samsung "$(plan $n)"; done
for n in scenario_fujifilm fujifilm_apeos-c7580 fujifilm_apeospro-c810; do check "$n plan" fujifilm "$(plan $n)"; done
check "brother plan" brother "$(plan scenario_brother)"
for n in scenario_epson-wf epson_wf-c5790; do check "$n plan" epson "$(plan $n)"; done

# The real recordings have no page counter: never 0 pages.
for n in fujifilm_apeos-c7580 fujifilm_apeospro-c810 epson_wf-c5790; do
	check "$n: no page counter" "$n: no page counter" "$("$GREENFLEET" -c "$CONF" counters "$n" | tail -1)"
	check "$n: status no-counter" no-counter "$(status_field "$n" 6)"
done

# Consistent scenarios: vendor figures, total agreeing with the life count.
check "samsung mono" "28000|impressions|profile|0|" "$(c scenario_samsung mono)"
check "samsung colour" "12000|impressions|profile|0|" "$(c scenario_samsung colour)"
check "samsung total = mono + colour, agrees" \
	"40000|impressions|derived|0|agrees with the Printer-MIB life count 40000" "$(c scenario_samsung total)"
check "fujifilm total" "184220|impressions|profile|0|agrees with the Printer-MIB life count 184220" \
	"$(c scenario_fujifilm total)"
check "fujifilm colour" "61310|impressions|profile|0|" "$(c scenario_fujifilm colour)"
check "fujifilm mono" "122910|impressions|profile|0|" "$(c scenario_fujifilm mono)"
check "brother total = print + fax + copy" "9410|impressions|profile|0|agrees with the Printer-MIB life count 9410" \
	"$(c scenario_brother total)"
check "brother mono" "9410|impressions|profile|0|" "$(c scenario_brother mono)"
check "brother colour is a real 0" "0|impressions|profile|0|" "$(c scenario_brother colour)"
check "brother serial still from its MIB" "000A5J431816 profile:brother" \
	"$(status_field scenario_brother 9) $(status_field scenario_brother 10)"
check "epson total (27.1.1.33)" "25730|impressions|profile|0|agrees with the Printer-MIB life count 25730" \
	"$(c scenario_epson-wf total)"
check "epson black & white (27.1.1.3)" "16402|impressions|profile|0|" "$(c scenario_epson-wf mono)"
check "epson colour (27.1.1.4)" "9328|impressions|profile|0|" "$(c scenario_epson-wf colour)"

# The disagreeing Samsung: 150 + 50 against a life count of 40000.
WHY="derived total 200 is below half the Printer-MIB life count 40000"
check "samsung-low: total is the life count, with the reason" "40000|impressions|printer-mib|0|$WHY" \
	"$(c scenario_samsung-low total)"
check "samsung-low: text says which source and why" "total from printer-mib: $WHY" \
	"$("$GREENFLEET" -c "$CONF" counters scenario_samsung-low | tail -1)"
check "samsung-low: the ledger's baseline is 40000, never 200" "40000 40000 printer-mib" \
	"$(q "select value, last, src from meter where device = 'scenario_samsung-low' and counter = 'total'")"

# Poll 3: every device prints; exact deltas from each source.
S=$T/sim
set_rec "$S/scenario_samsung.snmprec" $LIFE 40030 \
	1.3.6.1.4.1.236.11.5.11.53.11.1.1.0 12010 1.3.6.1.4.1.236.11.5.11.53.11.1.2.0 28020
set_rec "$S/scenario_samsung-low.snmprec" $LIFE 40045
set_rec "$S/scenario_fujifilm.snmprec" $LIFE 184320 1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1 184320 \
	1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33 61335 1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34 122985
B=1.3.6.1.4.1.2435.2.3.9.4.2.1.5.5.52.21.1.3
set_rec "$S/scenario_brother.snmprec" $LIFE 9427 $B.1 6132 $B.3 2885 $B.7 6132 $B.9 2885
set_rec "$S/scenario_epson-wf.snmprec" $LIFE 25760 1.3.6.1.4.1.1248.1.2.2.27.1.1.33.1.1 25760 \
	1.3.6.1.4.1.1248.1.2.2.27.1.1.3.1.1 16410 1.3.6.1.4.1.1248.1.2.2.27.1.1.4.1.1 9350
poll '2026-11-02 09:20'
check "samsung: 20 mono + 10 colour = 30" "colour 10
mono 20
total 30" "$(ledger scenario_samsung)"
check "samsung-low: 45 pages from the life count only" "total 45" "$(ledger scenario_samsung-low)"
check "fujifilm: 100 = 75 mono + 25 colour" "colour 25
mono 75
total 100" "$(ledger scenario_fujifilm)"
check "brother: 12 printed + 5 copied, mono" "mono 17
total 17" "$(ledger scenario_brother)"
check "epson: 30 = 8 black + 22 colour" "colour 22
mono 8
total 30" "$(ledger scenario_epson-wf)"
check "the real recordings count nothing" "" \
	"$(q "select device from ledger where device in ('fujifilm_apeos-c7580', 'fujifilm_apeospro-c810', 'epson_wf-c5790')")"
finish
