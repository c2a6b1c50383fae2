#!/bin/sh
# greenfleet discover over a simulated network of 64 loopback addresses (real
# recordings on 14 of them, the rest silent): exactly the answering ones are
# found and classified, ids never collide, the devices file it writes passes
# greenfleetd -t and polls with the right page counts; SIGHUP picks it up from
# devices_dir; a second run after a device moved and another left says known,
# moved and missing exactly.
. "$(dirname "$0")/lib.sh"
need state

NET=127.0.77
# Printers with page counters, printers without, a switch, hosts; several share sysName <private>;
# two answer hostile strings (escape sequences, invalid UTF-8, NULs, bidi controls).
MAP1="$NET.1=hp_laserjet-mfp-m130nw $NET.2=konica_bizhub-c250i $NET.3=kyocera_cs-4053ci
$NET.4=ricoh_aficio-mp-c3002 $NET.5=sharp_mx-3570n $NET.6=utax_p-4532dn $NET.7=canon_lbp6670
$NET.8=hp_color-laserjet-m452nw $NET.9=kyocera_fs-1028mfp $NET.10=scenario_hp-procurve
$NET.11=linux_raspbian10-raspberrypi $NET.12=windows_xp-workstation
$NET.13=scenario_hostile-printer $NET.14=scenario_control-strings
$NET.40=vmware_esxi7-hp-dl380p-gen8 $NET.41=scenario_serial-entity"
# shellcheck disable=SC2086
start_snmpsim_net $MAP1

CONF=$T/gf.conf
mkdir "$T/devices.d"
# A hand-written device beside the discovered ones, on an address outside the targets.
cat >"$T/devices.d/10-hand.conf" <<DEV
devices = (
$(device hand-printer printer 127.0.0.1 "$SIM_PORT" public)
);
DEV
write_conf "$CONF" "devices_dir = \"devices.d\";
discover = { map = ( { net = \"$NET.0/27\"; department = \"etat-civil\"; } ); };"

disc() { "$GREENFLEET" -c "$CONF" discover "$@" --port "$SIM_PORT" --timeout 2000 --retries 1; }
cols() { awk -F, 'NR > 1 { print $1 " " $2 " " $3 " " $4 " " $5 " " $11 }'; }

# ---- first run: the whole /26, twice over (a range and a list overlap it) ----
out=$(disc "$NET.0/26" "$NET.1-3,$NET.40" --department urbanisme --format csv \
	-o "$T/devices.d/50-discovered.conf" 2>"$T/disc1.err")
check "discover exits 0" 0 $?
check "no message" "" "$(cat "$T/disc1.err")"
echo "$out" >"$T/disc1.csv"
check "every answering address once, classified, ids unique, departments by map or --department" \
"127.0.77.1 new printer private etat-civil yes
127.0.77.2 new printer printer-127-0-77-2 etat-civil yes
127.0.77.3 new printer printer-127-0-77-3 etat-civil yes
127.0.77.4 new printer private-2 etat-civil yes
127.0.77.5 new printer private-3 etat-civil yes
127.0.77.6 new printer private-4 etat-civil yes
127.0.77.7 new printer private-5 etat-civil no
127.0.77.8 new printer private-6 etat-civil no
127.0.77.9 new printer printer-127-0-77-9 etat-civil no
127.0.77.10 new other sw-etage2 etat-civil 
127.0.77.11 new workstation private-7 etat-civil 
127.0.77.12 new workstation cray etat-civil 
127.0.77.13 new printer caf etat-civil no
127.0.77.14 new printer nul-name etat-civil yes
127.0.77.40 new server private-8 urbanisme 
127.0.77.41 new printer im-c3000 urbanisme yes" "$(echo "$out" | cols)"
# vendor, model, serial, its source, profile, in_service, its source.
vm() { echo "$out" | $PY -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["address"] == sys.argv[1]:
        print("|".join(r[k] for k in ("vendor", "model", "serial", "serial_source", "profile", "in_service", "age_source")))' "$1"; }
check "HP M130nw: model from PID, Printer-MIB serial, hp profile" \
	"HP|HP LaserJet MFP M130nw|VNCRC48198|printer-mib|hp||" "$(vm $NET.1)"
check "Utax: model from hrDeviceDescr, Kyocera's profile gives the serial" \
	"Utax|P-4532DN|R9L0309954|profile:kyocera|kyocera||" "$(vm $NET.6)"
check "Ricoh IM C3000: ENTITY-MIB serial" \
	"Ricoh|RICOH IM C3000 1.00 / RICOH Network Printer C model|3100R400777|entity-mib|ricoh||" "$(vm $NET.41)"
check "switch: listed, no profile" \
	"HP|ProCurve J9089A Switch 2610-48-PWR|||||" "$(vm $NET.10)"
check "Windows XP: in_service from the oldest software" \
	"Microsoft|Hardware: x86 Family 6 Model 9 Stepping 5 AT/AT COMPATIBLE - Software: Windows 2000 Version 5.1 (Build 2600 Uniprocessor Free)||||2008-12-11|software" "$(vm $NET.12)"
check "ESXi: a server, in_service from ENTITY-MIB's manufacturing date" \
	"VMware|VMware ESXi 7.0.0 build-15843807 VMware|CZ162913BZ|entity-mib||2018-05-21|entity-mib" "$(vm $NET.40)"

check "hostile strings: no control character left in the table (ESC, CR, LF, tab), ids safe" \
	"caf|Evil[2JPrinterModel XX|0|café??" \
	"$(echo "$out" | $PY -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["address"] == sys.argv[1]:
        bad = sum(1 for v in r.values() for ch in v if ord(ch) < 32 or ord(ch) == 127)
        print("%s|%s|%d|%s" % (r["id"], r["model"][:22], bad, r["sys_name"]))' $NET.13)"
# The written file: the printers and hosts, not the switch; greenfleetd -t takes it as it is.
F=$T/devices.d/50-discovered.conf
check "written: 15 devices (the switch is only listed)" 15 "$(grep -c '^    id = ' "$F")"
check "the switch is not written" "" "$(grep sw-etage2 "$F")"
check "server typed as such, in_service written" 'in_service = "2018-05-21";|type = "server";' \
	"$(sed -n '/"private-8"/,/snmp/p' "$F" | grep -E 'in_service|type' | tr -d ' ' | sed 's/=/ = /' | paste -sd'|')"
"$GREENFLEETD" -t -c "$CONF" >"$T/t.out" 2>&1
check "greenfleetd -t accepts the written file" "0 configuration OK" "$? $(cat "$T/t.out")"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/once.log"
check "greenfleetd --once polls them" 0 $?
pages() { status_field "$1" 6; }
check "pages: HP M130nw, Konica C250i, Kyocera 4053ci, Ricoh C3002, Sharp, Utax" \
	"15232 33803 76064 271871 121104 427" \
	"$(echo "$(pages private) $(pages printer-127-0-77-2) $(pages printer-127-0-77-3) $(pages private-2) $(pages private-3) $(pages private-4)")"
check "every written device answered the daemon (not the hand-written one: nothing serves it)" \
	"15 hand-printer" "$(state_sql "select count(*) from device_state where reachable = 1") \
$(state_sql "select id from device_state where reachable = 0")"

# ---- the daemon runs; Konica moves from .2 to .30, the Kyocera FS-1028 at .9 is gone, a Dell comes ----
INTERVAL=10 write_conf "$CONF" "devices_dir = \"devices.d\";
discover = { map = ( { net = \"$NET.0/27\"; department = \"etat-civil\"; } ); };"
"$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
PIDS="$PIDS $gf"
stop_snmpsim_net
# shellcheck disable=SC2086
start_snmpsim_net $(echo "$MAP1" | sed -e "s/$NET.2=/$NET.30=/" -e "s/$NET.9=[^ ]*//") \
	"$NET.20=dell_s5830dn"
out=$(disc "$NET.0/26" --department urbanisme --format csv -o "$T/devices.d/60-second.conf" \
	2>"$T/disc2.err")
check "second run exits 0" 0 $?
echo "$out" >"$T/disc2.csv"
check "known, moved (by serial, at its new address), new, missing: exact" \
"127.0.77.1 known printer private etat-civil yes
127.0.77.3 known printer printer-127-0-77-3 etat-civil yes
127.0.77.4 known printer private-2 etat-civil yes
127.0.77.5 known printer private-3 etat-civil yes
127.0.77.6 known printer private-4 etat-civil yes
127.0.77.7 known printer private-5 etat-civil no
127.0.77.8 known printer private-6 etat-civil no
127.0.77.10 new other sw-etage2 etat-civil 
127.0.77.11 known workstation private-7 etat-civil 
127.0.77.12 known workstation cray etat-civil 
127.0.77.13 known printer caf etat-civil no
127.0.77.14 known printer nul-name etat-civil yes
127.0.77.20 new printer private-9 etat-civil no
127.0.77.30 moved printer printer-127-0-77-2 etat-civil yes
127.0.77.40 known server private-8 urbanisme 
127.0.77.41 known printer im-c3000 urbanisme yes
127.0.77.9 missing printer printer-127-0-77-9 etat-civil " "$(echo "$out" | cols)"
check "moved: the configured address is named" "127.0.77.2" \
	"$(echo "$out" | tr -d '\r' | awk -F, '$2 == "moved" { print $NF }')"
check "only the new printer is written the second time" "private-9" \
	"$(sed -n 's/^    id = "\(.*\)";/\1/p' "$T/devices.d/60-second.conf")"
kill -HUP $gf
wait_q() { for _ in $(seq 1 80); do [ "$(state_sql "$1" 2>/dev/null)" = "$2" ] && return 0; sleep 0.25; done; return 1; }
wait_q "select reachable from device_state where id = 'private-9'" 1
check "SIGHUP: the new file in devices_dir is read and its printer polled" 0 $?
check_match "reload counts 17 devices" "reload: .* loaded: 17 devices" "$(cat "$T/daemon.log")"

# Never a datagram outside the targets: every destination of a sweep, as strace saw it.
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=sendto,sendmsg,send -o "$T/strace.txt" "$GREENFLEET" -c "$CONF" discover \
		"$NET.0/28" "$NET.40-41" --port "$SIM_PORT" --timeout 300 --retries 0 >/dev/null 2>&1
	check "datagrams went to exactly the 18 target addresses, nowhere else" \
		"$(seq 0 15 | sed "s/^/$NET./"; echo "$NET.40"; echo "$NET.41")" \
		"$(sed -n 's/.*sin_addr=inet_addr("\([0-9.]*\)").*/\1/p' "$T/strace.txt" | sort -t. -k4 -n -u)"
	check "no datagram without a visible destination" 0 "$(grep -c 'send(' "$T/strace.txt")"
else
	echo "note: strace not installed, destinations not checked"
fi
finish
