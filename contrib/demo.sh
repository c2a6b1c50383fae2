#!/bin/sh
# The demo: from a fresh clone on Debian 12, build greenfleet, simulate a town
# hall's fleet on loopback (snmpsim with real device recordings whose counters
# grow, this machine's snmpd, an SMTP sink), run greenfleetd on it and show
# `greenfleet status` after each cycle; after a minute, quota use and the
# e-mail it sent, repair advice, the yearly report and graphs (PNG paths).
# Ctrl-C stops everything. DEMO_SECONDS=N checks the results and stops after N s.
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
# The simulators' files go with them at the end; DEMO_KEEP=1 keeps them to look at.
KEEP=${DEMO_KEEP:-0}
. tests/integration/lib.sh
trap 'exit 0' INT TERM
D=$T
ALL=$(cd tests/data && ls *.snmprec | sed 's/\.snmprec$//')
# shellcheck disable=SC2086
start_snmpsim $ALL
start_snmpd
start_smtp
sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SNMPD_PORT@|$SNMPD_PORT|g" -e "s|@DATA_DIR@|$D/data|g" \
	-e "s|@PROFILES_DIR@|$PWD/conf/profiles.d|g" -e "s|@MAIL_DIR@|$PWD/conf/mail|g" \
	-e "s|@SMTP_PORT@|$SMTP_PORT|g" contrib/demo/demo.conf.in >"$D/greenfleet.conf"
chmod 600 "$D/greenfleet.conf"
GF="_build/greenfleet -c $D/greenfleet.conf"
PNG=$top/demo-output

# The état civil copier prints: 15 black and 3 colour pages every 4 seconds.
KONICA=$T/sim/konica_bizhub-c250i.snmprec
(
	mono=22876 colour=6711
	while :; do
		sleep 4
		mono=$((mono + 15)) colour=$((colour + 3))
		set_rec "$KONICA" 1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.1.2 "$mono" \
			1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.2.2 "$colour" 2>/dev/null || exit 0
	done
) &
PIDS="$PIDS $!"

# -t checks what the start checks (root included): same command, same flags.
"$GREENFLEETD" -t -c "$D/greenfleet.conf"
echo "starting greenfleetd on the demo fleet (config: $D/greenfleet.conf)"
# As root (a fresh VM), say so: the daemon refuses root without a configured user.
"$GREENFLEETD" -f -c "$D/greenfleet.conf" &
PIDS="$PIDS $!"

# After a minute: everything greenfleet does, once.
summary() {
	echo
	echo "=== quota use (greenfleet quota)"
	$GF quota
	echo
	echo "=== quota e-mails captured by the SMTP sink ($MAILDIR)"
	mails | cut -d'|' -f1,3 | sed 's/|/  /'
	echo
	echo "=== repair advice (greenfleet fleet)"
	$GF fleet
	echo
	echo "=== responsible-IT report (greenfleet report --sustainability)"
	$GF report --sustainability --year "$(date +%Y)"
	mkdir -p "$PNG"
	# The last hour: a row per poll (10 s), the minute of printing shows.
	$GF graph --department etat-civil --from -1h -o "$PNG/etat-civil.png"
	$GF graph --department etat-civil --from -1h -o "$PNG/etat-civil.json"
	$GF graph --device copieur-etage1 --from -1h -o "$PNG/copieur-etage1.png"
	$GF graph --fleet --from -1h -o "$PNG/fleet.png"
	$GF graph --device pc-accueil-xp --metric disk --from -1h -o "$PNG/pc-accueil-xp-disk.png"
	echo
	echo "=== graphs (kept after the demo)"
	ls "$PNG"/*.png
}

start=$(date +%s)
shown=0
while :; do
	sleep 11
	echo
	$GF status
	now=$(date +%s)
	if [ "$shown" = 0 ] && [ $((now - start)) -ge "${DEMO_SUMMARY_AFTER:-66}" ]; then
		summary
		shown=1
		[ -n "${DEMO_SECONDS:-}" ] || echo "(greenfleetd goes on; Ctrl-C stops the demo)"
	fi
	if [ -n "${DEMO_SECONDS:-}" ] && [ $((now - start)) -ge "$DEMO_SECONDS" ] && [ "$shown" = 1 ]; then
		# The demo checks itself: CI runs it.
		$GF status --format tsv | grep -q "^copieur-rdc.*	up	121104	" ||
			{ echo "demo: copieur-rdc was not read"; exit 1; }
		mails | grep "^chef.etatcivil@mairie.example|dsi@mairie.example|Quota d'impression : État civil" >/dev/null ||
			{ echo "demo: no quota e-mail"; exit 1; }
		$GF fleet --format csv | grep -q "^pc-accueil-xp,.*,repair,disk,.*larger disk or SSD,199.4" ||
			{ echo "demo: no repair advice"; exit 1; }
		for f in etat-civil copieur-etage1 fleet pc-accueil-xp-disk; do
			[ -s "$PNG/$f.png" ] || { echo "demo: no $f.png"; exit 1; }
		done
		# The graph's legend as text: the pages printed, never "-nan" nor "no data yet".
		grep -q '"gprint": " *[1-9][0-9]* pages' "$PNG/etat-civil.json" &&
			! grep -q 'nan\|pas encore' "$PNG/etat-civil.json" ||
			{ echo "demo: the état civil graph shows no pages"; exit 1; }
		echo "demo: OK"
		exit 0
	fi
done
