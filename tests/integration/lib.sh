# Shared helpers for integration tests: real processes on loopback, cleaned up by trap.
# Source it from a test; it sets up $T (a temp dir) and cleanup on exit.
# Exit codes: 0 pass, 1 fail, 77 skip (only for a missing optional tool), 99 hard error.

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
GREENFLEETD="$top_builddir/greenfleetd"
GREENFLEET="$top_builddir/greenfleet"
DATA="$top_srcdir/tests/data"
PY=/usr/bin/python3
# Valgrind or another wrapper for the daemon, e.g. GF_WRAP="valgrind --error-exitcode=3".
GF_WRAP="${GF_WRAP:-}"
# faketime preloads its library ahead of ASan's runtime: tell ASan that is fine.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"
	export ASAN_OPTIONS
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/gftest.XXXXXX")
chmod 755 "$T"
# greenfleetd refuses root without a configured user; tests run as root say they mean it
# (exec keeps the pid, so signals and pidfiles still name the daemon itself).
if [ "$(id -u)" = 0 ]; then
	printf '#!/bin/sh\nexec "%s" --allow-root "$@"\n' "$GREENFLEETD" >"$T/greenfleetd"
	chmod 755 "$T/greenfleetd"
	GREENFLEETD=$T/greenfleetd
fi
PIDS=""
FAILS=0
CHECKS=0

# Safe under set -e (the demo sources this file): a process already gone is not an error.
cleanup() {
	stop_postgres
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null || true
	done
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 99' INT TERM

need() {
	for t in "$@"; do
		# "state": the client state_sql needs for the state store in use.
		[ "$t" = state ] && t=sqlite3 && [ "${STORE_BACKEND:-sqlite}" = pg ] && t=psql
		if [ "$t" = faketime ]; then
			[ -n "$(faketime_lib)" ] || { echo "SKIP: libfaketime.so.1 not found (faketime)"; exit 77; }
			continue
		fi
		command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t is not installed"; exit 77; }
	done
}

faketime_lib() { ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -1; }

# faketime -f "@YYYY-MM-DD HH:MM:SS" CMD...: CMD with libfaketime preloaded directly.
# Debian's faketime wrapper keeps a semaphore and shared memory per PID in /dev/shm
# and fails ("sem_open: File exists") when a PID comes round again.
faketime() {
	[ "$1" = -f ] || { echo "faketime: only -f SPEC here"; exit 99; }
	_spec=$2
	shift 2
	LD_PRELOAD=$(faketime_lib) FAKETIME=$_spec FAKETIME_DONT_RESET=1 "$@"
}

# The state store the daemon under test writes: the SQLite file named by the
# config's `store` key, $T/data/state.db by default (data_dir/state.db). A script
# with another data_dir or store sets GF_STATE. With STORE_BACKEND=pg, write_conf
# starts a PostgreSQL server of the test's own and names it in `store`.
GF_STATE=${GF_STATE:-$T/data/state.db}

# state_sql [-s SEP] QUERY: prints the rows of QUERY on the state store, columns
# separated by SEP ('|' by default). The one place tests read state: with
# STORE_BACKEND=pg it asks PostgreSQL, and every script runs against it unchanged.
state_sql() {
	_sep='|'
	if [ "$1" = -s ]; then
		_sep=$2
		shift 2
	fi
	if [ "${STORE_BACKEND:-sqlite}" = pg ]; then
		pg_sql gf -F "$_sep" -c "$1"
		return
	fi
	sqlite3 -separator "$_sep" "$GF_STATE" "$1"
}

# The newest PostgreSQL server installed (Debian: postgresql), and how to run it:
# initdb refuses root, so as root (CI) the server runs as the postgres user.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PGDIR=""
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# pg_sql DB PSQL-ARGS...: psql on the test's server, rows unaligned, no header.
pg_sql() {
	_db=$1
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGDIR" -p "$PGPORT" -U gf -d "$_db" "$@"
}

# start_postgres: a PostgreSQL server of the test's own in $T/pg (initdb, pg_ctl),
# listening on a unix socket there only (a free port number names it), with an
# empty database gf owned by user gf (trust: nothing listens on TCP). Sets PGDIR,
# PGPORT and PG_STORE, the `store` value naming it; stopped and removed at exit.
# Skips only when PostgreSQL's programs are missing.
start_postgres() {
	[ -n "$PGDIR" ] && return 0
	[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] ||
		{ echo "SKIP: PostgreSQL is not installed (postgresql)"; exit 77; }
	command -v psql >/dev/null 2>&1 || { echo "SKIP: psql is not installed (postgresql-client)"; exit 77; }
	PGDIR=$T/pg
	PGPORT=$(free_port tcp)
	mkdir -p "$PGDIR"
	[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
	pg_as "$PG_BIN/initdb" -D "$PGDIR/db" -A trust -U gf >"$PGDIR/initdb.log" 2>&1 ||
		{ cat "$PGDIR/initdb.log"; exit 99; }
	pg_start
	pg_sql postgres -c "create database gf" || exit 99
	# SQLite's group_concat, for the scripts' queries (greenfleet itself never uses it).
	pg_sql gf -c "create function gc_step(text, anyelement, text) returns text immutable
		language sql as 'select case when \$1 is null then \$2::text else \$1 || \$3 || \$2::text end';
		create aggregate group_concat(anyelement, text) (sfunc = gc_step, stype = text);
		create function gc_step(text, anyelement) returns text immutable
		language sql as 'select gc_step(\$1, \$2, '','')';
		create aggregate group_concat(anyelement) (sfunc = gc_step, stype = text);" || exit 99
	PG_STORE="postgresql:///gf?host=$PGDIR&port=$PGPORT&user=gf"
}

# pg_start, pg_stop: the test's server, started again or stopped (fast: sessions are cut).
pg_start() {
	pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/db" -l "$PGDIR/log" -w -t 30 \
		-o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c fsync=off" start >/dev/null ||
		{ echo "PostgreSQL did not start"; cat "$PGDIR/log"; exit 99; }
}
pg_stop() { pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/db" -m fast -w stop >/dev/null; }
stop_postgres() {
	[ -n "$PGDIR" ] && [ -f "$PGDIR/db/postmaster.pid" ] &&
		pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/db" -m immediate -w stop >/dev/null 2>&1
	return 0
}

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# check DESCRIPTION EXPECTED ACTUAL
check() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then echo "ok - $1 ($3)"; else fail "$1: expected '$2', got '$3'"; fi
}

# check_match DESCRIPTION REGEX TEXT
check_match() {
	CHECKS=$((CHECKS + 1))
	if printf '%s' "$3" | grep -Eq -- "$2"; then echo "ok - $1"; else fail "$1: /$2/ not in: $3"; fi
}

finish() {
	echo "$((CHECKS - FAILS)) passed, $FAILS failed"
	[ "$FAILS" -eq 0 ] && [ "$CHECKS" -gt 0 ]
	exit $?
}

# A free UDP (default) or TCP port on 127.0.0.1.
free_port() {
	$PY - "${1:-udp}" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
PY
}

# wait_for CMD...: retries a command for up to 10 s.
wait_for() {
	for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}

# start_snmpsim NAME...: serves tests/data/NAME.snmprec as community NAME; sets SIM_PORT.
# A recording the test already wrote as $T/sim/NAME.snmprec is served as it is.
start_snmpsim() {
	need snmpsimd snmpget
	mkdir -p "$T/sim" "$T/simcache"
	for n in "$@"; do [ -f "$T/sim/$n.snmprec" ] || cp "$DATA/$n.snmprec" "$T/sim/"; done
	chmod -R a+rX "$T/sim"
	chmod 777 "$T/simcache"
	SIM_PORT=$(free_port)
	# snmpsim refuses to run as root unless told which user to become.
	SIM_USER=""
	[ "$(id -u)" -eq 0 ] && SIM_USER="--process-user=nobody --process-group=nogroup"
	/usr/bin/snmpsimd --data-dir="$T/sim" --cache-dir="$T/simcache" --v2c-arch \
		--agent-udpv4-endpoint=127.0.0.1:$SIM_PORT \
		$SIM_USER --logging-method=null \
		>"$T/snmpsim.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for snmpget -v2c -c "$1" -t 0.3 -r 0 127.0.0.1:$SIM_PORT 1.3.6.1.2.1.1.1.0 ||
		{ echo "snmpsim did not start"; cat "$T/snmpsim.log"; exit 99; }
}

# start_snmpd [EXTRA_CONF_LINES]: this machine's own agent on a free port; sets SNMPD_PORT.
start_snmpd() {
	need snmpd snmpget
	SNMPD_PORT=$(free_port)
	mkdir -p "$T/snmpd-persist"
	{
		echo "rocommunity public 127.0.0.1"
		printf '%s\n' "${1:-}"
	} >"$T/snmpd.conf"
	MIBS= SNMP_PERSISTENT_DIR="$T/snmpd-persist" snmpd -f -C -c "$T/snmpd.conf" \
		-Lf "$T/snmpd.log" -I -smux udp:127.0.0.1:$SNMPD_PORT &
	PIDS="$PIDS $!"
	wait_for snmpget -v2c -c public -t 0.3 -r 0 127.0.0.1:$SNMPD_PORT 1.3.6.1.2.1.1.1.0 ||
		{ echo "snmpd did not start"; cat "$T/snmpd.log"; exit 99; }
}

# write_conf FILE BODY: a config with data_dir in $T/data and two departments.
# DEPARTMENTS replaces the two default departments (the entries, without the parentheses).
DEFAULT_DEPARTMENTS='  { id = "urbanisme"; name = "Urbanisme"; head = "chef.urbanisme@mairie.example"; },
  { id = "etat-civil"; name = "État civil"; head = "chef.etatcivil@mairie.example"; }'
write_conf() {
	_store=""	# on data_dir's line: the tests' FILE:LINE numbers stay the same
	if [ "${STORE_BACKEND:-sqlite}" = pg ]; then
		start_postgres
		_store="store = \"$PG_STORE\";"
	fi
	cat >"$1" <<CONF
data_dir = "$T/data"; $_store
profiles_dir = "${PROFILES_DIR:-$top_srcdir/conf/profiles.d}";
mail_dir = "$top_srcdir/conf/mail";
interval = ${INTERVAL:-60};
timeout_ms = ${TIMEOUT_MS:-1000};
retries = ${RETRIES:-1};
concurrency = ${CONCURRENCY:-16};
departments = (
${DEPARTMENTS:-$DEFAULT_DEPARTMENTS}
);
$2
CONF
	chmod 600 "$1"
}

# device ID KIND HOST PORT COMMUNITY [DEPT]: one v2c device entry.
device() {
	printf '  { id = "%s"; kind = "%s"; host = "%s"; port = %s; department = "%s";\n    snmp = { version = "2c"; community = "%s"; }; }' \
		"$1" "$2" "$3" "$4" "${6:-urbanisme}" "$5"
}

# printer_devices NAME...: one printer entry per recording served by start_snmpsim (its
# name is the device id and the community), comma-separated, for a `devices = ( ... );` list.
printer_devices() {
	_sep=""
	for _n in "$@"; do
		printf '%s%s' "$_sep" "$(device "$_n" printer 127.0.0.1 "$SIM_PORT" "$_n")"
		_sep=",
"
	done
}

# status_field ID COLUMN: a column of `greenfleet status --format tsv` for one device.
# Columns: 1 id, 2 kind, 3 department, 4 last poll, 5 state, 6 pages, 7 uptime s, 8 description,
# 9 serial number, 10 where it was read (printer-mib, entity-mib, profile:NAME).
status_field() {
	"$GREENFLEET" -c "$CONF" status --format tsv | awk -F '\t' -v id="$1" -v c="$2" '$1 == id { print $c }'
}

# rrd_last FILE DS: the last value given to data source DS.
rrd_last() {
	rrdtool lastupdate "$1" | awk -v ds="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == ds) col = i }
		NR == 3 { print $(col + 1) }'
}

# set_rec FILE OID VALUE...: rewrites a served recording as snmpsim wants it: a temp
# file renamed into place, its mtime strictly later than any before (snmpsim compares
# whole seconds and rebuilds its index only when the text is not older than the index).
SET_REC_MTIME=$(( $(date +%s) + 2 ))
set_rec() {
	_f=$1
	shift
	cp "$_f" "$T/rec.tmp"
	while [ $# -ge 2 ]; do
		awk -F '|' -v OFS='|' -v oid="$1" -v val="$2" '$1 == oid { $3 = val; n++ } { print }
			END { if (n != 1) exit 1 }' "$T/rec.tmp" >"$T/rec.tmp2" ||
			{ echo "set_rec: no $1 in $_f"; exit 99; }
		mv "$T/rec.tmp2" "$T/rec.tmp"
		shift 2
	done
	_now=$(( $(date +%s) + 2 ))
	SET_REC_MTIME=$(( SET_REC_MTIME + 1 > _now ? SET_REC_MTIME + 1 : _now ))
	touch -d "@$SET_REC_MTIME" "$T/rec.tmp"
	chmod a+r "$T/rec.tmp"
	mv "$T/rec.tmp" "$_f"
}

# start_smtp [PORT]: a real SMTP server (aiosmtpd) writing every message to the
# maildir $MAILDIR; sets SMTP_PORT and SMTP_PID. Skips when aiosmtpd is missing.
smtp_up() {
	$PY - "$1" <<'PY'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    sys.exit(0 if s.recv(100).startswith(b"220") else 1)
except OSError:
    sys.exit(1)
PY
}
start_smtp() {
	$PY -c 'import aiosmtpd' 2>/dev/null || { echo "SKIP: python3-aiosmtpd is not installed"; exit 77; }
	SMTP_PORT=${1:-${SMTP_PORT:-$(free_port tcp)}}
	MAILDIR=$T/maildir
	mkdir -p "$MAILDIR/tmp" "$MAILDIR/new" "$MAILDIR/cur"
	$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
		>>"$T/smtpd.log" 2>&1 &
	SMTP_PID=$!
	PIDS="$PIDS $SMTP_PID"
	wait_for smtp_up "$SMTP_PORT" || { echo "aiosmtpd did not start"; cat "$T/smtpd.log"; exit 99; }
}
stop_smtp() {
	kill "$SMTP_PID" 2>/dev/null
	wait "$SMTP_PID" 2>/dev/null || true
}

# mails: one line per delivered message, oldest first: "To|Cc|decoded Subject|Message-ID".
mails() {
	$PY - "$MAILDIR" <<'PY'
import email, email.policy, glob, os, sys
files = sorted(glob.glob(sys.argv[1] + "/new/*") + glob.glob(sys.argv[1] + "/cur/*"),
               key=os.path.getmtime)
for f in files:
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    print("%s|%s|%s|%s" % (m["To"], m["Cc"] or "", m["Subject"], m["Message-ID"]))
PY
}

# fake_bg 'YYYY-MM-DD HH:MM:SS' CMD...: starts CMD in the background with its clock
# starting at that time (libfaketime preloaded directly, so $! is CMD itself: the
# faketime wrapper forks, and killing it would leave CMD running). Sets BG_PID.
fake_bg() {
	_when=$1
	shift
	LD_PRELOAD=$(faketime_lib) FAKETIME="@$_when" FAKETIME_DONT_RESET=1 "$@" &
	BG_PID=$!
	PIDS="$PIDS $BG_PID"
}

# start_web CONF [ARGS...]: greenfleet-web -f on CONF (whose web.listen is 127.0.0.1:$WEB_PORT),
# waiting until it answers /healthz at all; sets WEB_PID, logs to $T/web.log.
GREENFLEET_WEB="$top_builddir/greenfleet-web"
start_web() {
	need curl
	_conf=$1
	shift
	_root=""
	[ "$(id -u)" = 0 ] && _root=--allow-root
	$GF_WRAP "$GREENFLEET_WEB" -f $_root -c "$_conf" "$@" 2>>"$T/web.log" &
	WEB_PID=$!
	PIDS="$PIDS $WEB_PID"
	wait_for curl -s -k -o /dev/null "${WEB_SCHEME:-http}://127.0.0.1:$WEB_PORT/healthz" ||
		{ echo "greenfleet-web did not start"; cat "$T/web.log"; exit 99; }
}

# http_code PATH [CURL ARGS...]: the status of one request to the web process started last.
http_code() {
	_p=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' "$@" "${WEB_SCHEME:-http}://127.0.0.1:$WEB_PORT$_p"
}

# Chromium (headless) for the web tests: needs $base, the web process's URL.
# browse NAME PATH [WIDTH,HEIGHT]: Chromium loads PATH once: its DOM in $T/NAME.html, a
# screenshot in $T/NAME.png, its network log in $T/NAME.net.json. Names other than
# 127.0.0.1 resolve to nothing, so a request elsewhere would fail, and shows in the log.
browse() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chrome-$1" --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-default-apps \
		--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
		--lang=en-GB --accept-lang=en-GB --window-size="${3:-1280,900}" \
		--log-net-log="$T/$1.net.json" --screenshot="$T/$1.png" \
		--dump-dom "$base$2" >"$T/$1.html" 2>>"$T/chromium.log" ||
		fail "chromium on $2"
	[ -n "${WEB_SHOTS:-}" ] && mkdir -p "$WEB_SHOTS" && cp "$T/$1.png" "$WEB_SHOTS/"
	tr '\n' ' ' <"$T/$1.html" >"$T/$1.flat"
}

# png_size FILE: "WIDTHxHEIGHT" of a PNG.
png_size() {
	$PY -c 'import struct,sys; b=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", b[16:24]) if b[:4] == b"\x89PNG" else "none")' "$1"
}

# start_snmpsim_net ADDR=NAME...: one snmpsim process answering as a simulated network: each
# loopback ADDR serves tests/data/NAME.snmprec (community public) on port $SIM_PORT (chosen
# once, kept across restarts); other addresses stay silent. Sets SIMNET_PID. Call again
# (after stop_snmpsim_net) with another map to move devices.
start_snmpsim_net() {
	need snmpsimd snmpget
	rm -rf "$T/simnet" "$T/simnetcache"
	mkdir -p "$T/simnet/public" "$T/simnetcache"
	: "${SIM_PORT:=$(free_port)}"
	_k=0
	_eps=""
	for _m in "$@"; do
		cp "$DATA/${_m#*=}.snmprec" "$T/simnet/public/1.3.6.1.6.1.1.$_k.snmprec"
		_eps="$_eps --agent-udpv4-endpoint=${_m%%=*}:$SIM_PORT"
		_k=$((_k + 1))
	done
	chmod -R a+rX "$T/simnet"
	chmod 777 "$T/simnetcache"
	SIM_USER=""
	[ "$(id -u)" -eq 0 ] && SIM_USER="--process-user=nobody --process-group=nogroup"
	# shellcheck disable=SC2086
	/usr/bin/snmpsimd --data-dir="$T/simnet" --cache-dir="$T/simnetcache" --v2c-arch $_eps \
		$SIM_USER --logging-method=null >"$T/snmpsim-net.log" 2>&1 &
	SIMNET_PID=$!
	PIDS="$PIDS $SIMNET_PID"
	_last=$(eval "echo \${$#}")
	wait_for snmpget -v2c -c public -t 0.3 -r 0 "${_last%%=*}:$SIM_PORT" 1.3.6.1.2.1.1.1.0 ||
		{ echo "snmpsim did not start"; cat "$T/snmpsim-net.log"; exit 99; }
}

stop_snmpsim_net() {
	kill "$SIMNET_PID" 2>/dev/null
	wait "$SIMNET_PID" 2>/dev/null
}
