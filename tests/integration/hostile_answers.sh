#!/bin/sh
# Hostile device answers (our own scenario recordings): escape sequences and CR/LF in
# strings, invalid UTF-8, wrong types, out-of-range values, a 100-row supplies table.
# Everything is cleaned or bounded; nothing crashes; garbage is never a page count.
. "$(dirname "$0")/lib.sh"
need state rrdtool

start_snmpsim scenario_hostile-printer scenario_negative-counter
CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(device evil printer 127.0.0.1 "$SIM_PORT" scenario_hostile-printer),
$(device negative printer 127.0.0.1 "$SIM_PORT" scenario_negative-counter),
$(device evil-v1 printer 127.0.0.1 "$SIM_PORT" scenario_hostile-printer)
);"
# The last device reads the same recording over SNMPv1 (GETNEXT walk, v1 errors).
$PY - "$CONF" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
i = s.rindex('version = "2c"')
open(p, "w").write(s[:i] + 'version = "1"' + s[i + len('version = "2c"'):])
PY
$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "--once exits 0 on hostile answers" 0 $?
q() { state_sql "$1"; }
descr=$(q "select sys_descr from device_state where id='evil'")
check_match "control characters removed from sysDescr" "^Evil\[2JPrinterModel XXXX" "$descr"
check "sysDescr bounded to 255 bytes" 255 "$(printf '%s' "$descr" | wc -c)"
check "invalid UTF-8 in sysName replaced" "café??" "$(q "select sys_name from device_state where id='evil'")"
check "a life count sent as a string is no counter" no-counter "$(status_field evil 6)"
check "a negative life count is no counter, not a page count" no-counter "$(status_field negative 6)"
check "uptime with the wrong type is ignored" - "$(status_field evil 7)"
check "out-of-range printer status ignored" "" "$(q "select printer_status from device_state where id='evil'")"
check "nonsense counter unit ignored" "" "$(q "select counter_unit from device_state where id='evil'")"
check "supplies bounded to 32 rows" 32 "$(q "select count(*) from supply where device='evil'")"
check "no newline survives in a supply name" 0 "$(q "select count(*) from supply where descr like '%'||char(10)||'%'")"
check "lowest toner ignores the -3 sentinels" 52 "$(q "select toner_min from device_state where id='evil'")"
check "SNMPv1 walk of the same table gives the same rows" 32 "$(q "select count(*) from supply where device='evil-v1'")"
check "SNMPv1 reads the same cleaned sysDescr" "$descr" "$(q "select sys_descr from device_state where id='evil-v1'")"
check "RRD pages unknown for garbage" U "$(rrd_last "$T/data/rrd/negative.rrd" total)"
# Status output stays one line per device whatever the device said.
check "text status has one line per device plus header" 4 "$("$GREENFLEET" -c "$CONF" status | wc -l)"
finish
