#!/bin/sh
# Three pollers, one PostgreSQL store, 300 simulated printers, two months of
# printing in six steps: the ledger equals the scenario's truth to the page,
# whatever happens in between. The run kills the leader with -9 mid-step (its
# devices are polled again by the others within two intervals, one of them
# leads), starts it again (the fleet is shared out anew while pages move),
# restarts PostgreSQL mid-step (the pollers say so once, reconnect and lose no
# page), and crosses a month (libfaketime: the pollers' clocks jump from
# November to December between two steps, together). Every quota threshold
# the truth crosses is judged once and its notice delivered once through a
# real SMTP server (aiosmtpd); thresholds not crossed send nothing.
. "$(dirname "$0")/lib.sh"
need faketime psql snmpsimd snmpget

export TZ=Europe/Paris
N=300
INTERVAL=10 TIMEOUT_MS=1000 RETRIES=1
# Enough polls in flight that the devices a survivor takes over all start at once.
CONCURRENCY=64
STORE_BACKEND=pg
export STORE_BACKEND
start_smtp

# The scenario (deterministic): devices d001..d300 in three departments of 100,
# odd ones mono (Printer-MIB life count), even ones colour (Xerox total, mono,
# colour). Each step ("a day") every department prints its planned pages, split
# over its devices; quotas are 10000 mono and 1000 colour pages a month.
cat >"$T/fleet.py" <<'PY'
import os, random, sys

N, Q_MONO, Q_COLOUR, THRESHOLDS = 300, 10000, 1000, (80, 100)
DEPTS = ("nord", "sud", "est")
MONTHS = ("2026-11", "2026-11", "2026-11", "2026-12", "2026-12", "2026-12")
# Each department's mono pages used in the month after each step: the steps that
# cross a threshold cross one only (one notice each), some land on it exactly.
PLAN = {"nord": (4500, 8500, 10200, 3000, 6000, 7000),
        "sud": (3000, 5500, 8100, 5000, 8000, 10000),
        "est": (2000, 4000, 7999, 8500, 9900, 15000)}
LIFE = "1.3.6.1.2.1.43.10.2.1.4.1.1"
X_TOTAL, X_COLOUR, X_MONO = ("1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.%d" % k for k in (1, 33, 34))

def dev(i): return "d%03d" % i
def dept(i): return DEPTS[(i - 1) // 100]
def colour(i): return i % 2 == 0

def steps():
    """inc[k][i] = (mono, colour) pages device i prints in step k (1-based)."""
    rnd = random.Random(23)
    inc = [None]
    for k in range(6):
        row = {}
        for d, plan in PLAN.items():
            first = k == 0 or MONTHS[k] != MONTHS[k - 1]
            D = plan[k] - (0 if first else plan[k - 1])
            ids = [i for i in range(1, N + 1) if dept(i) == d]
            w = [rnd.randint(1, 9) for _ in ids]
            m = [D * x // sum(w) for x in w]
            for j in range(D - sum(m)):
                m[j % len(m)] += 1
            for i, mi in zip(ids, m):
                row[i] = (mi, rnd.randint(0, 4) if colour(i) else 0)
        inc.append(row)
    return inc

def counters(k):
    """Each device's (total, mono, colour) served after step k (0: the baseline)."""
    inc = steps()
    out = {}
    for i in range(1, N + 1):
        c = 1000 + 7 * i if colour(i) else 0
        m = 20000 + 101 * i - c
        for s in range(1, k + 1):
            m += inc[s][i][0]
            c += inc[s][i][1]
        out[i] = (m + c, m, c)
    return out

def write(folder, k, mtime):
    tpl = {False: open(os.environ["DATA"] + "/scenario_ledger.snmprec").read().splitlines(),
           True: open(os.environ["DATA"] + "/scenario_quota.snmprec").read().splitlines()}
    for i, (t, m, c) in counters(k).items():
        vals = {LIFE: t, X_TOTAL: t, X_MONO: m, X_COLOUR: c}
        lines = []
        for line in tpl[colour(i)]:
            oid, typ, val = line.split("|", 2)
            if oid in vals:
                val = "%010d" % vals[oid]	# same width: snmpsim indexes byte offsets
            elif oid == "1.3.6.1.2.1.43.5.1.1.17.1":
                val = "PT%08d" % i
            elif oid == "1.3.6.1.2.1.1.5.0":
                val = dev(i)
            lines.append("|".join((oid, typ, val)))
        tmp = "%s/.%s.tmp" % (folder, dev(i))
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(tmp, 0o644)
        os.utime(tmp, (mtime, mtime))
        os.replace(tmp, "%s/%s.snmprec" % (folder, dev(i)))

def judged(k):
    """(department, period, threshold) crossed by step k, and the notices sent: one per step
    and department at most (the plan makes sure), for the highest threshold it crosses."""
    inc, fired, notices = steps(), [], []
    for s in range(1, k + 1):
        for d in DEPTS:
            mono = colour_ = 0
            for t in range(1, s + 1):
                if MONTHS[t - 1] != MONTHS[s - 1]:
                    continue
                for i in range(1, N + 1):
                    if dept(i) == d:
                        mono += inc[t][i][0]
                        colour_ += inc[t][i][1]
            new = [thr for thr in THRESHOLDS if (mono * 100 >= thr * Q_MONO or
                   colour_ * 100 >= thr * Q_COLOUR) and (d, MONTHS[s - 1], thr) not in fired]
            assert len(new) <= 1, "the plan crosses two thresholds in one step"
            fired += [(d, MONTHS[s - 1], thr) for thr in new]
            notices += ["gf.quota.%s.%s.%d.fleet@mairie.example" % (d, MONTHS[s - 1], thr)
                        for thr in new]
    return fired, notices

cmd = sys.argv[1]
if cmd == "write":
    write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
elif cmd == "totals":		# what meter.value says of each device once step K is metered
    for i, (t, m, c) in counters(int(sys.argv[2])).items():
        print("%s|%d" % (dev(i), t))
elif cmd == "quota":		# quota_state after step K
    for d, p, thr in sorted(judged(int(sys.argv[2]))[0]):
        print("%s|%s|%d" % (d, p, thr))
elif cmd == "notices":
    print("\n".join(sorted(judged(6)[1])))
elif cmd in ("ledger", "odometer", "depts"):
    inc, rows = steps(), {}
    for s in range(1, 7):
        for i in range(1, N + 1):
            m, c = inc[s][i]
            key = dev(i) if cmd == "odometer" else (dev(i), MONTHS[s - 1]) if cmd == "ledger" \
                else (dept(i), MONTHS[s - 1])
            for name, v in (("total", m + c), ("mono", m if colour(i) else None),
                            ("colour", c if colour(i) else None)):
                if v is not None:
                    rows[(key, name)] = rows.get((key, name), 0) + v
    for (key, name), v in sorted(rows.items()):
        if v > 0 or cmd == "odometer":
            print("|".join((key,) if isinstance(key, str) else key) + "|%s|%d" % (name, v))
PY
fleet() { DATA=$DATA $PY "$T/fleet.py" "$@"; }

# The recordings, one per community, served by one snmpsim.
mkdir -p "$T/sim"
MTIME=$(( $(date +%s) + 2 ))
fleet write "$T/sim" 0 "$MTIME"
start_snmpsim d001
# step K: the counters after step K, served from now on (mtimes a second later each time).
step() {
	_now=$(( $(date +%s) + 2 ))
	MTIME=$(( MTIME + 1 > _now ? MTIME + 1 : _now ))
	fleet write "$T/sim" "$1" "$MTIME"
	fleet totals "$1" >"$T/totals.$1"
	echo "--- step $1 at $(date +%T)" | tee -a "$T/p1.log" "$T/p2.log" "$T/p3.log" >/dev/null
}

DEVICES=""
for i in $(seq 1 $N); do
	d=$(printf 'd%03d' "$i")
	case $(( (i - 1) / 100 )) in 0) dp=nord ;; 1) dp=sud ;; *) dp=est ;; esac
	DEVICES="$DEVICES${DEVICES:+,
}$(device "$d" printer 127.0.0.1 "$SIM_PORT" "$d" "$dp")"
done
quota='quota = { period = "month"; mono = 10000; colour = 1000; thresholds = [ 80, 100 ]; };'
CONF=$T/gf.conf
DEPARTMENTS="  { id = \"nord\"; name = \"Nord\"; head = \"chef.nord@mairie.example\"; $quota },
  { id = \"sud\"; name = \"Sud\"; head = \"chef.sud@mairie.example\"; $quota },
  { id = \"est\"; name = \"Est\"; head = \"chef.est@mairie.example\"; $quota }" \
write_conf "$CONF" "max_ppm = 100000;
smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT/gf.example\"; from = \"greenfleet@mairie.example\";
  language = \"en\"; timeout_s = 10; };
devices = (
$DEVICES );"
q() { pg_sql gf -c "$1"; }

# The pollers' clocks: FAKETIME_TIMESTAMP_FILE holds an offset all of them read
# (again each second), so they agree, and jump together when it is rewritten.
# The monotonic clock stays real: schedules and leases do not jump.
FT=$T/faketime
OFF=$(( $(TZ=Europe/Paris date -d '2026-11-20 09:00:00' +%s) - $(date +%s) ))
printf "%+ds\n" "$OFF" >"$FT"
start_poller() {
	LD_PRELOAD=$(faketime_lib) FAKETIME_TIMESTAMP_FILE=$FT FAKETIME_CACHE_DURATION=1 \
		FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_DONT_RESET=1 \
		$GF_WRAP "$GREENFLEETD" -c "$CONF" -f -n "$1" 2>>"$T/$1.log" &
	eval "PID_$1=$!"
	PIDS="$PIDS $!"
}
# wait_sql SECONDS QUERY EXPECTED: until QUERY prints EXPECTED (0), or the deadline (1).
wait_sql() {
	_end=$(( $(date +%s) + $1 ))
	while [ "$(date +%s)" -le "$_end" ]; do
		[ "$(q "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.5
	done
	return 1
}
now_ms() { date +%s%3N; }
# check_rows DESCRIPTION EXPECTED ACTUAL: many rows; says how many, or how they differ.
check_rows() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then
		echo "ok - $1 ($(echo "$3" | grep -c .) rows)"
		return
	fi
	fail "$1: expected < actual >"
	echo "$2" >"$T/want"
	echo "$3" >"$T/got"
	diff "$T/want" "$T/got" | head -20
}
TOTALS="select device || '|' || value from meter where counter = 'total' order by device"
# metered K: every device's last metered reading carries step K's counters.
metered() { wait_sql "${2:-90}" "$TOTALS" "$(cat "$T/totals.$1")"; }
# metered_count K: how many devices already have step K's counters metered.
metered_count() {
	q "$TOTALS" | LC_ALL=C sort | LC_ALL=C comm -12 - "$T/totals.$1" | grep -c .
}
# judged K: the quota thresholds crossed by step K, and no other, are recorded.
judged() {
	wait_sql 60 "select department || '|' || period || '|' || threshold from quota_state
		order by department, period, threshold" "$(fleet quota "$1")" || fail "quota_state after step $1: $(q \
		"select department, period, threshold from quota_state order by 1, 2, 3" | tr '\n' ' ')"
}

fleet totals 0 >"$T/totals.0"
start=$(date +%s)
start_poller p1
sleep 1
start_poller p2
sleep 1
start_poller p3
wait_sql 60 "select poller || '|' || count(*) from lease group by poller order by 1" "p1|100
p2|100
p3|100" || fail "the leases were not shared 100/100/100: $(q \
	"select poller, count(*) from lease group by poller" | tr '\n' ' ')"
echo "ok - three pollers share the fleet 100/100/100 ($(( $(date +%s) - start )) s)"
metered 0 || fail "not every device was read before the printing started"
check "the baselines count no page" 0 "$(q "select count(*) from ledger")"

# Each step: written, then metered everywhere and judged before the next.
step 1
metered 1 || fail "step 1 was not metered everywhere"
judged 1

# Step 2: the leader is killed -9 once a third of the fleet has been read.
step 2
for _ in $(seq 1 60); do [ "$(metered_count 2)" -ge 100 ] && break; sleep 0.5; done
leader=$(q "select name from poller where leader = 1 and expires > extract(epoch from now())")
check_match "one poller leads" '^p[123]$' "$leader"
[ -n "$leader" ] || leader=p1
q "select device from lease where poller = '$leader' order by device" >"$T/held"
eval "victim=\$PID_$leader"
kill -9 "$victim"
kill_ms=$(now_ms)
wait "$victim" 2>/dev/null
held=$(grep -c . "$T/held")
check "the leader held its share when killed" 100 "$held"
fake_kill_ms=$(( kill_ms + OFF * 1000 ))
list=$(sed "s/.*/'&'/" "$T/held" | paste -sd, -)
# The first poll of each after the kill, answered or not (last_poll, the pollers'
# clock): watched every half second, far more often than a device is polled
# again (an interval), so the first value seen is its first poll.
: >"$T/first"
for _ in $(seq 1 120); do
	q "select id || ' ' || last_poll from device_state where id in ($list)
		and last_poll * 1000 > $fake_kill_ms" >>"$T/first"
	[ "$(awk '!s[$1]++' "$T/first" | grep -c .)" -ge "$held" ] && break
	sleep 0.5
done
seen=$(( $(now_ms) - kill_ms ))
polled=$(awk -v k="$fake_kill_ms" '!s[$1]++ { d = $2 * 1000 - k; if (d > m) m = d } END { print m + 0 }' "$T/first")
check "every device of the killed poller is polled again" "$held" "$(awk '!s[$1]++' "$T/first" | grep -c .)"
echo "takeover: $held devices of $leader polled again by the others within $polled ms of the kill (seen after $seen ms)"
check "every device of the killed poller is polled again within two intervals" 1 \
	"$(( polled <= 2 * INTERVAL * 1000 ))"
wait_sql 60 "select count(*) from meter_claim where device in ($list) and at_ms > $fake_kill_ms" \
	"$held" || fail "some of $leader's devices were not read again"
survivors=$(echo p1 p2 p3 | tr ' ' '\n' | grep -v "^$leader\$" | paste -sd' ' -)
wait_sql 30 "select poller || '|' || count(*) from lease group by poller order by 1" \
	"$(for p in $survivors; do echo "$p|150"; done)" || fail "the survivors do not hold 150 each"
wait_sql 30 "select count(*) from poller where leader = 1 and name <> '$leader'" 1 ||
	fail "no new leader"
claimed=$(for p in $survivors; do
	sed -n '/^--- step 2/,/^--- step 3/p' "$T/$p.log"
done | awk '/lease: p[123] claimed [0-9]+ devices \(share 150 of 300, 2 pollers\)/ { n += $6 }
	END { print n + 0 }')
check "the survivors' logs say they claimed the killed poller's devices" "$held" "$claimed"
newleader=$(q "select name from poller where leader = 1 and name <> '$leader'")
check_match "the new leader says so" "lease: $newleader is the leader" "$(cat "$T/$newleader.log")"
metered 2 || fail "step 2 was not metered everywhere"
judged 2

# Step 3: the killed poller comes back and gets its share while pages move.
step 3
start_poller "$leader"
metered 3 || fail "step 3 was not metered everywhere"
judged 3
wait_sql 60 "select poller || '|' || count(*) from lease group by poller order by 1" "p1|100
p2|100
p3|100" || fail "the fleet was not shared again 100/100/100"
check_match "a survivor gave back to the returning poller" "lease: ($(echo "$survivors" |
	tr ' ' '|')) gave back 50 devices \\(share 100 of 300, 3 pollers\\)" \
	"$(cat "$T"/p[123].log)"

# December: every poller's clock jumps to the first, together.
OFF2=$(( $(TZ=Europe/Paris date -d '2026-12-01 08:00:00' +%s) - $(date +%s) ))
printf "%+ds\n" "$OFF2" >"$FT"
sleep 3
OFF=$OFF2
step 4
metered 4 || fail "step 4 was not metered everywhere"
judged 4

# Step 5: PostgreSQL restarts once a third of the fleet has been read.
step 5
for _ in $(seq 1 60); do [ "$(metered_count 5)" -ge 100 ] && break; sleep 0.5; done
pg_stop
down=$(date +%s)
sleep "$INTERVAL"
pg_start
echo "PostgreSQL was down $(( $(date +%s) - down )) s"
metered 5 120 || fail "step 5 was not metered everywhere after PostgreSQL came back"
judged 5
step 6
metered 6 || fail "step 6 was not metered everywhere"
judged 6
for p in p1 p2 p3; do
	lost=$(grep -c 'connection lost' "$T/$p.log")
	check_match "$p said the loss, once a connection ($lost)" '^[12]$' "$lost"
	check_match "$p reconnected" "store: PostgreSQL \\(.*\\): connection back" "$(cat "$T/$p.log")"
done

# The truth, to the page.
wait_sql 120 "select count(*) from outbox where sent_at is null" 0 ||
	fail "notices left unsent: $(q "select message_id from outbox where sent_at is null")"
sleep 2
check_rows "the ledger per device, month and counter is the scenario's" "$(fleet ledger)" \
	"$(q "select device, substr(day, 1, 7), counter, sum(pages) from ledger
		group by 1, 2, 3 having sum(pages) > 0" | LC_ALL=C sort)"
check_rows "the odometers are the pages printed" "$(fleet odometer)" \
	"$(q "select device, counter, odometer from meter" | LC_ALL=C sort)"
check_rows "the ledger per department and month" "$(fleet depts)" \
	"$(q "select department, substr(day, 1, 7), counter, sum(pages) from ledger
		group by 1, 2, 3" | LC_ALL=C sort)"
pages=$(q "select sum(pages) from ledger where counter = 'total'")
echo "ledger: $pages pages in all over $N devices"
check_rows "every notice queued is one the truth crosses" "$(fleet notices)" \
	"$(q "select message_id from outbox" | LC_ALL=C sort)"
ids=$(mails | cut -d'|' -f4 | tr -d '<>' | LC_ALL=C sort)
check_rows "every notice delivered once, none other" "$(fleet notices)" "$ids"
echo "mails: $(echo "$ids" | grep -c .) delivered"

for p in p1 p2 p3; do
	eval "pid=\$PID_$p"
	kill -TERM "$pid"
	wait "$pid"
	check "$p stops cleanly" 0 $?
done
check "a clean stop gives every lease back" 0 "$(q "select count(*) from lease where poller is not null")"
# On failure, what the pollers said of their leases, leadership and the store.
if [ "$FAILS" -gt 0 ]; then
	for p in p1 p2 p3; do
		echo "== $p"
		grep 'lease:\|store:\|mail:\|quota:\|^---' "$T/$p.log" | cut -c1-200
	done
fi
echo "run: $(( $(date +%s) - start )) s"
finish
