#!/bin/sh
# The dashboard in a real browser: headless Chromium loads the fleet, device
# and department pages of greenfleet-web over a real state; the rendered DOM
# holds the figures `greenfleet ... --format json` prints; Chromium's own
# network log shows that every request the pages made went to the web process
# (the style sheet and the graphs included) and none anywhere else, with every
# other name unresolvable. Screenshots (desktop and phone) are kept in
# $WEB_SHOTS when it is set, to look at.
. "$(dirname "$0")/lib.sh"
need state curl jq chromium

start_snmpsim scenario_quota scenario_web-script
WEB_PORT=$(free_port tcp)
CONF=$T/gf.conf
Q=$T/sim/scenario_quota.snmprec
X=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20
DEPARTMENTS='  { id = "etat-civil"; name = "État civil"; agents = 4;
    quota = { period = "month"; mono = 200; colour = 20; thresholds = [ 80, 100 ]; }; },
  { id = "urbanisme"; name = "Urbanisme"; }' \
write_conf "$CONF" "web = { listen = \"127.0.0.1:$WEB_PORT\"; };
devices = (
$(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil),
$(device script printer 127.0.0.1 "$SIM_PORT" scenario_web-script urbanisme)
);"
poll() { "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" || fail "greenfleetd --once"; }
poll
set_rec "$Q" "$X.34" 10140 "$X.33" 512 "$X.1" 10652 1.3.6.1.2.1.43.10.2.1.4.1.1 10652
poll
start_web "$CONF"
base=http://127.0.0.1:$WEB_PORT
cli() { "$GREENFLEET" -c "$CONF" "$@"; }

# requests NAME: what the page asked for, one line each: "here PATH" for our server,
# "ELSEWHERE URL" for any other. Chromium's own background requests (updates, time),
# made for no page, are not the page's: those carry no 127.0.0.1 isolation key.
requests() {
	$PY - "$T/$1.net.json" "$base" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
start = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
seen = set()
for e in d["events"]:
    p = e.get("params", {})
    if e["type"] != start or "url" not in p or "127.0.0.1" not in p.get("network_isolation_key", ""):
        continue
    u = p["url"]
    line = "here " + u[len(sys.argv[2]):] if u.startswith(sys.argv[2] + "/") else "ELSEWHERE " + u
    if line not in seen:
        seen.add(line)
        print(line)
PY
}

# The fleet page: pages this month, devices up, as the CLI says.
browse fleet /
rep=$(cli report --from "$(date +%Y-%m-01)" --to "$(date +%Y-%m-%d)" --format json)
pages=$(printf '%s' "$rep" | jq '[.rows[].impressions] | add')
check "pages this month: 140 mono + 12 colour (the ledger)" 152 "$pages"
check_match "fleet DOM: $pages pages this month" "<div class=\"fig pages\"><span class=\"n\">$pages</span>" "$(cat "$T/fleet.flat")"
check_match "fleet DOM: 2 devices up" '<div class="fig up"><span class="n">2</span> <span>up</span>' "$(cat "$T/fleet.flat")"
check_match "fleet DOM: both devices in the table" 'id="dev-copieur".*id="dev-script"' "$(cat "$T/fleet.flat")"
check "fleet DOM: no script element" 0 "$(grep -c '<script' "$T/fleet.html")"
check "fleet: a 1280x900 screenshot" 1280x900 "$(png_size "$T/fleet.png")"

# The department page: the quota percent and the graph.
browse department /department/etat-civil
pct=$(cli quota --format json | jq -r '.[] | select(.department == "etat-civil") | .percent')
check "quota: 140 mono of 200, 12 colour of 20: 70 %" 70 "$pct"
check_match "department DOM: $pct %" "<p class=\"gauge used\"><span class=\"lbl\">Used</span> <meter [^>]*value=\"$pct\">$pct %</meter> <span class=\"n\">$pct %</span>" "$(cat "$T/department.flat")"
check_match "department DOM: the name" '<h1>Department État civil</h1>' "$(cat "$T/department.flat")"

# The device page: its counters, and the <script> sysDescr of the other one as text.
browse device /device/copieur
for c in $(cli counters copieur --format json | jq -r '.[] | "\(.counter)=\(.value)"'); do
	check_match "device DOM: counter ${c%%=*} = ${c#*=}" "<td>${c%%=*}</td><td class=\"num\">${c#*=}</td>" "$(cat "$T/device.flat")"
done
browse script /device/script 390,844
check_match "script DOM: the sysDescr as text" '<dd>&lt;script&gt;alert\(1\)&lt;/script&gt;</dd>' "$(cat "$T/script.flat")"
check "script: no script element" 0 "$(grep -c '<script' "$T/script.html")"
check "script: a phone-sized screenshot" 390x844 "$(png_size "$T/script.png")"

# What the pages asked for: the page, its style sheet, its graphs, all from here.
for n in fleet department device script; do
	requests "$n" >"$T/$n.req"
	check "$n: no request elsewhere" "" "$(grep ELSEWHERE "$T/$n.req")"
	check_match "$n: the style sheet from here" '^here /static/style.css$' "$(cat "$T/$n.req")"
done
check_match "department: its graph from here" '^here /graph/department/etat-civil.svg\?range=month' "$(cat "$T/department.req")"
check "device: two graphs from here" 2 "$(grep -c '^here /graph/device/copieur.svg' "$T/device.req")"
check "the graphs are served" 200 "$(http_code '/graph/department/etat-civil.svg?range=month&lang=en')"
finish
