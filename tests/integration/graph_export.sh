#!/bin/sh
# Graphs and exports from RRD files that greenfleetd itself wrote: eight faked days
# of polls every 6 hours (interval 21600) against snmpsim, the recordings rewritten
# between polls. A Xerox copier (mono/colour from its profile, toner added to the
# recording) in etat-civil, which has a mono quota; a printer with a life count only
# and a Windows XP workstation in urbanisme. The PNGs are decoded here (zlib and PNG
# filters in plain Python) to check their size and that the plot is not blank; the
# exports are checked against the ledger, day by day.
#
# TZ=UTC: RRD consolidates days at UTC midnight while the ledger counts local days.
# Pages are printed only between the 09:00 and 21:00 polls, so no poll interval
# straddles a midnight: every daily row then holds exactly that day's pages (the
# DERIVE rate averaged over the day, times 86400), equal to the ledger's up to
# floating-point noise; the test allows 0.01 page a day.
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=UTC
TIMEOUT_MS=500 RETRIES=0
start_snmpsim scenario_quota scenario_ledger windows_xp-workstation
P=$T/sim/scenario_quota.snmprec
L=$T/sim/scenario_ledger.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
BLACK=1.3.6.1.2.1.43.11.1.1.9.1.1
CYAN=1.3.6.1.2.1.43.11.1.1.9.1.2

# The copier gets a black and a cyan toner (prtMarkerSupplies: type 3 toner, unit 19
# percent, capacity 100), merged in OID order.
{
	cat "$P"
	for i in 1 2; do
		echo "1.3.6.1.2.1.43.11.1.1.5.1.$i|2|3"
		echo "1.3.6.1.2.1.43.11.1.1.6.1.$i|4|$([ $i = 1 ] && echo Black || echo Cyan) Toner"
		echo "1.3.6.1.2.1.43.11.1.1.7.1.$i|2|19"
		echo "1.3.6.1.2.1.43.11.1.1.8.1.$i|2|100"
		echo "1.3.6.1.2.1.43.11.1.1.9.1.$i|2|90"
	done
} | sort -t '|' -k1,1 -V >"$T/copier.tmp"
cp "$T/copier.tmp" "$P"

CONF=$T/gf.conf
# conf FILE LANGUAGE [EXTRA_DEVICE]
conf() {
	cat >"$1" <<CONF
data_dir = "$T/data";
profiles_dir = "$top_srcdir/conf/profiles.d";
interval = 21600;
timeout_ms = $TIMEOUT_MS;
retries = $RETRIES;
mail_dir = "$top_srcdir/conf/mail";
smtp = { url = "smtp://127.0.0.1:9"; from = "greenfleet@mairie.example"; language = "$2"; };
departments = (
  { id = "urbanisme"; name = "Urbanisme"; head = "chef.urbanisme@mairie.example"; },
  { id = "etat-civil"; name = "État civil"; head = "chef.etatcivil@mairie.example";
    quota = { period = "month"; mono = 9000; }; }
);
devices = (
$(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil),
$(device p printer 127.0.0.1 "$SIM_PORT" scenario_ledger urbanisme),
$(device xp workstation 127.0.0.1 "$SIM_PORT" windows_xp-workstation urbanisme)${3:-}
);
CONF
	chmod 600 "$1"
}
conf "$CONF" fr
# The same fleet in English, plus a device that was never polled (no RRD file).
conf "$T/en.conf" en ",
$(device neuf printer 127.0.0.1 9 neuf urbanisme)"

poll() {
	echo "--- poll at $1" >>"$T/daemon.log"
	faketime -f "@$1:00" "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1 exited $?"
}
q() { state_sql "$1"; }
gf() { "$GREENFLEET" -c "$CONF" "$@"; }

# Baseline on 1 Nov, then 2-9 Nov: pages between 09:00 and 21:00, toner going down.
mono=10000 colour=500 life=1000
set_rec "$P" $MONO $mono $COLOUR $colour $TOTAL $((mono + colour)) $BLACK 90 $CYAN 80
set_rec "$L" $LIFE $life
poll '2026-11-01 21:00'
for d in 2 3 4 5 6 7 8 9; do
	day=2026-11-0$d
	poll "$day 03:00"
	set_rec "$P" $BLACK $((90 - 5 * d)) $CYAN $((80 - 3 * d))
	poll "$day 09:00"
	mono=$((mono + 100 * d)) colour=$((colour + 10 * d)) life=$((life + 40 * d))
	set_rec "$P" $MONO $mono $COLOUR $colour $TOTAL $((mono + colour))
	set_rec "$L" $LIFE $life
	poll "$day 15:00"
	mono=$((mono + 50)) colour=$((colour + 5))
	set_rec "$P" $MONO $mono $COLOUR $colour $TOTAL $((mono + colour))
	poll "$day 21:00"
done
poll '2026-11-10 03:00'	# completes 9 Nov in the daily archive
check "the ledger has the copier's pages" 4800 \
	"$(q "select sum(pages) from ledger where device = 'copieur' and counter = 'mono'")"

# pnginfo FILE [RRGGBB...]: "WIDTH HEIGHT COLOURS DATA N...": the image's size, the
# distinct colours and the coloured (not grey) pixels inside the plot (the bounding
# box of the white canvas), and how many pixels there are within a small distance
# of each colour given.
cat >"$T/png.py" <<'PY'
import struct, sys, zlib

def decode(path):
    b = open(path, "rb").read()
    if b[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos, idat, plte = 8, b"", None
    while pos < len(b):
        n, kind = struct.unpack(">I4s", b[pos:pos + 8])
        data = b[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", data)
        elif kind == b"PLTE":
            plte = data
        elif kind == b"IDAT":
            idat += data
    if depth != 8 or interlace:
        sys.exit("unexpected PNG: depth %d interlace %d" % (depth, interlace))
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw, stride = zlib.decompress(idat), w * bpp
    prev, rows, i = bytearray(stride), [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            c = prev[x - bpp] if x >= bpp else 0
            up = prev[x]
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + up) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + up) >> 1)) & 255
            elif f == 4:
                p = a + up - c
                pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    def px(x, y):
        r = rows[y]
        if ctype == 3:
            k = r[x] * 3
            return tuple(plte[k:k + 3])
        if ctype in (0, 4):
            return (r[x * bpp],) * 3
        return tuple(r[x * bpp:x * bpp + 3])
    return w, h, px

w, h, px = decode(sys.argv[1])
# Only the canvas is pure white (the margins and legend are on grey): its bounding box.
white = [(x, y) for y in range(h) for x in range(w) if px(x, y) == (255, 255, 255)]
x0, x1 = min(p[0] for p in white), max(p[0] for p in white)
y0, y1 = min(p[1] for p in white), max(p[1] for p in white)
want = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in sys.argv[2:]]
seen, data, near = set(), 0, [0] * len(want)
for y in range(y0, y1 + 1):
    for x in range(x0, x1 + 1):
        p = px(x, y)
        seen.add(p)
        if max(p) - min(p) >= 60:
            data += 1
        for k, c in enumerate(want):
            if sum(abs(p[i] - c[i]) for i in range(3)) <= 30:
                near[k] += 1
print(w, h, len(seen), data, *near)
PY
pnginfo() { $PY "$T/png.py" "$@"; }
# field N TEXT: the Nth word.
field() { echo "$2" | awk -v n="$1" '{ print $n }'; }
# at_least DESCRIPTION MIN VALUE
at_least() {
	CHECKS=$((CHECKS + 1))
	if [ "${3:-0}" -ge "$2" ] 2>/dev/null; then echo "ok - $1 ($3 >= $2)"; else fail "$1: $3 < $2"; fi
}
RANGE="--from 2026-11-01 --to 2026-11-09"
G=$T/png
mkdir -p "$G"

# A device's pages: mono (blue) and colour (orange) stacked.
gf graph --device copieur $RANGE -o "$G/copieur.png"
check "graph device: exit 0" 0 $?
i=$(pnginfo "$G/copieur.png" 0072B2 E69F00)
check "graph device: 800x300 by default" "800 300" "$(field 1 "$i") $(field 2 "$i")"
at_least "graph device: colours in the plot" 3 "$(field 3 "$i")"
at_least "graph device: mono area drawn" 2000 "$(field 5 "$i")"
at_least "graph device: colour area drawn" 100 "$(field 6 "$i")"

gf graph --device copieur --metric pages $RANGE --width 640 --height 240 -o "$G/small.png"
i=$(pnginfo "$G/small.png")
check "graph --width 640 --height 240: the PNG's size" "640 240" "$(field 1 "$i") $(field 2 "$i")"

# The printer without a mono/colour split: its pages are "not split" (grey).
gf graph --device p $RANGE -o "$G/p.png"
i=$(pnginfo "$G/p.png" 999999)
at_least "graph printer without split: grey area drawn" 2000 "$(field 5 "$i")"

# A department with its quota: 9000 mono pages a month is 300 a day, a red dashed line.
gf graph --department etat-civil $RANGE -o "$G/etat-civil.png"
check "graph department: exit 0" 0 $?
i=$(pnginfo "$G/etat-civil.png" 0072B2 D62728)
at_least "graph department: colours in the plot" 3 "$(field 3 "$i")"
at_least "graph department: mono area drawn" 2000 "$(field 5 "$i")"
at_least "graph department: quota line drawn" 150 "$(field 6 "$i")"
gf graph --department urbanisme $RANGE -o "$G/urbanisme.png"
i=$(pnginfo "$G/urbanisme.png" D62728)
check "graph department without quota: no quota line" 0 "$(field 5 "$i")"

# The fleet: each department's pages stacked, in the first two colours of the palette.
gf graph --fleet $RANGE -o "$G/fleet.png"
check "graph fleet: exit 0" 0 $?
i=$(pnginfo "$G/fleet.png" 0072B2 E69F00)
at_least "graph fleet: colours in the plot" 3 "$(field 3 "$i")"
at_least "graph fleet: first department drawn" 500 "$(field 5 "$i")"
at_least "graph fleet: second department drawn" 500 "$(field 6 "$i")"

# Supplies of the printer, disk and RAM of the workstation: a line over a light area.
for m in "copieur supplies" "xp disk" "xp ram"; do
	set -- $m
	gf graph --device "$1" --metric "$2" $RANGE -o "$G/$1-$2.png"
	check "graph $2 of $1: exit 0" 0 $?
	i=$(pnginfo "$G/$1-$2.png")
	at_least "graph $2 of $1: colours in the plot" 3 "$(field 3 "$i")"
	at_least "graph $2 of $1: the series drawn" 1000 "$(field 4 "$i")"
done
"$GREENFLEET" -c "$T/en.conf" graph --department etat-civil $RANGE -o "$G/etat-civil.en.png"
check "graph in English: exit 0" 0 $?

# Export: one row a day, pages per day; the sums are the ledger's.
gf export --device copieur --from 2026-11-02 --to 2026-11-09 --step 86400 --format csv \
	>"$T/copieur.csv"
check "export csv: exit 0" 0 $?
ledger_days() {
	q "select day, sum(pages) from ledger where device = '$1' and counter = '$2'
		and day between '2026-11-02' and '2026-11-09' group by day order by day" | tr '|' ' '
}
ledger_days copieur total >"$T/ledger.total"
ledger_days copieur mono >"$T/ledger.mono"
out=$($PY - "$T/copieur.csv" "$T/ledger.total" "$T/ledger.mono" <<'PY'
import csv, sys
raw = open(sys.argv[1], newline="", encoding="utf-8").read()
rows = list(csv.reader(raw.splitlines(True)))
head, body = rows[0], rows[1:]
print("header", ",".join(head))
print("crlf", raw.count("\r\n") == len(rows))
print("rows", len(body), body[0][0], body[-1][0])
for name, path in (("total", sys.argv[2]), ("mono", sys.argv[3])):
    ledger = dict(l.split() for l in open(path))
    col = head.index(name)
    got = {r[0][:10]: float(r[col]) for r in body}
    bad = [d for d in ledger if abs(got.get(d, -1) - int(ledger[d])) > 0.01]
    print(name, "sum", round(sum(got.values()), 2), sum(int(v) for v in ledger.values()),
          "days off", len(bad), " ".join(bad))
toner = [r[head.index("toner")] for r in body]
print("toner", " ".join(toner))
PY
)
check "export csv: header" "header time,total,mono,colour,duplex,sheets,print_mono,print_colour,copy_mono,copy_colour,fax,scan,jams,toner,status" "$(echo "$out" | grep '^header')"
check "export csv: CRLF line ends" "crlf True" "$(echo "$out" | grep '^crlf')"
check "export csv: one row a day, named by its start" "rows 8 2026-11-02T00:00:00+00:00 2026-11-09T00:00:00+00:00" "$(echo "$out" | grep '^rows')"
check "export csv: total pages = the ledger's, every day within 0.01" "total sum 5280.0 5280 days off 0 " "$(echo "$out" | grep '^total')"
check "export csv: mono pages = the ledger's, every day within 0.01" "mono sum 4800.0 4800 days off 0 " "$(echo "$out" | grep '^mono')"
check_match "export csv: toner is a level (GAUGE), going down" "^toner 7[0-9.]* 7[0-9.]* " "$(echo "$out" | grep '^toner')"

# Before the first poll nothing is known: empty in CSV, null in JSON.
gf export --device copieur --from 2026-10-30 --to 2026-11-03 --format csv >"$T/early.csv"
check "export csv: unknown days are empty" "2026-10-30T00:00:00+00:00,,,,,,,,,,,,,,|2026-11-01T00:00:00+00:00,,,,,,,,,,,,,," \
	"$(tr -d '\r' <"$T/early.csv" | sed -n '2p;4p' | paste -sd '|')"
gf export --device copieur --from 2026-10-30 --to 2026-11-03 --format json >"$T/early.json"
check "export json: exit 0" 0 $?
out=$($PY - "$T/early.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
r = d["rows"]
print(d["device"], d["step"], len(r), r[0]["time"], r[0]["total"], r[0]["toner"],
      r[3]["time"], r[3]["total"], r[3]["mono"], r[3]["colour"], type(r[3]["total"]).__name__)
PY
)
check "export json: nulls for unknown, numbers for pages" \
	"copieur 86400 5 2026-10-30T00:00:00+00:00 None None 2026-11-02T00:00:00+00:00 275 250 25 int" "$out"

# A department's export: total, mono and colour; its sum is the ledger's for the department.
gf export --department urbanisme --from 2026-11-02 --to 2026-11-09 >"$T/urbanisme.csv"
check "export department: header" "time,total,mono,colour" "$(head -1 "$T/urbanisme.csv" | tr -d '\r')"
check "export department: total = the ledger's" \
	"$(q "select sum(pages) from ledger where department = 'urbanisme' and counter = 'total' and day between '2026-11-02' and '2026-11-09'")" \
	"$(tr -d '\r' <"$T/urbanisme.csv" | awk -F, 'NR > 1 { s += $2 } END { print s }')"
# A workstation's export: gauges as they are.
gf export --device xp --from 2026-11-05 --to 2026-11-05 >"$T/xp.csv"
check "export workstation: gauges" "time,cpu,mem,disk,uptime,baddev|mem 61 disk 95" \
	"$(tr -d '\r' <"$T/xp.csv" | awk -F, 'NR == 1 { h = $0 } NR == 2 { printf "%s|mem %s disk %s", h, $3, $4 }')"

# Untrusted input: one line on stderr, exit 2 for what the user got wrong, 1 for the rest.
# usage WHAT REGEX ARGS...: exit 2 and one stderr line matching REGEX.
usage() {
	_what=$1 _re=$2
	shift 2
	gf "$@" >"$T/out" 2>"$T/err"
	check "$_what: exit 2" 2 $?
	check "$_what: one line on stderr" 1 "$(grep -c . "$T/err")"
	check_match "$_what: says why" "$_re" "$(cat "$T/err")"
	check "$_what: nothing on stdout" "" "$(cat "$T/out")"
}
usage "unknown device" "no device 'nope'" graph --device nope -o "$G/x.png"
usage "unsafe device id" "no device '../p'" export --device ../p
usage "unknown department" "no department 'compta'" export --department compta
usage "bad date" "2026-02-30: no such day \\(February 2026 has 28 days\\)" graph --device copieur --from 2026-02-30 -o "$G/x.png"
usage "bad date (export)" "'yesterday' is not a date" export --device copieur --to yesterday
usage "from after to" "--from must come before --to" export --device copieur --from 2026-11-09 --to 2026-11-01
usage "empty output path" "-o takes a file name" graph --fleet -o ""
usage "no output path" "^usage: greenfleet graph" graph --fleet
usage "disk of a printer" "no 'disk' graph for a printer" graph --device copieur --metric disk -o "$G/x.png"
usage "unknown metric" "^usage: greenfleet graph" graph --device copieur --metric toner -o "$G/x.png"
usage "two scopes" "^usage: greenfleet graph" graph --device copieur --fleet -o "$G/x.png"
usage "bad format" "^usage: greenfleet export" export --device copieur --format xml
usage "bad width" "^usage: greenfleet graph" graph --fleet --width 10x -o "$G/x.png"
check "no file left by failed commands" "" "$(ls "$G" | grep -v '\.png$')$(ls "$G/x.png" 2>/dev/null)"
"$GREENFLEET" -c "$T/en.conf" graph --device neuf -o "$G/neuf.png" 2>"$T/err"
check "never polled device: runtime error, exit 1" 1 $?
check_match "never polled device: says there is no data yet" "^greenfleet: no data for device neuf yet" "$(cat "$T/err")"
gf graph --fleet $RANGE -o "$T/no/such/dir/fleet.png" 2>"$T/err"
check "unwritable output: exit 1" 1 $?
check_match "unwritable output: says why" "cannot write .*No such file or directory" "$(cat "$T/err")"
# Today is a day not over: the daily archive has no row for it until midnight, yet graphs
# and exports show its pages so far. 10 Nov: 120 mono and 12 colour pages between the
# 03:00 and 12:00 polls; 12:00 ends a 6-hour step, so all of them but the last
# moment's are consolidated (see cols below).
mono=$((mono + 120)) colour=$((colour + 12))
set_rec "$P" $MONO $mono $COLOUR $colour $TOTAL $((mono + colour))
poll '2026-11-10 12:00'
check "today: the ledger has the copier's 132 pages" 132 \
	"$(q "select sum(pages) from ledger where device = 'copieur' and counter = 'total' and day = '2026-11-10'")"
# cols FILE: "TIME total mono colour" of each row, "|" between rows, in whole pages:
# a daemon slowed down (ASan) updates a second or two after 12:00, and the pages of
# that last moment (0.004 of 132) wait in RRD for the next step.
cols() {
	tr -d '\r' <"$1" | awk -F, 'function p(x) { return x == "" ? "-" : sprintf("%.0f", x) }
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ printf "%s%s %s %s %s", (NR > 2 ? "|" : ""), $1, p($c["total"]), p($c["mono"]),
		    p($c["colour"]) }'
}
gf export --device copieur --from 2026-11-09 --to 2026-11-10 >"$T/today.csv"
check "export: today's pages so far, yesterday's whole day" \
	"2026-11-09T00:00:00+00:00 1045 950 95|2026-11-10T00:00:00+00:00 132 120 12" "$(cols "$T/today.csv")"
gf export --department etat-civil --from 2026-11-09 --to 2026-11-10 >"$T/today-dept.csv"
check "export department: today's pages so far" \
	"2026-11-09T00:00:00+00:00 1045 950 95|2026-11-10T00:00:00+00:00 132 120 12" "$(cols "$T/today-dept.csv")"
gf export --device copieur --from 2026-11-10 --to 2026-11-10 --format json >"$T/today.json"
check "export json: today's pages so far" "1 132 120 12" \
	"$($PY -c 'import json, sys; r = json.load(open(sys.argv[1]))["rows"]; print(len(r), *(round(r[0][k]) for k in ("total", "mono", "colour")))' "$T/today.json")"
# A graph of today alone: the day's bar fills the plot, mono under colour.
gf graph --device copieur --from 2026-11-10 --to 2026-11-10 -o "$G/today.png"
check "graph of today: exit 0" 0 $?
i=$(pnginfo "$G/today.png" 0072B2 E69F00)
at_least "graph of today: mono area drawn" 20000 "$(field 5 "$i")"
at_least "graph of today: colour area drawn" 2000 "$(field 6 "$i")"
gf graph --fleet --from 2026-11-10 --to 2026-11-10 -o "$G/today-fleet.png"
i=$(pnginfo "$G/today-fleet.png" E69F00)
at_least "graph of the fleet today: etat-civil drawn" 20000 "$(field 5 "$i")"
finish
