#!/bin/sh
# Every table of the CLI in every format: `--format text|tsv|csv|json` on
# status, counters, audit, quota, fleet, report (pages, --sustainability,
# --factors) and repair list, on a real state made by greenfleetd --once
# against snmpsim (the quota scenario: 1100 mono + 150 colour pages in
# November). The same cells in each format; JSON parses and has the keys
# greenfleet(1) documents; CSV cells that a spreadsheet would run as a
# formula are neutralised; TSV has no heading; `--help`, `help CMD` and
# `CMD --help` print the usage on stdout and exit 0; a bad --format exits 2.
. "$(dirname "$0")/lib.sh"
need faketime

export TZ=Europe/Paris
start_snmpsim scenario_quota
P=$T/sim/scenario_quota.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
CONF=$T/gf.conf
DEPARTMENTS='  { id = "etat-civil"; name = "=1+2 accueil"; head = "chef.etatcivil@mairie.example";
    quota = { period = "month"; mono = 1000; colour = 100; thresholds = [ 80, 100 ]; }; }' \
INTERVAL=10 TIMEOUT_MS=500 RETRIES=0 \
write_conf "$CONF" "devices = ( $(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil) );"
poll() {
	faketime -f "@$1:00" "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1"
}
poll '2026-11-02 09:00'			# baseline: 10000 mono, 500 colour
set_rec "$P" "$MONO" 11100 "$COLOUR" 650 "$TOTAL" 11750 "$LIFE" 11750
poll '2026-11-02 11:30'
"$GREENFLEET" -c "$CONF" repair log copieur "+1 fuser, =SUM(A1)" --date 2026-11-02 --part fuser >/dev/null ||
	fail "repair log"

gf() { faketime -f '@2026-12-05 12:00:00' "$GREENFLEET" -c "$CONF" "$@"; }
# Each command of the table, as NAME|ARGS.
CMDS='status|status
counters|counters copieur
audit|audit copieur
quota|quota --period 2026-11
fleet|fleet
report|report --from 2026-11-01 --to 2026-11-30
report_device|report --from 2026-11-01 --to 2026-11-30 --by device
sustain|report --sustainability --year 2026
factors|report --factors
repairs|repair list'
echo "$CMDS" | while IFS='|' read -r name args; do
	for f in text tsv csv json; do
		# shellcheck disable=SC2086
		gf $args --format "$f" >"$T/$name.$f" 2>"$T/$name.$f.err"
		echo "$name $f $?" >>"$T/rc"
	done
done
check "every command exits 0 in every format" "" "$(awk '$3 != 0' "$T/rc")"
check "40 outputs" 40 "$(wc -l <"$T/rc")"
check "nothing on stderr" "" "$(cat "$T"/*.err)"

# Text: the tables as they always were.
check_match "text status" "^copieur +printer +etat-civil +2026-11-02 11:30 up +11750 " "$(sed -n 2p "$T/status.text")"
check_match "text quota" "^etat-civil +2026-11 +1100 +150 +1000 +100 +- +- +150 over +150 100" "$(sed -n 2p "$T/quota.text")"
check_match "text counters" "^mono +11100 " "$(grep '^mono' "$T/counters.text")"
check_match "text report ends with the factors" "sheets_per_tree" "$(tail -1 "$T/report.text")"
check "text repair list" "2026-11-02  copieur              fuser    +1 fuser, =SUM(A1)" "$(cat "$T/repairs.text")"

# TSV: no heading, one line per row, the raw figures.
check "tsv status" "copieur	printer	etat-civil	11750	up" "$(cut -f 1-3,6,5 "$T/status.tsv" | awk -F '\t' '{ print $1 "\t" $2 "\t" $3 "\t" $5 "\t" $4 }')"
check "tsv counters: mono value and pages counted" "mono	11100	1100" "$(awk -F '\t' '$1 == "mono" { print $1 "\t" $2 "\t" $6 }' "$T/counters.tsv")"
check "tsv quota" "etat-civil	2026-11	1100	150	1000	100	-	-	150	over	150	100" "$(cat "$T/quota.tsv")"
check "tsv report: impressions, mono, colour" "etat-civil	1250	1100	150" "$(cut -f 1,3-5 "$T/report.tsv")"
check "tsv fleet: one row" 1 "$(wc -l <"$T/fleet.tsv")"
check "tsv factors: 9 rows" 9 "$(wc -l <"$T/factors.tsv")"
check "tsv sustain: urba pages" "department	etat-civil	pages	1250" "$(grep '	pages	' "$T/sustain.tsv" | head -1)"

# CSV: a heading, the same cells, formulas neutralised, parsed by a real CSV reader.
$PY - "$T" >"$T/facts" <<'PY'
import csv, json, sys
t = sys.argv[1]
def fact(name, ok, got):
    print("%s\t%s" % (name, "yes" if ok else repr(got)))
def rows(name):
    return list(csv.DictReader(open("%s/%s.csv" % (t, name), newline="", encoding="utf-8")))
q = rows("quota")[0]
fact("csv quota used_mono", q["used_mono"] == "1100", q)
fact("csv quota used_colour", q["used_colour"] == "150", q)
fact("csv quota percent and state", (q["percent"], q["state"]) == ("150", "over"), q)
fact("csv quota no budget: empty", q["budget"] == "", q)
r = rows("report")[0]
fact("csv report impressions", r["impressions"] == "1250", r)
fact("csv report quota_pct", r["quota_pct"] == "150", r)
fact("csv report: a formula name neutralised", r["department_name"] == "'=1+2 accueil", r)
fact("csv repair text neutralised", rows("repairs")[0]["text"] == "'+1 fuser, =SUM(A1)", rows("repairs"))
s = {(x["section"], x["key"], x["metric"]): x["value"] for x in rows("sustain")}
fact("csv sustain pages", s[("department", "etat-civil", "pages")] == "1250", s)
fact("csv status pages", rows("status")[0]["pages"] == "11750", rows("status"))
fact("csv counters", {x["counter"]: x["counted"] for x in rows("counters")}.get("colour") == "150",
     rows("counters"))
fact("csv audit: baselines", "baseline" in [x["event"] for x in rows("audit")], rows("audit"))
fact("csv fleet device", rows("fleet")[0]["device"] == "copieur", rows("fleet"))
fact("csv factors", rows("factors")[0]["factor_set"] == "ADEME/Arcep 2022", rows("factors"))

# JSON: parses, the documented keys, numbers as numbers, text as written.
keys = {
    "status": "device kind department last_poll state pages uptime_s description serial serial_source",
    "counters": "counter value unit source read_from counted check",
    "audit": "time device counter event old new detail",
    "quota": "department period used_mono used_colour limit_mono limit_colour budget_used budget"
             " percent state projected_percent notified",
    "fleet": "device kind department age_years age_source since state component reason part"
             " co2e_avoided_kg",
    "report": "department device impressions mono colour duplex sheets colour_share duplex_share"
              " quota_pct paper_kg co2e_kg energy_kwh trees department_name factor_set",
    "sustain": "section key metric value",
    "repairs": "day device part text",
}
def load(name):
    return json.load(open("%s/%s.json" % (t, name), encoding="utf-8"))
for name, k in keys.items():
    doc = load(name)
    if name in ("report",):
        doc = doc["rows"]
    elif name == "sustain":
        doc = doc["figures"]
    fact("json %s keys" % name, len(doc) > 0 and all(set(x) == set(k.split()) for x in doc),
         [sorted(x) for x in doc][:1])
rep = load("report")
fact("json report header", (rep["from"], rep["to"], rep["by"], rep["factor_set"]) ==
     ("2026-11-01", "2026-11-30", "department", "ADEME/Arcep 2022"), rep)
fact("json report numbers", rep["rows"][0]["impressions"] == 1250 and rep["rows"][0]["device"] is None,
     rep["rows"][0])
fact("json report name as written", rep["rows"][0]["department_name"] == "=1+2 accueil", rep["rows"][0])
fact("json by device", load("report_device")["rows"][0]["device"] == "copieur", load("report_device"))
q = load("quota")[0]
fact("json quota", (q["used_mono"], q["used_colour"], q["budget"], q["state"]) == (1100, 150, None, "over"), q)
st = load("status")[0]
fact("json status", (st["pages"], st["state"], st["serial"]) == (11750, "up", "QUOTA00001"), st)
# The poll starts at the faked minute, or a second or two later on a loaded machine.
fact("json status: last_poll in Unix seconds", 1793615400 <= st["last_poll"] < 1793615460,
     st["last_poll"])
f = load("factors")
fact("json factors", f["factor_set"] == "ADEME/Arcep 2022" and f["factors"]["sheet_g"]["value"] == 4.99
     and set(f["factors"]["sheet_g"]) == {"value", "unit", "source"}, f)
su = load("sustain")
fact("json sustain", su["year"] == 2026 and "sheet_g" in su["factors"], sorted(su))
fact("json repairs", load("repairs")[0]["text"] == "+1 fuser, =SUM(A1)", load("repairs"))
PY
while IFS="$(printf '\t')" read -r name res; do check "$name" yes "$res"; done <"$T/facts"
check "python checked 32 facts" 32 "$(wc -l <"$T/facts")"

# Help, usage errors, formats.
"$GREENFLEET" --help >"$T/out" 2>"$T/err"
check "--help exits 0, usage on stdout" "0|usage: greenfleet [-c file] command [args]|" "$?|$(head -1 "$T/out")|$(cat "$T/err")"
for c in status counters audit quota report fleet graph export repair; do
	"$GREENFLEET" -c "$T/no-such.conf" help "$c" >"$T/out" 2>"$T/err"
	check "help $c: exit 0, usage on stdout, nothing on stderr" "0|usage: greenfleet $c|" \
		"$?|$(head -1 "$T/out" | cut -d ' ' -f 1-3)|$(cat "$T/err")"
	check "help $c is $c --help" "$(cat "$T/out")" "$("$GREENFLEET" "$c" --help)"
done
"$GREENFLEET" help >"$T/out" 2>&1
check "help alone: the whole usage" "0|usage: greenfleet [-c file] command [args]" "$?|$(head -1 "$T/out")"
"$GREENFLEET" help nope >"$T/out" 2>"$T/err"
check "help of no command: exit 2, said on stderr" "2||greenfleet: unknown command 'nope'" "$?|$(cat "$T/out")|$(head -1 "$T/err")"
"$GREENFLEETD" --help >"$T/out" 2>"$T/err"
check "greenfleetd --help: exit 0, usage on stdout" "0|usage: greenfleetd|" "$?|$(head -1 "$T/out" | cut -d ' ' -f 1-2)|$(cat "$T/err")"
"$GREENFLEETD" --bogus >"$T/out" 2>"$T/err"
check "greenfleetd --bogus: exit 2, usage on stderr" "2||usage: greenfleetd" "$?|$(cat "$T/out")|$(grep -o '^usage: greenfleetd' "$T/err")"
echo "$CMDS" | while IFS='|' read -r name args; do
	# shellcheck disable=SC2086
	gf $args --format xml >"$T/out" 2>"$T/err"
	echo "$name $?|$(cat "$T/out")|$(cat "$T/err")" >>"$T/bad"
done
check "a bad --format exits 2 with a message, for every command" "" \
	"$(grep -v "^[a-z_]* 2||greenfleet: unknown format 'xml' (text, tsv, csv or json)\$" "$T/bad")"
check "ten commands tried" 10 "$(wc -l <"$T/bad")"
finish
