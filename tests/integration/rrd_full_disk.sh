#!/bin/sh
# A full disk under data_dir/rrd (a 256 KB tmpfs: a printer's file needs ~1.9 MB):
# the RRD files cannot be made, and the log says why instead of ending at the
# colon ("cannot create .../p.rrd: "), once per file and run; the ledger still
# counts the pages. Needs root and a tmpfs mount (skipped otherwise).
. "$(dirname "$0")/lib.sh"
need rrdtool sqlite3 mount umount

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
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
finish
