#!/bin/sh
# SMART through net-snmp's extend: contrib/smart/greenfleet-smart on saved `smartctl -A`
# output and on a stand-in smartctl, then the same lines served by a real snmpd as
# NET-SNMP-EXTEND-MIB::nsExtendOutLine."greenfleet-smart", the rows greenfleetd reads.
. "$(dirname "$0")/lib.sh"
need snmpd snmpget snmpwalk

SMART=$top_srcdir/contrib/smart/greenfleet-smart
TD=$top_srcdir/contrib/smart/testdata
SDA=$TD/sda.healthy-st2000dm008.txt
SDB=$TD/sdb.failing-wd10ezex.txt
NVME=$TD/nvme0n1.txt
NL='
'

# smart ARGS...: the script's stdout. Its stderr, checked at the end, must stay empty:
# snmpd would publish it among the lines.
smart() {
	sh "$SMART" "$@" 2>>"$T/stderr"
}

# (a) Saved outputs: a healthy Seagate, a failing WD without 187/188, an NVMe drive.
LINES="sda 5 0
sda 9 41234
sda 187 0
sda 188 0
sda 197 0
sda 198 0
sdb 5 8
sdb 9 30917
sdb 197 16
sdb 198 16
nvme0n1 5 0
nvme0n1 9 12345"
check "three saved disks" "$LINES" "$(smart -i "$SDA" -i "$SDB" -i "$NVME")"
check "exit status is 0" 0 "$(smart -i "$SDA" >/dev/null; echo $?)"

# Raw value forms: hour+minute+second, bracketed extras, WHEN_FAILED set, hex (left out).
sed -e 's/^\(  5 Reallocated_Sector_Ct .*Always  \)     -       0$/\1 FAILING_NOW 2048/' \
	-e 's/^  9 Power_On_Hours          \(.*\)41234$/  9 Power_On_Hours_and_Msec \141234h+05m+12.345s/' \
	-e 's/^\(187 .*Always  \)     -       0$/\1 In_the_past 3/' \
	-e 's/^\(188 .*\)0 0 0$/\10 (0 8 0 0 0)/' \
	-e 's/^\(197 .*\)0$/\10x000000000010/' \
	-e '/^198 /d' "$SDA" >"$T/sdz.forms.txt"
check "raw value forms" "sdz 5 2048${NL}sdz 9 41234${NL}sdz 187 3${NL}sdz 188 0" "$(smart -i "$T/sdz.forms.txt")"
sed -e 's/12,345/12.345/' -e 's/^\(Media and Data Integrity Errors: *\)0$/\11 024/' "$NVME" >"$T/nvme1n1.txt"
check "NVMe thousands separators of other locales" "nvme1n1 5 1024${NL}nvme1n1 9 12345" "$(smart -i "$T/nvme1n1.txt")"
check "unreadable file" "sdq error${NL}sda 5 0" "$(smart -i "$T/sdq.missing" -i "$SDA" | head -2)"
printf 'smartctl 7.3 2022-02-28 r5338\n\n' >"$T/sdr.txt"
check "file without attributes" "sdr error" "$(smart -i "$T/sdr.txt")"
cp "$SDB" "$T/we ird;name.txt"
check "disk names cannot break a line" "we_ird_name 5 8" "$(smart -i "$T/we ird;name.txt" | head -1)"
check "bad option: status 2, nothing on stdout" "2:" "$(sh "$SMART" -x 2>/dev/null; echo "$?:")"

# A stand-in smartctl: -A DEVICE prints NAME.out and exits NAME.rc; NAME.sleep hangs.
mkdir "$T/fake"
cat >"$T/fake/smartctl" <<EOF
#!/bin/sh
d=\${2##*/}
[ -e "$T/fake/\$d.sleep" ] && exec sleep 5
cat "$T/fake/\$d.out" 2>/dev/null
exit \$(cat "$T/fake/\$d.rc")
EOF
chmod +x "$T/fake/smartctl"
fake() { cp "$2" "$T/fake/$1.out"; echo "$3" >"$T/fake/$1.rc"; }
fake sdc "$SDA" 0
printf 'smartctl 7.3 2022-02-28 r5338\n\nSmartctl open device: /dev/sdd failed: No such device\n' >"$T/sdd.txt"
fake sdd "$T/sdd.txt" 2
fake sde "$SDB" 72     # 8|64: failing disk, errors in its log: still its figures
fake sdf "$T/sdr.txt" 4
fake sdg "$T/sdz.forms.txt" 4
fake sdh "$T/sdr.txt" 0
touch "$T/fake/sdh.sleep"
GREENFLEET_SMARTCTL=$T/fake/smartctl GREENFLEET_SMART_TIMEOUT=1
export GREENFLEET_SMARTCTL GREENFLEET_SMART_TIMEOUT
check "smartctl exit 0" "$(smart -i "$SDA" | sed 's/^sda/sdc/')" "$(smart /dev/sdc)"
check "smartctl cannot open the disk (2)" "sdd error" "$(smart /dev/sdd)"
check "smartctl reports a failing disk (72)" "$(smart -i "$SDB" | sed 's/^sdb/sde/')" "$(smart /dev/sde)"
check "smartctl command failed, no attributes (4)" "sdf error" "$(smart /dev/sdf)"
check "smartctl checksum warning with attributes (4)" "$(smart -i "$T/sdz.forms.txt" | sed 's/^sdz/sdg/')" "$(smart /dev/sdg)"
t0=$(date +%s)
check "hung smartctl is cut off, the next disk still read" "sdh error${NL}sdd error" "$(smart /dev/sdh /dev/sdd)"
check "hung smartctl cut off after 1 s" yes "$([ $(($(date +%s) - t0)) -le 3 ] && echo yes)"
check "-i and devices together" "sdb 198 16${NL}sdc 5 0" "$(smart -i "$SDB" /dev/sdc | sed -n 4,5p)"
check "no smartctl" "sdc error" "$(GREENFLEET_SMARTCTL=$T/fake/none smart /dev/sdc)"
unset GREENFLEET_SMARTCTL GREENFLEET_SMART_TIMEOUT
check "nothing on stderr" "" "$(cat "$T/stderr")"

# (b) A real snmpd runs it as `extend`, as contrib/smart/snmpd.conf.snippet says, with
# copies of the data (snmpd reads the config by whitespace-separated tokens).
mkdir "$T/smart"
cp "$SMART" "$SDA" "$SDB" "$NVME" "$T/smart/"
cp "$SDB" "$T/smart/sdb.now.txt"
S=$T/smart
start_snmpd "extend -cacheTime 3600 greenfleet-smart /bin/sh $S/greenfleet-smart -i $S/${SDA##*/} -i $S/${SDB##*/} -i $S/${NVME##*/}
extend -cacheTime 1 short /bin/sh $S/greenfleet-smart -i $S/sdb.now.txt"
A=127.0.0.1:$SNMPD_PORT
EXT=.1.3.6.1.4.1.8072.1.3.2
# A row's index: the extend name's length then its ASCII codes.
index() { printf '%s' "$1" | od -An -tu1 | tr -s ' \n' '..' | sed "s/^\./${#1}./; s/\.\$//"; }
NAME=16.103.114.101.101.110.102.108.101.101.116.45.115.109.97.114.116
check "index of greenfleet-smart" "$NAME" "$(index greenfleet-smart)"
SHORT=$(index short)
walk() { MIBS="" snmpwalk -v2c -c public -t 2 -r 1 -On "$A" "$@" 2>>"$T/snmpwalk.err"; }
get() { MIBS="" snmpget -v2c -c public -t 2 -r 1 -On -Oqv "$A" "$@" 2>>"$T/snmpwalk.err"; }

WANT=$(printf '%s\n' "$LINES" | awk -v p="$EXT.4.1.2.$NAME" '{ printf "%s.%d = STRING: \"%s\"\n", p, NR, $0 }')
check "nsExtendOutLine rows" "$WANT" "$(walk "$EXT.4.1.2.$NAME")"
check "first row" '"sda 5 0"' "$(get "$EXT.4.1.2.$NAME.1")"
check "nsExtendOutNumLines" 12 "$(get "$EXT.3.1.3.$NAME")"
check "nsExtendResult" 0 "$(get "$EXT.3.1.4.$NAME")"
check "nsExtendCacheTime from -cacheTime" 3600 "$(get "$EXT.2.1.5.$NAME")"

# The cache: a disk that changes is seen after a second with -cacheTime 1, after an
# hour with -cacheTime 3600.
check "short cache, before" '"sdb 5 8"' "$(get "$EXT.4.1.2.$SHORT.1")"
sed 's/   -       8$/   -       24/' "$SDB" >"$S/${SDB##*/}.new"
mv "$S/${SDB##*/}.new" "$S/${SDB##*/}"
cp "$S/${SDB##*/}" "$S/sdb.now.txt"
sleep 2
check "short cache, after 2 s: the new figure" '"sdb 5 24"' "$(get "$EXT.4.1.2.$SHORT.1")"
check "with -cacheTime 3600, the figure of the first run" '"sdb 5 8"' "$(get "$EXT.4.1.2.$NAME.7")"
[ -s "$T/snmpwalk.err" ] && cat "$T/snmpwalk.err"
# (c) greenfleetd reads it from that snmpd: sdb's predictors make this machine's advice
# "replace the disk", repair first, with the carbon it saves (211 - 11.6 kg).
need state
CONF=$T/gf.conf
write_conf "$CONF" "devices = ( $(device self workstation 127.0.0.1 "$SNMPD_PORT" public) );"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once against the extend" 0 $?
check "the SMART facts are stored" "1|3|sdb|41234" "$(state_sql "select has_smart, smart_bad, smart_disk, smart_hours from facts where device='self'")"
check "fleet: replace the disk" "repair,disk,sdb: 3 SMART failure predictor(s) above 0,replace the disk,199.4" "$("$GREENFLEET" -c "$CONF" fleet --format csv | tr -d "\r" | awk -F, '$1 == "self"' | cut -d, -f7-)"
finish
