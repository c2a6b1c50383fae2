#!/bin/sh
# Vendor profiles match on their printer families' arcs (sysObjectID prefixes,
# then sysDescr patterns), never a whole enterprise number: a switch, a
# management processor, a print controller, a camera, a projector, a display
# a print server and an appliance of the HP, Konica Minolta, Canon, Ricoh, Sharp, Xerox and Kyocera
# enterprises, configured as printers, get the base plan; every real recording
# of those vendors keeps its profile and its exact counters.
. "$(dirname "$0")/lib.sh"
need state

VENDOR="hp_laserjet-mfp-m130nw hp_color-laserjet-m452nw hp_color-laserjet-pro-m252dw hp_color-laserjet-flow-mfp-m880 canon_ir-adv-c5235 canon_lbp6670 konica_bizhub-25e konica_bizhub-c250i konica_bizhub-c3110 ricoh_aficio-mp-c3002 sharp_mx-3570n xerox_altalink-c8045 scenario_ledger-int scenario_ricoh-serial scenario_quota scenario_develop-ineo kyocera_cs-4053ci kyocera_fs-1028mfp utax_p-4532dn scenario_fujixerox-dc"
OTHER="scenario_hp-procurve scenario_hp-ilo scenario_konica-fiery scenario_canon-camera scenario_ricoh-projector scenario_sharp-display scenario_xerox-server scenario_kyocera-other"
start_snmpsim $VENDOR $OTHER

CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(printer_devices $VENDOR $OTHER)
);"
"$GREENFLEETD" -d -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0" 0 $?

# The plan (profile) each device was given after its discovery poll.
plan() { sed -n "s/.*poll: $1: [0-9.]*: reading plan \\(.*\\)/\\1/p" "$T/daemon.log"; }
# counters DEVICE COUNTER: value|unit|source
c() { "$GREENFLEET" -c "$CONF" counters "$1" --format tsv | awk -F '\t' -v k="$2" '$1 == k { print $2 "|" $3 "|" $4 }'; }
nocounter() { check "$1: no page counter" "$1: no page counter" "$("$GREENFLEET" -c "$CONF" counters "$1" | tail -1)"; }

# Devices of the printer vendors' enterprises outside their printer arcs: the base plan.
check "HP ProCurve switch (11.2.3.7.11)" printer "$(plan scenario_hp-procurve)"
check "HP iLO (11.5.7.3)" printer "$(plan scenario_hp-ilo)"
check "EFI Fiery on Konica's OEM arc (18334.1.2.1.2.1)" printer "$(plan scenario_konica-fiery)"
check "Canon camera (1602.2)" printer "$(plan scenario_canon-camera)"
check "Ricoh projector (367.2)" printer "$(plan scenario_ricoh-projector)"
check "Sharp display (2385.2)" printer "$(plan scenario_sharp-display)"
check "Xerox print server (253.1)" printer "$(plan scenario_xerox-server)"
check "Kyocera appliance (1347.1.9, a KYOCERA sysDescr)" printer "$(plan scenario_kyocera-other)"
for n in scenario_hp-procurve scenario_hp-ilo scenario_canon-camera scenario_ricoh-projector \
    scenario_sharp-display scenario_xerox-server scenario_kyocera-other; do
	nocounter $n
	check "$n: status no-counter" no-counter "$(status_field $n 6)"
done
check "the Fiery's total is its Printer-MIB life count" "1843210|impressions|printer-mib" \
	"$(c scenario_konica-fiery total)"
check "the Fiery's status" 1843210 "$(status_field scenario_konica-fiery 6)"

# Every recording of those vendors keeps its profile.
for n in hp_laserjet-mfp-m130nw hp_color-laserjet-m452nw hp_color-laserjet-pro-m252dw \
    hp_color-laserjet-flow-mfp-m880 scenario_ledger-int; do
	check "$n plan (11.2.3.9)" hp "$(plan $n)"
done
check "canon iR-ADV plan (1602.4.7)" canon "$(plan canon_ir-adv-c5235)"
check "canon LBP plan (1602.4.2)" canon "$(plan canon_lbp6670)"
for n in konica_bizhub-25e konica_bizhub-c250i konica_bizhub-c3110; do
	check "$n plan (18334.1.1.1.2.1)" konica "$(plan $n)"
done
check "Develop ineo on the OEM arc: konica by its sysDescr" konica "$(plan scenario_develop-ineo)"
for n in ricoh_aficio-mp-c3002 scenario_ricoh-serial; do check "$n plan (367.1.1)" ricoh "$(plan $n)"; done
check "sharp plan (2385.3.1)" sharp "$(plan sharp_mx-3570n)"
for n in xerox_altalink-c8045 scenario_quota; do check "$n plan (253.8.62.1)" xerox "$(plan $n)"; done
for n in kyocera_cs-4053ci kyocera_fs-1028mfp utax_p-4532dn; do check "$n plan (1347.41)" kyocera "$(plan $n)"; done
check "older Fuji Xerox (297.1.11.93.1)" fujifilm "$(plan scenario_fujixerox-dc)"

# ... with the same values as before (counters_vendors.sh, once_printers.sh, serials_profiles.sh).
check "hp total" "15232|impressions|profile" "$(c hp_laserjet-mfp-m130nw total)"
check "hp mono" "15232|impressions|profile" "$(c hp_laserjet-mfp-m130nw mono)"
check "hp duplex is a real 0" "0|impressions|profile" "$(c hp_laserjet-mfp-m130nw duplex)"
check "hp serial" "VNCRC48198" "$(status_field hp_laserjet-mfp-m130nw 9)"
check "sharp B&W" "91164|impressions|profile" "$(c sharp_mx-3570n mono)"
check "sharp colour" "29940|impressions|profile" "$(c sharp_mx-3570n colour)"
check "sharp total = B&W + colour" "121104|impressions|derived" "$(c sharp_mx-3570n total)"
check "sharp duplex" "41020|impressions|profile" "$(c sharp_mx-3570n duplex)"
check "konica print black" "22876|impressions|profile" "$(c konica_bizhub-c250i print_mono)"
check "konica total is its own sum" "33803|impressions|derived" "$(c konica_bizhub-c250i total)"
check "ricoh total in sheets" "271871|sheets|printer-mib" "$(c ricoh_aficio-mp-c3002 total)"
check "ricoh serial from its MIB" "E174M930123 profile:ricoh" \
	"$(status_field scenario_ricoh-serial 9) $(status_field scenario_ricoh-serial 10)"
for n in xerox_altalink-c8045 hp_color-laserjet-m452nw konica_bizhub-c3110 canon_lbp6670 canon_ir-adv-c5235 scenario_develop-ineo; do
	nocounter $n
done
finish
