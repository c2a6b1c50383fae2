#!/bin/sh
# A quota notice projects the period's end only once enough of it has passed
# (a week and a quarter of it): on the 3rd of the month it says it is too
# early instead of extrapolating two days over thirty; on the 20th it gives
# the projection. Lines for a limit that is not set (here colour and budget)
# are left out. The mails are read from a real SMTP server's Maildir; the
# same rule holds for `greenfleet quota` (text, CSV, JSON).
. "$(dirname "$0")/lib.sh"
need faketime

export TZ=Europe/Paris
start_snmpsim scenario_quota
start_smtp
P=$T/sim/scenario_quota.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
CONF=$T/gf.conf
conf() {
	DEPARTMENTS='  { id = "etat-civil"; name = "État civil"; head = "chef.etatcivil@mairie.example";
    quota = { period = "month"; mono = 1000; thresholds = [ 80, 100 ]; }; }' \
	INTERVAL=10 TIMEOUT_MS=500 RETRIES=0 \
	write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT\"; from = \"greenfleet@mairie.example\";
  language = \"$1\"; timeout_s = 5; };
devices = ( $(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil) );"
}
pages() { set_rec "$P" "$MONO" "$1" "$COLOUR" "$2" "$TOTAL" $(( $1 + $2 )); }
poll() {
	echo "--- poll at $1" >>"$T/daemon.log"
	faketime -f "@$1:00" "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1"
}
count() { mails | grep -c . ; }
# last_body FIRST LAST: the lines of the newest mail's body from FIRST up to LAST.
last_body() {
	$PY - "$MAILDIR" "$1" "$2" <<'PY'
import email, email.policy, glob, os, sys
f = sorted(glob.glob(sys.argv[1] + "/new/*"), key=os.path.getmtime)[-1]
body = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default).get_content()
lines = body.splitlines()
i = lines.index(sys.argv[2])
j = lines.index(sys.argv[3], i)
print("\n".join(lines[i:j + 1]))
PY
}

conf fr
poll '2026-11-02 09:00'			# baseline: 10000 mono, 500 colour
pages 10870 500; poll '2026-11-03 09:00'
check "day 3, 87 %: one warning" 1 "$(count)"
check "day 3: no projection, no line for the colour limit or the budget (none is set)" \
"Consommation à ce jour :
  - noir et blanc : 870 pages sur 1000

Il est trop tôt dans la période pour une projection de la consommation.

Appareils qui ont le plus imprimé :" \
	"$(last_body "Consommation à ce jour :" "Appareils qui ont le plus imprimé :")"
check "day 3: quota csv has no projection" \
	"etat-civil,2026-11,870,0,1000,,,,87,warning,,80" \
	"$(faketime -f '@2026-11-03 10:00:00' "$GREENFLEET" -c "$CONF" quota --format csv | tr -d '\r' | tail -1)"
check_match "day 3: quota json says null" '"percent": 87, "state": "warning", "projected_percent": null' \
	"$(faketime -f '@2026-11-03 10:00:00' "$GREENFLEET" -c "$CONF" quota --format json)"
check "day 3: quota text shows none" "87 warning -" \
	"$(faketime -f '@2026-11-03 10:00:00' "$GREENFLEET" -c "$CONF" quota | awk 'NR == 2 { print $(NF - 3), $(NF - 2), $(NF - 1) }')"

# December, in English: nothing printed until the 20th, then 850 pages in 19.5 of 31 days.
conf en
poll '2026-12-01 00:30'
pages 11720 500; poll '2026-12-20 12:00'
check "day 20, 85 %: a second warning" 2 "$(count)"
check "day 20: the projection (850 x 31 / 19.5 = 1351 pages, 135 %), still no colour or budget line" \
"Use so far:
  - black and white: 850 of 1000 pages

At the current pace, use by the end of the period is projected at 135 % of the quota.

Devices that printed the most:" \
	"$(last_body "Use so far:" "Devices that printed the most:")"
check "day 20: quota csv has the projection" \
	"etat-civil,2026-12,850,0,1000,,,,85,warning,135,80" \
	"$(faketime -f '@2026-12-20 12:00:00' "$GREENFLEET" -c "$CONF" quota --format csv | tr -d '\r' | tail -1)"
check "a month that is over: its projection is what was used" \
	"etat-civil,2026-11,870,0,1000,,,,87,warning,87,80" \
	"$(faketime -f '@2026-12-20 12:00:00' "$GREENFLEET" -c "$CONF" quota --period 2026-11 --format csv | tr -d '\r' | tail -1)"
finish
