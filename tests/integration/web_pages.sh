#!/bin/sh
# The dashboard's pages against a real state (greenfleetd --once on two snmpsim
# printers, three polls): every figure a page shows equals what `greenfleet ...
# --format json` prints for the same store (devices up, pages this month, quota
# use, counters, kgCO2e); the report's CSV and JSON downloads are byte for byte
# `greenfleet report --sustainability`; French and English by ?lang= and
# Accept-Language; a sysDescr of <script> and other device strings shown escaped;
# graphs drawn as SVG and PNG; the sort links order the device table.
. "$(dirname "$0")/lib.sh"
need state curl jq

start_snmpsim scenario_quota scenario_web-script
WEB_PORT=$(free_port tcp)
CONF=$T/gf.conf
Q=$T/sim/scenario_quota.snmprec
S=$T/sim/scenario_web-script.snmprec
X=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20
DEPARTMENTS='  { id = "etat-civil"; name = "État civil"; agents = 4;
    quota = { period = "month"; mono = 200; colour = 20; thresholds = [ 80, 100 ]; }; },
  { id = "urbanisme"; name = "Urbanisme <i>&amp;</i> \"plans\""; }' \
write_conf "$CONF" "web = { listen = \"127.0.0.1:$WEB_PORT\"; };
devices = (
$(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil),
$(device script printer 127.0.0.1 "$SIM_PORT" scenario_web-script urbanisme)
);"
poll() { "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" || fail "greenfleetd --once"; }
# counters FILE MONO COLOUR: a printer's counters now (total = mono + colour).
counters() { set_rec "$1" "$X.34" "$2" "$X.33" "$3" "$X.1" $(($2 + $3)) 1.3.6.1.2.1.43.10.2.1.4.1.1 $(($2 + $3)); }

poll							# baselines
counters "$Q" 10120 510; counters "$S" 1850 210; poll
counters "$Q" 10170 516; poll				# etat-civil: 170 mono of 200, 16 colour of 20
start_web "$CONF"
base=http://127.0.0.1:$WEB_PORT
get() { curl -s "$@"; }
# page PATH [ACCEPT-LANGUAGE]: a page on one line (English unless asked).
page() { curl -s -H "Accept-Language: ${2:-en}" "$base$1" | tr '\n' ' '; }
cli() { "$GREENFLEET" -c "$CONF" "$@"; }
FIRST=$(date +%Y-%m-01)
TODAY=$(date +%Y-%m-%d)
YEAR=$(date +%Y)

# The fleet page's figures: <div class="fig CLASS[ zero]"><span class="n">N</span>.
fig() { printf '%s' "$1" | sed -n "s|.*<div class=\"fig $2\( zero\)\{0,1\}\"><span class=\"n\">\\([^<]*\\)</span>.*|\\2|p"; }
fleet=$(page /)
st=$(cli status --format json)
check "up: as greenfleet status" "$(printf '%s' "$st" | jq '[.[] | select(.state == "up")] | length')" "$(fig "$fleet" up)"
check "two devices up" 2 "$(fig "$fleet" up)"
check "none down (a quiet zero)" 0 "$(fig "$fleet" down)"
rep=$(cli report --from "$FIRST" --to "$TODAY" --format json)
for k in impressions:pages mono:mono colour:colour; do
	check "pages this month, ${k%%:*}: as greenfleet report" \
		"$(printf '%s' "$rep" | jq "[.rows[].${k%%:*}] | add")" "$(fig "$fleet" "${k#*:}")"
done
check "pages this month: 170 + 16 + 60 (the ledger)" 246 "$(fig "$fleet" pages)"
qj=$(cli quota --format json)
check "quota warning: as greenfleet quota" \
	"$(printf '%s' "$qj" | jq '[.[] | select(.state == "warning")] | length')" "$(fig "$fleet" warning)"
fl=$(cli fleet --format json)
check "supplies low: as greenfleet fleet (a supply to order)" \
	"$(printf '%s' "$fl" | jq '[.[] | select(.component == "supply" and .state == "repair")] | length')" \
	"$(fig "$fleet" supply)"
check "supplies low: the toner at 4 %" 1 "$(fig "$fleet" supply)"
check "repairs advised: as greenfleet fleet" \
	"$(printf '%s' "$fl" | jq '[.[] | select(.state == "repair" or .state == "end-of-life")] | length')" \
	"$(fig "$fleet" repair)"
check_match "the sort links" 'href="/\?sort=pages&amp;dir=asc"' "$fleet"
desc=$(page "/?sort=device&dir=desc" | grep -o 'id="dev-[a-z]*"' | tr '\n' ' ')
check "sorted by device, descending" 'id="dev-script" id="dev-copieur" ' "$desc"
asc=$(page "/?sort=pages&dir=asc" | grep -o 'id="dev-[a-z]*"' | tr '\n' ' ')
check "sorted by life count, ascending" 'id="dev-script" id="dev-copieur" ' "$asc"

# The department page: the gauge is greenfleet quota's percent, the use its numbers.
dept=$(page /department/etat-civil)
pct=$(printf '%s' "$qj" | jq -r '.[] | select(.department == "etat-civil") | .percent')
check "quota percent: as greenfleet quota" "$pct" \
	"$(printf '%s' "$dept" | sed -n 's|.*<p class="gauge used">.*<span class="n">\([0-9]*\) %</span></p><p class="gauge projected">.*|\1|p')"
check "quota: 85 %" 85 "$pct"
for k in used_mono used_colour limit_mono; do
	check "quota $k: as greenfleet quota" \
		"$(printf '%s' "$qj" | jq -r ".[] | select(.department == \"etat-civil\") | .$k")" \
		"$(printf '%s' "$dept" | sed -n "s|.*id=\"q-$k\">\\([^<]*\\)<.*|\\1|p")"
done
check_match "its graph against the quota" 'src="/graph/department/etat-civil.svg\?range=month' "$dept"
check_match "its device with this month's pages" '<a href="/device/copieur">copieur</a></td><td><span class="st st-up">up</span></td><td class="num">186</td>' "$dept"
check_match "the 80 % notice in the store's state" '<li class="(sent|notsent)">80 % : ' "$dept"

# The device page: each counter as greenfleet counters prints it; the escaped sysDescr.
dev=$(page /device/copieur)
check "three counters read (total, mono, colour)" 3 "$(cli counters copieur --format json | jq length)"
for c in $(cli counters copieur --format json | jq -r '.[] | "\(.counter)=\(.value)=\(.counted)"'); do
	n=${c%%=*}
	v=${c#*=}
	check_match "counter $n: value ${v%%=*}, counted ${v#*=}" \
		"<td>$n</td><td class=\"num\">${v%%=*}</td>.*<td class=\"num\">${v#*=}</td>" "$dev"
done
check_match "graphs with a range picker" 'href="\?range=week".*src="/graph/device/copieur.svg\?range=day&amp;metric=pages' "$dev"
sc=$(page /device/script)
check_match "sysDescr <script> shown as text" '<dd>&lt;script&gt;alert\(1\)&lt;/script&gt;</dd>' "$sc"
check "no <script> anywhere" 0 "$(printf '%s' "$sc$fleet$dept" | grep -c '<script')"
check_match "supply name escaped, its level" '<span>Black Toner &lt;b&gt;&amp;amp;&lt;/b&gt;</span> <meter min="0" max="100" low="15" value="4">' "$sc"
check_match "department name escaped" 'Urbanisme &lt;i&gt;&amp;amp;&lt;/i&gt; &quot;plans&quot;' "$(page /department/urbanisme)"
kg=$(printf '%s' "$fl" | jq -r '.[] | select(.device == "script") | .co2e_avoided_kg // "-"')
check_match "kgCO2e avoided on the device page: as greenfleet fleet ($kg)" \
	"<dt>kgCO2e avoided by repair</dt><dd>$kg</dd>" "$sc"

# The repairs page: the advice with its part and kgCO2e.
rp=$(page /repairs)
part=$(printf '%s' "$fl" | jq -r '.[] | select(.device == "script") | .part')
kgcell=$kg
[ "$kg" = - ] && kgcell='&ndash;'	# a toner avoids no replacement: unknown
check_match "repairs: the toner to order ($part), $kg kgCO2e" \
	"<a href=\"/device/script\">script</a></td><td>urbanisme</td><td><span class=\"st st-repair\">repair</span></td><td>[^<]*</td><td>$part</td><td class=\"num\">$kgcell</td>" "$rp"

# The report: downloads identical to greenfleet report --sustainability.
cli report --sustainability --year "$YEAR" --format csv >"$T/cli.csv"
cli report --sustainability --year "$YEAR" --format json >"$T/cli.json"
get -o "$T/web.csv" "$base/report?year=$YEAR&format=csv"
get -o "$T/web.json" "$base/report?year=$YEAR&format=json"
check "report CSV identical to the CLI's" "" "$(cmp "$T/cli.csv" "$T/web.csv" 2>&1)"
check "report JSON identical to the CLI's" "" "$(cmp "$T/cli.json" "$T/web.json" 2>&1)"
check "the CSV is not empty" 1 "$(grep -c '^department,etat-civil,pages,' "$T/web.csv")"
check_match "the CSV is a download" 'Content-Disposition: attachment; filename="?greenfleet-report.csv' \
	"$(curl -s -D - -o /dev/null "$base/report?year=$YEAR&format=csv" | tr -d '\r')"
check_match "the report on screen" "<h1>Yearly report $YEAR</h1>" "$(page "/report?year=$YEAR")"
check "report: a bad year 400" 400 "$(http_code '/report?year=20x6')"
check "report: a bad format 400" 400 "$(http_code "/report?year=$YEAR&format=xml")"

# French and English.
fr=$(page "/?lang=fr")
check_match "?lang=fr: French" '<html lang="fr">.*Pages ce mois-ci.*joignable' "$fr"
check_match "Accept-Language: fr" 'Pages ce mois-ci' "$(page / 'fr-FR,fr;q=0.9')"
check_match "Accept-Language: en" '<html lang="en">.*Pages this month' "$(page / en-GB)"
check_match "the department in French" 'Projection en fin de p.riode.*Avis envoy.s' "$(page "/department/etat-civil?lang=fr")"
check_match "links keep the asked language" 'href="/device/copieur\?lang=fr"' "$fr"

# Graphs: SVG and PNG drawn from the RRD files.
check "device graph SVG" "200 image/svg+xml" "$(curl -s -o "$T/g.svg" -w '%{http_code} %{content_type}' "$base/graph/device/copieur.svg?range=hour&metric=pages")"
check_match "an SVG" '<svg' "$(head -c 2000 "$T/g.svg")"
check "department graph PNG" "200 image/png" "$(curl -s -o "$T/g.png" -w '%{http_code} %{content_type}' "$base/graph/department/etat-civil.png?range=month")"
check "a PNG" "89504e47" "$(head -c 4 "$T/g.png" | od -An -tx1 | tr -d ' \n')"
check "graph: a bad range 400" 400 "$(http_code '/graph/device/copieur.svg?range=century')"
check "graph: unknown device 404" 404 "$(http_code '/graph/device/nope.svg')"
check "the style sheet" "200 text/css; charset=utf-8" "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$base/static/style.css")"
check "no external URL in any page" 0 "$(printf '%s' "$fleet$dept$dev$sc$rp$fr" | grep -c -E '(src|href)="(https?:)?//')"

# Compressed for a client that takes gzip (browsers, Prometheus), the same bytes once
# inflated; never for one that does not, or refuses it with q=0.
enc() { curl -s -o /dev/null -w '%{size_download}' -D "$T/h" "$@" >/dev/null;
	tr -d '\r' <"$T/h" | sed -n 's/^[Cc]ontent-[Ee]ncoding: //p'; }
check "gzip when taken" gzip "$(enc -H 'Accept-Encoding: gzip, deflate' "$base/?lang=en")"
check "Vary: Accept-Encoding" 1 "$(grep -ci '^vary: accept-encoding' "$T/h")"
check "not when refused" "" "$(enc -H 'Accept-Encoding: gzip;q=0, identity' "$base/?lang=en")"
check "not when not asked" "" "$(enc "$base/?lang=en")"
check "/metrics too (Prometheus takes gzip)" gzip "$(enc -H 'Accept-Encoding: gzip' "$base/metrics")"
# Bytes that do not depend on the time they were built at (ages in /metrics do).
check "inflated, the same bytes as plain" "$(curl -s "$base/static/style.css" | md5sum)" \
	"$(curl -s --compressed "$base/static/style.css" | md5sum)"
check "the style sheet is worth compressing" gzip "$(enc -H 'Accept-Encoding: gzip' "$base/static/style.css")"
# The pages are kept between requests, but a poll that changes the state is seen
# at once: 30 more mono pages show in the next request's figures.
before=$(fig "$(page /)" pages)
counters "$Q" 10200 516; poll
# On PostgreSQL no file tells of a commit: a page is kept 5 s at most (WC_TTL).
[ "${STORE_BACKEND:-sqlite}" = pg ] && sleep 5
check "a poll is seen at once (the cache follows the state file)" $((before + 30)) "$(fig "$(page /)" pages)"
finish
