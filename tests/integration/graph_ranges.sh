#!/bin/sh
# Graphs from the first minute: a copier polled every 10 seconds by greenfleetd itself
# (--once under faketime, against snmpsim), seven polls from 23:59:30 UTC, 5 mono and
# 1 colour page between two. Over the last hour the graph draws the 10-second rows,
# over 3 hours 5-minute rows, over the last day per hour, over a week, a month and a year per day; each with the
# 30 + 6 pages the ledger counted, although the hour and the day they fall in were
# partial (RRD leaves such rows unknown) or still open. A range before the first poll
# says "pas encore de données" (or "no data yet" in English), never nan. The figures
# are read from rrd_graph's JSON (-o NAME.json: the series and the legend as text),
# drawn from the same request as the PNG and SVG.
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=UTC
TIMEOUT_MS=500 RETRIES=0 INTERVAL=10
start_snmpsim scenario_quota
P=$T/sim/scenario_quota.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1

CONF=$T/gf.conf
write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:9\"; from = \"gf@mairie.example\"; language = \"fr\"; };
devices = (
$(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil)
);"
sed 's/language = "fr"/language = "en"/' "$CONF" >"$T/en.conf"
chmod 600 "$T/en.conf"

mono=10000 colour=500
for i in 0 1 2 3 4 5 6; do
	if [ "$i" -gt 0 ]; then
		mono=$((mono + 5)) colour=$((colour + 1))
	fi
	set_rec "$P" $MONO $mono $COLOUR $colour $TOTAL $((mono + colour))
	when=$(date -u -d "@$(( $(date -u -d '2026-11-15 23:59:30' +%s) + 10 * i ))" '+%Y-%m-%d %H:%M:%S')
	# The clock stopped at the poll's second (however slow the start, under ASan too):
	# RRD averages a step's pages over its known part, so a poll a second late shifts
	# them between rows; timeouts run on the real monotonic clock.
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$when" "$GREENFLEETD" -c "$CONF" --once \
		2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $when exited $?"
done
check "the ledger counted 30 mono pages" 30 \
	"$(state_sql "select sum(pages) from ledger where device = 'copieur' and counter = 'mono'")"
check "and 6 colour pages" 6 \
	"$(state_sql "select sum(pages) from ledger where device = 'copieur' and counter = 'colour'")"

NOW="2026-11-16 00:01:00"
# graph CONF ARGS...: the graph of ARGS at $NOW as rrd_graph's JSON, on stdout.
graph() {
	_c=$1
	shift
	faketime -f "@$NOW" "$GREENFLEET" -c "$_c" graph "$@" -o "$T/g.json" ||
		{ fail "graph $*: exit $?"; : >"$T/g.json"; }
	cat "$T/g.json"
}
# legend JSON: the legend lines, one a line, "KIND: TEXT".
legend() { sed -n 's/^ *{ "\([a-z]*\)": "\(.*\)" },\{0,1\}$/\1: \2/p'; }
# step JSON: the seconds per row.
step() { sed -n 's/^ *"step": \([0-9]*\),$/\1/p'; }

PAGES='area:   Noir et blanc       
gprint:        30 pages\\l
area:   Couleur             
gprint:         6 pages\\l
area:   Non ventilé         
gprint:         0 pages\\l'
for r in "-1h 10" "-3h 300" "-12h 3600" "-1d 3600" "-3d 3600" "-7d 86400" "-30d 86400" \
	"-52w 86400" "2026-11-15 3600" "2026-11-01 86400"; do
	from=${r% *}
	j=$(graph "$CONF" --device copieur --from "$from")
	check "--from $from: rows of ${r#* } s" "${r#* }" "$(echo "$j" | step)"
	check "--from $from: 30 mono and 6 colour pages" "$PAGES" "$(echo "$j" | legend | head -6)"
	check "--from $from: no nan" 0 "$(echo "$j" | grep -c nan)"
done

# The last hour's rows: 6 of 10 seconds with 5 mono pages, after the first poll's unknown one.
j=$(graph "$CONF" --device copieur --from -1h)
check "the last hour: the 10-second rows of mono pages" "6 rows: 5" "$(echo "$j" |
	awk '/"data"/ { d = 1 } d && /^ *\[ *[0-9.e+-]+,/ { sub(/^ *\[ */, ""); split($0, v, ",");
		n++; if (!((v[1] + 0) in seen)) { seen[v[1] + 0] = 1; s = s " " (v[1] + 0) } }
		END { printf "%d rows:%s", n, s }')"

# The department's file, from the same polls.
j=$(graph "$CONF" --department etat-civil --from -1d)
check "the department over the last day" "$PAGES" "$(echo "$j" | legend | head -6)"

# Before the first poll: no data yet, in each language; the toner too.
NODATA='area:   Noir et blanc       
comment:   pas encore de données\\l
area:   Couleur             
comment:   pas encore de données\\l
area:   Non ventilé         
comment:   pas encore de données\\l'
j=$(graph "$CONF" --device copieur --from 2026-11-01 --to 2026-11-02)
check "before the first poll: pas encore de données" "$NODATA" "$(echo "$j" | legend | head -6)"
check "before the first poll: no nan" 0 "$(echo "$j" | grep -c nan)"
j=$(graph "$T/en.conf" --device copieur --from 2026-11-01 --to 2026-11-02 --metric supplies)
check "no toner level yet, in English" 'comment:   no data yet\\l' \
	"$(echo "$j" | legend | grep -v '^area\|^line' | head -1)"
check "no toner level yet: no nan" 0 "$(echo "$j" | grep -c nan)"

# The same request as PNG and SVG: their magic bytes.
faketime -f "@$NOW" "$GREENFLEET" -c "$CONF" graph --device copieur --from -1h -o "$T/g.png"
check "-o NAME.png: a PNG" "89504e470d0a1a0a" "$(head -c 8 "$T/g.png" | od -An -tx1 | tr -d ' \n')"
faketime -f "@$NOW" "$GREENFLEET" -c "$CONF" graph --device copieur --from -1h -o "$T/g.svg"
check "-o NAME.svg: an SVG" "<?xml version" "$(head -c 13 "$T/g.svg")"
finish
