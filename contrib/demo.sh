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

# The simulators are started and cleaned up by the same helpers as the tests.
top_srcdir=$top
top_builddir=$top/_build
KEEP=1
. tests/integration/lib.sh
trap 'exit 0' INT TERM
D=$T
ALL=$(cd tests/data && ls *.snmprec | sed 's/\.snmprec$//')
# shellcheck disable=SC2086
start_snmpsim $ALL
start_snmpd
sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SNMPD_PORT@|$SNMPD_PORT|g" -e "s|@DATA_DIR@|$D/data|g" \
	-e "s|@PROFILES_DIR@|$PWD/conf/profiles.d|g" \
	contrib/demo/demo.conf.in >"$D/greenfleet.conf"
chmod 600 "$D/greenfleet.conf"

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
