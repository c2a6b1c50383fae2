#!/bin/sh
# Age, health and repair-first advice, from real recordings and this machine's
# snmpd, plus scenarios built from them: RAM pressure, a SMART failure (as
# contrib/smart/greenfleet-smart publishes it), a worn fuser, repeated jams,
# no spare parts, hostile dates and sizes; and the repair log.
. "$(dirname "$0")/lib.sh"
need state faketime

export TZ=Europe/Paris
# Every device must answer every poll (the digest counts the first poll's repairs):
# room for snmpsim on a loaded machine, e.g. the ASan pass next to other work.
TIMEOUT_MS=4000 RETRIES=2
S=$T/sim
mkdir -p "$S"
XP=$DATA/windows_xp-workstation.snmprec
HP=$DATA/hp_laserjet-mfp-m130nw.snmprec
# Scenarios: copies of real recordings (community = file name), edited.
# RAM 95 % used (15100 of 15852 units), disks roomy.
sed -e 's/^1.3.6.1.2.1.25.2.3.1.6.5|2|9686$/1.3.6.1.2.1.25.2.3.1.6.5|2|15100/' \
	-e 's/^1.3.6.1.2.1.25.2.3.1.6.1|2|1884128$/1.3.6.1.2.1.25.2.3.1.6.1|2|976223/' \
	-e 's/^1.3.6.1.2.1.25.2.3.1.6.3|2|20191655$/1.3.6.1.2.1.25.2.3.1.6.3|2|10000000/' \
	"$XP" >"$S/ram-pressure.snmprec"
# SMART: disk C: fine (50 %), but sda has reallocated and pending sectors.
sed 's/^1.3.6.1.2.1.25.2.3.1.6.1|2|1884128$/1.3.6.1.2.1.25.2.3.1.6.1|2|976223/' "$XP" >"$S/smart-fail.snmprec"
E=1.3.6.1.4.1.8072.1.3.2.4.1.2.16.103.114.101.101.110.102.108.101.101.116.45.115.109.97.114.116
printf '%s.1|4|sda 5 8\n%s.2|4|sda 9 41234\n%s.3|4|sda 197 16\n%s.4|4|sda 198 0\n' \
	"$E" "$E" "$E" "$E" >>"$S/smart-fail.snmprec"
# Hostile: install dates with month 13 and 1601 (Windows' zero), a disk of 0 bytes,
# another using more than its size: no age, no advice from them.
sed -e 's/^\(1.3.6.1.2.1.25.6.3.1.5.[0-9]*\)|4x|07d[0-9a-f]*$/\1|4x|07dd0d0101010100/' \
	-e 's/^1.3.6.1.2.1.25.6.3.1.5.1|4x|.*/1.3.6.1.2.1.25.6.3.1.5.1|4x|0641010100000000/' \
	-e 's/^1.3.6.1.2.1.25.2.3.1.5.1|2|1952447$/1.3.6.1.2.1.25.2.3.1.5.1|2|0/' \
	-e 's/^1.3.6.1.2.1.25.2.3.1.6.3|2|20191655$/1.3.6.1.2.1.25.2.3.1.6.3|2|99999999/' \
	"$XP" >"$S/hostile-pc.snmprec"
# A worn fuser (the drum row turned into a fuser at 4 %), and a printer that jams.
sed -e 's/^1.3.6.1.2.1.43.11.1.1.5.1.5|2|9$/1.3.6.1.2.1.43.11.1.1.5.1.5|2|15/' \
	-e 's/^1.3.6.1.2.1.43.11.1.1.6.1.5|4|.*/1.3.6.1.2.1.43.11.1.1.6.1.5|4|Fuser Kit/' \
	-e 's/^1.3.6.1.2.1.43.11.1.1.9.1.5|2|71$/1.3.6.1.2.1.43.11.1.1.9.1.5|2|4/' \
	"$HP" >"$S/worn-fuser.snmprec"
cp "$HP" "$S/jammer.snmprec"
# A jam standing in prtAlertTable (the Kyocera's alert 503 turned into jam(8)), with the
# "jammed" bit it sets in hrPrinterDetectedErrorState (alerts are walked only then).
sed -e 's/^1.3.6.1.2.1.43.18.1.1.7.1.2|2|503$/1.3.6.1.2.1.43.18.1.1.7.1.2|2|8/' \
	-e 's/^1.3.6.1.2.1.25.3.5.1.2.1|4x|00$/1.3.6.1.2.1.25.3.5.1.2.1|4x|04/' \
	"$DATA/kyocera_cs-4053ci.snmprec" >"$S/jam-alert.snmprec"
cp "$DATA/kyocera_cs-4053ci.snmprec" "$S/kyocera.snmprec"
# hrPrinterDetectedErrorState with serviceRequested (bit 7 of the first octet).
sed 's/^1.3.6.1.2.1.25.3.5.1.2.1|4x|.*/1.3.6.1.2.1.25.3.5.1.2.1|4x|0100/' "$HP" >"$S/needs-service.snmprec"
chmod a+r "$S"/*.snmprec
# snmpsim indexes what is in its directory when it starts.
start_snmpsim windows_xp-workstation vmware_esxi7-hp-dl380p-gen8 linux_raspbian10-raspberrypi
start_snmpd
XP=$S/windows_xp-workstation.snmprec

start_smtp
CONF=$T/gf.conf
write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT\"; from = \"greenfleet@mairie.example\";
  it = \"dsi@mairie.example\"; digest = \"weekly\"; timeout_s = 5; };
devices = (
$(device xp workstation 127.0.0.1 "$SIM_PORT" windows_xp-workstation),
$(device esxi workstation 127.0.0.1 "$SIM_PORT" vmware_esxi7-hp-dl380p-gen8),
$(device pi workstation 127.0.0.1 "$SIM_PORT" linux_raspbian10-raspberrypi etat-civil),
$(device self workstation 127.0.0.1 "$SNMPD_PORT" public),
$(device ram workstation 127.0.0.1 "$SIM_PORT" ram-pressure),
$(device smart workstation 127.0.0.1 "$SIM_PORT" smart-fail),
$(device hostile workstation 127.0.0.1 "$SIM_PORT" hostile-pc),
$(device fuser printer 127.0.0.1 "$SIM_PORT" worn-fuser),
$(device jammer printer 127.0.0.1 "$SIM_PORT" jammer),
$(device service printer 127.0.0.1 "$SIM_PORT" needs-service),
$(device jamalert printer 127.0.0.1 "$SIM_PORT" jam-alert),
$(device kyocera printer 127.0.0.1 "$SIM_PORT" kyocera),
  { id = \"laptop-12\"; kind = \"workstation\"; type = \"laptop\"; host = \"127.0.0.1\";
    port = $SIM_PORT; department = \"urbanisme\"; in_service = \"2014-09-01\";
    snmp = { version = \"2c\"; community = \"windows_xp-workstation\"; }; },
  { id = \"old-pc\"; kind = \"workstation\"; spare_parts = false; host = \"127.0.0.1\";
    port = $SIM_PORT; department = \"urbanisme\";
    snmp = { version = \"2c\"; community = \"windows_xp-workstation\"; }; }
);"
poll() {
	faketime -f "@$1:00" "$GREENFLEETD" -c "$CONF" --once 2>"$T/poll.log" || fail "poll at $1"
	grep -q 'stopped: .*, 0 unreachable,' "$T/poll.log" || fail "poll at $1: $(grep 'stopped:' "$T/poll.log")"
	cat "$T/poll.log" >>"$T/daemon.log"
}
poll '2026-11-20 09:00'
# The jammer jams 18 more times over the next two days.
set_rec "$S/jammer.snmprec" 1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.34.0 30
poll '2026-11-21 16:00'
fleet() { faketime -f '@2026-11-22 12:00:00' "$GREENFLEET" -c "$CONF" fleet --format csv | tr -d '\r'; }
# row DEVICE: "age_years,age_source,since,state,component,reason,part,co2e_avoided_kg"
row() { fleet | awk -F, -v d="$1" '$1 == d' | cut -d, -f4-; }

check "XP: age from its oldest installed software; C: 96 % full -> larger disk, 211 - 11.6 kg" \
	"17.9,software,2008-12-11,repair,disk,C:\\ 96 % full (rule: > 90 %),larger disk or SSD,199.4" "$(row xp)"
check "ESXi: age from ENTITY-MIB's manufacturing date; healthy" \
	"8.5,entity-mib,2018-05-21,ok,,,," "$(row esxi)"
check "RAM at 95 % over the week -> add RAM" \
	"17.9,software,2008-12-11,repair,ram,RAM 95 % in use over 7 days (rule: > 90 %),add RAM,199.4" "$(row ram)"
check "SMART predictors above 0 -> replace the disk (repair first, even at 18 years)" \
	"17.9,software,2008-12-11,repair,disk,sda: 2 SMART failure predictor(s) above 0,replace the disk,199.4" "$(row smart)"
check "a laptop's repair saves a laptop's embodied carbon; in_service is the first age source" \
	"12.2,in_service,2014-09-01,repair,disk,C:\\ 96 % full (rule: > 90 %),larger disk or SSD,173.8" "$(row laptop-12)"
check "no spare parts: end of life" \
	"17.9,software,2008-12-11,end-of-life,disk,C:\\ 96 % full (rule: > 90 %); no spare parts (IT),replace the machine," "$(row old-pc)"
check "a worn fuser -> order the part (no replacement avoided)" \
	"0.0,first-seen,2026-11-20,repair,supply,Fuser Kit at 4 % (rule: <= 10 %),order the part," "$(row fuser)"
check "18 jams in two days -> service visit" \
	"0.0,first-seen,2026-11-20,repair,printer,18 paper jams in 7 days (rule: >= 10),service visit," "$(row jammer)"
check "a printer asking for service -> service visit" \
	"0.0,first-seen,2026-11-20,repair,printer,the printer requests service (hrPrinterDetectedErrorState),service visit," "$(row service)"
check "a jam standing in prtAlertTable is watched" \
	"0.0,first-seen,2026-11-20,watch,printer,1 paper jam alert(s) standing (prtAlertTable),," "$(row jamalert)"
check "the same Kyocera without the jam: its alerts are no jam" "0.0,first-seen,2026-11-20,ok,,,," "$(row kyocera)"
check "hostile dates and sizes give no age and no advice" \
	"0.0,first-seen,2026-11-20,ok,,,," "$(row hostile)"
check_match "the hostile values are not stored" "^hostile\|\|" "$(state_sql "select device, sw_oldest, mfg_date from facts where device='hostile'")"
check_match "this machine (real snmpd) is judged" "^self,workstation,urbanisme,[0-9.]+,(software|first-seen|entity-mib)," "$(fleet | grep '^self,')"
check_match "the text table names its factor set" 'factor set "ADEME/Arcep 2022"' "$("$GREENFLEET" -c "$CONF" fleet)"
check_match "JSON keeps the numbers" '"device": "xp", "kind": "workstation", "department": "urbanisme", "age_years": 1[78].[0-9], "age_source": "software"' "$("$GREENFLEET" -c "$CONF" fleet --format json)"

# The repair log, and advice that clears when the condition does.
check "log a repair" "xp: repair logged on 2026-11-21" "$("$GREENFLEET" -c "$CONF" repair log xp "replaced the disk with a 500 GB SSD" --date 2026-11-21 --part disk)"
check "the log lists it" "2026-11-21  xp                   disk     replaced the disk with a 500 GB SSD" "$("$GREENFLEET" -c "$CONF" repair list xp)"
check "an unknown device is refused" 2 "$("$GREENFLEET" -c "$CONF" repair log nope "x" >/dev/null 2>&1; echo $?)"
check "a future date is refused" 2 "$("$GREENFLEET" -c "$CONF" repair log xp "x" --date 2099-01-01 >/dev/null 2>&1; echo $?)"
check "a text with a newline is refused" 2 "$("$GREENFLEET" -c "$CONF" repair log xp "a
b" >/dev/null 2>&1; echo $?)"
# The weekly digest to IT: once in week 47 though three polls fell in it.
check "one fleet digest to IT" 1 "$(mails | grep -c '^dsi@mairie.example|')"
check_match "its subject counts the repairs of its first poll" "Parc informatique : 6 réparation\(s\) à prévoir \(2026-W47\)" "$(mails)"
body=$($PY - "$MAILDIR" <<'PY'
import email, email.policy, glob, sys
f = glob.glob(sys.argv[1] + "/new/*")[0]
print(email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default).get_content())
PY
)
check_match "it lists each repair with its part and carbon" "xp \(urbanisme\) : repair, C:\\\\ 96 % full \(rule: > 90 %\) -> larger disk or SSD \(199.4 kgCO2e évités\)" "$body"
check_match "and the total avoided, with the factor set" "éviterait 772.0 kgCO2e \(jeu de facteurs : ADEME/Arcep 2022\)" "$body"
set_rec "$XP" 1.3.6.1.2.1.25.2.3.1.6.1 976223 1.3.6.1.2.1.25.2.3.1.6.3 10000000
poll '2026-11-22 09:00'
check "the new disks are half full: the advice clears" "17.9,software,2008-12-11,ok,,,," "$(row xp)"
finish
