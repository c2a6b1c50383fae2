#!/bin/sh
# Type=notify: with NOTIFY_SOCKET set, greenfleetd says
# READY=1 once its stores are open, RELOADING=1 then READY=1 on SIGHUP, and
# STOPPING=1 on SIGTERM, on a real datagram socket as systemd would listen.
. "$(dirname "$0")/lib.sh"

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
INTERVAL=10 write_conf "$CONF" "devices = ( $(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
SOCK=$T/notify.sock
$PY - "$SOCK" "$T/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as log:
    while True:
        msg = s.recv(4096).decode()
        log.write(msg.replace("\n", " ") + "\n")
        log.flush()
PY
PIDS="$PIDS $!"
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$SOCK "$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
PIDS="$PIDS $gf"
wait_log() { for _ in $(seq 1 100); do [ "$(grep -c "$1" "$T/notify.log" 2>/dev/null)" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
wait_log READY=1 1
check "READY=1 once the stores are open" 1 "$(grep -c '^READY=1' "$T/notify.log")"
kill -HUP $gf
wait_log READY=1 2
check "a reload says RELOADING=1, then READY=1" "READY=1
RELOADING=1
READY=1" "$(cat "$T/notify.log")"
kill -TERM $gf
wait $gf
check "clean exit" 0 $?
check "and STOPPING=1 last" "STOPPING=1" "$(tail -1 "$T/notify.log")"
finish
