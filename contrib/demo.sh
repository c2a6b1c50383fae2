#!/bin/sh
# The demo: from a fresh clone on Debian 12, build greenfleet, simulate a town
# hall's fleet on loopback (snmpsim with real device recordings whose counters
# grow, this machine's snmpd, an SMTP sink), run greenfleetd on it and show
# `greenfleet status` after each cycle, and greenfleet-web's dashboard on
# loopback (its address printed); after a minute, quota use and the e-mail it
# sent, repair advice, the yearly report, graphs (PNG paths) and, when Chromium
# is there, screenshots of the dashboard's fleet and department pages.
# Ctrl-C stops everything. DEMO_SECONDS=N checks the results and stops after N s.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh contrib/deps-debian.sh
if [ ! -x _build/greenfleetd ] || [ ! -f _build/Makefile ] || ! grep -q greenfleet-web _build/Makefile; then
	[ -f config.status ] && make distclean >/dev/null 2>&1 || true
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1
	mkdir -p _build
	(cd _build && "$top/configure" -q)
fi
make -s -C _build -j"$(nproc 2>/dev/null || echo 2)" greenfleetd greenfleet greenfleet-web

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
# The dashboard on 127.0.0.1:8080 (the default), or any free port when 8080 is taken.
WEB_PORT=${DEMO_WEB_PORT:-8080}
$PY -c 'import socket,sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$WEB_PORT" \
	2>/dev/null || WEB_PORT=$(free_port tcp)
sed -e "s|@WEB_PORT@|$WEB_PORT|g" \
	-e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SNMPD_PORT@|$SNMPD_PORT|g" -e "s|@DATA_DIR@|$D/data|g" \
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
# The dashboard reads what greenfleetd writes (read-only); the same helper as the tests.
start_web "$D/greenfleet.conf"
DASH=http://127.0.0.1:$WEB_PORT/
echo "dashboard: $DASH  (fleet, /department/etat-civil, /repairs, /report; ?lang=en for English)"

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
	$GF graph --department etat-civil --from -1h -o "$PNG/graph-etat-civil.png"
	$GF graph --department etat-civil --from -1h -o "$PNG/graph-etat-civil.json"
	$GF graph --device copieur-etage1 --from -1h -o "$PNG/graph-copieur-etage1.png"
	$GF graph --fleet --from -1h -o "$PNG/graph-fleet.png"
	$GF graph --device pc-accueil-xp --metric disk --from -1h -o "$PNG/graph-pc-accueil-xp-disk.png"
	screenshots
	echo
	echo "=== graphs and dashboard screenshots (kept after the demo)"
	ls "$PNG"/*.png
	echo
	echo "=== dashboard: $DASH"
}

# The dashboard's fleet and department pages as a browser shows them (headless Chromium).
screenshots() {
	command -v chromium >/dev/null 2>&1 || { echo "(no chromium: no dashboard screenshots)"; return 0; }
	for p in fleet:/ department-etat-civil:/department/etat-civil; do
		timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--user-data-dir="$D/chromium" --no-first-run --disable-background-networking \
			--window-size=1280,1600 --screenshot="$PNG/${p%%:*}.png" "$DASH${p#*:/}" \
			>/dev/null 2>&1 || echo "(chromium could not take ${p%%:*}.png)"
	done
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
		for f in graph-etat-civil graph-copieur-etage1 graph-fleet graph-pc-accueil-xp-disk; do
			[ -s "$PNG/$f.png" ] || { echo "demo: no $f.png"; exit 1; }
		done
		# The graph's legend as text: the pages printed, never "-nan" nor "no data yet".
		grep -q '"gprint": " *[1-9][0-9]* pages' "$PNG/graph-etat-civil.json" &&
			! grep -q 'nan\|pas encore' "$PNG/graph-etat-civil.json" ||
			{ echo "demo: the état civil graph shows no pages"; exit 1; }
		curl -s "${DASH}department/etat-civil?lang=fr" | grep -q "Service État civil" ||
			{ echo "demo: the dashboard does not show État civil"; exit 1; }
		if command -v chromium >/dev/null 2>&1; then
			for f in fleet department-etat-civil; do
				[ -s "$PNG/$f.png" ] || { echo "demo: no $f.png"; exit 1; }
			done
		fi
		echo "demo: OK"
		exit 0
	fi
done
