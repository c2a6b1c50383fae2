#!/bin/sh
# A real Prometheus server scrapes greenfleet-web's /metrics on loopback: the
# target is up, and series queried back through Prometheus's HTTP API
# (/api/v1/query) hold what `greenfleet metrics` and the CLI's JSON say for the
# same store: a printer's pages, a department's quota use, devices up.
. "$(dirname "$0")/lib.sh"
need prometheus promtool curl state

start_snmpsim konica_bizhub-c250i hp_laserjet-mfp-m130nw
K=$T/sim/konica_bizhub-c250i.snmprec
H=$T/sim/hp_laserjet-mfp-m130nw.snmprec
HT=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HM=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
KPM=1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.1.2	# print black
KPC=1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.2.2	# print colour
WEB_PORT=$(free_port tcp)
PROM_PORT=$(free_port tcp)
CONF=$T/gf.conf
DEPARTMENTS='  { id = "urba"; name = "Urbanisme"; },
  { id = "ec"; name = "État civil"; quota = { period = "month"; mono = 1000; }; }'
write_conf "$CONF" "web = { listen = \"127.0.0.1:$WEB_PORT\"; };
devices = (
$(device konica printer 127.0.0.1 "$SIM_PORT" konica_bizhub-c250i urba),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw ec)
);"
poll() { "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" || fail "greenfleetd --once"; }
poll
set_rec "$K" "$KPM" 22976 "$KPC" 6731			# 100 black, 20 colour
set_rec "$H" "$HT" 15282 "$HM" 15282 "$LIFE" 15282	# 50
poll
start_web "$CONF"

cat >"$T/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: greenfleet
    static_configs:
      - targets: ['127.0.0.1:$WEB_PORT']
YML
promtool check config "$T/prometheus.yml" >"$T/promcheck.log" 2>&1 || { cat "$T/promcheck.log"; exit 99; }
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/prom" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$T/prometheus.log" 2>&1 &
PIDS="$PIDS $!"

# query PROMQL: the value of the first series Prometheus answers, "" if none.
query() {
	curl -s -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		$PY -c 'import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
except ValueError:
    r = []			# not listening yet
print(r[0]["value"][1] if r else "")'
}
# Until the first scrape has landed (Prometheus starts, then scrapes every second).
scraped() { [ "$(query 'up{job="greenfleet"}')" = 1 ]; }
for _ in $(seq 1 60); do scraped && break; sleep 0.5; done
check "Prometheus scraped greenfleet-web (up)" 1 "$(query 'up{job="greenfleet"}')"

metric() { "$GREENFLEET" -c "$CONF" metrics | awk -v s="$1" 'index($0, s " ") == 1 { print $2 }'; }
check "konica's pages through Prometheus" 120 \
	"$(query 'greenfleet_pages_total{device="konica",kind="total"}')"
check "the same as greenfleet metrics" "$(metric 'greenfleet_pages_total{device="konica",department="urba",kind="total"}')" \
	"$(query 'greenfleet_pages_total{device="konica",kind="total"}')"
check "konica's colour pages" 20 "$(query 'greenfleet_pages_total{device="konica",kind="colour"}')"
PERIOD=$("$GREENFLEET" -c "$CONF" quota --format json | $PY -c 'import json, sys; print(json.load(sys.stdin)[0]["period"])')
USED=$("$GREENFLEET" -c "$CONF" quota --format json | $PY -c 'import json, sys; print(json.load(sys.stdin)[0]["used_mono"])')
check "ec used hp's 50 pages" 50 "$USED"
check "ec's quota use through Prometheus = greenfleet quota" "$USED" \
	"$(query "greenfleet_quota_used_pages{department=\"ec\",period=\"$PERIOD\",kind=\"mono\"}")"
check "devices up, summed by Prometheus" 2 "$(query 'sum(greenfleet_device_up)')"
check "the build's version" 1 "$(query 'greenfleet_build_info')"
check "the scrape's last error is none" "" "$(curl -s "http://127.0.0.1:$PROM_PORT/api/v1/targets" |
	$PY -c 'import json, sys; print(json.load(sys.stdin)["data"]["activeTargets"][0]["lastError"])')"
finish
