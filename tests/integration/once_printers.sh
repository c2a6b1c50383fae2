#!/bin/sh
# greenfleetd --once against snmpsim serving every real printer recording:
# exact page counters, units, supplies, "no counter" (never 0) and the RRD files.
. "$(dirname "$0")/lib.sh"
need rrdtool state

WITH_COUNTER="sharp_mx-3570n hp_laserjet-mfp-m130nw konica_bizhub-c250i kyocera_cs-4053ci ricoh_aficio-mp-c3002 utax_p-4532dn"
NO_COUNTER="brother_mfc-l2710dw canon_ir-adv-c5235 canon_lbp6670 dell_s5830dn epson_wf-c5790 fujifilm_apeos-c7580 fujifilm_apeospro-c810 hp_color-laserjet-flow-mfp-m880 hp_color-laserjet-m452nw hp_color-laserjet-pro-m252dw konica_bizhub-25e konica_bizhub-c3110 kyocera_fs-1028mfp lexmark_t640 oki_mc873 toshiba_e-studio2505ac toshiba_e-studio305cs xerox_altalink-c8045"
start_snmpsim $WITH_COUNTER $NO_COUNTER

CONF=$T/gf.conf
devs="$(printer_devices $WITH_COUNTER $NO_COUNTER),
$(device silent printer 127.0.0.1 "$SIM_PORT" no-such-community etat-civil)"
TIMEOUT_MS=500 CONCURRENCY=8 write_conf "$CONF" "devices = (
$devs
);"

$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0 with an unreachable device" 0 $?
check_match "the unreachable device is logged" "silent.*unreachable" "$(cat "$T/daemon.log")"

# Total pages, each from one source: the vendor's figures where a profile
# has them (Konica 33803 = its four counters, not the Printer-MIB's 33810;
# Kyocera's own total 76064, not 76498), else prtMarkerLifeCount.
check "sharp total" 121104 "$(status_field sharp_mx-3570n 6)"
check "hp m130nw total" 15232 "$(status_field hp_laserjet-mfp-m130nw 6)"
check "konica c250i total (vendor, not Printer-MIB)" 33803 "$(status_field konica_bizhub-c250i 6)"
check "kyocera 4053ci total (vendor, not Printer-MIB)" 76064 "$(status_field kyocera_cs-4053ci 6)"
check "ricoh life count" 271871 "$(status_field ricoh_aficio-mp-c3002 6)"
check "utax life count (Kyocera OEM without the vendor OIDs)" 427 "$(status_field utax_p-4532dn 6)"
check "the Printer-MIB value is still recorded as read" 33810 "$(state_sql "select lifecount from device_state where id='konica_bizhub-c250i'")"
for n in $NO_COUNTER; do
	check "$n has no page counter (not 0)" no-counter "$(status_field "$n" 6)"
	check "$n is up" up "$(status_field "$n" 5)"
done
check "silent device is down" down "$(status_field silent 5)"
check "silent device shows no pages" - "$(status_field silent 6)"
check "silent device keeps its department" etat-civil "$(status_field silent 3)"

# System group, cleaned.
check "sharp sysDescr" "SHARP MX-3570N" "$(status_field sharp_mx-3570n 8)"
check "sharp uptime (724425094 ticks)" 7244250 "$(status_field sharp_mx-3570n 7)"
check "xerox sysDescr" "Xerox AltaLink C8045; SS 100.002.057.09608, NC 100.002.09608, UI 100.002.09608, ME 063.022.000, CC 100.002.09608, DF 007.019.000, FI ------, FA 003.012.013, CCOS 100.007.09608, NCOS 100.007.09608, SC 013.014.002, SU 100.002.09608" "$(status_field xerox_altalink-c8045 8)"

# Units and supplies in the state database (units differ: impressions 7, sheets 8).
q() { state_sql "$1"; }
check "ricoh counts sheets" 8 "$(q "select counter_unit from device_state where id='ricoh_aficio-mp-c3002'")"
check "sharp counts impressions" 7 "$(q "select counter_unit from device_state where id='sharp_mx-3570n'")"
check "konica gives no unit" "" "$(q "select counter_unit from device_state where id='konica_bizhub-c250i'")"
check "no-counter printers store NULL pages" 0 "$(q "select count(*) from device_state where lifecount is not null and id in ('brother_mfc-l2710dw','xerox_altalink-c8045','epson_wf-c5790')")"
check "sharp magenta toner level" "Magenta Toner|19|100" "$(q "select descr, level, max from supply where device='sharp_mx-3570n' and idx=2")"
check "sharp supplies rows (14 in the recording)" 14 "$(q "select count(*) from supply where device='sharp_mx-3570n'")"
check "hp black cartridge" "Black Cartridge HP CF217A|28" "$(q "select descr, level from supply where device='hp_laserjet-mfp-m130nw' and idx=1")"
check "sharp lowest toner" 19 "$(q "select toner_min from device_state where id='sharp_mx-3570n'")"

# RRD files hold the values.
R=$T/data/rrd
# The RRD holds pages counted (a first reading is a baseline: 0), never raw values.
check "sharp RRD pages counted" 0 "$(rrd_last "$R/sharp_mx-3570n.rrd" total)"
check "sharp RRD mono counted" 0 "$(rrd_last "$R/sharp_mx-3570n.rrd" mono)"
check "sharp RRD toner" 19 "$(rrd_last "$R/sharp_mx-3570n.rrd" toner)"
check "ricoh RRD has no colour counter" U "$(rrd_last "$R/ricoh_aficio-mp-c3002.rrd" colour)"
check "brother RRD pages unknown" U "$(rrd_last "$R/brother_mfc-l2710dw.rrd" total)"
check "no RRD for a device never reached" no "$([ -e "$R/silent.rrd" ] && echo yes || echo no)"
check_match "total is a DERIVE with min 0" "ds\[total\].type = \"DERIVE\"" "$(rrdtool info "$R/sharp_mx-3570n.rrd")"
check_match "total min 0" "ds\[total\].min = 0" "$(rrdtool info "$R/sharp_mx-3570n.rrd")"
check_match "one series per counter" "ds\[copy_colour\].type = \"DERIVE\"" "$(rrdtool info "$R/sharp_mx-3570n.rrd")"
check_match "10 years of daily rows" "rra\[3\].rows = 3660" "$(rrdtool info "$R/sharp_mx-3570n.rrd")"

# The human table too.
check_match "text status has the sharp line" "sharp_mx-3570n +printer +urbanisme .* up +121104" "$("$GREENFLEET" -c "$CONF" status)"
finish
