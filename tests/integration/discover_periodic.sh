#!/bin/sh
# greenfleetd's periodic discovery (discover { interval; networks; communities;
# port; }): on a simulated network of 8 loopback addresses, one configured
# device answers, one unconfigured device answers and one configured device is
# silent; the daemon's first sweep (at start) finds the new one and the
# missing one, exactly as `greenfleet discover` classifies them, and IT's
# weekly fleet digest (real SMTP) lists them; the configuration is unchanged.
. "$(dirname "$0")/lib.sh"
need state

NET=127.0.78
start_snmpsim_net $NET.1=hp_laserjet-mfp-m130nw $NET.2=kyocera_cs-4053ci
start_smtp
CONF=$T/gf.conf
INTERVAL=10 TIMEOUT_MS=500 RETRIES=0 \
write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT\"; from = \"greenfleet@mairie.example\";
  it = \"dsi@mairie.example\"; digest = \"weekly\"; language = \"fr\"; timeout_s = 5; };
discover = { interval = 3600; networks = [ \"$NET.0/29\" ]; communities = [ \"wrong\", \"public\" ];
  port = $SIM_PORT; };
devices = (
$(device present printer $NET.1 "$SIM_PORT" public),
$(device silent printer $NET.3 "$SIM_PORT" public)
);"
sum0=$(cksum <"$CONF")

# ---- the configuration's checks: FILE:LINE, every key ----
bad() {
	write_conf "$T/bad.conf" "discover = { $1 };"
	"$GREENFLEETD" -t -c "$T/bad.conf" 2>&1 | grep -v '^configuration OK'
}
check "interval below an hour" "$T/bad.conf:12: interval: expected 0 (off) or 3600 to 7776000 seconds" \
	"$(bad 'interval = 60; networks = [ "127.0.0.0/29" ];')"
check "interval without networks" "$T/bad.conf:12: interval: give networks = [ \"CIDR\", ... ] to sweep" \
	"$(bad 'interval = 3600;')"
check "a network that is none" "$T/bad.conf:12: networks: '127.0.0.1/33': a CIDR prefix is /0 to /32" \
	"$(bad 'interval = 3600; networks = [ "127.0.0.1/33" ];')"
check "more than a /16" "$T/bad.conf:12: networks: more than 65536 addresses in all" \
	"$(bad 'interval = 3600; networks = [ "127.0.0.0/16", "127.1.0.0/30" ];')"
check "an empty community" "$T/bad.conf:12: communities: expected a string of 1 to 255 bytes" \
	"$(bad 'communities = [ "" ];')"
check "a port out of range" "$T/bad.conf:12: port: expected 1 to 65535" "$(bad 'port = 70000;')"
check "interval 0 is off, and valid" "" "$(bad 'interval = 0; networks = [ "127.0.0.0/29" ];')"
check "the test configuration passes -t" "configuration OK" "$("$GREENFLEETD" -t -c "$CONF" 2>&1)"

# ---- what greenfleet discover says of the same network ----
"$GREENFLEET" -c "$CONF" discover "$NET.0/29" --community wrong,public --port "$SIM_PORT" \
	--timeout 500 --retries 1 --format csv >"$T/cli.csv" 2>"$T/cli.err"
check "greenfleet discover: known, new, missing" "127.0.78.1 known
127.0.78.2 new
127.0.78.3 missing" "$(awk -F, 'NR > 1 { print $1 " " $2 }' "$T/cli.csv")"

# ---- the daemon: first sweep at start, then the fleet digest ----
$GF_WRAP "$GREENFLEETD" -f -c "$CONF" 2>"$T/daemon.log" &
D_PID=$!
PIDS="$PIDS $D_PID"
n=0
while [ "$n" -lt 60 ] && ! mails | grep -q '^dsi@mairie.example|'; do
	sleep 1
	n=$((n + 1))
done
kill "$D_PID"
wait "$D_PID"
check "the daemon stops cleanly" 0 $?
check "one fleet digest to IT" 1 "$(mails | grep -c '^dsi@mairie.example|')"
body=$($PY - "$MAILDIR" <<'PY'
import email, email.policy, glob, sys
for f in glob.glob(sys.argv[1] + "/new/*"):
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    if m["To"] == "dsi@mairie.example":
        print(m.get_content())
PY
)
found=$(echo "$body" | sed -n '/^Trouvé sur le réseau/,/^$/p' | tr -d '\r')
new=$(awk -F, '$2 == "new" { printf "  - nouveau : %s, imprimante %s %s, n° de série %s, id proposé %s", $1, $6, $7, $8, $4 }' "$T/cli.csv")
check "the digest lists the new device as discover does, and the missing one" \
"Trouvé sur le réseau par la dernière découverte (rien n'est ajouté à la configuration) :
$new
  - absent : silent (127.0.78.3) ne répond pas
" "$found
"
check_match "the sweep is logged with its counts" \
	"discover: sweep done in [0-9]+ ms: 2 answering, 1 new, 1 known, 0 moved, 1 missing" "$(cat "$T/daemon.log")"
check "the configuration file is unchanged" "$sum0" "$(cksum <"$CONF")"
check "nothing was written beside it" "bad.conf cli.csv gf.conf" \
	"$(cd "$T" && ls -- *.conf *.csv | tr '\n' ' ' | sed 's/ $//')"
finish
