#!/bin/sh
# The `store` key names where the state store is: unset, state.db in data_dir;
# "sqlite:PATH" or a plain absolute PATH, another SQLite file, which the daemon
# writes and the CLI reads; a postgresql:// URI is PostgreSQL (pg_store.sh runs
# it), any other URL is refused at its line, by greenfleetd -t and by the daemon.
. "$(dirname "$0")/lib.sh"
need state

CONF=$T/gf.conf
DEV=$(device p printer 127.0.0.1 "$(free_port)" nobody)
mkdir -p "$T/elsewhere"
daemon_once() { TIMEOUT_MS=100 "$GREENFLEETD" -c "$CONF" --once 2>"$T/d.log"; }
store_line() { grep -n '^store' "$CONF" | cut -d: -f1; }

# A plain path: the daemon writes there, not in data_dir; the CLI reads it.
write_conf "$CONF" "store = \"$T/elsewhere/state.db\";
devices = ( $DEV );"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "-t: a plain path is a good store" "0 configuration OK" "$? $out"
daemon_once
check "plain path: greenfleetd --once exits 0" 0 $?
GF_STATE=$T/elsewhere/state.db
check "plain path: the state is written there" "p|0" "$(state_sql "select id, reachable from device_state")"
check "plain path: nothing in data_dir" no "$([ -e "$T/data/state.db" ] && echo yes || echo no)"
check_match "plain path: the CLI reads it" "^p +printer +urbanisme +[0-9-]+ [0-9:]+ +down" \
	"$("$GREENFLEET" -c "$CONF" status 2>&1 | grep '^p ')"

# sqlite:PATH names the same kind of file.
write_conf "$CONF" "store = \"sqlite:$T/elsewhere/other.db\";
devices = ( $DEV );"
daemon_once
check "sqlite:PATH: greenfleetd --once exits 0" 0 $?
GF_STATE=$T/elsewhere/other.db
check "sqlite:PATH: the state is written there" "p|0" "$(state_sql "select id, reachable from device_state")"

# A postgresql:// URI passes -t (the connection is the daemon's to make); another
# URL is refused at its line and the daemon does not start.
write_conf "$CONF" "store = \"postgresql://gf@db.example/greenfleet\";
devices = ( $DEV );"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "-t: postgresql:// is a store" "0 configuration OK" "$? $out"
write_conf "$CONF" "store = \"mysql://gf@db.example/greenfleet\";
devices = ( $DEV );"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "-t: mysql:// exits 1" 1 $?
check_match "-t: mysql:// refused at its line" \
	"^$CONF:$(store_line): store: 'mysql://gf@db.example/greenfleet' is neither sqlite:PATH, a postgresql:// URI nor an absolute path" "$out"
"$GREENFLEETD" -c "$CONF" --once >/dev/null 2>"$T/my.log"
check "mysql://: greenfleetd refuses to start" 1 $?
check_match "mysql://: the daemon says why" "$CONF:$(store_line): store: 'mysql://" "$(cat "$T/my.log")"

# A relative path is neither.
write_conf "$CONF" "store = \"state.db\";
devices = ( $DEV );"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check_match "-t: a relative path refused at its line" \
	"^$CONF:$(store_line): store: 'state.db' is neither sqlite:PATH, a postgresql:// URI nor an absolute path" "$out"
finish
