#!/bin/sh
# A file-size limit (ulimit -f, RLIMIT_FSIZE) smaller than a printer's RRD
# file: the kernel sends SIGXFSZ at the write that passes it, which would end
# the daemon. greenfleetd ignores the signal, so the write fails (EFBIG), the
# file is logged with that reason, the ledger counts the pages and the run
# ends normally; a later run without the limit makes the file.
. "$(dirname "$0")/lib.sh"
need rrdtool state

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(device p printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw) );"
R=$T/data/rrd
# 512 blocks (512 bytes each in dash, 1024 in bash): room for state.db (~80 KB), not for the ~1.1 MB RRD file.
(ulimit -f 512 && exec "$GREENFLEETD" -c "$CONF" --once) 2>"$T/gf.log"
check "greenfleetd --once under a 256 or 512 KB file-size limit ends normally" 0 "$?"
check_match "the device's file: why it cannot be made" \
	"greenfleetd\[warning\]: rrd: p: cannot create $R/p.rrd: File too large \(the file-size limit is [0-9]+ bytes, the file needs [0-9]+\)$" \
	"$(grep 'cannot create' "$T/gf.log")"
check "no reason left empty" 0 "$(grep -c ': $' "$T/gf.log")"
check "no half-made file left" 0 "$(ls "$R"/p.rrd* 2>/dev/null | wc -l)"
check_match "the ledger counted the pages" '^p	[0-9]+$' \
	"$("$GREENFLEET" -c "$CONF" status --format tsv | cut -f1,6)"
"$GREENFLEETD" -c "$CONF" --once 2>>"$T/gf.log"
check "without the limit the run ends normally" 0 "$?"
check "and the file is made" 0 "$(rrdtool last "$R/p.rrd" >/dev/null 2>&1; echo $?)"
finish
