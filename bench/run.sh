#!/usr/bin/env bash
# bench/run.sh -- greenfleetd vs collectd 5.12 (snmp + rrdtool plugins) on the
# same simulated printer fleet, one tool at a time. See bench/README.md.
#
# usage: bench/run.sh [-n "1000 10000"] [-i INTERVAL_S] [-c CYCLES]
#                     [-b PATH_TO_greenfleetd] [-t "collectd greenfleetd ..."]
#                     [-p SNMPD_PROCS] [-m COMMUNITIES] [-r READTHREADS] [-w MAX_WAIT_S]
#                     [-o OID_SET] [-R ROUNDS] [-B BASE_greenfleetd] [-x] [-k]
#   -n  fleet sizes (devices), default "1000 10000"
#   -i  polling interval in seconds, default 20
#   -c  measured cycles after the warm-up cycle, default 3
#   -b  greenfleetd binary, default $GREENFLEETD or ./greenfleetd
#   -t  tools to run (in this order, per size), default "collectd greenfleetd";
#       known: collectd, collectd-cache (rrdtool CacheTimeout, see -x),
#       greenfleetd, greenfleetd-batch (rrd_batch = 3), greenfleetd-rrdcached
#       (updates through an rrdcached started for the run; its CPU is added)
#   -p  snmpd processes in the simulated fleet, default 4
#   -m  communities per UDP port, default 50 (ports = ceil(maxN / m), spread
#       over the snmpd processes; snmpd's per-varbind access check is linear
#       in its number of communities, so keep this small)
#   -r  collectd ReadThreads, default 5
#   -w  max seconds to wait for the first cycle's RRD files, default 900
#   -o  OIDs collectd GETs: "numeric" (default, 10 numeric OIDs, no parse
#       errors) or "mixed" (the 10 printer scalars incl. 5 strings, which
#       collectd logs as an ERROR per string per poll)
#   -R  rounds, default 1: the tools run in turn ROUNDS times per size, so
#       each tool's windows interleave with the others' and the machine's
#       drift hits them alike; ratios are taken round by round (tools run
#       next to each other) and the median is reported
#   -B  a second greenfleetd binary (an older build, say), run as the tool
#       greenfleetd-base right after greenfleetd with the same configuration;
#       ratios greenfleetd/greenfleetd-base are printed round by round, raw
#       and divided by snmpd's CPU in each window (same requests: a measure
#       of how fast the VM was just then)
#   -x  also run both cache variants: collectd-cache (rrdtool CacheTimeout
#       2*INTERVAL, CacheFlush 10*INTERVAL) after collectd and greenfleetd-batch
#       (rrd_batch = 3) after greenfleetd, when those are in -t
#   -k  keep the temp dir (configs, logs, RRD files are deleted otherwise)
set -u
export LC_ALL=C

BENCHDIR=$(cd "$(dirname "$0")" && pwd)
SIZES="1000 10000"
INTERVAL=20
CYCLES=3
GF_BIN=${GREENFLEETD:-./greenfleetd}
TOOLS="collectd greenfleetd"
# greenfleetd refuses root without a configured user.
GF_ROOT=$([ "$(id -u)" = 0 ] && echo --allow-root || true)
NPROCS=4
READTHREADS=5
MAXWAIT=900
OIDSET=numeric
CACHE_VARIANT=0
ROUNDS=1
ROUND=1
KEEP=0
PY=/usr/bin/python3
COLLECTD=/usr/sbin/collectd
SNMPD=/usr/sbin/snmpd

die() { echo "run.sh: $*" >&2; exit 1; }
say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
. "$BENCHDIR/fleet.sh"

COMMS_PER_PORT=50
GF_BASE=
while getopts "n:i:c:b:t:p:m:r:w:o:R:B:xkh" opt; do
	case $opt in
	n) SIZES=$OPTARG ;;
	i) INTERVAL=$OPTARG ;;
	c) CYCLES=$OPTARG ;;
	b) GF_BIN=$OPTARG ;;
	t) TOOLS=$OPTARG ;;
	p) NPROCS=$OPTARG ;;
	m) COMMS_PER_PORT=$OPTARG ;;
	r) READTHREADS=$OPTARG ;;
	w) MAXWAIT=$OPTARG ;;
	o) OIDSET=$OPTARG ;;
	R) ROUNDS=$OPTARG ;;
	B) GF_BASE=$OPTARG ;;
	x) CACHE_VARIANT=1 ;;
	k) KEEP=1 ;;
	h) sed -n '2,/^[^#]/p' "$0" | sed '$d'; exit 0 ;;
	*) die "bad option (see -h)" ;;
	esac
done
for v in "$INTERVAL" "$CYCLES" "$NPROCS" "$COMMS_PER_PORT" "$READTHREADS" "$MAXWAIT" "$ROUNDS"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || die "not a positive integer: $v"
done
for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "bad size: $n"; done
case $OIDSET in numeric|mixed) ;; *) die "-o must be numeric or mixed" ;; esac
case $GF_BIN in /*) ;; *) GF_BIN=$PWD/${GF_BIN#./} ;; esac
case $GF_BASE in /*|"") ;; *) GF_BASE=$PWD/${GF_BASE#./} ;; esac
# -x: each cache variant right after its base tool; drop duplicates
T=()
for t in $TOOLS; do
	case " ${T[*]:-} " in *" $t "*) continue ;; esac
	case $t in
	collectd|collectd-cache|greenfleetd|greenfleetd-batch|greenfleetd-rrdcached|greenfleetd-base) ;;
	*) die "unknown tool $t (see -h)" ;;
	esac
	T+=("$t")
	if [ "$t" = greenfleetd ] && [ -n "$GF_BASE" ]; then
		case " $TOOLS " in *" greenfleetd-base "*) ;; *) T+=(greenfleetd-base) ;; esac
	fi
	if [ "$CACHE_VARIANT" = 1 ]; then
		case $t in
		collectd) case " $TOOLS " in *" collectd-cache "*) ;; *) T+=(collectd-cache) ;; esac ;;
		greenfleetd) case " $TOOLS " in *" greenfleetd-batch "*) ;; *) T+=(greenfleetd-batch) ;; esac ;;
		esac
	fi
done
TOOLS=${T[*]}
GF_BATCH=3		# rrd_batch of greenfleetd-batch
SETTLE=5		# seconds after sync before the first CPU sample
[ "$INTERVAL" -ge 10 ] || echo "run.sh: warning: greenfleetd rejects interval < 10 s" >&2

for b in "$SNMPD" /usr/bin/snmpget /usr/bin/rrdtool "$PY" /usr/bin/time; do
	[ -x "$b" ] || die "missing $b (apt-get install -y snmpd snmp collectd-core rrdtool time)"
done
case " $TOOLS " in *" collectd"*) [ -x "$COLLECTD" ] || die "missing $COLLECTD (apt-get install -y collectd-core)" ;; esac
RRDCACHED=/usr/bin/rrdcached
case " $TOOLS " in *" greenfleetd-rrdcached "*) [ -x "$RRDCACHED" ] || die "missing $RRDCACHED (apt-get install -y rrdcached)" ;; esac

CLK_TCK=$(getconf CLK_TCK)
MAXN=0
for n in $SIZES; do [ "$n" -gt "$MAXN" ] && MAXN=$n; done

# --- open files: every polled device may hold a UDP socket (collectd keeps one
# session per host open for good).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
NOFILE=$(ulimit -n)
if [ "$NOFILE" != unlimited ] && [ "$NOFILE" -lt $((MAXN + 256)) ]; then
	die "ulimit -n is $NOFILE, need >= $((MAXN + 256)) for $MAXN devices"
fi

# --- temp dir and cleanup of everything we start
TMP=$(mktemp -d /tmp/gfbench.XXXXXX) || die "mktemp failed"
PIDS=()
cleanup() {
	local p i
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		local alive=0
		for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.5
	done
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "$KEEP" = 1 ]; then echo "run.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() {	# stop_pid PID: TERM, wait up to 30 s, KILL
	local p=$1 i
	kill -TERM "$p" 2>/dev/null
	for ((i = 0; i < 60; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	local q=() x
	for x in "${PIDS[@]}"; do [ "$x" != "$p" ] && q+=("$x"); done
	PIDS=("${q[@]}")
}

free_port() {
	"$PY" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
count_rrd() { find "$1" -name '*.rrd' -type f 2>/dev/null | wc -l; }
# files whose mtime is within the last $2 seconds
count_fresh() { find "$1" -name '*.rrd' -type f -newermt "@$(( $(date +%s) - $2 ))" 2>/dev/null | wc -l; }
# rrdc_stat SOCKET KEY -> value of KEY in rrdcached's STATS answer (-1 on failure)
rrdc_stat() {
	"$PY" - "$1" "$2" <<'PYEOF' 2>/dev/null || echo -1
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(b"STATS\n")
f = s.makefile("r")
n = int(f.readline().split()[0])
for _ in range(n):
    k, _, v = f.readline().partition(":")
    if k.strip() == sys.argv[2]:
        print(v.strip())
        sys.exit(0)
print(-1)
PYEOF
}

# --- snapshot greenfleetd so that a rebuild during the run cannot change or
# remove it (a libtool wrapper script is used in place)
if [ -x "$GF_BIN" ] && case " $TOOLS " in *" greenfleetd"*) true ;; *) false ;; esac; then
	if head -c 4 "$GF_BIN" | grep -q 'ELF' && cp "$GF_BIN" "$TMP/greenfleetd.bin"; then
		GF_ORIG=$GF_BIN
		GF_BIN=$TMP/greenfleetd.bin
		say "greenfleetd: using a copy of $GF_ORIG ($(md5sum < "$GF_ORIG" | cut -c1-12))"
	fi
fi
if [ -n "$GF_BASE" ]; then
	head -c 4 "$GF_BASE" 2>/dev/null | grep -q 'ELF' && cp "$GF_BASE" "$TMP/greenfleetd-base.bin" ||
		die "-B $GF_BASE: not a greenfleetd binary"
	GF_BASE_ORIG=$GF_BASE
	GF_BASE=$TMP/greenfleetd-base.bin
	say "greenfleetd-base: using a copy of $GF_BASE_ORIG ($(md5sum < "$GF_BASE_ORIG" | cut -c1-12))"
fi

# --- 1. the simulated fleet (bench/fleet.sh)
fleet_start "$MAXN" "$NPROCS" "$COMMS_PER_PORT"

# --- results
mkdir -p "$BENCHDIR/out"
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=$BENCHDIR/out/results-$STAMP.txt
ROWS=()
declare -A CPU RSSMB SNMPD
# CPU[TOOL@N]: one value per round, space-separated
row() { ROWS+=("$(printf '%-6s %-22s %-16s %-7s %-7s %-7s %-15s %s' "$@")"); }
# label NAME: the tool's name in a row, with the round when there are several
label() { [ "$ROUNDS" = 1 ] && echo "$1" || echo "$1 #$ROUND"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME PID DATADIR N [WALL] [FRESH_WINDOW_S] -> appends a row, sets CPU[NAME@N]
# waits for the first cycle's files, one warm-up interval, sync + SETTLE s,
# then CYCLES intervals.
# With AUX_PID set (greenfleetd-rrdcached: the rrdcached process), that
# process's CPU over the same window is measured too: NAME's row is the total
# (used for ratios), followed by one row per process. With RRDC_SOCK set,
# freshness is rrdcached's STATS UpdatesReceived growth (file mtimes do not
# move while rrdcached holds the updates), shown as updates per cycle.
AUX_PID= AUX_NAME= RRDC_SOCK=
measure() {
	local name=$1 pid=$2 dir=$3 n=$4 wall=${5:--} fwin=${6:-$((2 * INTERVAL + 2))} t0 files
	t0=$(date +%s)
	while :; do
		kill -0 "$pid" 2>/dev/null || { say "$name died during the first cycle"; row "$n" "$name" FAILED - "$(count_rrd "$dir")" - - "$wall"; return 1; }
		files=$(count_rrd "$dir")
		[ "$files" -ge "$n" ] && break
		if [ $(( $(date +%s) - t0 )) -ge "$MAXWAIT" ]; then
			say "$name: only $files of $n RRD files after ${MAXWAIT}s, measuring anyway"
			break
		fi
		sleep 2
	done
	say "$name N=$n: $files RRD files after $(( $(date +%s) - t0 ))s; warm-up ${INTERVAL}s"
	sleep "$INTERVAL"
	# Steady state: write back the dirty pages of the files just created
	# (kernel writeback of them would otherwise run inside the window), then
	# let the machine settle.
	local ts=$(now)
	sync
	say "$name N=$n: sync took $(fcalc "$(now) - $ts" 1)s; settling ${SETTLE}s"
	sleep "$SETTLE"
	local a0 a1 s0 s1 w0 w1 x0=0 x1=0 u0=0 u1=0
	w0=$(now); a0=$(ticks "$pid"); s0=$(snmpd_ticks)
	[ -n "$AUX_PID" ] && x0=$(ticks "$AUX_PID")
	[ -n "$RRDC_SOCK" ] && u0=$(rrdc_stat "$RRDC_SOCK" UpdatesReceived)
	sleep $((CYCLES * INTERVAL))
	w1=$(now); a1=$(ticks "$pid"); s1=$(snmpd_ticks)
	[ -n "$AUX_PID" ] && x1=$(ticks "$AUX_PID")
	[ -n "$RRDC_SOCK" ] && u1=$(rrdc_stat "$RRDC_SOCK" UpdatesReceived)
	kill -0 "$pid" 2>/dev/null || { say "$name died during the measurement"; row "$n" "$name" FAILED - "$(count_rrd "$dir")" - - "$wall"; return 1; }
	if [ -n "$AUX_PID" ] && ! kill -0 "$AUX_PID" 2>/dev/null; then
		say "$AUX_NAME died during the measurement"; row "$n" "$name" FAILED - "$(count_rrd "$dir")" - - "$wall"; return 1
	fi
	local cyc cpu gcpu xcpu scpu rss xrss fresh last lu
	cyc=$(fcalc "($w1 - $w0) / $INTERVAL" 4)
	gcpu=$(fcalc "($a1 - $a0) * 1000 / $CLK_TCK / ($n * $cyc)" 4)
	xcpu=$(fcalc "($x1 - $x0) * 1000 / $CLK_TCK / ($n * $cyc)" 4)
	cpu=$(fcalc "($a1 - $a0 + $x1 - $x0) * 1000 / $CLK_TCK / ($n * $cyc)" 4)
	scpu=$(fcalc "($s1 - $s0) * 1000 / $CLK_TCK / ($n * $cyc)" 4)
	rss=$(hwm_mb "$pid")
	files=$(count_rrd "$dir")
	last=$(find "$dir" -name '*.rrd' -type f | head -n 1)
	lu=-
	if [ -n "$RRDC_SOCK" ]; then
		# updates per cycle seen by rrdcached: about N when every device was polled
		fresh=$(fcalc "($u1 - $u0) / $cyc" 0)
		[ "$u0" -lt 0 ] || [ "$u1" -lt 0 ] && fresh=0
		say "$name N=$n: rrdcached UpdatesReceived $u0 -> $u1 (+$((u1 - u0)), expected about $n x $cyc)"
		[ -n "$last" ] && lu=$(rrdtool lastupdate --daemon "$RRDC_SOCK" "$last" 2>/dev/null | awk -F: '/^[0-9]+:/ { print $1 }' | tail -n 1)
	else
		fresh=$(count_fresh "$dir" "$fwin")
		[ -n "$last" ] && lu=$(rrdtool lastupdate "$last" 2>/dev/null | awk -F: '/^[0-9]+:/ { print $1 }' | tail -n 1)
	fi
	[ -n "$last" ] && lu=$(( $(date +%s) - ${lu:-0} ))
	if [ -n "$AUX_PID" ]; then
		xrss=$(hwm_mb "$AUX_PID")
		say "$name N=$n: $((a1 - a0)) + $AUX_NAME $((x1 - x0)) ticks in $cyc cycles -> $gcpu + $xcpu = $cpu ms/dev/cycle; VmHWM $rss + $xrss MB; files $files, updates/cycle: $fresh; $last last update ${lu}s ago; snmpd $scpu ms/dev/cycle"
	else
		say "$name N=$n: $((a1 - a0)) ticks in $cyc cycles -> $cpu ms/dev/cycle; VmHWM $rss MB; files $files, updated within ${fwin}s: $fresh; $last last update ${lu}s ago; snmpd $scpu ms/dev/cycle"
	fi
	if [ -n "$RRDC_SOCK" ]; then
		# allow 5 % for a poll that straddles the window's ends
		[ "$((fresh * 100))" -lt "$((n * 95))" ] && say "WARNING: $name N=$n: rrdcached received only $fresh updates per cycle for $n devices"
	else
		[ "$fresh" -lt "$n" ] && say "WARNING: $name N=$n: only $fresh of $n RRD files were updated recently"
	fi
	CPU[$name@$n]="${CPU[$name@$n]:-}${CPU[$name@$n]:+ }$cpu"
	SNMPD[$name@$n]="${SNMPD[$name@$n]:-}${SNMPD[$name@$n]:+ }$scpu"
	RSSMB[$name@$n]=$rss${xrss:++$xrss}
	row "$n" "$(label "$name")" "$cpu" "$rss${xrss:++$xrss}" "$files" "$fresh" "$scpu" "$wall"
	if [ -n "$AUX_PID" ]; then
		row "" "  .. greenfleetd" "$gcpu" "$rss" - - - -
		row "" "  .. $AUX_NAME" "$xcpu" "$xrss" - - - -
	fi
}

# --- 2. collectd
oid_values() {
	if [ "$OIDSET" = numeric ]; then
		echo '"1.3.6.1.2.1.1.3.0" "1.3.6.1.2.1.25.1.1.0" "1.3.6.1.2.1.25.3.2.1.5.1" "1.3.6.1.2.1.25.3.5.1.1.1" "1.3.6.1.2.1.43.10.2.1.4.1.1" "1.3.6.1.2.1.43.10.2.1.3.1.1" "1.3.6.1.2.1.43.11.1.1.5.1.1" "1.3.6.1.2.1.43.11.1.1.7.1.1" "1.3.6.1.2.1.43.11.1.1.8.1.1" "1.3.6.1.2.1.43.11.1.1.9.1.1"'
	else
		echo '"1.3.6.1.2.1.1.1.0" "1.3.6.1.2.1.1.3.0" "1.3.6.1.2.1.1.5.0" "1.3.6.1.2.1.1.6.0" "1.3.6.1.2.1.25.3.2.1.5.1" "1.3.6.1.2.1.25.3.5.1.1.1" "1.3.6.1.2.1.25.3.5.1.2.1" "1.3.6.1.2.1.43.10.2.1.4.1.1" "1.3.6.1.2.1.43.10.2.1.3.1.1" "1.3.6.1.2.1.43.5.1.1.17.1"'
	fi
}

run_collectd() {	# run_collectd N LABEL RRDTOOL_EXTRA [FRESH_WINDOW_S]
	local n=$1 label=$2 extra=$3 fwin=${4:-} d=$TMP/collectd-$2-$1-r$ROUND i
	mkdir -p "$d/data"
	for ((i = 0; i < n; i++)); do
		printf '  <Host "d%d">\n    Address "127.0.0.1:%s"\n    Version 2\n    Community "c%d"\n    Collect "printer"\n    Timeout 1.5\n    Retries 1\n  </Host>\n' \
			"$i" "${PORTS[i % NPORTS]}" $((i / NPORTS))
	done > "$d/hosts.conf"
	local values
	values=$(oid_values)
	awk -v hosts="$d/hosts.conf" -v basedir="$d" -v benchdir="$BENCHDIR" \
	    -v interval="$INTERVAL" -v rt="$READTHREADS" -v datadir="$d/data" \
	    -v logfile="$d/collectd.log" -v values="$values" -v extra="$extra" '
		/^@HOSTS@$/ { while ((getline l < hosts) > 0) print l; next }
		/^@RRDTOOL_EXTRA@$/ { print extra; next }
		{ gsub(/@BASEDIR@/, basedir); gsub(/@BENCHDIR@/, benchdir)
		  gsub(/@INTERVAL@/, interval); gsub(/@READTHREADS@/, rt)
		  gsub(/@DATADIR@/, datadir); gsub(/@LOGFILE@/, logfile)
		  gsub(/@VALUES@/, values); print }' \
		"$BENCHDIR/collectd.conf.in" > "$d/collectd.conf"
	"$COLLECTD" -t -C "$d/collectd.conf" > "$d/configtest.log" 2>&1 ||
		{ cat "$d/configtest.log" >&2; say "collectd config test failed"; return 1; }
	say "collectd ($label) N=$n: starting"
	"$COLLECTD" -f -C "$d/collectd.conf" </dev/null >"$d/stdout.log" 2>&1 &
	local pid=$!
	PIDS+=($pid)
	measure "$label" "$pid" "$d/data" "$n" - $fwin
	local rc=$?
	local errs
	errs=$(grep -c '\[error\]' "$d/collectd.log" 2>/dev/null)
	[ "${errs:-0}" -gt 0 ] && say "collectd ($label) logged $errs errors, e.g.: $(grep '\[error\]' "$d/collectd.log" | head -n 1)"
	stop_pid "$pid"
	[ "$KEEP" = 1 ] || rm -rf "$d/data"
	return $rc
}

# --- 3. greenfleetd
gf_conf() {	# gf_conf N DATADIR FILE [EXTRA_LINES]
	local n=$1 dd=$2 f=$3 extra=${4:-} i
	{
		echo "data_dir = \"$dd\";"
		[ -n "$extra" ] && echo "$extra"
		echo "interval = $INTERVAL;"
		echo "timeout_ms = 1500;"
		echo "retries = 1;"
		echo "concurrency = 256;"
		echo 'departments = ( { id = "bench"; name = "Bench"; } );'
		echo "devices = ("
		for ((i = 0; i < n; i++)); do
			printf '  { id = "d%d"; host = "127.0.0.1"; port = %s; kind = "printer"; department = "bench"; snmp = { version = "2c"; community = "c%d"; }; }%s\n' \
				"$i" "${PORTS[i % NPORTS]}" $((i / NPORTS)) "$([ $i -lt $((n - 1)) ] && echo ,)"
		done
		echo ");"
	} > "$f"
	chmod 600 "$f"
}

gf_once() {	# gf_once CONF LOG -> "wall user sys maxrss_kb rc"
	local conf=$1 log=$2 tf=$2.time limit=$((MAXWAIT + 60)) pid rc
	timeout -k 5 "$limit" /usr/bin/time -f '%e %U %S %M' -o "$tf" \
		"$GF_BIN" -c "$conf" --once $GF_ROOT </dev/null >"$log" 2>&1 &
	pid=$!
	PIDS+=($pid)
	wait "$pid"; rc=$?
	local q=() x
	for x in "${PIDS[@]}"; do [ "$x" != "$pid" ] && q+=("$x"); done
	PIDS=("${q[@]}")
	echo "$(tail -n 1 "$tf" 2>/dev/null || echo '? ? ? ?') $rc"
}

run_greenfleetd() {	# run_greenfleetd N VARIANT (greenfleetd, greenfleetd-batch, greenfleetd-rrdcached)
	local n=$1 name=$2 d=$TMP/$2-$1-r$ROUND extra= w="-" rc_pid= sock= bin=$GF_BIN
	mkdir -p "$d"
	[ "$name" = greenfleetd-base ] && bin=$GF_BASE
	case $name in
	greenfleetd-batch) extra="rrd_batch = $GF_BATCH;" ;;
	greenfleetd-rrdcached) sock=$d/rrdcached.sock; extra="rrdcached = \"unix:$sock\";" ;;
	esac
	if [ "$name" = greenfleetd ] && [ "$ROUND" = 1 ]; then
		# one-shot cycles: fresh data_dir (includes RRD creation), then steady state
		gf_conf "$n" "$d/once-data" "$d/once.conf"
		local first second
		first=$(gf_once "$d/once.conf" "$d/once-first.log")
		say "greenfleetd --once N=$n, fresh data_dir: wall/user/sys/maxrss_kb/rc = $first; $(count_rrd "$d/once-data") RRD files"
		second=$(gf_once "$d/once.conf" "$d/once-second.log")
		say "greenfleetd --once N=$n, existing data_dir: wall/user/sys/maxrss_kb/rc = $second"
		set -- $first; local w1=$1 rc1=$5
		set -- $second; local w2=$1 rc2=$5
		[ "$rc1" = 0 ] || say "WARNING: first --once exited $rc1: $(tail -n 3 "$d/once-first.log" | tr '\n' ' ')"
		[ "$rc2" = 0 ] || say "WARNING: second --once exited $rc2: $(tail -n 3 "$d/once-second.log" | tr '\n' ' ')"
		[ "$KEEP" = 1 ] || rm -rf "$d/once-data"
		w="$w2 (first $w1)"
	fi

	# daemon, fresh data_dir like collectd
	gf_conf "$n" "$d/data" "$d/greenfleet.conf" "$extra"
	if [ -n "$sock" ]; then
		# greenfleetd writes DATA_DIR/rrd/ID.rrd: rrdcached's base dir must exist first.
		# -w 3600 -f 7200: it holds every update during the whole run.
		mkdir -p "$d/data/rrd"
		"$RRDCACHED" -g -l "unix:$sock" -b "$d/data/rrd" -B -w 3600 -f 7200 -z 1 -F \
			-p "$d/rrdcached.pid" </dev/null >"$d/rrdcached.log" 2>&1 &
		rc_pid=$!
		PIDS+=($rc_pid)
		local i
		for ((i = 0; i < 40; i++)); do [ -S "$sock" ] && break; sleep 0.25; done
		if [ ! -S "$sock" ] || [ "$(rrdc_stat "$sock" UpdatesReceived)" -lt 0 ]; then
			say "rrdcached did not start: $(tail -n 3 "$d/rrdcached.log" | tr '\n' ' ')"
			row "$n" "$name" FAILED - - - - -
			stop_pid "$rc_pid"
			return 1
		fi
		say "rrdcached: pid $rc_pid, unix:$sock, base $d/data/rrd"
	fi
	say "$name N=$n: starting"
	"$bin" -c "$d/greenfleet.conf" -f $GF_ROOT </dev/null >"$d/greenfleetd.log" 2>&1 &
	local pid=$!
	PIDS+=($pid)
	local fwin=
	[ "$name" = greenfleetd-batch ] && fwin=$(( (GF_BATCH + 1) * INTERVAL + 2 ))	# each file written every GF_BATCH intervals
	AUX_PID=$rc_pid AUX_NAME=${rc_pid:+rrdcached} RRDC_SOCK=$sock
	measure "$name" "$pid" "$d/data" "$n" "$w" $fwin
	local rc=$?
	AUX_PID= AUX_NAME= RRDC_SOCK=
	stop_pid "$pid"
	[ $rc = 0 ] || { say "$name log tail:"; tail -n 5 "$d/greenfleetd.log" >&2; }
	local warns
	warns=$(grep -cE '\[(error|warning)\]' "$d/greenfleetd.log")
	[ "${warns:-0}" -gt 0 ] && say "$name logged $warns warnings/errors, e.g.: $(grep -E '\[(error|warning)\]' "$d/greenfleetd.log" | head -n 1)"
	say "$name: $(grep -E 'stopped:' "$d/greenfleetd.log" | tail -n 1)"
	if [ -n "$rc_pid" ]; then
		say "rrdcached stats at the end: UpdatesReceived $(rrdc_stat "$sock" UpdatesReceived), DataSetsWritten $(rrdc_stat "$sock" DataSetsWritten), UpdatesWritten $(rrdc_stat "$sock" UpdatesWritten)"
		stop_pid "$rc_pid"
		grep -iE 'error|fail' "$d/rrdcached.log" | head -n 3 | while read -r l; do say "rrdcached log: $l"; done
	fi
	[ "$KEEP" = 1 ] || rm -rf "$d/data"
	return $rc
}

# --- 4. one tool at a time, the list ROUNDS times per size
for n in $SIZES; do
    for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
	for tool in $TOOLS; do
		case $tool in
		collectd) run_collectd "$n" collectd "" ;;
		collectd-cache)
			# each RRD file is written about every 2 intervals
			run_collectd "$n" collectd-cache "  CacheTimeout $((2 * INTERVAL))
  CacheFlush $((10 * INTERVAL))" $((4 * INTERVAL + 2)) ;;
		greenfleetd*)
			if [ ! -x "$GF_BIN" ]; then
				say "$tool: $GF_BIN not found or not executable, skipped (use -b or \$GREENFLEETD)"
				row "$n" "$tool" "skipped" - - - - -
			else
				run_greenfleetd "$n" "$tool"
			fi ;;
		esac
	done
    done
done

# --- 5. report
{
	echo "# greenfleet bench $(date -Is) on $(uname -n): $(nproc) cores, $(uname -r)"
	echo "# interval ${INTERVAL}s, $CYCLES measured cycles after 1 warm-up, $ROUNDS round(s); fleet: $NPROCS snmpd, $NPORTS ports on 127.0.0.1, $COMMS communities each"
	echo "# collectd $($COLLECTD -h 2>&1 | awk '/^collectd [0-9]/ { sub(/,$/, "", $2); print $2; exit }'): ReadThreads $READTHREADS, OIDs $OIDSET, 1 <Data> of 10 values/host"
	[ -x "$GF_BIN" ] && echo "# greenfleetd: ${GF_ORIG:-$GF_BIN}$([ -n "${GF_ORIG:-}" ] && echo " (md5 $(md5sum < "$GF_BIN" | cut -c1-12))")"
	[ -n "$GF_BASE" ] && echo "# greenfleetd-base: $GF_BASE_ORIG (md5 $(md5sum < "$GF_BASE" | cut -c1-12))"
	echo "# tools: $TOOLS; sync + ${SETTLE}s settle before the window; greenfleetd-batch: rrd_batch = $GF_BATCH"
	echo "# cpu = process utime+stime per device per cycle (ms; greenfleetd-rrdcached: greenfleetd + rrdcached, split below it); rss = VmHWM (MB)"
	echo "# fresh = RRD files updated in the last 2 intervals (collectd-cache: 4 intervals, greenfleetd-batch: $((GF_BATCH + 1)); greenfleetd-rrdcached: updates rrdcached received per cycle)"
	echo "# snmpd_ms = all snmpd processes' CPU per device per cycle; cycle_wall_s = greenfleetd --once steady state (first = fresh data_dir)"
	printf '%-6s %-22s %-16s %-7s %-7s %-7s %-15s %s\n' size tool cpu_ms/dev/cycle rss_MB files fresh snmpd_ms cycle_wall_s
	for r in "${ROWS[@]}"; do echo "$r"; done
	if [ "$ROUNDS" -gt 1 ]; then
		for n in $SIZES; do
			for t in $TOOLS; do
				[ -n "${CPU[$t@$n]:-}" ] && echo "median $t cpu at $n: $(median ${CPU[$t@$n]}) (rounds: ${CPU[$t@$n]})"
			done
		done
	fi
	for n in $SIZES; do
		for g in greenfleetd greenfleetd-batch greenfleetd-rrdcached greenfleetd-base; do
			[ -n "${CPU[$g@$n]:-}" ] || continue
			for c in collectd collectd-cache greenfleetd-base; do
				[ -n "${CPU[$c@$n]:-}" ] && [ "$c" != "$g" ] || continue
				# round by round: the two ran next to each other
				read -r -a gv <<<"${CPU[$g@$n]}"
				read -r -a cv <<<"${CPU[$c@$n]}"
				rs=()
				for ((i = 0; i < ${#gv[@]} && i < ${#cv[@]}; i++)); do rs+=("$(fcalc "${gv[i]} / ${cv[i]}" 2)"); done
				if [ "${#rs[@]}" = 1 ]; then
					echo "ratio $g/$c cpu at $n: ${rs[0]}"
				else
					echo "ratio $g/$c cpu at $n: median $(median "${rs[@]}") (rounds: ${rs[*]})"
				fi
				# Two greenfleetd builds send snmpd the same requests: its CPU for them
				# measures how fast the VM was in each window, so divide by it.
				[ "$g" = greenfleetd ] && [ "$c" = greenfleetd-base ] || continue
				read -r -a gs <<<"${SNMPD[$g@$n]}"
				read -r -a cs <<<"${SNMPD[$c@$n]}"
				rs=()
				for ((i = 0; i < ${#gv[@]} && i < ${#cv[@]} && i < ${#gs[@]} && i < ${#cs[@]}; i++)); do
					rs+=("$(fcalc "(${gs[i]} > 0 && ${cs[i]} > 0 && ${cv[i]} > 0) ? (${gv[i]} / ${gs[i]}) / (${cv[i]} / ${cs[i]}) : 0" 2)")
				done
				[ "${#rs[@]}" -gt 0 ] &&
					echo "ratio $g/$c cpu per snmpd cpu at $n: median $(median "${rs[@]}") (rounds: ${rs[*]})"
			done
		done
	done
	set -- $SIZES
	if [ $# -ge 2 ]; then
		lo=$1; hi=${!#}
		for t in $TOOLS; do
			a=; b=
			[ -n "${CPU[$t@$lo]:-}" ] && a=$(median ${CPU[$t@$lo]})
			[ -n "${CPU[$t@$hi]:-}" ] && b=$(median ${CPU[$t@$hi]})
			[ -n "$a" ] && [ -n "$b" ] &&
				echo "linearity $t: cpu/dev/cycle at $hi vs $lo: $(fcalc "$b / $a" 2) (1.00 = linear in N)"
		done
	fi
} | { mkdir -p "$BENCHDIR/out"; tee "$RESULTS"; }
say "saved $RESULTS"
