#!/bin/sh
# Control characters that other tools act on, sent by a device (our own recording,
# bytes hex-encoded): C1 controls (NEL, CSI, OSC), U+2028/U+2029, bidi overrides,
# isolates and marks, a BEL and an invalid byte in sysDescr, NULs inside sysName and
# the serial, a NEL and an RLO in a supply name. None of them reaches `status`
# (text, TSV), `fleet` (text, CSV, JSON) or the fleet digest mail; a NUL is shown
# as U+FFFD, never an end, so two serials that differ after it stay two serials.
# A department named with a backslash and an n draws a one-line graph title.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim scenario_control-strings
REC=$T/sim/scenario_control-strings.snmprec
start_smtp
CONF=$T/gf.conf
# urba's name is the 12 characters U r b a \ n n i s m e (libconfig reads "\\" as one).
DEPARTMENTS='  { id = "urba"; name = "Urba\\nnisme"; head = "chef.urbanisme@mairie.example"; }' \
write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT\"; from = \"greenfleet@mairie.example\";
  it = \"dsi@mairie.example\"; digest = \"weekly\"; timeout_s = 5; language = \"en\"; };
devices = (
$(device ctrl printer 127.0.0.1 "$SIM_PORT" scenario_control-strings urba)
);"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "--once exits 0" 0 $?

# forbidden FILE: how many C0 (but LF, and CR and TAB where the format has them), DEL,
# C1, U+2028/U+2029, bidi controls and invalid UTF-8 sequences FILE holds.
forbidden() {
	$PY - "$1" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n").replace(b"\t", b" ")
n = len(re.findall(rb"[\x00-\x09\x0b-\x1f\x7f]", b))
try:
    s = b.decode("utf-8")
except UnicodeDecodeError:
    print("not UTF-8")
    sys.exit(0)
n += len(re.findall("[\x80-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]", s))
print(n)
PY
}
q() { state_sql "$1"; }

# What each string must look like: hidden characters dropped, 0xff as '?', NULs as U+FFFD.
DESCR='CtrlLaserPro70;t2JM4?X'
FFFD=$(printf '\357\277\275')
check "sysDescr stored cleaned" "$DESCR" "$(q "select sys_descr from device_state where id='ctrl'")"
check "a NUL inside sysName is U+FFFD, the NULs after it padding" \
	"nul${FFFD}name" "$(q "select sys_name from device_state where id='ctrl'")"
check "a paragraph separator and a final NEL dropped from sysLocation" "Mairie2e" \
	"$(q "select sys_location from device_state where id='ctrl'")"
check "the serial keeps what follows its NUL" "534EEFBFBD4131" \
	"$(q "select hex(serial) from meter_ident where device='ctrl'")"
check "supply name cleaned" "BlackToner K" "$(q "select descr from supply where device='ctrl'")"

"$GREENFLEET" -c "$CONF" status >"$T/status.txt"
"$GREENFLEET" -c "$CONF" status --format tsv >"$T/status.tsv"
"$GREENFLEET" -c "$CONF" fleet >"$T/fleet.txt"
"$GREENFLEET" -c "$CONF" fleet --format csv >"$T/fleet.csv"
"$GREENFLEET" -c "$CONF" fleet --format json >"$T/fleet.json"
for f in status.txt status.tsv fleet.txt fleet.csv fleet.json; do
	check "no control, separator or bidi character in $f" 0 "$(forbidden "$T/$f")"
done
check "status text: header and one line" 2 "$(wc -l <"$T/status.txt")"
check "status text: the line, its poll time left out" \
	"ctrl                 printer     urba           TIME up          1000     0d 01:00  SN${FFFD}A1             $DESCR" \
	"$(sed -n '2s/[0-9]\{4\}-[0-9-]* [0-9:]*/TIME/p' "$T/status.txt")"
check "status TSV: the description column" "$DESCR" "$(status_field ctrl 8)"
REASON='BlackToner K at 5 % (rule: <= 10 %)'
check "fleet CSV: the advice names the cleaned supply" \
	"ctrl,printer,urba,repair,supply,$REASON,order the part," \
	"$(tr -d '\r' <"$T/fleet.csv" | awk -F, 'NR == 2 { print $1 "," $2 "," $3 "," $7 "," $8 "," $9 "," $10 "," $11 }')"
check "fleet JSON: the same reason" 1 "$(grep -c "\"reason\": \"$REASON\"" "$T/fleet.json")"
check "fleet text: the same reason" 1 "$(grep -c "$REASON" "$T/fleet.txt")"

# The fleet digest to IT carries the reason: decoded, it is as clean.
check "one fleet digest" 1 "$(mails | grep -c '^dsi@mairie.example|')"
$PY - "$MAILDIR" >"$T/mail.txt" <<'PY'
import email, email.policy, glob, sys
f = glob.glob(sys.argv[1] + "/new/*")[0]
m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
sys.stdout.buffer.write(m.get_body(("plain",)).get_content().encode("utf-8"))
PY
check "the digest names the cleaned supply" 1 "$(grep -c "ctrl (urba) : repair, $REASON" "$T/mail.txt")"
check "no control, separator or bidi character in the digest" 0 "$(forbidden "$T/mail.txt")"

# The same printer now answers with a serial that differs only after the NUL: another machine.
set_rec "$REC" 1.3.6.1.2.1.43.5.1.1.17.1 534e004231
"$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log"
check "second poll exits 0" 0 $?
check "the new serial is stored" "534EEFBFBD4231" \
	"$(q "select hex(serial) from meter_ident where device='ctrl'")"
check_match "the audit shows the swap of serials" "swap .*serial SN${FFFD}A1 -> SN${FFFD}B1" \
	"$("$GREENFLEET" -c "$CONF" audit ctrl)"

# A graph title holds the department's name: the backslash must not break it in two.
# The same graph for a department named "Urbannisme" must be the very same image.
sed 's/name = "Urba\\\\nnisme"/name = "Urbannisme"/' "$CONF" >"$T/plain.conf"
chmod 600 "$T/plain.conf"
check "the plain config differs only by the name" 1 "$(diff "$CONF" "$T/plain.conf" | grep -c '^<')"
RANGE="--from 2026-11-01 --to 2026-11-30"
"$GREENFLEET" -c "$CONF" graph --department urba $RANGE -o "$T/backslash.png" 2>"$T/graph.err"
check "graph of the department exits 0" 0 $?
check "and says nothing" 0 "$(grep -c '^greenfleet' "$T/graph.err")"
"$GREENFLEET" -c "$T/plain.conf" graph --department urba $RANGE -o "$T/plain.png"
check "a second graph of the same data is the same image" 0 \
	"$("$GREENFLEET" -c "$T/plain.conf" graph --department urba $RANGE -o "$T/plain2.png"; cmp -s "$T/plain.png" "$T/plain2.png"; echo $?)"
check "the title drops the backslash: same image as for Urbannisme" 0 \
	"$(cmp -s "$T/backslash.png" "$T/plain.png"; echo $?)"
finish
