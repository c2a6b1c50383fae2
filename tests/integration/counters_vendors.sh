#!/bin/sh
# Every counter each real recording exposes, read exactly from one source per
# counter (PWG counter MIB, else vendor profile, else Printer-MIB), with its
# unit; an operator's own profile works without recompiling; a broken profile
# is a config error with its file and line.
. "$(dirname "$0")/lib.sh"
need state

NAMES="sharp_mx-3570n hp_laserjet-mfp-m130nw konica_bizhub-c250i kyocera_cs-4053ci ricoh_aficio-mp-c3002 utax_p-4532dn scenario_pwg-counter scenario_vendor-acme xerox_altalink-c8045 epson_wf-c5790 hp_color-laserjet-m452nw konica_bizhub-c3110"
start_snmpsim $NAMES

# The shipped profiles plus one an operator wrote for a device nobody knew.
mkdir "$T/profiles"
cp "$top_srcdir"/conf/profiles.d/*.conf "$T/profiles/"
cat >"$T/profiles/acme.conf" <<'P'
# ACME LaserPro: Counter64 counters under ACME's enterprise number.
name = "acme";
match = { sys_object_id = [ "1.3.6.1.4.1.99997.1" ]; };
counters = (
  { counter = "total";  oid = "1.3.6.1.4.1.99997.2.1.0"; },
  { counter = "mono";   oid = "1.3.6.1.4.1.99997.2.2.0"; },
  { counter = "colour"; oid = "1.3.6.1.4.1.99997.2.3.0"; }
);
P
CONF=$T/gf.conf
devs=""
for n in $NAMES; do
	devs="$devs$(device "$n" printer 127.0.0.1 "$SIM_PORT" "$n"),
"
done
PROFILES_DIR=$T/profiles write_conf "$CONF" "devices = (
${devs%,*}
);"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0" 0 $?

# counters DEVICE --format tsv: counter value unit source origin counted
c() { "$GREENFLEET" -c "$CONF" counters "$1" --format tsv | awk -F '\t' -v k="$2" '$1 == k { print $2 "|" $3 "|" $4 }'; }

# Sharp MX-3570N: a self-describing table keyed on its name column.
check "sharp B&W" "91164|impressions|profile" "$(c sharp_mx-3570n mono)"
check "sharp colour" "29940|impressions|profile" "$(c sharp_mx-3570n colour)"
check "sharp total = B&W + colour" "121104|impressions|derived" "$(c sharp_mx-3570n total)"
check "sharp duplex" "41020|impressions|profile" "$(c sharp_mx-3570n duplex)"
check "sharp copies B&W" "37485|impressions|profile" "$(c sharp_mx-3570n copy_mono)"

# HP M130nw: INTEGER vendor counters; a mono printer has no colour counter (not 0).
check "hp total" "15232|impressions|profile" "$(c hp_laserjet-mfp-m130nw total)"
check "hp mono" "15232|impressions|profile" "$(c hp_laserjet-mfp-m130nw mono)"
check "hp duplex is a real 0" "0|impressions|profile" "$(c hp_laserjet-mfp-m130nw duplex)"
check "hp has no colour counter" "" "$(c hp_laserjet-mfp-m130nw colour)"

# Konica C250i: four counters by function and colour, duplex; no Printer-MIB mixing.
check "konica print black" "22876|impressions|profile" "$(c konica_bizhub-c250i print_mono)"
check "konica print colour" "6711|impressions|profile" "$(c konica_bizhub-c250i print_colour)"
check "konica copy black" "3672|impressions|profile" "$(c konica_bizhub-c250i copy_mono)"
check "konica copy colour" "544|impressions|profile" "$(c konica_bizhub-c250i copy_colour)"
check "konica duplex" "7357|impressions|profile" "$(c konica_bizhub-c250i duplex)"
check "konica total is its own sum 33803, never the Printer-MIB 33810" "33803|impressions|derived" "$(c konica_bizhub-c250i total)"

# Kyocera 4053ci: print/copy/fax by colour mode, and the vendor total.
check "kyocera print B&W" "14730|impressions|profile" "$(c kyocera_cs-4053ci print_mono)"
check "kyocera print colour" "25870|impressions|profile" "$(c kyocera_cs-4053ci print_colour)"
check "kyocera copy B&W" "19124|impressions|profile" "$(c kyocera_cs-4053ci copy_mono)"
check "kyocera copy colour" "13847|impressions|profile" "$(c kyocera_cs-4053ci copy_colour)"
check "kyocera fax" "2493|impressions|profile" "$(c kyocera_cs-4053ci fax)"
check "kyocera total (vendor 76064, not Printer-MIB 76498)" "76064|impressions|profile" "$(c kyocera_cs-4053ci total)"
check "kyocera mono = print + copy + fax B&W" "36347|impressions|derived" "$(c kyocera_cs-4053ci mono)"

# Ricoh: Printer-MIB only, counted in sheets; UTAX: a Kyocera OEM without the vendor OIDs.
check "ricoh total in sheets" "271871|sheets|printer-mib" "$(c ricoh_aficio-mp-c3002 total)"
check "utax total" "427|impressions|printer-mib" "$(c utax_p-4532dn total)"

# PWG counter MIB (recording written from the MIB): wins over the Printer-MIB's 5000;
# only lifetime work totals count (powerOn and waste rows are ignored).
check "pwg total" "4321|impressions|pwg" "$(c scenario_pwg-counter total)"
check "pwg mono" "3000|impressions|pwg" "$(c scenario_pwg-counter mono)"
check "pwg colour" "1321|impressions|pwg" "$(c scenario_pwg-counter colour)"
check "pwg two-sided" "1200|impressions|pwg" "$(c scenario_pwg-counter duplex)"
check "pwg sheets" "3100|sheets|pwg" "$(c scenario_pwg-counter sheets)"
check "pwg print service" "2000|impressions|pwg" "$(c scenario_pwg-counter print_mono)"
check "pwg copy service" "321|impressions|pwg" "$(c scenario_pwg-counter copy_colour)"

# The operator's profile, Counter64 values, beats the Printer-MIB's 777.
check "operator profile total" "700|impressions|profile" "$(c scenario_vendor-acme total)"
check "operator profile colour" "50|impressions|profile" "$(c scenario_vendor-acme colour)"

# Matched by a profile whose OIDs the device lacks: still "no counter", never 0.
for n in xerox_altalink-c8045 epson_wf-c5790 hp_color-laserjet-m452nw konica_bizhub-c3110; do
	check "$n has no page counter" "$n: no page counter" "$("$GREENFLEET" -c "$CONF" counters "$n" | tail -1)"
	check "$n status says no-counter" no-counter "$(status_field "$n" 6)"
done

# A first reading is a baseline: nothing in the ledger, one audit event per counter.
check "ledger empty after one poll" 0 "$(state_sql "select count(*) from ledger")"
check_match "audit lists the konica baselines" "konica_bizhub-c250i	print_mono	baseline	0	22876" "$("$GREENFLEET" -c "$CONF" audit konica_bizhub-c250i --format tsv)"
check "counters needs a device" 2 "$("$GREENFLEET" -c "$CONF" counters >/dev/null 2>&1; echo $?)"
check "a device id is checked" 2 "$("$GREENFLEET" -c "$CONF" counters ../x >/dev/null 2>&1; echo $?)"

# A broken profile is a configuration error naming its file and line.
cat >"$T/profiles/broken.conf" <<'P'
name = "broken";
match = { sys_object_id = [ "1.3.6.1.4.1.5." ]; };
counters = (
  { counter = "total"; oid = "1.3.6.1.4.1.5.1.0"; },
  { counter = "pages"; oid = "1.3.6.1.4.1.5.2.0"; },
  { counter = "mono"; table = "1.3.6.1.4.1.5.3"; value = 1; key = 2; }
);
P
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "a broken profile fails the config check" 1 $?
check_match "unknown counter with file:line" "broken.conf:5: counter: 'pages' is not one of" "$out"
check_match "table counter without match, file:line" "broken.conf:6: counter 'mono': a table counter needs match" "$out"
finish
