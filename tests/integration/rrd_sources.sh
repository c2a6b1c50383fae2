#!/bin/sh
# A printer's RRD file holds the series every printer has (total, mono, colour,
# duplex, toner, status) and only the other counters its device reports; a
# counter that appears later is added to the file with its history kept. A file
# of another layout (older version, other order, a foreign source) is written
# by name, never by position.
. "$(dirname "$0")/lib.sh"
need state rrdtool

# "swap" starts as the HP M130nw and becomes the Kyocera 4053ci (print, copy, fax counters).
mkdir -p "$T/sim"
cp "$DATA/hp_laserjet-mfp-m130nw.snmprec" "$T/sim/swap.snmprec"
start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(device p printer 127.0.0.1 "$SIM_PORT" swap),
$(device old printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
R=$T/data/rrd
HP=$T/sim/hp_laserjet-mfp-m130nw.snmprec
ds_list() { rrdtool info "$1" | sed -n 's/^ds\[\([a-z_]*\)\]\.index = .*/\1/p' | tr '\n' ' '; }
once() { "$GREENFLEETD" -c "$CONF" --once 2>>"$T/gf.log" || echo "greenfleetd exited $?"; }

# "old": a file made by someone else, sources in another order and one we do not know.
mkdir -p "$R"
# It has history: toner at 50 % until a minute and a half ago.
rrdtool create "$R/old.rrd" -s 60 -b "$(( $(date +%s) - 300 ))" DS:status:GAUGE:120:1:5 \
	DS:extra:GAUGE:120:U:U DS:total:DERIVE:120:0:U DS:toner:GAUGE:120:0:100 \
	RRA:AVERAGE:0.5:1:100
rrdtool update "$R/old.rrd" "$(( $(date +%s) - 210 )):3:7:100:50" "$(( $(date +%s) - 90 )):3:7:100:50"

check "first run" "" "$(once)"
check "HP file: the six series every printer has, and its jams" "total mono colour duplex jams toner status " \
	"$(ds_list "$R/p.rrd")"
check "a minute's step keeps two days at full resolution" 2880 \
	"$(rrdtool info "$R/p.rrd" | sed -n 's/^rra\[0\]\.rows = //p')"
check "then two weeks of 5-minute rows" "5 4032" \
	"$(rrdtool info "$R/p.rrd" | sed -n 's/^rra\[1\]\.\(pdp_per_row\|rows\) = //p' | sort -n | tr '\n' ' ' | sed 's/ $//')"
check "10 years of daily rows" 3660 "$(rrdtool info "$R/p.rrd" | sed -n 's/^rra\[3\]\.rows = //p')"
check "foreign file: toner written by name" 28 "$(rrd_last "$R/old.rrd" toner)"
check "foreign file: a source we do not know stays unknown" U "$(rrd_last "$R/old.rrd" extra)"
check "foreign file: its order kept, the HP's other counters added (no colour)" \
	"status extra total toner mono duplex jams " "$(ds_list "$R/old.rrd")"

# 40 pages on the HP; "swap" becomes the Kyocera (a new sysObjectID: rediscovered).
sleep 1
set_rec "$HP" 1.3.6.1.2.1.43.10.2.1.4.1.1 15272 1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0 15272 \
	1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0 15272
cp "$DATA/kyocera_cs-4053ci.snmprec" "$T/rec.kyo"
# Its mtime goes through set_rec's clock, so the next set_rec is seen as newer.
SET_REC_MTIME=$(( $(date +%s) + 5 ))
touch -d "@$SET_REC_MTIME" "$T/rec.kyo"
chmod a+r "$T/rec.kyo"
mv "$T/rec.kyo" "$T/sim/swap.snmprec"
check "second run" "" "$(once)"
check "foreign file: the 40 pages reach total" 40 "$(rrd_last "$R/old.rrd" total)"
check "the Kyocera's counters are added to the file" \
	"total mono colour duplex jams toner status print_mono print_colour copy_mono copy_colour fax " \
	"$(ds_list "$R/p.rrd")"
check "the addition is logged" 1 "$(grep -c 'p: 5 data source(s) added, first print_mono' "$T/gf.log")"
check "rows kept" 2880 "$(rrdtool info "$R/p.rrd" | sed -n 's/^rra\[0\]\.rows = //p')"
check "a new series starts at the baseline" 0 "$(rrd_last "$R/p.rrd" fax)"

# 7 faxes later the new series follows the ledger.
sleep 1
set_rec "$T/sim/swap.snmprec" 1.3.6.1.4.1.1347.42.3.1.2.1.1.4.1 2500 1.3.6.1.4.1.1347.42.3.1.1.1.1.4 2500
check "third run" "" "$(once)"
check "ledger: 7 fax pages" 7 "$(state_sql "select sum(pages) from ledger where device='p' and counter='fax'")"
check "RRD fax series: 7" 7 "$(rrd_last "$R/p.rrd" fax)"
check "no source added twice" 1 "$(grep -c ' p: .*data source(s) added' "$T/gf.log")"

# A long data_dir: the departments' directory path once went through a 64-byte
# buffer, so their files were never made past ~47 characters of data_dir.
LONG=$T/a-data-directory-whose-path-is-longer-than-sixty-four-bytes/data
mkdir -p "$LONG"
sed "s|^data_dir = .*|data_dir = \"$LONG\";|" "$CONF" >"$T/long.conf"
chmod 600 "$T/long.conf"
"$GREENFLEETD" -c "$T/long.conf" --once 2>>"$T/gf.log"
check "long data_dir: the departments' files are made" "etat-civil.rrd urbanisme.rrd" \
	"$(ls "$LONG/rrd/departments" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
check "long data_dir: no department write failed" 0 "$(grep -c 'department .*: cannot' "$T/gf.log")"

# Export: the same columns for every printer; what a file lacks is an empty column.
CSV=$("$GREENFLEET" -c "$CONF" export --device old --from -1h --to now --step 60 --format csv | tr -d '\r')
check "export header: every printer column" \
	"time,total,mono,colour,duplex,sheets,print_mono,print_colour,copy_mono,copy_colour,fax,scan,jams,toner,status" \
	"$(printf '%s\n' "$CSV" | head -1)"
check "sources added, history kept: toner 50 before, no colour column in the file" 1 \
	"$(printf '%s\n' "$CSV" | awk -F, 'NR > 1 && $14 == 50 && $4 == "" && $15 == 3 { n++ } END { print (n > 0) }')"
finish
