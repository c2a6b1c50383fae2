#!/bin/sh
# Serial numbers from every source, first valid one wins and its source is
# kept (Printer-MIB, then ENTITY-MIB, then the profile's vendor OIDs); the
# Brother, Dell, Lexmark, OKI and Toshiba TEC profiles match their real
# recordings on the narrowest key, and read their counters exactly from
# recordings written from their MIBs.
. "$(dirname "$0")/lib.sh"
need state

NAMES="scenario_ricoh-serial scenario_serial-entity scenario_serial-placeholder ricoh_aficio-mp-c3002 brother_mfc-l2710dw utax_p-4532dn kyocera_cs-4053ci hp_laserjet-mfp-m130nw dell_s5830dn fujifilm_apeos-c7580 oki_mc873 lexmark_t640 toshiba_e-studio2505ac toshiba_e-studio305cs scenario_lexmark-mps scenario_dell-mps scenario_toshiba-tec scenario_oki"
start_snmpsim $NAMES

CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(printer_devices $NAMES)
);"
"$GREENFLEETD" -d -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0" 0 $?

serial() { echo "$(status_field "$1" 9) $(status_field "$1" 10)"; }
# The plan (profile) each device was given after its discovery poll.
plan() { sed -n "s/.*poll: $1: [0-9.]*: reading plan \\(.*\\)/\\1/p" "$T/daemon.log"; }
# counters DEVICE --format tsv: counter value unit source origin counted
c() { "$GREENFLEET" -c "$CONF" counters "$1" --format tsv | awk -F '\t' -v k="$2" '$1 == k { print $2 "|" $3 "|" $4 }'; }
q() { state_sql "$1"; }

# The Ricoh MP C2503 case: no prtGeneralSerialNumber, the serial only in Ricoh's MIB.
check "ricoh without Printer-MIB serial: Ricoh MIB" "E174M930123 profile:ricoh" "$(serial scenario_ricoh-serial)"
check "ricoh scenario still counts its sheets" "271871|sheets|printer-mib" "$(c scenario_ricoh-serial total)"
check "the serial and its source stored for the meter" "E174M930123|profile:ricoh" \
	"$(q "select serial || '|' || serial_src from meter_ident where device = 'scenario_ricoh-serial'")"
# A placeholder in the Printer-MIB: the ENTITY-MIB chassis row wins over a
# module of lower index and over the vendor OID.
check "N/A in the Printer-MIB: ENTITY-MIB chassis" "3100R400777 entity-mib" "$(serial scenario_serial-entity)"
# Zeros in the Printer-MIB, "Not Available" in the ENTITY-MIB: the vendor OID, trimmed.
check "zeros and Not Available skipped: vendor OID" "3100R400888 profile:ricoh" "$(serial scenario_serial-placeholder)"

# Real recordings: the serial other projects read from each (LibreNMS expected values).
check "ricoh C3002" "W492KB03439 printer-mib" "$(serial ricoh_aficio-mp-c3002)"
check "brother: only brInfoSerialNumber" "000A5J431816 profile:brother" "$(serial brother_mfc-l2710dw)"
check "UTAX: only the Kyocera MIB" "R9L0309954 profile:kyocera" "$(serial utax_p-4532dn)"
check "kyocera 4053ci" "RH28Y00024 printer-mib" "$(serial kyocera_cs-4053ci)"
check "hp M130nw" "VNCRC48198 printer-mib" "$(serial hp_laserjet-mfp-m130nw)"
check "dell S5830dn" "7XQ1R92-132-13 printer-mib" "$(serial dell_s5830dn)"
check "fujifilm C7580" "TC101642170085 printer-mib" "$(serial fujifilm_apeos-c7580)"
check "oki MC873 has no serial anywhere" "- -" "$(serial oki_mc873)"

# Profiles matched on the narrowest key: the Lexmark-made Toshiba 305CS (641.2) reads
# Lexmark's MIB, the Toshiba-made 2505AC reads Toshiba's.
check "brother plan" brother "$(plan brother_mfc-l2710dw)"
check "dell plan" dell "$(plan dell_s5830dn)"
check "lexmark T640 plan" lexmark "$(plan lexmark_t640)"
check "toshiba 305CS (Lexmark OEM) plan" lexmark "$(plan toshiba_e-studio305cs)"
check "toshiba 2505AC plan" toshiba "$(plan toshiba_e-studio2505ac)"
check "oki plan" oki "$(plan oki_mc873)"
check "fujifilm plan (its family arc, 297.1.11.93.2.1)" fujifilm "$(plan fujifilm_apeos-c7580)"
for n in dell_s5830dn lexmark_t640 toshiba_e-studio2505ac oki_mc873 brother_mfc-l2710dw; do
	check "$n: no page counter (its recording has none)" "$n: no page counter" \
		"$("$GREENFLEET" -c "$CONF" counters "$n" | tail -1)"
done

# Counters of the new profiles, on recordings written from their MIBs.
check "lexmark total (totalSafe)" "48230|impressions|profile" "$(c scenario_lexmark-mps total)"
check "lexmark mono" "31020|impressions|profile" "$(c scenario_lexmark-mps mono)"
check "lexmark colour" "17210|impressions|profile" "$(c scenario_lexmark-mps colour)"
check "dell total" "52614|impressions|profile" "$(c scenario_dell-mps total)"
check "dell mono" "52614|impressions|profile" "$(c scenario_dell-mps mono)"
check "dell colour is a real 0" "0|impressions|profile" "$(c scenario_dell-mps colour)"
check "toshiba total" "61275|impressions|profile" "$(c scenario_toshiba-tec total)"
check "toshiba black" "42520|impressions|profile" "$(c scenario_toshiba-tec mono)"
check "toshiba colour = full + twin" "18755|impressions|profile" "$(c scenario_toshiba-tec colour)"
check "oki mono" "13580|impressions|profile" "$(c scenario_oki mono)"
check "oki colour" "9876|impressions|profile" "$(c scenario_oki colour)"
check "oki total = mono + colour" "23456|impressions|derived" "$(c scenario_oki total)"
check "oki serial from its MIB" "AK5B012345 profile:oki" "$(serial scenario_oki)"

# A serial key that is not an OID is a config error naming its file and line.
mkdir "$T/profiles"
cp "$top_srcdir"/conf/profiles.d/*.conf "$T/profiles/"
printf 'name = "bad";\nmatch = { sys_object_id = "1.3.6.1.4.1.5."; };\nserial = [ "1.3.6.1.4.1.5.1.0", "serial" ];\n' >"$T/profiles/bad.conf"
PROFILES_DIR=$T/profiles write_conf "$T/bad.conf" "devices = ( $(device x printer 127.0.0.1 "$SIM_PORT" x) );"
out=$("$GREENFLEETD" -t -c "$T/bad.conf" 2>&1)
check "a bad serial OID fails the config check" 1 $?
check_match "bad serial with file:line" "bad.conf:3: serial: 'serial' is not a dotted OID" "$out"
finish
