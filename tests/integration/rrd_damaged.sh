#!/bin/sh
# RRD files damaged byte by byte, as a power cut, a full disk or a bad copy leave
# them: pdp_step 0 (librrd divides by it: SIGFPE), rra_cnt 2^63-1 (SIGSEGV), a
# truncated file, a damaged and a truncated department file. The CLI refuses
# each one by name and reason, exit 1, no crash, file untouched; greenfleetd
# logs each once, sets it aside byte for byte, starts a new file and polls
# every other device; the ledger is not touched. Then, with greenfleetd -f
# running, a file damaged between two polls is set aside at the next one, and
# a department file that cannot be read is complained about once.
. "$(dirname "$0")/lib.sh"
need rrdtool state cmp

start_snmpsim hp_laserjet-mfp-m130nw
CONF=$T/gf.conf
INTERVAL=10
write_conf "$CONF" "devices = (
$(device a printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw),
$(device b printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw),
$(device c printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw etat-civil),
$(device d printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw etat-civil) );"
R=$T/data/rrd
once() { "$GREENFLEETD" -c "$CONF" --once 2>>"$T/gf.log"; echo $?; }
gf() { "$GREENFLEET" -c "$CONF" "$@"; }
last() { rrdtool last "$1" 2>&1; }
# poke FILE OFFSET OCTAL-BYTES: writes the bytes over the file at OFFSET, size kept.
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# aside FILE: the files FILE was set aside as.
aside() { ls "$1".damaged-* 2>/dev/null; }
# one_line REGEX: how many lines of the daemon's log match.
lines() { grep -Ec -- "$1" "$T/gf.log"; }

check "first run" 0 "$(once)"
pages=$(gf status --format tsv | cut -f1,6 | tr '\n' ' ')
check_match "the ledger has pages" 'a	[0-9]+ b	[0-9]+ c	[0-9]+ d	[0-9]+' "$pages"
ledger=$(state_sql 'select count(*) from ledger')

poke "$R/a.rrd" 40 '\0\0\0\0\0\0\0\0'
poke "$R/b.rrd" 32 '\377\377\377\377\377\377\377\177'
dd if="$R/c.rrd" of="$R/c.cut" bs=1000 count=300 status=none && mv "$R/c.cut" "$R/c.rrd"
poke "$R/departments/urbanisme.rrd" 40 '\0\0\0\0\0\0\0\0'
dd if="$R/departments/etat-civil.rrd" of="$R/dept.cut" bs=1000 count=100 status=none &&
	mv "$R/dept.cut" "$R/departments/etat-civil.rrd"
mkdir "$T/orig"
for f in a b c; do cp "$R/$f.rrd" "$T/orig/$f.rrd"; done
cp "$R/departments/urbanisme.rrd" "$R/departments/etat-civil.rrd" "$T/orig/"
d_before=$(last "$R/d.rrd")

# The CLI: exit 1 with the file and the reason, the file left as it was.
# out CMD...: "exit status|stderr" of a CLI command.
out() { "$GREENFLEET" -c "$CONF" "$@" 2>"$T/err" >"$T/out"; echo "$?|$(cat "$T/err")"; }
check "graph of a: pdp_step 0" \
	"1|greenfleet: $R/a.rrd is damaged: pdp_step is 0 (greenfleetd sets it aside and starts a new one)" \
	"$(out graph --device a -o "$T/a.png")"
check "no image written" no "$([ -e "$T/a.png" ] && echo yes || echo no)"
check "export of b: rra_cnt" \
	"1|greenfleet: $R/b.rrd is damaged: rra_cnt 9223372036854775807 out of range (1 to 16) (greenfleetd sets it aside and starts a new one)" \
	"$(out export --device b)"
check "export of c: truncated" \
	"1|greenfleet: $R/c.rrd is damaged: file is 300000 bytes, header and archives need $(wc -c <"$R/d.rrd") (greenfleetd sets it aside and starts a new one)" \
	"$(out export --device c --format json)"
check "graph of department urbanisme" \
	"1|greenfleet: $R/departments/urbanisme.rrd is damaged: pdp_step is 0 (greenfleetd sets it aside and starts a new one)" \
	"$(out graph --department urbanisme -o "$T/u.png")"
check "export of department etat-civil: truncated" 1 "$(out export --department etat-civil | cut -d'|' -f1)"
check_match "  with its size" "etat-civil.rrd is damaged: file is 100000 bytes, header and archives need [0-9]+ " "$(cat "$T/err")"
check_match "fleet graph names the damaged department file" \
	"^1\|greenfleet: $R/departments/urbanisme.rrd is damaged: pdp_step is 0" "$(out graph --fleet -o "$T/f.png")"
check "graph of the sound file d still works" "0 yes" \
	"$(gf graph --device d -o "$T/d.png" 2>/dev/null; echo $? $([ -s "$T/d.png" ] && echo yes))"
for f in a b c; do
	check "$f.rrd untouched by the CLI" same "$(cmp -s "$R/$f.rrd" "$T/orig/$f.rrd" && echo same)"
done
check "nothing set aside by the CLI" "" "$(aside "$R/a.rrd")"

# The daemon: one line each, set aside byte for byte, new files, everyone polled.
sleep 1
check "greenfleetd --once with damaged files" 0 "$(once)"
check "it did not die of a signal" 0 "$(grep -c -i 'signal\|core' "$T/gf.log")"
for f in a b c; do
	check "$f.rrd set aside once" 1 "$(aside "$R/$f.rrd" | wc -l)"
	check "  byte for byte" same "$(cmp -s "$(aside "$R/$f.rrd")" "$T/orig/$f.rrd" && echo same)"
	check_match "  a new $f.rrd, of step $INTERVAL" "^step = $INTERVAL$" "$(rrdtool info "$R/$f.rrd" | grep '^step')"
done
check_match "set-aside name" "^$R/a.rrd.damaged-[0-9]{8}T[0-9]{6}$" "$(aside "$R/a.rrd")"
check "a: one line with path and reason, at error level" 1 \
	"$(lines "greenfleetd\[error\]: rrd: a: $R/a.rrd is damaged \(pdp_step is 0\): set aside as $R/a.rrd.damaged-[0-9T]+, a new file is started$")"
check "b: one line" 1 "$(lines "rrd: b: $R/b.rrd is damaged \(rra_cnt 9223372036854775807 out of range \(1 to 16\)\): set aside")"
check "c: one line" 1 "$(lines "rrd: c: $R/c.rrd is damaged \(file is 300000 bytes, header and archives need [0-9]+\): set aside")"
for f in urbanisme etat-civil; do
	check "department $f set aside" same "$(cmp -s "$(aside "$R/departments/$f.rrd")" "$T/orig/$f.rrd" && echo same)"
	check "  and a new file" 0 "$(rrdtool last "$R/departments/$f.rrd" >/dev/null 2>&1; echo $?)"
done
check "department urbanisme: one line" 1 \
	"$(lines "rrd: department urbanisme: $R/departments/urbanisme.rrd is damaged \(pdp_step is 0\): set aside")"
check "department etat-civil (truncated): one line" 1 \
	"$(lines "rrd: department etat-civil: $R/departments/etat-civil.rrd is damaged \(file is 100000 bytes")"
check "d, a sound file, updated" yes "$([ "$(last "$R/d.rrd")" -gt "$d_before" ] && echo yes || echo "no: $(last "$R/d.rrd")")"
check "the ledger's pages unchanged" "$pages" "$(gf status --format tsv | cut -f1,6 | tr '\n' ' ')"
check "the ledger's rows kept" yes "$([ "$(state_sql 'select count(*) from ledger')" -ge "$ledger" ] && echo yes)"
check "graph of the new a" "0 yes" \
	"$(gf graph --device a -o "$T/a.png" 2>/dev/null; echo $? $([ -s "$T/a.png" ] && echo yes))"

sleep 1
check "a second run" 0 "$(once)"
check "nothing more set aside" 3 "$(ls "$R"/*.damaged-* | wc -l)"
check "no more damage logged" 5 "$(lines 'is damaged')"

# greenfleetd -f: d damaged before the start, a between two polls.
poke "$R/d.rrd" 40 '\0\0\0\0\0\0\0\0'
cp "$R/d.rrd" "$T/orig/d.rrd"
b_before=$(last "$R/b.rrd")
: >"$T/gf.log"
"$GREENFLEETD" -c "$CONF" -f 2>>"$T/gf.log" &
GF=$!
PIDS="$PIDS $GF"
wait_for grep -q "d.rrd is damaged" "$T/gf.log"
check "d set aside by the running daemon" same "$(cmp -s "$(aside "$R/d.rrd")" "$T/orig/d.rrd" && echo same)"
n=0
until [ "$(last "$R/b.rrd")" -gt "$b_before" ] || [ "$n" -gt 60 ]; do sleep 0.5; n=$((n + 1)); done
check "b polled and written" yes "$([ "$(last "$R/b.rrd")" -gt "$b_before" ] && echo yes)"
poke "$R/a.rrd" 40 '\0\0\0\0\0\0\0\0'
cp "$R/a.rrd" "$T/orig/a2.rrd"
# A department file that cannot be read: a directory in its place.
rm "$R/departments/urbanisme.rrd" && mkdir "$R/departments/urbanisme.rrd"
n=0
until [ "$(aside "$R/a.rrd" | wc -l)" -ge 2 ] || [ "$n" -gt 60 ]; do sleep 0.5; n=$((n + 1)); done
check "a, damaged between two polls, set aside at the next" 2 "$(aside "$R/a.rrd" | wc -l)"
check "  byte for byte" same "$(cmp -s "$(aside "$R/a.rrd" | tail -1)" "$T/orig/a2.rrd" && echo same)"
check "  and said why" 1 "$(lines "rrd: a: $R/a.rrd is damaged \(pdp_step is 0\): set aside")"
n=0
until [ -e "$R/a.rrd" ] && rrdtool last "$R/a.rrd" >/dev/null 2>&1 || [ "$n" -gt 60 ]; do sleep 0.5; n=$((n + 1)); done
check "  a new a.rrd at the poll after" 0 "$(rrdtool last "$R/a.rrd" >/dev/null 2>&1; echo $?)"
sleep 11
check "the daemon still runs" yes "$(kill -0 $GF 2>/dev/null && echo yes)"
check "the unreadable department file said once, at warning level" 1 \
	"$(lines "greenfleetd\[warning\]: rrd: department urbanisme: .*$R/departments/urbanisme.rrd.*Is a directory")"
check "  and nothing else about it" 1 "$(lines "rrd: department urbanisme: .*urbanisme.rrd")"
rmdir "$R/departments/urbanisme.rrd"
n=0
until [ "$(lines 'rrd: department urbanisme: .* is updated again')" = 1 ] || [ "$n" -gt 60 ]; do sleep 0.5; n=$((n + 1)); done
check "and its recovery once" 1 "$(lines "rrd: department urbanisme: $R/departments/urbanisme.rrd is updated again$")"
check "department file made anew" 0 "$(rrdtool last "$R/departments/urbanisme.rrd" >/dev/null 2>&1; echo $?)"
kill "$GF"
wait "$GF"
check "greenfleetd -f ends cleanly" 0 "$?"
finish
