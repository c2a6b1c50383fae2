#!/usr/bin/env bash
# bench/pollers.sh -- several greenfleetd pollers sharing one PostgreSQL store
# and one rrdcached (issue 23), against one greenfleetd on SQLite, on the same
# simulated printer fleet as bench/run.sh. See bench/README.md ("Several
# pollers") and doc/scaling.md.
#
# usage: bench/pollers.sh [-s N_SQLITE] [-n N_PG] [-P POLLERS] [-i INTERVAL_S]
#                         [-c CYCLES] [-u WARMUP_CYCLES] [-b greenfleetd]
#                         [-p SNMPD_PROCS] [-m COMMUNITIES] [-W RRDC_WRITE_S]
#                         [-g PAGES_S] [-K "FULL HOURLY DAILY"] [-r "A B"] [-T] [-k]
#   -s  devices of run A (one greenfleetd, SQLite store), default 10000
#   -n  devices of run B (POLLERS greenfleetd, one PostgreSQL), default 100000
#   -P  pollers in run B (greenfleetd -n p1 .. pP), default 4
#   -i  polling interval (s) of both runs, default 300
#   -c  measured cycles (whole intervals), default 1
#   -u  warm-up cycles between "every device polled once" and the window, default 1
#   -b  greenfleetd binary, default $GREENFLEETD or ./_build-dev/greenfleetd
#   -p  snmpd processes, default 8
#   -m  communities per UDP port, default 100 (device i = port i mod NPORTS,
#       community c(i / NPORTS), as in run.sh)
#   -W  rrdcached -w (write timeout) in s, default 2 x interval (-z interval,
#       -f 4 x interval, journal on)
#   -g  every PAGES_S seconds each snmpd's page counter (prtMarkerLifeCount,
#       one value for all its devices) goes up by 3 (an SNMP SET): every
#       reading then meters pages (meter_claim, ledger, NOTIFY); default
#       interval / 2 (every reading has pages), 0 = static counters (an idle fleet)
#   -K  days a new RRD file keeps (rrd_full_days, rrd_hourly_days,
#       rrd_daily_days), default the configuration's (14 400 3660: 0.7 MB a
#       file, 70 GB at 100,000); "2 31 365" makes 70 kB files
#   -r  runs, default "A B"
#   -T  no takeover (kill -9 of pP) after run B's window
#   -k  keep the temp folder
# Results: stdout and bench/out/pollers-YYYYmmdd-HHMMSS.txt.
set -u
export LC_ALL=C

BENCHDIR=$(cd "$(dirname "$0")" && pwd)
NA=10000 NB=100000 NPOLL=4 INTERVAL=300 CYCLES=1 WARMUP=1
GF_BIN=${GREENFLEETD:-./_build-dev/greenfleetd}
NPROCS=8 COMMS_PER_PORT=100 RRDC_W= RUNS="A B" TAKEOVER=1 KEEP=0 PAGES_S= RRD_KEEP=
PY=/usr/bin/python3 SNMPD=/usr/sbin/snmpd RRDCACHED=/usr/bin/rrdcached
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

die() { echo "pollers.sh: $*" >&2; exit 1; }
say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
. "$BENCHDIR/fleet.sh"

while getopts "s:n:P:i:c:u:b:p:m:W:g:K:r:Tkh" opt; do
	case $opt in
	s) NA=$OPTARG ;; n) NB=$OPTARG ;; P) NPOLL=$OPTARG ;; i) INTERVAL=$OPTARG ;;
	c) CYCLES=$OPTARG ;; u) WARMUP=$OPTARG ;; b) GF_BIN=$OPTARG ;; p) NPROCS=$OPTARG ;;
	m) COMMS_PER_PORT=$OPTARG ;; W) RRDC_W=$OPTARG ;; g) PAGES_S=$OPTARG ;; r) RUNS=$OPTARG ;;
	K) RRD_KEEP=$OPTARG ;;
	T) TAKEOVER=0 ;; k) KEEP=1 ;;
	h) sed -n '2,/^[^#]/p' "$0" | sed '$d'; exit 0 ;;
	*) die "bad option (see -h)" ;;
	esac
done
for v in "$NA" "$NB" "$NPOLL" "$INTERVAL" "$CYCLES" "$NPROCS" "$COMMS_PER_PORT" ${RRDC_W:+"$RRDC_W"}; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || die "not a positive integer: $v"
done
[[ $WARMUP =~ ^[0-9]+$ ]] || die "not an integer: $WARMUP"
[ -z "$RRD_KEEP" ] || [[ $RRD_KEEP =~ ^[1-9][0-9]*\ [0-9]+\ [0-9]+$ ]] || die "-K: three numbers of days"

[ "$INTERVAL" -ge 10 ] || die "greenfleetd rejects interval < 10 s"
[ "$NPOLL" -ge 2 ] && [ "$NPOLL" -le 64 ] || die "-P: 2 to 64 pollers"
RRDC_W=${RRDC_W:-$((2 * INTERVAL))}
PAGES_S=${PAGES_S:-$((INTERVAL / 2))}
[[ $PAGES_S =~ ^[0-9]+$ ]] || die "-g: seconds, 0 for static counters"
case $GF_BIN in /*) ;; *) GF_BIN=$PWD/${GF_BIN#./} ;; esac
head -c 4 "$GF_BIN" 2>/dev/null | grep -q ELF || die "$GF_BIN is not a greenfleetd binary (-b)"
for b in "$SNMPD" /usr/bin/snmpget "$PY" "$RRDCACHED" /usr/bin/sqlite3 "$PG_BIN/initdb" /usr/bin/psql; do
	[ -x "$b" ] || die "missing $b (apt-get install -y snmpd snmp rrdcached sqlite3 postgresql)"
done
GF_ROOT=$([ "$(id -u)" = 0 ] && echo --allow-root || true)
CLK_TCK=$(getconf CLK_TCK)
MAXN=0
for r in $RUNS; do
	case $r in A) [ "$NA" -gt "$MAXN" ] && MAXN=$NA ;; B) [ "$NB" -gt "$MAXN" ] && MAXN=$NB ;;
	*) die "-r: A and/or B" ;; esac
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

TMP=$(mktemp -d /tmp/gfpollers.XXXXXX) || die "mktemp failed"
chmod 755 "$TMP"
PIDS=() PGDIR=
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	local p
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		local alive=0 q
		for q in "${PIDS[@]}"; do kill -0 "$q" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.5
	done
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	[ -n "$PGDIR" ] && [ -f "$PGDIR/db/postmaster.pid" ] &&
		pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/db" -m immediate -w stop >/dev/null 2>&1
	wait 2>/dev/null
	if [ "$KEEP" = 1 ]; then echo "pollers.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The binary is copied: a rebuild during the run cannot change it.
cp "$GF_BIN" "$TMP/greenfleetd.bin" || die "cannot copy $GF_BIN"
GF_ORIG=$GF_BIN GF_BIN=$TMP/greenfleetd.bin
GF_MD5=$(md5sum < "$GF_BIN" | cut -c1-12)

# --- measuring
# PostgreSQL: the postmaster, its live children, and (cutime+cstime) the
# children that ended meanwhile (autovacuum workers, psql sessions).
pg_ticks() {
	local pm s t
	pm=$(head -n 1 "$PGDIR/db/postmaster.pid" 2>/dev/null) || { echo -1; return; }
	s=$(cat "/proc/$pm/stat") || { echo -1; return; }
	s=${s##*) }
	set -- $s
	t=$(( ${12} + ${13} + ${14} + ${15} ))
	echo $(( t + $(sum_ticks $(pgrep -P "$pm")) ))
}
pg_pss_mb() {	# proportional set size of the whole server
	local pm p s=0 v
	pm=$(head -n 1 "$PGDIR/db/postmaster.pid" 2>/dev/null) || { echo "?"; return; }
	for p in "$pm" $(pgrep -P "$pm"); do
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		s=$((s + ${v:-0}))
	done
	fcalc "$s / 1024" 1
}
rrdc_stats() {	# rrdc_stats SOCKET -> "UpdatesReceived DataSetsWritten UpdatesWritten JournalBytes"
	"$PY" - "$1" <<'PYEOF' 2>/dev/null || echo "-1 -1 -1 -1"
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(sys.argv[1])
s.sendall(b"STATS\n")
f = s.makefile("r")
n = int(f.readline().split()[0])
d = {}
for _ in range(n):
    k, _, v = f.readline().partition(":")
    d[k.strip()] = v.strip()
print(" ".join(d.get(k, "-1") for k in ("UpdatesReceived", "DataSetsWritten", "UpdatesWritten", "JournalBytes")))
PYEOF
}

# --- 1. the fleet (bench/fleet.sh, as run.sh's), its page counter writable
fleet_start "$MAXN" "$NPROCS" "$COMMS_PER_PORT" rw

# Printing: one SNMP SET of prtMarkerLifeCount (a Counter32, which snmpset
# cannot send) per snmpd every PAGES_S seconds; an override is the process's,
# so every device of that snmpd moves at once.
cat > "$TMP/fleet/pages.py" <<'PYEOF'
import socket, sys, time
def tlv(t, v):
    n = len(v)
    if n < 128:
        return bytes([t, n]) + v
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([t, 0x80 | len(b)]) + b + v
def num(t, x):
    return tlv(t, x.to_bytes(x.bit_length() // 8 + 1, "big"))
def oid(s):
    p = [int(x) for x in s.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        enc = [x & 0x7f]
        x >>= 7
        while x:
            enc.insert(0, 0x80 | (x & 0x7f))
            x >>= 7
        out += bytes(enc)
    return tlv(6, out)
every, ports = int(sys.argv[1]), [int(p) for p in sys.argv[2:]]
val, rid = 121104, 1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
while True:
    time.sleep(every)
    val += 3
    for port in ports:
        rid += 1
        vb = tlv(0x30, tlv(0x30, oid("1.3.6.1.2.1.43.10.2.1.4.1.1") + num(0x41, val)))
        pdu = tlv(0xa3, num(2, rid) + num(2, 0) + num(2, 0) + vb)
        s.sendto(tlv(0x30, num(2, 1) + tlv(4, b"gfpages") + pdu), ("127.0.0.1", port))
        try:
            s.recv(2000)
        except socket.timeout:
            print("no answer to the SET on port %d" % port, file=sys.stderr, flush=True)
PYEOF
if [ "$PAGES_S" -gt 0 ]; then
	pp=()
	for ((j = 0; j < NPROCS; j++)); do pp+=("${PORTS[j * PER]}"); done
	"$PY" "$TMP/fleet/pages.py" "$PAGES_S" "${pp[@]}" </dev/null >/dev/null 2>"$TMP/fleet/pages.log" &
	PIDS+=($!)
	say "printing: every device's page counter +3 every ${PAGES_S}s"
fi

# --- 2. configuration and rrdcached, shared by both runs
# The devices go to DIR/devices.d/NNN.conf, 10,000 a file (devices_dir): one
# configuration file is at most 8 MiB, about 50,000 of these devices.
gf_conf() {	# gf_conf N DATADIR FILE [EXTRA_LINE]
	local dd
	dd=$(dirname "$3")/devices.d
	mkdir -p "$dd"
	{
		echo "data_dir = \"$2\";"
		[ -n "${4:-}" ] && echo "$4"
		echo "rrdcached = \"unix:$(dirname "$2")/rrdcached.sock\";"
		echo "interval = $INTERVAL; timeout_ms = 1500; retries = 1; concurrency = 256;"
		if [ -n "$RRD_KEEP" ]; then
			echo "$RRD_KEEP" | awk '{ printf "rrd_full_days = %s; rrd_hourly_days = %s; rrd_daily_days = %s;\n", $1, $2, $3 }'
		fi
		echo 'departments = ( { id = "bench"; name = "Bench"; } );'
		echo "devices_dir = \"$dd\";"
	} > "$3"
	awk -v n="$1" -v ports="${PORTS[*]}" -v dd="$dd" 'BEGIN {
		np = split(ports, p, " ")
		for (i = 0; i < n; i++) {
			f = sprintf("%s/%03d.conf", dd, int(i / 10000))
			if (i % 10000 == 0)
				print "devices = (" > f
			printf "  { id = \"d%d\"; host = \"127.0.0.1\"; port = %s; kind = \"printer\"; department = \"bench\"; snmp = { version = \"2c\"; community = \"c%d\"; }; }%s\n",
			    i, p[i % np + 1], int(i / np), (i % 10000 == 9999 || i == n - 1) ? "\n);" : "," > f
			if (i % 10000 == 9999 || i == n - 1)
				close(f)
		}
	}'
	chmod 600 "$3" "$dd"/*.conf
}
# rrdcached for run DIR: DIR/data/rrd is its base, DIR/journal its journal.
RRDC_PID=
start_rrdcached() {
	local d=$1 i
	mkdir -p "$d/data/rrd" "$d/journal"
	"$RRDCACHED" -g -l "unix:$d/rrdcached.sock" -b "$d/data/rrd" -B -j "$d/journal" \
		-w "$RRDC_W" -z "$INTERVAL" -f $((4 * INTERVAL)) -t 4 -p "$d/rrdcached.pid" \
		</dev/null >"$d/rrdcached.log" 2>&1 &
	RRDC_PID=$!
	PIDS+=($RRDC_PID)
	for ((i = 0; i < 40; i++)); do [ -S "$d/rrdcached.sock" ] && break; sleep 0.25; done
	[ "$(rrdc_stats "$d/rrdcached.sock" | cut -d' ' -f1)" -ge 0 ] 2>/dev/null ||
		die "rrdcached did not start: $(tail -n 3 "$d/rrdcached.log")"
}

# check_disk DATADIR N: stops the run when N RRD files the size of the first
# one would not fit the temp folder's disk (100,000 files of 0.77 MB at a
# 180 s interval filled a shared 77 GB disk once).
check_disk() {
	local f sz avail
	f=$(find "$1" -name '*.rrd' -type f 2>/dev/null | head -n 1)
	[ -n "$f" ] || return 0
	sz=$(stat -c %s "$f") avail=$(df -P -B1 "$TMP" | awk 'NR == 2 { print $4 }')
	[ $((sz / 1024 * $2)) -lt $((avail / 1024 * 8 / 10)) ] ||
		die "$2 RRD files of $((sz / 1024)) kB need $((sz / 1024 * $2 / 1048576)) GB, $((avail / 1073741824)) GB free: use a smaller -n/-s or a longer -i"
}

# --- results
mkdir -p "$BENCHDIR/out"
RESULTS=$BENCHDIR/out/pollers-$(date +%Y%m%d-%H%M%S).txt
OUT=()
out() { OUT+=("$*"); echo "$*"; }

# window NAME N PIDS_VAR STATEQ: sync, settle, then CYCLES intervals; sets
# W_POLL W_PG W_RRDC W_SNMPD (ms/dev/cycle) and W_CYC. STATEQ prints
# "devices polled in the window" given the window's start (epoch s).
W_POLL= W_PG= W_RRDC= W_SNMPD= W_CYC= W_T0= W_T1=
# in_window LOGS...: warning/error lines logged inside the last window
in_window() { cat "$@" | awk -v a="$W_T0" -v b="$W_T1" '/\[(error|warning)\]/ && substr($1, 1, 19) >= a && substr($1, 1, 19) <= b' | wc -l; }
window() {
	local name=$1 n=$2 stateq=$4 sock=$5
	local -n wp=$3
	sync; sleep 5
	local r0 r1 pg0=0 pg1=0 w0 w1 p0 p1 s0 s1 x0 x1 t0
	[ -n "$PGDIR" ] && pg_snap > "$TMP/$name.pg0"
	r0=$(rrdc_stats "$sock")
	t0=$(date +%s)
	W_T0=$(date +%Y-%m-%dT%H:%M:%S)
	w0=$(now); p0=$(sum_ticks "${wp[@]}"); s0=$(snmpd_ticks); x0=$(ticks "$RRDC_PID")
	[ -n "$PGDIR" ] && pg0=$(pg_ticks)
	say "$name: measuring $CYCLES cycle(s) of ${INTERVAL}s"
	sleep $((CYCLES * INTERVAL))
	w1=$(now); p1=$(sum_ticks "${wp[@]}"); s1=$(snmpd_ticks); x1=$(ticks "$RRDC_PID")
	[ -n "$PGDIR" ] && pg1=$(pg_ticks)
	W_T1=$(date +%Y-%m-%dT%H:%M:%S)
	r1=$(rrdc_stats "$sock")
	[ -n "$PGDIR" ] && pg_snap > "$TMP/$name.pg1"
	local p
	for p in "${wp[@]}"; do kill -0 "$p" 2>/dev/null || die "$name: poller $p died in the window"; done
	W_CYC=$(fcalc "($w1 - $w0) / $INTERVAL" 4)
	local per="* 1000 / $CLK_TCK / ($n * $W_CYC)"
	W_POLL=$(fcalc "($p1 - $p0) $per" 4)
	W_PG=$(fcalc "($pg1 - $pg0) $per" 4)
	W_RRDC=$(fcalc "($x1 - $x0) $per" 4)
	W_SNMPD=$(fcalc "($s1 - $s0) $per" 4)
	local polled
	polled=$($stateq "$t0")
	set -- $r0; local u0=$1 ds0=$2 uw0=$3 jb0=$4
	set -- $r1
	out "$name: window $(fcalc "$w1 - $w0" 1) s = $W_CYC cycles; devices polled in it: $polled of $n; rrdcached: $(( $1 - u0 )) updates received ($(fcalc "($1 - $u0) / $W_CYC" 0)/cycle), $(( $3 - uw0 )) file writes of $(( $2 - ds0 )) updates, journal $(( ($4 - jb0) / 1024 )) KiB"
	out "$name: ticks pollers $((p1 - p0)), postgres $((pg1 - pg0)), rrdcached $((x1 - x0)), snmpd $((s1 - s0)) (CLK_TCK $CLK_TCK)"
}

# --- 3. run A: one greenfleetd, SQLite state, rrdcached
A_TOTAL=
run_a() {
	local d=$TMP/a n=$NA
	mkdir -p "$d"
	start_rrdcached "$d"
	gf_conf "$n" "$d/data" "$d/greenfleet.conf"
	local t0; t0=$(date +%s)
	"$GF_BIN" -c "$d/greenfleet.conf" -f -n a1 $GF_ROOT </dev/null >"$d/greenfleetd.log" 2>&1 &
	local pid=$!; PIDS+=($pid)
	local A_PIDS=($pid)
	sq() { sqlite3 -cmd '.timeout 10000' "$d/data/state.db" "$1" 2>/dev/null; }
	a_polled() { sq "select count(*) from device_state where last_poll >= $1"; }
	say "A: greenfleetd (SQLite + rrdcached), $n devices: waiting for every device polled once"
	local c=0
	while :; do
		kill -0 "$pid" 2>/dev/null || die "A: greenfleetd died: $(tail -n 3 "$d/greenfleetd.log")"
		check_disk "$d/data" "$n"
		c=$(a_polled "$t0"); c=${c:-0}
		[ "$c" -ge "$n" ] && break
		[ $(( $(date +%s) - t0 )) -gt $((6 * INTERVAL + 600)) ] && die "A: only $c of $n polled"
		sleep 5
	done
	local first=$(( $(date +%s) - t0 ))
	out "A: every device polled once ${first}s after the start (RRD files created meanwhile); warm-up $WARMUP cycle(s)"
	sleep $((WARMUP * INTERVAL))
	window A "$n" A_PIDS a_polled "$d/rrdcached.sock"
	A_TOTAL=$(fcalc "$W_POLL + $W_RRDC" 4)
	A_POLL=$W_POLL
	out "A: cpu ms/dev/cycle: greenfleetd $W_POLL + rrdcached $W_RRDC = $A_TOTAL; snmpd $W_SNMPD; VmHWM greenfleetd $(hwm_mb "$pid") MB, rrdcached $(hwm_mb "$RRDC_PID") MB"
	out "A: log: $(in_window "$d/greenfleetd.log") warnings/errors in the window, $(grep -cE '\[(error|warning)\]' "$d/greenfleetd.log") in all $(grep -E '\[(error|warning)\]' "$d/greenfleetd.log" | head -n 1)"
	kill -TERM "$pid" "$RRDC_PID"
	wait "$pid" "$RRDC_PID" 2>/dev/null
	[ "$KEEP" = 1 ] || rm -rf "$d/data" "$d/journal"
}

# --- 4. run B: NPOLL greenfleetd, one PostgreSQL, one rrdcached
psq() { psql -X -q -A -t -F ' ' -h "$PGDIR" -p "$PGPORT" -U gf -d gf -c "$1" 2>/dev/null; }
pg_snap() {	# commits, rows written, WAL bytes
	psq "select xact_commit, tup_inserted, tup_updated, tup_deleted, pg_current_wal_lsn() - '0/0'::pg_lsn
		from pg_stat_database where datname = 'gf'"
}
start_pg() {
	PGDIR=$TMP/pg
	PGPORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$PGDIR"
	[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
	pg_as "$PG_BIN/initdb" -D "$PGDIR/db" -A trust -U gf >"$PGDIR/initdb.log" 2>&1 ||
		die "initdb failed: $(tail -n 3 "$PGDIR/initdb.log")"
	# production-like: fsync on; pg_stat_statements for the statements' costs
	pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/db" -l "$PGDIR/log" -w -t 60 \
		-o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c max_wal_size=4GB" \
		start >/dev/null || die "PostgreSQL did not start: $(tail -n 5 "$PGDIR/log")"
	psql -X -q -h "$PGDIR" -p "$PGPORT" -U gf -d postgres -c "create database gf" >/dev/null ||
		die "create database failed"
	psq "create extension pg_stat_statements" >/dev/null
	say "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}'): $PGDIR port $PGPORT (unix socket)"
}
stmts() {	# the statements that cost PostgreSQL most since the last reset
	psq "select lpad(calls::text, 9), lpad(round(total_exec_time)::text, 8) || ' ms',
		lpad(round((total_exec_time / calls)::numeric, 3)::text, 9) || ' ms/call',
		lpad(rows::text, 9) || ' rows', left(regexp_replace(query, '\s+', ' ', 'g'), 90)
		from pg_stat_statements where dbid = (select oid from pg_database where datname = 'gf')
		order by total_exec_time desc limit ${1:-12}"
}
B_TOTAL=
run_b() {
	local d=$TMP/b n=$NB i
	mkdir -p "$d"
	start_pg
	start_rrdcached "$d"
	local store="postgresql:///gf?host=$PGDIR&port=$PGPORT&user=gf"
	gf_conf "$n" "$d/data" "$d/greenfleet.conf" "store = \"$store\";"
	local t0; t0=$(date +%s)
	local B_PIDS=()
	for ((i = 1; i <= NPOLL; i++)); do
		"$GF_BIN" -c "$d/greenfleet.conf" -f -n "p$i" $GF_ROOT </dev/null >"$d/p$i.log" 2>&1 &
		PIDS+=($!); B_PIDS+=($!)
	done
	b_polled() { psq "select count(*) from device_state where last_poll >= $1"; }
	shared() {	# leases held by live pollers, devices polled since the start
		psq "select (select count(*) from lease l join poller p on p.name = l.poller and p.expires > extract(epoch from now())::bigint),
			(select count(distinct poller) from lease where poller is not null),
			(select count(*) from device_state where last_poll >= $t0)"
	}
	say "B: $NPOLL greenfleetd (PostgreSQL + one rrdcached), $n devices: waiting for the fleet to be shared"
	local s l np c
	while :; do
		for i in "${!B_PIDS[@]}"; do
			kill -0 "${B_PIDS[i]}" 2>/dev/null || die "B: p$((i + 1)) died: $(tail -n 3 "$d/p$((i + 1)).log")"
		done
		check_disk "$d/data" "$n"
		s=$(shared); set -- ${s:-0 0 0}; l=$1 np=$2 c=$3
		[ "$l" -ge "$n" ] && [ "$np" -ge "$NPOLL" ] && [ "$c" -ge "$n" ] && break
		[ $(( $(date +%s) - t0 )) -gt $((6 * INTERVAL + 900)) ] && die "B: leases $l, pollers $np, polled $c of $n"
		sleep 5
	done
	local first=$(( $(date +%s) - t0 ))
	out "B: fleet shared ${first}s after the start: $l leases over $np pollers ($(psq "select string_agg(poller || ' ' || c, ', ' order by poller) from (select poller, count(*) c from lease group by poller) x")), every device polled once; warm-up $WARMUP cycle(s)"
	sleep $((WARMUP * INTERVAL))
	psq "select pg_stat_statements_reset()" >/dev/null
	window B "$n" B_PIDS b_polled "$d/rrdcached.sock"
	B_TOTAL=$(fcalc "$W_POLL + $W_PG + $W_RRDC" 4)
	B_POLL=$W_POLL
	local hw=
	for i in "${B_PIDS[@]}"; do hw+="${hw:+ }$(hwm_mb "$i")"; done
	out "B: cpu ms/dev/cycle: $NPOLL greenfleetd $W_POLL + PostgreSQL $W_PG + rrdcached $W_RRDC = $B_TOTAL; snmpd $W_SNMPD"
	out "B: VmHWM greenfleetd $hw MB; rrdcached $(hwm_mb "$RRDC_PID") MB; PostgreSQL Pss $(pg_pss_mb) MB; connections to gf: $(psq "select count(*) from pg_stat_activity where datname = 'gf'")"
	set -- $(cat "$TMP/B.pg0"); local c0=$1 ins0=$2 upd0=$3 del0=$4 wal0=$5
	set -- $(cat "$TMP/B.pg1")
	local den="($n * $W_CYC)"
	out "B: PostgreSQL per device per cycle: $(fcalc "($1 - $c0) / $den" 3) commits, $(fcalc "($2 - $ins0) / $den" 3) rows inserted, $(fcalc "($3 - $upd0) / $den" 3) updated, $(fcalc "($4 - $del0) / $den" 3) deleted, $(fcalc "($5 - $wal0) / $den" 0) bytes of WAL"
	out "B: statements in the window (calls, total, per call, rows, query):"
	stmts 14 | while IFS= read -r q; do out "  $q"; done
	out "B: log: $(in_window "$d"/p*.log) warnings/errors in the window, $(cat "$d"/p*.log | grep -cE '\[(error|warning)\]') in all, e.g. $(cat "$d"/p*.log | grep -E '\[(error|warning)\]' | head -n 1)"
	[ "$TAKEOVER" = 1 ] && takeover "$d" "$n"
}

# --- 5. takeover: kill -9 of the last poller
takeover() {
	local d=$1 n=$2 v=p$NPOLL vpid=${B_PIDS[NPOLL - 1]}
	local -a live=("${B_PIDS[@]:0:NPOLL-1}")
	psq "drop table if exists victim; create table victim as select device from lease where poller = '$v'" >/dev/null
	local held; held=$(psq "select count(*) from victim")
	local k0 kt p0 pg0 x0
	p0=$(sum_ticks "${live[@]}"); pg0=$(pg_ticks); x0=$(ticks "$RRDC_PID")
	kill -KILL "$vpid"
	k0=$(now); kt=$(date +%s)
	wait "$vpid" 2>/dev/null
	out "takeover: kill -9 of $v (pid $vpid) holding $held devices at $(date -d "@$kt" +%H:%M:%S)"
	local t_leases= t_polled= s o c el
	while :; do
		el=$(fcalc "$(now) - $k0" 1)
		s=$(psq "select (select count(*) from victim v join lease l using (device) where l.poller is not null and l.poller <> '$v'),
			(select count(*) from victim v join device_state s on s.id = v.device where s.last_poll > $kt)")
		set -- ${s:-0 0}; o=$1 c=$2
		[ -z "$t_leases" ] && [ "$o" -ge "$held" ] && { t_leases=$el; say "takeover: all $held leases held by others after ${el}s"; }
		[ "$c" -ge "$held" ] && [ -n "$t_leases" ] && { t_polled=$el; break; }
		if [ "$(fcalc "($el > 3 * $INTERVAL + 120)" 0)" = 1 ]; then
			out "takeover: NOT DONE after ${el}s: $o of $held leased to others, $c polled"; break
		fi
		sleep 2
	done
	local p1 pg1 x1
	p1=$(sum_ticks "${live[@]}"); pg1=$(pg_ticks); x1=$(ticks "$RRDC_PID")
	[ -n "$t_polled" ] && {
		TK=$t_polled
		out "takeover: every device of $v leased to others after ${t_leases}s and polled after ${t_polled}s = $(fcalc "$t_polled / $INTERVAL" 2) intervals (lease ${INTERVAL}/4 rounds, expiry 3 rounds + 1 s = $((3 * (INTERVAL * 250 < 1000 ? 1000 : INTERVAL * 250) / 1000 + 1))s)"
		out "takeover: cpu from the kill to the end: survivors $(( p1 - p0 )) ticks, PostgreSQL $(( pg1 - pg0 )), rrdcached $(( x1 - x0 ))"
	}
	out "takeover: leases now: $(psq "select string_agg(poller || ' ' || c, ', ' order by poller) from (select poller, count(*) c from lease group by poller) x")"
	# The survivors' steady state: a share that does not divide the fleet leaves
	# a poller below it, which claims (a FILL and a CLAIM over every id it does
	# not hold) at every round.
	psq "select pg_stat_statements_reset()" >/dev/null
	local q0 q1
	q0=$(pg_ticks); p0=$(sum_ticks "${live[@]}")
	say "takeover: one more interval with $((NPOLL - 1)) pollers"
	sleep "$INTERVAL"
	q1=$(pg_ticks); p1=$(sum_ticks "${live[@]}")
	out "after takeover, one interval with $((NPOLL - 1)) pollers: cpu ms/dev/cycle pollers $(fcalc "($p1 - $p0) * 1000 / $CLK_TCK / $n" 4), PostgreSQL $(fcalc "($q1 - $q0) * 1000 / $CLK_TCK / $n" 4); statements:"
	stmts 8 | while IFS= read -r q; do out "  $q"; done
}

# --- 6. run and report
say "greenfleetd $GF_ORIG (md5 $GF_MD5); load: $(uptime | sed 's/.*load/load/')"
out "# greenfleet pollers bench $(date -Is) on $(uname -n): $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r)"
out "# greenfleetd $GF_ORIG md5 $GF_MD5; interval ${INTERVAL}s, $CYCLES measured cycle(s) after $WARMUP warm-up; runs: $RUNS; A $NA devices, B $NB devices over $NPOLL pollers"
out "# fleet: $NPROCS snmpd, $NPORTS ports, $COMMS communities each, page counters $([ "$PAGES_S" -gt 0 ] && echo "+3 every ${PAGES_S}s" || echo static); rrdcached -w $RRDC_W -z $INTERVAL -f $((4 * INTERVAL)) -t 4 with a journal, in both runs; RRD files keep ${RRD_KEEP:-14 400 3660} days (full, hourly, daily)"
out "# load at the start: $(uptime | sed 's/.*load/load/')"
TK=
for r in $RUNS; do
	case $r in A) run_a ;; B) run_b ;; esac
	out "# load after run $r: $(uptime | sed 's/.*load/load/')"
done
if [ -n "$A_TOTAL" ] && [ -n "$B_TOTAL" ]; then
	out "ratio (pollers + PostgreSQL + rrdcached at $NB) / (SQLite poller + rrdcached at $NA), cpu per device per cycle: $(fcalc "$B_TOTAL / $A_TOTAL" 2) ($B_TOTAL / $A_TOTAL)"
	out "ratio pollers alone: $(fcalc "$B_POLL / $A_POLL" 2) ($B_POLL / $A_POLL)"
fi
[ -n "$TK" ] && out "takeover time: ${TK}s = $(fcalc "$TK / $INTERVAL" 2) intervals"
printf '%s\n' "${OUT[@]}" > "$RESULTS"
say "saved $RESULTS"
