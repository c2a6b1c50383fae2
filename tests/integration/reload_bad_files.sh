#!/bin/sh
# A reload never ends the daemon: an @include of a directory, a FIFO, a device or
# a missing file, a user that does not exist, a data_dir that cannot be made are
# each refused with their file:line in the log, a valid file that cannot run
# (rrdcached absent) is rolled back; the daemon keeps polling on the
# previous configuration (its RRD file goes on advancing), and a later good
# reload (through an include) is applied.
. "$(dirname "$0")/lib.sh"
need state rrdtool

start_snmpsim hp_laserjet-mfp-m130nw utax_p-4532dn
CONF=$T/gf.conf
INTERVAL=10 write_conf "$CONF" "devices = ( $(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
cp "$CONF" "$T/good.conf"
L=$(($(wc -l <"$CONF") + 1))
RRD=$T/data/rrd/hp.rrd
q() { state_sql "$1" 2>/dev/null; }
refusals() { grep -c 'has errors: still running on the previous configuration' "$T/daemon.log"; }

"$GREENFLEETD" -c "$CONF" -f 2>"$T/daemon.log" &
gf=$!
PIDS="$PIDS $gf"
for _ in $(seq 1 80); do [ -f "$RRD" ] && break; sleep 0.25; done
[ -f "$RRD" ] || { fail "hp was never polled"; finish; }

# reload_bad DESCRIPTION EXPECTED_LOG_LINE: HUP with $CONF as it is, then checks.
reload_bad() {
	n=$(refusals)
	kill -HUP $gf
	for _ in $(seq 1 80); do [ "$(refusals)" -gt "$n" ] && break; sleep 0.25; done
	check "$1: still running" 0 "$(kill -0 $gf 2>/dev/null; echo $?)"
	check "$1: refused" "$((n + 1))" "$(refusals)"
	check "$1: its file:line in the log" "$2" \
		"$(grep -o 'reload: .*' "$T/daemon.log" | grep -F -x -- "$2" | tail -1)"
}
bad_include() {
	{ cat "$T/good.conf"; printf '@include "%s"\n' "$1"; } >"$CONF"
	reload_bad "$2" "reload: $CONF:$L: @include \"$1\": $3"
}
mkfifo "$T/fifo"
bad_include /etc "a directory" "Is a directory"
bad_include "$T/fifo" "a FIFO" "Not a regular file (a FIFO, socket or device)"
bad_include /dev/zero "a device" "Not a regular file (a FIFO, socket or device)"
bad_include "$T/missing.conf" "a missing file" "No such file or directory"
{ printf 'user = "no-such-user";\n'; cat "$T/good.conf"; } >"$CONF"
reload_bad "a user that does not exist" "reload: $CONF:1: user: no such user 'no-such-user'"
: >"$T/flat"
sed "s|^data_dir = .*|data_dir = \"$T/flat/data\";|" "$T/good.conf" >"$CONF"
reload_bad "a data_dir that cannot be made" \
	"reload: $CONF:1: data_dir: cannot use '$T/flat/data': Not a directory"

# A valid file that cannot run (no rrdcached there): back to the previous configuration.
{ printf 'rrdcached = "unix:%s";\n' "$T/no-rrdcached.sock"; cat "$T/good.conf"; } >"$CONF"
kill -HUP $gf
back="reload: $CONF cannot run (see above): back to the previous configuration"
for _ in $(seq 1 80); do grep -q -F -- "$back" "$T/daemon.log" && break; sleep 0.25; done
check "a configuration that cannot run: still running" 0 "$(kill -0 $gf 2>/dev/null; echo $?)"
check "back on the previous one, and the log says so" 1 "$(grep -c -F -- "$back" "$T/daemon.log")"

# Polling went on through all of that: the RRD file advances on the old configuration.
last=$(rrdtool last "$RRD")
for _ in $(seq 1 60); do [ "$(rrdtool last "$RRD")" -gt "$last" ] && break; sleep 0.25; done
check "hp is still polled after the refused reloads" 1 "$([ "$(rrdtool last "$RRD")" -gt "$last" ] && echo 1 || echo 0)"

# A good reload, its second device in an included file, is applied.
device utax printer 127.0.0.1 "$SIM_PORT" utax_p-4532dn >"$T/utax.part"
INTERVAL=10 write_conf "$CONF" "devices = ( $(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw),
@include \"$T/utax.part\"
);"
kill -HUP $gf
for _ in $(seq 1 80); do [ "$(q "select count(*) from device_state where id='utax'")" = 1 ] && break; sleep 0.25; done
check "the good reload is applied: the included device is polled" 1 "$(q "select count(*) from device_state where id='utax'")"
check_match "and logged" "reload: $CONF loaded: 2 devices" "$(cat "$T/daemon.log")"
kill -TERM $gf
wait $gf
check "clean exit" 0 $?
finish
