#!/bin/sh
# A mail server that accepts the connection and then never answers must not
# delay polling: the sender thread waits for it (smtp.timeout_s) while the
# poller goes on with every device on schedule, and stopping stays prompt.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim scenario_quota hp_laserjet-mfp-m130nw
P=$T/sim/scenario_quota.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
# The black hole: takes connections, says nothing.
HOLE=$(free_port tcp)
$PY - "$HOLE" <<'PY' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
PY
PIDS="$PIDS $!"
CONF=$T/gf.conf
DEPARTMENTS='  { id = "etat-civil"; name = "État civil"; head = "chef.etatcivil@mairie.example";
    quota = { period = "month"; mono = 100; }; }' INTERVAL=10 TIMEOUT_MS=500 RETRIES=0 \
write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:$HOLE\"; from = \"greenfleet@mairie.example\"; timeout_s = 60; };
devices = (
  $(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil),
  $(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw etat-civil)
);"
q() { state_sql "$1" 2>/dev/null; }

"$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
PIDS="$PIDS $gf"
wait_q() { for _ in $(seq 1 150); do [ "$(q "$1")" = "$2" ] && return 0; sleep 0.2; done; return 1; }
wait_q "select count(*) from meter where device='copieur' and counter='total'" 1 ||
	fail "no baseline"
# 200 pages: over the quota; the notice goes to the black hole.
set_rec "$P" "$MONO" 0000010200 "$TOTAL" 0000010700
wait_q "select count(*) from outbox" 1 || fail "no notice queued"
sleep 1
t0=$(q "select max(last_poll) from device_state where id='hp'")
# Two more intervals: the poller must go on while the sender hangs.
sleep 21
t1=$(q "select max(last_poll) from device_state where id='hp'")
check "the notice is still unsent (the server never answered)" 1 "$(q "select count(*) from outbox where sent_at is null")"
check "polls went on: 2 more of the other printer in 21 s" 1 "$([ $((t1 - t0)) -ge 19 ] && echo 1 || echo "$t0 -> $t1")"
start=$(date +%s)
kill -TERM $gf
wait $gf
check "SIGTERM still stops the daemon" 0 $?
check "promptly: the transfer is abandoned, not waited for (60 s)" 1 "$([ $(( $(date +%s) - start )) -lt 5 ] && echo 1 || echo $(( $(date +%s) - start )))"
finish
