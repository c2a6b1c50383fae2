#!/bin/sh
# The demo: from a fresh clone on Debian 12, build greenfleet, simulate a town
# hall's fleet on loopback (snmpsim with real device recordings, this machine's
# snmpd), run greenfleetd on it and show `greenfleet status` after each cycle.
# Ctrl-C stops everything. DEMO_SECONDS=N stops by itself after N seconds.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh contrib/deps-debian.sh
if [ ! -x _build/greenfleetd ]; then
	[ -f config.status ] && make distclean >/dev/null 2>&1 || true
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1
	mkdir -p _build
	(cd _build && "$top/configure" -q)
fi
make -s -C _build -j"$(nproc 2>/dev/null || echo 2)" greenfleetd greenfleet

D=$(mktemp -d /tmp/greenfleet-demo.XXXXXX)
chmod 755 "$D"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
	echo "demo stopped; its data is in $D/data"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

port() { /usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkdir -p "$D/sim" "$D/cache" "$D/snmpd"
cp tests/data/*.snmprec "$D/sim/"
chmod -R a+rX "$D/sim"
chmod 777 "$D/cache"
SIM_PORT=$(port)
# snmpsim refuses to run as root unless told which user to become.
SIM_USER=""
[ "$(id -u)" -eq 0 ] && SIM_USER="--process-user=nobody --process-group=nogroup"
/usr/bin/snmpsimd --data-dir="$D/sim" --cache-dir="$D/cache" --v2c-arch \
	--agent-udpv4-endpoint=127.0.0.1:"$SIM_PORT" $SIM_USER \
	--logging-method=null >"$D/snmpsim.log" 2>&1 &
PIDS="$PIDS $!"
SNMPD_PORT=$(port)
echo "rocommunity public 127.0.0.1" >"$D/snmpd.conf"
MIBS= SNMP_PERSISTENT_DIR="$D/snmpd" snmpd -f -C -c "$D/snmpd.conf" -Lf "$D/snmpd.log" \
	-I -smux udp:127.0.0.1:"$SNMPD_PORT" &
PIDS="$PIDS $!"
sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SNMPD_PORT@|$SNMPD_PORT|g" -e "s|@DATA_DIR@|$D/data|g" \
	contrib/demo/demo.conf.in >"$D/greenfleet.conf"
chmod 600 "$D/greenfleet.conf"
for _ in $(seq 1 100); do
	snmpget -v2c -c sharp_mx-3570n -t 0.3 -r 0 127.0.0.1:"$SIM_PORT" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 && break
	sleep 0.2
done

_build/greenfleetd -t -c "$D/greenfleet.conf"
echo "starting greenfleetd on the demo fleet (config: $D/greenfleet.conf)"
_build/greenfleetd -f -c "$D/greenfleet.conf" &
PIDS="$PIDS $!"
start=$(date +%s)
while :; do
	sleep 11
	echo
	_build/greenfleet -c "$D/greenfleet.conf" status
	if [ -n "${DEMO_SECONDS:-}" ] && [ $(($(date +%s) - start)) -ge "$DEMO_SECONDS" ]; then
		_build/greenfleet -c "$D/greenfleet.conf" status --format tsv | grep -q "^copieur-rdc.*	up	121104	" ||
			{ echo "demo: copieur-rdc was not read"; exit 1; }
		exit 0
	fi
done
