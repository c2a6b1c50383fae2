#!/bin/sh
# SNMPv3 against the real snmpd: authPriv (SHA/AES), authNoPriv, and a wrong passphrase.
. "$(dirname "$0")/lib.sh"
need state

start_snmpd 'createUser gfpriv SHA "auth-pass-123" AES "priv-pass-456"
createUser gfauth SHA "auth-only-789"
createUser gfother SHA "other-auth-111" AES "other-priv-222"
rouser gfpriv priv
rouser gfother priv
rouser gfauth auth'
v3dev() { # ID USER LEVEL AUTHPASS [PRIVPASS]
	printf '  { id = "%s"; kind = "workstation"; host = "127.0.0.1"; port = %s; department = "urbanisme";\n    snmp = { version = "3"; user = "%s"; level = "%s"; auth_protocol = "SHA"; auth_password = "%s";%s }; }' \
		"$1" "$SNMPD_PORT" "$2" "$3" "$4" "${5:+ priv_protocol = \"AES\"; priv_password = \"$5\";}"
}
CONF=$T/gf.conf
TIMEOUT_MS=500 write_conf "$CONF" "devices = (
$(v3dev priv gfpriv authPriv auth-pass-123 priv-pass-456),
$(v3dev authonly gfauth authNoPriv auth-only-789),
$(v3dev wrongpass gfother authPriv wrong-pass-000 other-priv-222),
$(v3dev nouser nosuchuser authPriv auth-pass-123 priv-pass-456),
$(device v2 workstation 127.0.0.1 "$SNMPD_PORT" public)
);"

# The agent must really require v3 for these users: snmpget proves the set-up.
check_match "snmpget authPriv works (set-up)" "STRING|Linux" "$(snmpget -v3 -l authPriv -u gfpriv -a SHA -A auth-pass-123 -x AES -X priv-pass-456 127.0.0.1:$SNMPD_PORT 1.3.6.1.2.1.1.1.0 2>&1)"

$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0" 0 $?
uname_descr="$(uname -s) $(uname -n) $(uname -r) $(uname -v) $(uname -m)"
check "authPriv SHA/AES reads sysDescr" "$uname_descr" "$(status_field priv 8)"
check "authPriv is up" up "$(status_field priv 5)"
check "authNoPriv reads sysDescr" "$uname_descr" "$(status_field authonly 8)"
check "wrong passphrase is down" down "$(status_field wrongpass 5)"
check "v2c on the same agent still works" up "$(status_field v2 5)"
check "authPriv memory read through v3" "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)" "$(state_sql "select memory_kb from device_state where id='priv'")"
check_match "wrong passphrase is logged" "wrongpass.*unreachable: SNMPv3: Authentication failure" "$(cat "$T/daemon.log")"
check "unknown user is down" down "$(status_field nouser 5)"
check_match "unknown user is logged" "nouser.*unreachable: SNMPv3: Unknown user name" "$(cat "$T/daemon.log")"

# A second run reuses nothing from the first process and must work the same.
$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log"
check "second run authPriv still up" up "$(status_field priv 5)"
finish
