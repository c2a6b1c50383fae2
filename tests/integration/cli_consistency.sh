#!/bin/sh
# The CLI answers alike: every command that takes a device says
# "greenfleet: no device 'X' in CONF" and exits 2 for one that is not
# configured, printing nothing on stdout; -h and --help print the usage on
# stdout and exit 0, for the main command and each subcommand, without
# needing a configuration.
. "$(dirname "$0")/lib.sh"

CONF=$T/gf.conf
write_conf "$CONF" "devices = ( $(device p printer 127.0.0.1 "$(free_port)" nobody) );"
TIMEOUT_MS=100 "$GREENFLEETD" -c "$CONF" --once 2>"$T/d.log" || { cat "$T/d.log"; fail "first run"; }

# unknown DESCRIPTION ARGS...: exit 2, the one message, nothing on stdout.
unknown() {
	_d=$1
	shift
	"$GREENFLEET" -c "$CONF" "$@" >"$T/out" 2>"$T/err"
	check "$_d: exit 2" 2 "$?"
	check "$_d: says so" "greenfleet: no device '${UNKNOWN:-nope}' in $CONF" "$(cat "$T/err")"
	check "$_d: prints nothing" "" "$(cat "$T/out")"
}
unknown "counters" counters nope
unknown "counters --format tsv" counters nope --format tsv
unknown "audit" audit nope
unknown "repair list" repair list nope
unknown "repair log" repair log nope "new drum"
unknown "graph" graph --device nope -o "$T/x.png"
unknown "export" export --device nope
UNKNOWN=../p unknown "counters, a path" counters ../p
UNKNOWN=../p unknown "audit, a path" audit ../p
UNKNOWN=../p unknown "repair list, a path" repair list ../p
check "a known device still works" 0 "$("$GREENFLEET" -c "$CONF" audit p >/dev/null 2>&1; echo $?)"

# help ARGS...: usage on stdout, nothing on stderr, exit 0; no configuration needed.
help() {
	"$GREENFLEET" -c "$T/no-such.conf" "$@" >"$T/out" 2>"$T/err"
	check "$* exits 0" 0 "$?"
	check "$*: nothing on stderr" "" "$(cat "$T/err")"
	check_match "$*: the usage on stdout" "^usage: greenfleet $1" "$(head -1 "$T/out")"
}
"$GREENFLEET" --help >"$T/out" 2>"$T/err"
check "--help exits 0" 0 "$?"
check "--help: nothing on stderr" "" "$(cat "$T/err")"
check_match "--help: the usage and every command" "^usage: greenfleet \\[-c file\\] command" "$(head -1 "$T/out")"
check "--help lists the nine commands" 9 "$(grep -cE '^  (status|counters|audit|quota|report|fleet|graph|export|repair) ' "$T/out")"
check "-h is the same" "$(cat "$T/out")" "$("$GREENFLEET" -h)"
for c in status counters audit quota report fleet graph export repair; do
	help "$c" --help
	help "$c" -h
done
check "counters --help says what it takes" "usage: greenfleet counters DEVICE [--format text|tsv|csv|json]" \
	"$("$GREENFLEET" counters --help)"
check "a usage error still goes to stderr" "usage: greenfleet status [--format text|tsv|csv|json]" \
	"$("$GREENFLEET" -c "$CONF" status --bogus 2>&1 >/dev/null)"
check "a usage error still exits 2" 2 "$("$GREENFLEET" -c "$CONF" status --bogus >/dev/null 2>&1; echo $?)"
finish
