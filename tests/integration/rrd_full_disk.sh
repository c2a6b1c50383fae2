#!/bin/sh
# A full disk under data_dir/rrd (a 256 KB tmpfs: a printer's file needs ~1.9 MB):
# the RRD files cannot be made, and the log says why instead of ending at the
# colon ("cannot create .../p.rrd: "), once per file and not at every poll,
# and once more when the files can be made again; the ledger still counts the
# pages. Needs root and a tmpfs mount (skipped otherwise).
. "$(dirname "$0")/lib.sh"
need rrdtool state mount umount

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
INTERVAL=10
write_conf "$CONF" "devices = (
$(device p printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
R=$T/data/rrd
mkdir -p "$R"
mount -t tmpfs -o size=256k tmpfs "$R" 2>/dev/null || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
trap 'umount "$R" 2>/dev/null; cleanup' EXIT

"$GREENFLEETD" -c "$CONF" --once 2>"$T/gf.log"
check "greenfleetd --once on a full disk" 0 "$?"
check_match "the device's file: why it cannot be made" \
	"greenfleetd\[warning\]: rrd: p: cannot create $R/p.rrd: No space left on device \([0-9]+ bytes free, the file needs [0-9]+\)$" \
	"$(grep 'cannot create' "$T/gf.log")"
check "said once" 1 "$(grep -c "rrd: p: cannot create" "$T/gf.log")"
check_match "a department's file: the same, at warning level" \
	"greenfleetd\[warning\]: rrd: department urbanisme: cannot create $R/departments/urbanisme.rrd: No space left on device \([0-9]+ bytes free, the file needs [0-9]+\)$" \
	"$(grep 'department urbanisme' "$T/gf.log")"
check "no reason left empty" 0 "$(grep -c ': $' "$T/gf.log")"
check "nothing left behind on the full disk" "departments" "$(ls "$R" | tr '\n' ' ' | sed 's/ $//')"
check_match "the ledger counted the pages" '^p	[0-9]+$' \
	"$("$GREENFLEET" -c "$CONF" status --format tsv | cut -f1,6)"
# greenfleetd -f: three polls on the full disk, then room again.
: >"$T/gf.log"
"$GREENFLEETD" -c "$CONF" -f 2>>"$T/gf.log" &
GF=$!
PIDS="$PIDS $GF"
wait_for grep -q "cycle 3:" "$T/gf.log" || sleep 10
check_match "three polls" "cycle 3:" "$(cat "$T/gf.log")"
check "the device's file: said once in three polls" 1 "$(grep -c "rrd: p: cannot create" "$T/gf.log")"
check "the department's: once" 1 "$(grep -c "rrd: department urbanisme: cannot create" "$T/gf.log")"
mount -o remount,size=16m "$R"
wait_for grep -q "p.rrd is written again" "$T/gf.log"
wait_for grep -q "urbanisme.rrd is updated again" "$T/gf.log"
check "room again: said once for the device" 1 \
	"$(grep -c "greenfleetd\[info\]: rrd: p: $R/p.rrd is written again$" "$T/gf.log")"
check "and for the department" 1 \
	"$(grep -c "greenfleetd\[info\]: rrd: department urbanisme: $R/departments/urbanisme.rrd is updated again$" "$T/gf.log")"
check "the file is there" 0 "$(rrdtool last "$R/p.rrd" >/dev/null 2>&1; echo $?)"
kill "$GF"
wait "$GF"
check "greenfleetd -f ends cleanly" 0 "$?"
finish
