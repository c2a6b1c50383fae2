#!/bin/sh
# Impossible dates are refused everywhere, each with what is wrong: in the configuration
# (greenfleetd -t, FILE:LINE), `repair log --date` (exit 2, nothing stored, listed or
# counted in the yearly report), `report --from/--to` and `graph --from`. A leap day is
# a day. The clock is 2026-11-20 (faketime), so "today" and "the future" are fixed.
. "$(dirname "$0")/lib.sh"
need faketime state

NOW='@2026-11-20 10:00:00'
gfd() { faketime -f "$NOW" "$GREENFLEETD" "$@"; }
gf() { faketime -f "$NOW" "$GREENFLEET" -c "$CONF" "$@"; }

# One device per date; nothing answers on the port, which is fine for -t and --once.
PORT=$(free_port)
dev() {
	printf '  { id = "%s"; kind = "workstation"; host = "127.0.0.1"; port = %s;\n' "$1" "$PORT"
	printf '    department = "urbanisme"; %s\n' "$2"
	printf '    snmp = { version = "2c"; community = "x"; }; }'
}
CONF=$T/bad.conf
write_conf "$CONF" "devices = (
$(dev a 'in_service = "2026-02-30";'),
$(dev b 'in_service = "2999-01-01";'),
$(dev c 'in_service = "2026-06-00";'),
$(dev d 'retired = "2025-02-29";'),
$(dev e 'in_service = "2026-00-10";'),
$(dev f 'in_service = "2026-04-31x";')
);"
out=$(gfd -t -c "$CONF" 2>&1)
check "-t refuses impossible dates" 1 $?
# write_conf puts 12 lines before the devices; each device takes 3 lines, its date on the 2nd.
check "each date says what is wrong, at its FILE:LINE" \
"$CONF:14: in_service: '2026-02-30': no such day (February 2026 has 28 days)
$CONF:17: in_service: '2999-01-01' is in the future (today is 2026-11-20)
$CONF:20: in_service: '2026-06-00': no day 00 (days start at 01)
$CONF:23: retired: '2025-02-29': no such day (February 2025 has 28 days)
$CONF:26: in_service: '2026-00-10': no month 00 (months are 01 to 12)
$CONF:29: in_service: '2026-04-31x': not a date (want YYYY-MM-DD)" "$(printf '%s\n' "$out" | grep "^$CONF:")"

CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(dev pc 'in_service = "2024-02-29"; retired = "2999-01-01";')
);"
out=$(gfd -t -c "$CONF" 2>&1)
check "a leap day in service and a retirement planned far ahead are fine" "0 configuration OK" "$? $out"
write_conf "$CONF" "devices = (
$(dev pc 'in_service = "2024-02-29"; retired = "2099-12-31";')
);"
TIMEOUT_MS=100 RETRIES=0
gfd -c "$CONF" --once 2>"$T/daemon.log" || fail "--once: $(cat "$T/daemon.log")"

# refused DATE MESSAGE: repair log --date DATE exits 2 with MESSAGE alone on stderr.
refused() {
	gf repair log pc "new disk" --date "$1" --part disk >"$T/out" 2>"$T/err"
	check "--date $1: exit 2, one line, nothing on stdout" "2 greenfleet: --date $1: $2" \
		"$? $(cat "$T/err" "$T/out")"
}
refused 2026-02-30 "no such day (February 2026 has 28 days)"
refused 2025-02-29 "no such day (February 2025 has 28 days)"
refused 2026-04-31 "no such day (April 2026 has 30 days)"
refused 2026-06-00 "no day 00 (days start at 01)"
refused 2026-00-10 "no month 00 (months are 01 to 12)"
refused 1969-12-31 "year 1969 is before 1970"
refused 2026-11-21 "in the future (today is 2026-11-20)"
refused 2026-1-05 "not a date (want YYYY-MM-DD)"
refused "2026-01-05 " "not a date (want YYYY-MM-DD)"
refused +026-01-05 "not a date (want YYYY-MM-DD)"
check "nothing stored" 0 "$(state_sql "select count(*) from repair_log")"
check "nothing listed" "" "$(gf repair list)"
units() { gf report --sustainability --year "$1" --format csv | tr -d '\r' | awk -F, '$1 == "repairs" && $3 == "units_upgraded" { print $4 }'; }
check "nothing counted in the yearly report" 0 "$(units 2026)"

check "a leap day is a day" "pc: repair logged on 2024-02-29" "$(gf repair log pc "more RAM" --date 2024-02-29 --part ram)"
check "today is no future" "pc: repair logged on 2026-11-20" "$(gf repair log pc "new disk" --date 2026-11-20 --part disk)"
check "both listed" "2024-02-29  pc                   ram      more RAM
2026-11-20  pc                   disk     new disk" "$(gf repair list)"
check "counted in their years" "1 1" "$(units 2024) $(units 2026)"

out=$(gf report --from 2026-02-30 --to 2026-03-31 2>&1)
check "report --from: exit 2" 2 $?
check "report --from: says why first" "greenfleet: 2026-02-30: no such day (February 2026 has 28 days)" \
	"$(printf '%s\n' "$out" | head -1)"
out=$(gf report --from 2026-02-01 --to 2026-04-31 2>&1)
check "report --to: says why first" "2 greenfleet: 2026-04-31: no such day (April 2026 has 30 days)" \
	"$? $(printf '%s\n' "$out" | head -1)"
out=$(gf graph --device pc --metric disk --from 2025-02-29 -o "$T/x.png" 2>&1)
check "graph --from: exit 2 and why" "2 greenfleet: 2025-02-29: no such day (February 2025 has 28 days)" "$? $out"
check "no image written" no "$([ -e "$T/x.png" ] && echo yes || echo no)"
finish
