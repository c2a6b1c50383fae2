#!/bin/sh
# SIGHUP reloads: a bad file is refused with its file:line errors and the daemon
# goes on with the old configuration; a good one is swapped in: an added device
# starts polling, a removed one stops (its history stays), a device moved to
# another department counts its new pages there and keeps its old ones. No page
# is lost or counted twice across reloads.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim sharp_mx-3570n hp_laserjet-mfp-m130nw utax_p-4532dn
P=$T/sim/hp_laserjet-mfp-m130nw.snmprec
HT=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HM=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
CONF=$T/gf.conf
conf() { # DEPT_OF_HP EXTRA_DEVICE_LINES
	INTERVAL=10 write_conf "$CONF" "${EXTRA:-}devices = (
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw "$1"),
$2
);"
}
conf urbanisme "$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n)"
q() { state_sql "$1" 2>/dev/null; }
wait_q() { for _ in $(seq 1 120); do [ "$(q "$1")" = "$2" ] && return 0; sleep 0.25; done; return 1; }

"$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
PIDS="$PIDS $gf"
wait_q "select count(*) from meter where device='hp' and counter='total'" 1 || fail "no baseline"
set_rec "$P" "$HT" 15332 "$HM" 15332 "$LIFE" 15332
wait_q "select sum(pages) from ledger where device='hp' and counter='total'" 100 ||
	fail "the first 100 pages were not counted"

# A bad file: refused, every error logged with its line, the old configuration runs on.
printf 'interval = 5;\ndevices = ( { id = "x"; } );\n' >"$CONF"
kill -HUP $gf
sleep 2
check "still running after a bad reload" 0 "$(kill -0 $gf 2>/dev/null; echo $?)"
check_match "the error is logged with file:line" "reload: .*gf.conf:1: interval: 5 is out of range" "$(cat "$T/daemon.log")"
check_match "and the refusal" "still running on the previous configuration" "$(cat "$T/daemon.log")"

# A good one: hp moves to etat-civil, sharp is removed, utax is added; a new user
# cannot be taken on by a daemon that dropped its privileges: it says so.
EXTRA='user = "nobody";
' conf etat-civil "$(device utax printer 127.0.0.1 "$SIM_PORT" utax_p-4532dn)"
kill -HUP $gf
wait_q "select count(*) from device_state where id='utax'" 1 || fail "the added device was not polled"
check_match "the reload is logged" "reload: .*loaded: 2 devices" "$(cat "$T/daemon.log")"
check_match "a new user waits for the next start, and the log says so" \
	"reload: user = \"nobody\" takes effect at the next start; still uid $(id -u)" "$(cat "$T/daemon.log")"
sharp_last=$(q "select last_poll from device_state where id='sharp'")
set_rec "$P" "$HT" 15382 "$HM" 15382 "$LIFE" 15382
wait_q "select sum(pages) from ledger where device='hp' and counter='total' and department='etat-civil'" 50 ||
	fail "the next 50 pages were not counted in the new department"
sleep 11
check "the removed device is no longer polled" "$sharp_last" "$(q "select last_poll from device_state where id='sharp'")"
check "its history stays (its 9 counters)" 9 "$(q "select count(*) from meter where device='sharp'")"
kill -TERM $gf
wait $gf
check "clean exit" 0 $?
check "pages by department, none lost or doubled" "etat-civil|50
urbanisme|100" "$(q "select department, sum(pages) from ledger where device='hp' and counter='total' group by department order by department")"
finish
