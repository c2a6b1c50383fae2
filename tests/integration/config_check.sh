#!/bin/sh
# greenfleetd -t and the CLI on good, bad and hostile input: clear errors, no crash.
. "$(dirname "$0")/lib.sh"

CONF=$T/gf.conf
write_conf "$CONF" "devices = ( $(device copieur-rdc printer 192.0.2.10 161 s3cret) );"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "-t on a good config exits 0" 0 $?
check "-t says configuration OK" "configuration OK" "$out"

cat >"$T/bad.conf" <<'BAD'
data_dir = "/tmp/x";
interval = 5;
colour = true;
departments = ( { id = "urbanisme"; name = "Urbanisme"; } );
devices = (
  { id = "../etc"; host = "192.0.2.1"; kind = "printer"; department = "urbanisme";
    snmp = { version = "2c"; community = "public"; }; },
  { id = "b"; host = "192.0.2.2"; kind = "scanner"; department = "compta"; in_service = "2023-02-29";
    snmp = { version = "2c"; community = "public"; }; }
);
BAD
out=$("$GREENFLEETD" -t -c "$T/bad.conf" 2>&1)
check "-t on a bad config exits 1" 1 $?
check_match "range error with its line" "^$T/bad.conf:2: interval: 5 is out of range \(10\.\.86400\)" "$out"
check_match "unknown key with its line" "$T/bad.conf:3: unknown key 'colour'" "$out"
check_match "unsafe id with its line" "$T/bad.conf:6: device id '\.\./etc' is unsafe as a file name" "$out"
check_match "bad kind" "$T/bad.conf:8: kind: 'scanner' is not one of printer, workstation" "$out"
check_match "unknown department" "$T/bad.conf:8: unknown department 'compta'" "$out"
check_match "bad date" "$T/bad.conf:8: in_service: '2023-02-29': no such day \\(February 2023 has 28 days\\)" "$out"
check "every error reported, nothing else" 6 "$(printf '%s\n' "$out" | grep -c "^$T/bad.conf:")"

printf 'interval = 300\ndevices = (\n' >"$T/syntax.conf"
out=$("$GREENFLEETD" -t -c "$T/syntax.conf" 2>&1)
check "syntax error exits 1" 1 $?
check_match "syntax error has file:line" "^$T/syntax.conf:3: syntax error" "$out"

out=$("$GREENFLEETD" -t -c "$T/missing.conf" 2>&1)
check "missing file exits 1" 1 $?
check_match "missing file is named" "$T/missing.conf: cannot read" "$out"

chmod 644 "$CONF"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "a readable file with secrets still loads" 0 $?
check_match "but gets a warning naming it" "$CONF: warning: file holds SNMP secrets but is readable by group or others" "$out"
chmod 600 "$CONF"
check "no warning at 0600" "configuration OK" "$("$GREENFLEETD" -t -c "$CONF" 2>&1)"

# Hostile command lines.
"$GREENFLEETD" --no-such-flag >/dev/null 2>&1
check "unknown daemon flag exits 2" 2 $?
"$GREENFLEETD" -c "$CONF" extra-arg >/dev/null 2>&1
check "stray daemon argument exits 2" 2 $?
"$GREENFLEET" -c "$CONF" frobnicate >/dev/null 2>&1
check "unknown CLI command exits 2" 2 $?
"$GREENFLEET" -c "$CONF" status --format xml >/dev/null 2>&1
check "unknown format exits 2" 2 $?
out=$("$GREENFLEET" -c "$CONF" status 2>&1)
check "status before any poll exits 1" 1 $?
check_match "and says so" "no state in $T/data yet" "$out"
"$GREENFLEET" >/dev/null 2>&1
check "no command exits 2" 2 $?
finish
