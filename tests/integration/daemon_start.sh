#!/bin/sh
# Daemonised start: the launching command returns 0 once the daemon is up, or 1
# with the reason on its terminal; the pidfile is locked (a second daemon is
# refused with the first one's pid), a stale one is taken over, and removed on
# a clean stop.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
PID=$T/greenfleetd.pid
INTERVAL=10 write_conf "$CONF" "devices = ( $(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"

# A data directory that cannot be created: the launcher says so and exits 1.
mkdir "$T/ro"
chmod 500 "$T/ro"
sed "s|^data_dir = .*|data_dir = \"$T/ro/sub/data\";|" "$CONF" >"$T/bad.conf"
chmod 600 "$T/bad.conf"
if [ "$(id -u)" = 0 ]; then
	echo "# running as root: an unwritable directory is writable, test it with a file instead"
	: >"$T/ro/sub"
fi
out=$("$GREENFLEETD" -c "$T/bad.conf" -p "$T/bad.pid" 2>&1)
check "a daemon that cannot start makes the launcher exit 1" 1 $?
# Found before forking, by the checks -t makes too: the setting's file:line.
if [ "$(id -u)" = 0 ]; then
	want="$T/bad.conf:1: data_dir: cannot use '$T/ro/sub/data': Not a directory"
else
	want="$T/bad.conf:1: data_dir: cannot create '$T/ro/sub/data': $T/ro/sub: No such file or directory"
fi
check "with the reason on its terminal, at the setting's line" "$want" "$out"
out=$("$GREENFLEETD" -t -c "$T/bad.conf" 2>&1)
check "-t refuses it the same way" "1 $want" "$? $out"

"$GREENFLEETD" -c "$CONF" -p "$PID" 2>"$T/launch.err"
check "the launcher exits 0 once the daemon is up" 0 $?
check "no warning or error on the launcher's terminal" "" "$(grep -E '\[(warning|error)\]' "$T/launch.err")"
pid=$(cat "$PID")
PIDS="$PIDS $pid"
check "the pidfile names a running greenfleetd" greenfleetd "$(cat "/proc/$pid/comm" 2>/dev/null)"
for _ in $(seq 1 40); do [ -f "$T/data/state.db" ] && break; sleep 0.25; done
out=$("$GREENFLEETD" -c "$CONF" -p "$PID" 2>&1)
check "a second daemon is refused" 1 $?
check_match "naming the first one's pid" "already running \\(pid $pid\\)" "$out"

kill -9 "$pid"
sleep 0.5
check "a stale pidfile is left by kill -9" 1 "$([ -f "$PID" ] && echo 1 || echo 0)"
"$GREENFLEETD" -c "$CONF" -p "$PID" 2>"$T/launch2.err"
check "and taken over by the next start" 0 $?
pid2=$(cat "$PID")
PIDS="$PIDS $pid2"
check "the new pid is written" 1 "$([ "$pid2" != "$pid" ] && kill -0 "$pid2" 2>/dev/null && echo 1 || echo 0)"
kill -TERM "$pid2"
for _ in $(seq 1 40); do kill -0 "$pid2" 2>/dev/null || break; sleep 0.25; done
check "SIGTERM stops it" 1 "$(kill -0 "$pid2" 2>/dev/null && echo 0 || echo 1)"
check "and removes the pidfile" 0 "$([ -f "$PID" ] && echo 1 || echo 0)"

# Root: refused without a user; with one, the daemon becomes it.
if [ "$(id -u)" = 0 ]; then
	out=$("$top_builddir/greenfleetd" -c "$CONF" --once 2>&1)
	check "root without a configured user is refused" 1 $?
	check_match "saying why and what to do" "refusing to run as root: .* set user = \"greenfleet\" in .*gf.conf, or pass --allow-root" "$out"
	mkdir "$T/nobody-data"
	chown nobody "$T/nobody-data"
	sed -e "s|^data_dir = .*|data_dir = \"$T/nobody-data\";|" -e '1i user = "nobody";' "$CONF" >"$T/nobody.conf"
	chmod 600 "$T/nobody.conf"
	"$top_builddir/greenfleetd" -c "$T/nobody.conf" --once 2>"$T/nobody.log"
	check "with user = nobody it runs" 0 $?
	check_match "and says so" "running as nobody" "$(cat "$T/nobody.log")"
	check "its state database belongs to nobody" nobody "$(stat -c %U "$T/nobody-data/state.db")"
fi
finish
