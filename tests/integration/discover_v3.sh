#!/bin/sh
# greenfleet discover with SNMPv3 against the real snmpd: credentials are tried in
# the order given (a community nobody answers, a v3 user with a wrong pass phrase,
# then the right one from a file), the working one is recorded and written, and
# the file (mode 600: it holds pass phrases) passes greenfleetd -t and polls.
. "$(dirname "$0")/lib.sh"
need state

start_snmpd 'createUser gfpriv SHA "auth-pass-123" AES "priv-pass-456"
createUser gfother SHA "other-auth-111" AES "other-priv-222"
rouser gfpriv priv
rouser gfother priv'
CONF=$T/gf.conf
mkdir "$T/devices.d"
write_conf "$CONF" "devices_dir = \"devices.d\";"
printf '# the right one\ngfpriv:authPriv:SHA:auth-pass-123:AES:priv-pass-456\n' >"$T/v3.txt"
chmod 600 "$T/v3.txt"

out=$("$GREENFLEET" -c "$CONF" discover 127.0.0.1 --port "$SNMPD_PORT" --timeout 500 --retries 0 \
	--community not-this-one --v3 gfother:authPriv:SHA:wrong-pass-000:AES:other-priv-222 \
	--v3 "@$T/v3.txt" --department urbanisme --format csv -o "$T/devices.d/v3.conf" 2>"$T/err")
check "discover exits 0" 0 $?
check "no message" "" "$(cat "$T/err")"
row=$(echo "$out" | tr -d '\r' | awk -F, 'NR == 2 { print $1 " " $2 " " $14 }')
check "the third credential (v3) answered and is recorded" "127.0.0.1 new 3 #3" "$row"
check_match "a host: workstation or server" "^(workstation|server)$" \
	"$(echo "$out" | awk -F, 'NR == 2 { print $3 }')"
F=$T/devices.d/v3.conf
check "written with the v3 credential, mode 600" \
	"600 gfpriv authPriv priv-pass-456" \
	"$(stat -c %a "$F") $(sed -n 's/^ *user = "\(.*\)";/\1/p' "$F") $(sed -n 's/^ *level = "\(.*\)";/\1/p' "$F") $(sed -n 's/^ *priv_password = "\(.*\)";/\1/p' "$F")"
"$GREENFLEETD" -t -c "$CONF" >"$T/t.out" 2>&1
check "greenfleetd -t accepts it" "0 configuration OK" "$? $(cat "$T/t.out")"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/once.log"
check "polled over v3" 1 "$(state_sql "select reachable from device_state")"

# A progress line on a terminal only (the runs above wrote nothing on a plain stderr).
if command -v script >/dev/null 2>&1; then
	script -qec "\"$GREENFLEET\" -c \"$CONF\" discover 127.0.0.1 127.0.0.2 --port $SNMPD_PORT \
		--timeout 300 --retries 0 --community public --format csv" /dev/null >"$T/tty.out" 2>&1
	check_match "progress line on a terminal" \
		"discover: 2/2 addresses, 1 answering, [0-9]+ packets/s" "$(tr '\r' '\n' <"$T/tty.out")"
fi

# Refusals: a bad --v3, a target wider than a /16 without --force, a bad target.
"$GREENFLEET" -c "$CONF" discover 127.0.0.1 --v3 gf:authPriv:SHA:short 2>"$T/e1"
check "bad --v3: usage error" "2 greenfleet: --v3 takes USER:LEVEL[:AUTH:PASS[:PRIV:PASS]] (pass phrases of 8 or more characters, at most 16 credentials)" "$? $(cat "$T/e1")"
"$GREENFLEET" -c "$CONF" discover 127.0.0.0/15 2>"$T/e2"
check "wider than /16 refused" "2 greenfleet: target '127.0.0.0/15' is wider than a /16 (131072 addresses): pass --force to sweep it" "$? $(cat "$T/e2")"
"$GREENFLEET" -c "$CONF" discover 127.0.0.1/24 2>"$T/e3"
check "host bits refused" "2 greenfleet: target '127.0.0.1/24': host bits set after the prefix (the block starts at 127.0.0.0)" "$? $(cat "$T/e3")"
"$GREENFLEET" -c "$CONF" discover 127.0.0.1 --department nowhere 2>"$T/e4"
check "unknown department" "2 greenfleet: --department 'nowhere' is not a configured department" "$? $(cat "$T/e4")"
finish
