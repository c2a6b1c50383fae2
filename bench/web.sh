#!/bin/bash
# bench/web.sh -- greenfleet-web under load: latency (median, p99) and the web
# process's RSS for the fleet page at 1,000 devices and /metrics at 10,000,
# with wrk's 50 concurrent connections for 20 s each, on a state database
# filled synthetically (bench/fleetstate.py: the daemon creates the schema,
# then every device answered, with 14 days of ledger rows).
#
# Clients ask for gzip as browsers and Prometheus do (-i: identity, uncompressed).
#
# Usage: bench/web.sh [-b BUILD_DIR] [-d SECONDS] [-c CONNECTIONS] [-i] [-k]
#   -b  where greenfleetd and greenfleet-web are (default ./_build-dev)
#   -d  seconds per run (20)      -c  concurrent connections (50)
#   -k  keep the temp folder
# Prints one row per case: devices, path, requests, req/s, p50 and p99 latency
# (ms), wrk's errors, VmHWM and VmRSS of greenfleet-web after the run (MB),
# and the time of one request alone before the load (ms).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=./_build-dev
DUR=20
CONN=50
KEEP=0
ENC="Accept-Encoding: gzip"
while getopts b:d:c:ikh o; do
	case $o in
	b) BUILD=$OPTARG ;;
	d) DUR=$OPTARG ;;
	c) CONN=$OPTARG ;;
	i) ENC="Accept-Encoding: identity" ;;
	k) KEEP=1 ;;
	*) sed -n '2,16p' "$0"; exit 2 ;;
	esac
done
for b in "$BUILD/greenfleetd" "$BUILD/greenfleet-web" /usr/bin/wrk /usr/bin/curl /usr/bin/python3; do
	[ -x "$b" ] || { echo "bench/web.sh: missing $b (apt-get install -y wrk curl)" >&2; exit 1; }
done
TMP=$(mktemp -d /tmp/gf-webbench.XXXXXX)
WEB_PID=""
cleanup() {
	[ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null && wait "$WEB_PID" 2>/dev/null
	[ "$KEEP" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
ROOT=""
[ "$(id -u)" = 0 ] && ROOT=--allow-root
port() { python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, getattr(socket, sys.argv[1]))
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"; }
mb() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$WEB_PID/status"; }

# state N: a folder with a configuration and a state database of N devices.
state() {
	local d=$TMP/$1
	mkdir -p "$d/data"
	python3 "$HERE/fleetstate.py" "$d/gf.conf" "$d/data/state.db" "$1" 14 "$(port SOCK_DGRAM)"
	"$BUILD/greenfleetd" $ROOT -c "$d/gf.conf" --once 2>"$d/daemon.log" || true
	[ -s "$d/data/state.db" ] || { tail "$d/daemon.log"; exit 1; }
	python3 "$HERE/fleetstate.py" "$d/gf.conf" "$d/data/state.db" "$1" 14 >/dev/null
}

# run N PATH: greenfleet-web on N devices' state, wrk on PATH.
run() {
	local d=$TMP/$1 p one
	p=$(port SOCK_STREAM)
	grep -v '^web = ' "$d/gf.conf" >"$d/gf.tmp"
	echo "web = { listen = \"127.0.0.1:$p\"; };" >>"$d/gf.tmp"
	mv "$d/gf.tmp" "$d/gf.conf"
	chmod 600 "$d/gf.conf"
	"$BUILD/greenfleet-web" -f $ROOT -c "$d/gf.conf" 2>"$d/web.log" &
	WEB_PID=$!
	for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$p/healthz" && break; sleep 0.1; done
	one=$(curl -s -H "$ENC" -o "$d/body" -w '%{time_total}' "http://127.0.0.1:$p$2")
	wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 30s --latency -H "$ENC" "http://127.0.0.1:$p$2" >"$d/wrk.txt"
	awk -v n="$1" -v path="$2" -v hwm="$(mb VmHWM)" -v rss="$(mb VmRSS)" -v one="$one" \
	    -v bytes="$(wc -c <"$d/body")" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
			if (v ~ /s$/) return v * 1000; return v }
		/^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
		/requests in/ { req = $1 } /^Requests\/sec/ { rps = $2 }
		/Socket errors|Non-2xx/ { err = err $0 }
		END { printf "%-6s %-9s %7s req %8s/s  p50 %8.1f ms  p99 %8.1f ms  VmHWM %5s MB  VmRSS %5s MB  alone %6.1f ms  %s bytes  %s\n",
			n, path, req, rps, p50, p99, hwm, rss, one * 1000, bytes, err == "" ? "no errors" : err }' "$d/wrk.txt"
	kill "$WEB_PID"
	wait "$WEB_PID" 2>/dev/null || true
	WEB_PID=""
}

echo "# bench/web.sh $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $CONN connections, ${DUR} s, $ENC, $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null)"
state 1000
run 1000 /
run 1000 /metrics
state 10000
run 10000 /metrics
