#!/bin/sh
# The exit summary counts every store failure that was logged: commits that
# fail for real (the write-ahead log made immutable under the running daemon,
# so each COMMIT gets EPERM from the kernel, as on a failing disk) are each
# logged once and counted; polling goes on meanwhile.
. "$(dirname "$0")/lib.sh"
need state chattr

D=$T/data
CONF=$T/gf.conf
# Five devices nobody answers for: every poll still writes its state row.
devs=""
for i in 1 2 3 4 5; do
	devs="$devs${devs:+,
}$(device "p$i" printer 127.0.0.1 "$(free_port)" nobody)"
done
INTERVAL=10 TIMEOUT_MS=100 RETRIES=0 write_conf "$CONF" "devices = ( $devs );"

# Can this file system and this user make a file immutable? If not, skip.
: >"$T/probe"
chattr +i "$T/probe" 2>/dev/null || { echo "SKIP: chattr +i is not allowed here"; exit 77; }
chattr -i "$T/probe"
# The immutable flag must come off before cleanup can remove the file.
trap 'chattr -i "$D/state.db-wal" 2>/dev/null; cleanup' EXIT

# The schema is made first, so that the daemon's start writes nothing.
"$GREENFLEETD" -c "$CONF" --once 2>"$T/once.log" || { cat "$T/once.log"; fail "first run"; }
"$GREENFLEETD" -c "$CONF" -f 2>"$T/d.log" &
DPID=$!
PIDS="$PIDS $DPID"
# Started (its first poll is done) and its write-ahead log open: from now on no write lands.
wait_for grep -q 'poll: p1 .*unreachable' "$T/d.log" && wait_for test -e "$D/state.db-wal" ||
	{ cat "$T/d.log"; fail "the daemon did not start"; }
chattr +i "$D/state.db-wal"
commits() { grep -c 'greenfleetd\[error\]: store: commit: ' "$T/d.log"; }
n=0
while [ "$(commits)" -lt 3 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
kill "$DPID"
wait "$DPID"
check "the daemon stops cleanly" 0 "$?"
chattr -i "$D/state.db-wal"
logged=$(grep -c 'greenfleetd\[error\]: store: ' "$T/d.log")
check_match "at least three commits failed, each logged" "^([3-9]|[1-9][0-9]+)$" "$(commits)"
check "each failure says why" "" "$(grep 'greenfleetd\[error\]: store: ' "$T/d.log" | grep -v ': disk I/O error$')"
check "the summary counts every logged store failure" "$logged store errors" \
	"$(sed -n 's/.*greenfleetd\[info\]: stopped: .*, \([0-9]* store errors\)$/\1/p' "$T/d.log")"
check "polling went on" 1 "$(grep -c 'stopped: [1-9][0-9]* polls' "$T/d.log")"
finish
