#!/bin/sh
# greenfleet report over three faked days: exact integers equal to the ledger and to
# the scenario's truth, environmental figures recomputed here from the factors,
# and hostile department names that come back from CSV and JSON as written
# (a CSV cell that would be a formula gets a leading quote).
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=Europe/Paris
start_snmpsim konica_bizhub-c250i hp_laserjet-mfp-m130nw ricoh_aficio-mp-c3002 windows_xp-workstation
K=$T/sim/konica_bizhub-c250i.snmprec
H=$T/sim/hp_laserjet-mfp-m130nw.snmprec
R=$T/sim/ricoh_aficio-mp-c3002.snmprec
KPM=1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.1.2	# print black
KPC=1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.2.2	# print colour
KDUP=1.3.6.1.4.1.18334.1.1.1.5.7.2.1.3.0
HT=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HM=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
CONF=$T/gf.conf
DEPARTMENTS='  { id = "urba"; name = "=HYPERLINK(\"http://evil.example\",\"clic\")"; agents = 10; },
  { id = "ec"; name = "État civil, \"accueil\""; agents = 4;
    quota = { period = "month"; mono = 1000; }; }'
DEVICES=$(cat <<DEV
devices = (
$(device konica printer 127.0.0.1 "$SIM_PORT" konica_bizhub-c250i urba),
  { id = "hp"; kind = "printer"; pooled = false; host = "127.0.0.1"; port = $SIM_PORT;
    department = "ec"; snmp = { version = "2c"; community = "hp_laserjet-mfp-m130nw"; }; },
$(device ricoh printer 127.0.0.1 "$SIM_PORT" ricoh_aficio-mp-c3002 ec),
$(device pc1 workstation 127.0.0.1 "$SIM_PORT" windows_xp-workstation ec),
  { id = "old-copier"; kind = "printer"; host = "192.0.2.1"; department = "ec";
    in_service = "2015-01-01"; retired = "2026-07-02";
    snmp = { version = "2c"; community = "gone"; }; }
);
DEV
)
write_conf "$CONF" "$DEVICES"
poll() { faketime -f "@$1:00" "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" || fail "poll at $1"; }

poll '2026-11-02 09:00'					# baselines
# Day 1: konica 100 black + 20 colour, 40 two-sided; hp 50; ricoh 30 sheets.
set_rec "$K" "$KPM" 22976 "$KPC" 6731 "$KDUP" 7397
set_rec "$H" "$HT" 15282 "$HM" 15282 "$LIFE" 15282
set_rec "$R" "$LIFE" 271901
poll '2026-11-02 17:00'
# Day 2: konica 10 colour; hp 250.
set_rec "$K" "$KPC" 6741
set_rec "$H" "$HT" 15532 "$HM" 15532 "$LIFE" 15532
poll '2026-11-03 17:00'
# Day 3 (outside the report): hp 1000.
set_rec "$H" "$HT" 16532 "$HM" 16532 "$LIFE" 16532
poll '2026-11-04 17:00'

rep() { faketime -f '@2026-11-05 12:00:00' "$GREENFLEET" -c "$CONF" report --from 2026-11-02 --to 2026-11-03 "$@"; }
rep --format csv >"$T/dept.csv"
check "CSV exits 0" 0 $?
rep --by device --format csv >"$T/dev.csv"
rep --format json >"$T/dept.json"
rep --by device --format json >"$T/dev.json"

# Independent check: the scenario's truth, the ledger, and the factors' arithmetic.
led() { state_sql "select sum(pages) from ledger where department='$1' and counter='total' and day between '2026-11-02' and '2026-11-03'"; }
$PY - "$T" "urba=$(led urba)" "ec=$(led ec)" >"$T/facts" <<'PY'
import csv, json, sys
t = sys.argv[1]
ledger = dict(a.split("=", 1) for a in sys.argv[2:])
def fact(name, ok, got):
    print("%s\t%s" % (name, "yes" if ok else repr(got)))
dept = {r["department"]: r for r in csv.DictReader(open(t + "/dept.csv", newline="", encoding="utf-8"))}
dev = {r["device"]: r for r in csv.DictReader(open(t + "/dev.csv", newline="", encoding="utf-8"))}
truth = {"urba": (130, 100, 30, 40), "ec": (330, 330, 0, None)}
for d, (imp, mono, col, dup) in truth.items():
    r = dept[d]
    fact(d + " impressions", int(r["impressions"]) == imp, r["impressions"])
    fact(d + " mono", int(r["mono"]) == mono, r["mono"])
    fact(d + " colour", int(r["colour"]) == col, r["colour"])
    fact(d + " duplex", (r["duplex"] == "") if dup is None else int(r["duplex"]) == dup, r["duplex"])
for d in truth:
    led = int(ledger[d]) if ledger[d] else None
    fact(d + " impressions = ledger", int(dept[d]["impressions"]) == led, (dept[d]["impressions"], led))
# Paper: konica 130 impressions - 40/2 two-sided = 110 sheets; hp 300 impressions (no
# duplex counter: one sheet each); ricoh counts sheets: 30. Factors: 4.99 g, 4.6 gCO2e.
for d, sheets in (("urba", 110), ("ec", 330)):
    r = dept[d]
    fact(d + " paper_kg", abs(float(r["paper_kg"]) - sheets * 4.99 / 1000) < 0.0005, r["paper_kg"])
    fact(d + " co2e_kg", abs(float(r["co2e_kg"]) - sheets * 4.6 / 1000) < 0.0005, r["co2e_kg"])
    fact(d + " trees", abs(float(r["trees"]) - sheets / 8333) < 0.00005, r["trees"])
fact("colour share urba", dept["urba"]["colour_share"] == "23.1", dept["urba"]["colour_share"])
fact("duplex share urba", dept["urba"]["duplex_share"] == "30.8", dept["urba"]["duplex_share"])
fact("quota use ec (330 of 1000, and 1000 more on the 4th)", dept["ec"]["quota_pct"] == "133",
     dept["ec"]["quota_pct"])
fact("no quota, no figure", dept["urba"]["quota_pct"] == "", dept["urba"]["quota_pct"])
fact("hostile name neutralised in CSV",
     dept["urba"]["department_name"] == "'=HYPERLINK(\"http://evil.example\",\"clic\")",
     dept["urba"]["department_name"])
fact("comma and quotes round-trip", dept["ec"]["department_name"] == "État civil, \"accueil\"",
     dept["ec"]["department_name"])
fact("factor set column", dept["ec"]["factor_set"] == "ADEME/Arcep 2022", dept["ec"]["factor_set"])
fact("per device: hp has no colour split? it has mono", dev["hp"]["mono"] == "300", dev["hp"]["mono"])
fact("per device: ricoh, total only: mono unknown", dev["ricoh"]["mono"] == "", dev["ricoh"]["mono"])
fact("per device: ricoh sheets unknown as a counter", dev["ricoh"]["sheets"] == "", dev["ricoh"]["sheets"])
j = json.load(open(t + "/dept.json", encoding="utf-8"))
fact("JSON names the factor set", j["factor_set"] == "ADEME/Arcep 2022", j.get("factor_set"))
fact("JSON lists each factor with its source", j["factors"]["sheet_co2e_g"]["source"].startswith("COPACEL"),
     j["factors"].get("sheet_co2e_g"))
rows = {r["department"]: r for r in j["rows"]}
fact("JSON keys", set(["department", "device", "impressions", "mono", "colour", "duplex", "sheets",
     "paper_kg", "co2e_kg"]) <= set(rows["urba"]), sorted(rows["urba"]))
fact("JSON nulls where unknown", rows["ec"]["duplex"] is None and rows["ec"]["device"] is None,
     (rows["ec"]["duplex"], rows["ec"]["device"]))
fact("JSON numbers are numbers", rows["urba"]["impressions"] == 130, rows["urba"]["impressions"])
fact("JSON hostile name as written", rows["urba"]["department_name"] ==
     "=HYPERLINK(\"http://evil.example\",\"clic\")", rows["urba"]["department_name"])
d = {r["device"]: r for r in json.load(open(t + "/dev.json", encoding="utf-8"))["rows"]}
fact("JSON per device: ricoh mono null", d["ricoh"]["mono"] is None, d["ricoh"]["mono"])
PY
while IFS="$(printf '\t')" read -r name res; do check "$name" yes "$res"; done <"$T/facts"
check_match "text output ends with the factors and their sources" "sheet_co2e_g .* COPACEL" "$(rep)"
check_match "--factors lists them as CSV" "^ADEME/Arcep 2022,sheets_per_tree,8333,sheets," "$("$GREENFLEET" -c "$CONF" report --factors --format csv | tr -d '\r')"
# The yearly report: recomputed by hand from the scenario.
"$GREENFLEET" -c "$CONF" repair log pc1 "500 GB SSD" --date 2026-03-10 --part disk >/dev/null
"$GREENFLEET" -c "$CONF" repair log pc1 "8 GB more RAM" --date 2026-09-01 --part ram >/dev/null
"$GREENFLEET" -c "$CONF" repair log pc1 "fan" --date 2025-12-20 >/dev/null
sus() { faketime -f '@2026-11-05 12:00:00' "$GREENFLEET" -c "$CONF" report --sustainability --year 2026 "$@" | tr -d '\r'; }
v() { sus --format csv | awk -F, -v s="$1" -v k="$2" -v m="$3" '$1 == s && $2 == k && $3 == m { print $4 }'; }
check "pages per agent, urba: 130 / 10" 13.0 "$(v department urba pages_per_agent)"
check "pages per agent, ec: (300 + 1000 + 30) / 4" 332.5 "$(v department ec pages_per_agent)"
check "colour share urba" 23.1 "$(v department urba colour_share_pct)"
check "quota compliance ec: its one month on record (November) went over" 0 "$(v department ec quota_compliance_pct)"
check "no quota, no compliance figure" "" "$(v department urba quota_compliance_pct)"
check "pooled printers: 2 of 3 in service" 66.7 "$(v fleet printers pooled_printer_share_pct)"
check "pages on pooled printers: 160 of 1460" 11.0 "$(v fleet printers pooled_pages_share_pct)"
check "desktop age from its software" 17.9 "$(v age desktop mean_years)"
check "printers in service" 3 "$(v age printer count)"
check "lifespan of the retired copier: 2015-01-01 to 2026-07-02" 11.5 "$(v lifespan retired mean_years)"
check "units upgraded in 2026 (one PC, twice)" 1 "$(v repairs year units_upgraded)"
check "units retired in 2026" 1 "$(v repairs year units_replaced)"
check "kgCO2e avoided by the 2026 repairs: 2 x (211 - 11.6)" 398.8 "$(v repairs year co2e_avoided_kg)"
check_match "JSON: factors and figures" '"factor_set": "ADEME/Arcep 2022".*"figures"' "$(sus --format json | tr -d '\n')"
$PY -c 'import json,sys; json.load(sys.stdin)' <<J || fail "the yearly JSON does not parse"
$(sus --format json)
J
check_match "text report" "kgCO2e avoided by repairs +398.8" "$(sus)"
check "the retired copier is not polled" "" "$(state_sql "select id from device_state where id='old-copier'")"
# The whole simulated month: the HP prints 7 x day-of-month pages each day from the 5th
# to the 30th; the November report must match the truth and the ledger to the page.
hp=16532
for d in $(seq 5 30); do
	hp=$((hp + 7 * d))
	set_rec "$H" "$HT" $hp "$HM" $hp "$LIFE" $hp
	poll "2026-11-$(printf %02d "$d") 18:00"
done
month=$(faketime -f '@2026-12-01 09:00:00' "$GREENFLEET" -c "$CONF" report --from 2026-11-01 --to 2026-11-30 --by device --format csv | tr -d '\r' | awk -F, '$2 == "hp" { print $3 }')
# 50 + 250 + 1000 + 7 x (5 + ... + 30) = 1300 + 7 x 455
check "the month's report for the HP: the scenario's truth" $((1300 + 7 * 455)) "$month"
check "and the ledger's" "$(state_sql "select sum(pages) from ledger where device='hp' and counter='total' and day like '2026-11-%'")" "$month"
check "a reversed range is a usage error" 2 "$(rep --from 2026-11-04 >/dev/null 2>&1; echo $?)"
check "a bad date is a usage error" 2 "$("$GREENFLEET" -c "$CONF" report --from 2026-02-30 --to 2026-03-01 >/dev/null 2>&1; echo $?)"
finish
