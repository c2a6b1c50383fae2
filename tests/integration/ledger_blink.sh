#!/bin/sh
# A counter missing from one answer is not a new source. The real Sharp MX-3570N
# recording, served as three states: its colour rows (index .63, .64, .80 of the
# self-describing table) vanish from one answer while 5 mono and 10 colour pages are
# printed, then come back. Every page is counted once: mono when seen, colour when
# back, and the derived total (mono + colour) is held for the answer that lacks a
# part, then counts the whole rise.
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=Europe/Paris
start_snmpsim sharp_mx-3570n
CONF=$T/gf.conf
S=$T/sim/sharp_mx-3570n.snmprec
TB=1.3.6.1.4.1.2385.1.1.19.2.1
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
write_conf "$CONF" "devices = ( $(device s printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n) );"

poll() {
	faketime -f "@$1:00" $GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1 exited $?"
}
q() { state_sql -s ' ' "$1"; }
ledger() { q "select counter, sum(pages) from ledger where device = 's' and counter in
	('total', 'mono', 'colour', 'print_mono', 'print_colour') group by counter order by counter"; }
c() { "$GREENFLEET" -c "$CONF" counters s --format tsv |
	awk -F '\t' -v k="$1" '$1 == k { print $2 "|" $4 "|" $6 }'; }

# The three states: A as recorded; B with 5 mono pages printed (B&W total and print
# counts +5, life count +15) and no colour row; C with the colour rows back, +10.
cp "$S" "$T/A"
awk -F '|' -v OFS='|' -v tb="$TB" '
	$1 == tb ".3.5.4.61" { $3 = 91169 } $1 == tb ".3.1.4.61" { $3 = 53636 }
	$1 == "'$LIFE'" { $3 = 121119 }
	{ print }' "$T/A" >"$T/C0"
awk -F '|' -v OFS='|' -v tb="$TB" '
	$1 == tb ".3.5.4.63" { $3 = 29950 } $1 == tb ".3.1.4.63" { $3 = 28593 }
	{ print }' "$T/C0" >"$T/C"
awk -F '|' -v tb="$TB" 'index($1, tb ".") == 1 && $1 ~ /\.(63|64|80)$/ { next } { print }' \
	"$T/C0" >"$T/B"
check "state B lacks the 22 colour cells (11 rows, value and name)" 22 \
	"$(( $(wc -l <"$T/A") - $(wc -l <"$T/B") ))"
check "state C differs from A in five cells" 5 "$(diff "$T/A" "$T/C" | grep -c '^>')"
# serve FILE: puts a state in place as set_rec does (renamed in, a later mtime).
serve() {
	cp "$1" "$T/rec.tmp"
	_now=$(( $(date +%s) + 2 ))
	SET_REC_MTIME=$(( SET_REC_MTIME + 1 > _now ? SET_REC_MTIME + 1 : _now ))
	touch -d "@$SET_REC_MTIME" "$T/rec.tmp"
	chmod a+r "$T/rec.tmp"
	mv "$T/rec.tmp" "$S"
}

poll '2026-11-02 09:00'		# discovery
poll '2026-11-02 09:10'		# baselines
check "baselines: nothing counted" "" "$(ledger)"
check "total = B&W + colour" "121104|derived|0" "$(c total)"

serve "$T/B"
poll '2026-11-02 09:20'
check "colour rows missing: mono's 5 pages counted, total held (nothing)" "mono 5
print_mono 5" "$(ledger)"
check "the total is held at its last whole value" "121104|derived|0" "$(c total)"
check "colour keeps its value and baseline" "29940|profile|0" "$(c colour)"
check "audit: the hold, with the parts" "total	held	121104	91169	mono+colour -> mono" \
	"$("$GREENFLEET" -c "$CONF" audit s --format tsv | awk -F '\t' '$4 == "held"' | cut -f 3-7)"

serve "$T/C"
poll '2026-11-02 09:30'
check "colour back: its 10 pages counted, the total's whole rise of 15" "colour 10
mono 5
print_colour 10
print_mono 5
total 15" "$(ledger)"
check "total whole again" "121119|derived|15" "$(c total)"
check "the sum agrees with the life count: no source change" \
	"15|agrees with the Printer-MIB life count 121119" \
	"$("$GREENFLEET" -c "$CONF" counters s --format tsv | awk -F '\t' '$1 == "total" { print $6 "|" $7 }')"
check "no source event" 0 "$("$GREENFLEET" -c "$CONF" audit s --format tsv | grep -c '	source	')"

# An idle poll: nothing more.
poll '2026-11-02 09:40'
check "idle: still 15" "15" "$(q "select sum(pages) from ledger where counter = 'total'")"
finish
