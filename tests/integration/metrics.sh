#!/bin/sh
# greenfleet metrics on a real state (greenfleetd --once against snmpsim): the
# exposition passes `promtool check metrics`, every figure equals what the CLI's
# JSON says for the same store (pages per device and department from the
# ledger, quota use, device up), label values with a quote, a backslash, a
# backslash-n and a letter that is not ASCII come back as written, and
# --department keeps one department. Each polled device's last poll: its result
# (ok, timeout, error), its duration (a device that never answers waits
# timeout_ms x (retries + 1)) and its failed polls in a row.
. "$(dirname "$0")/lib.sh"
need promtool state

start_snmpsim konica_bizhub-c250i hp_laserjet-mfp-m130nw windows_xp-workstation
K=$T/sim/konica_bizhub-c250i.snmprec
H=$T/sim/hp_laserjet-mfp-m130nw.snmprec
KPM=1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.1.2	# print black
KPC=1.3.6.1.4.1.18334.1.1.1.5.7.2.2.1.5.2.2	# print colour
KDUP=1.3.6.1.4.1.18334.1.1.1.5.7.2.1.3.0
HT=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0
HM=1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.6.0
LIFE=1.3.6.1.2.1.43.10.2.1.4.1.1
KSUP=1.3.6.1.2.1.43.11.1.1.6.1.1	# the first supply's description, as the printer says it
CONF=$T/gf.conf
# A department name with a quote, a backslash, a backslash-n (the configuration refuses a
# real newline, and any byte that is no UTF-8) and a letter that is not ASCII.
DEPARTMENTS='  { id = "urba"; name = "Urba \"nord\" \\ sud\\nbis é fin"; },
  { id = "ec"; name = "État civil"; quota = { period = "month"; mono = 1000; colour = 50; }; }'
# gone: SNMPv3 to a closed port, its engine discovery is refused (an error, not a timeout);
# deaf: a community the agent does not serve, it never answers (a timeout).
DOWN=$(free_port)
DEVICES=$(cat <<DEV
devices = (
$(device konica printer 127.0.0.1 "$SIM_PORT" konica_bizhub-c250i urba),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw ec),
$(device pc1 workstation 127.0.0.1 "$SIM_PORT" windows_xp-workstation ec),
  { id = "gone"; kind = "printer"; host = "127.0.0.1"; port = $DOWN; department = "ec";
    snmp = { version = "3"; user = "u"; level = "authNoPriv"; auth_protocol = "SHA";
    auth_password = "gone-pass-123"; }; },
$(device deaf printer 127.0.0.1 "$SIM_PORT" wrong-community ec),
  { id = "old-copier"; kind = "printer"; host = "127.0.0.1"; department = "ec";
    in_service = "2015-01-01"; retired = "2020-07-02";
    snmp = { version = "2c"; community = "gone"; }; }
);
DEV
)
TIMEOUT_MS=300 RETRIES=1 write_conf "$CONF" "$DEVICES"
poll() { "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" || fail "poll"; }

poll
# konica: 100 black, 20 colour, 40 two-sided; hp: 50; a supply named with a quote and backslash.
set_rec "$K" "$KPM" 22976 "$KPC" 6731 "$KDUP" 7397 "$KSUP" 'Toner "K" \ noir'
set_rec "$H" "$HT" 15282 "$HM" 15282 "$LIFE" 15282
poll

G() { "$GREENFLEET" -c "$CONF" "$@"; }
G metrics >"$T/metrics.txt" 2>"$T/metrics.err"
check "greenfleet metrics exits 0" 0 $?
check "nothing on stderr" "" "$(cat "$T/metrics.err")"
promtool check metrics <"$T/metrics.txt" >"$T/promtool.out" 2>&1
check "promtool check metrics exits 0" 0 $?
check "promtool finds nothing to say" "" "$(cat "$T/promtool.out")"
# --once takes no lease and writes no poller row: the poller families (pollers_cli.sh
# fills them) are there, each with its HELP and TYPE, without a sample.
check "poller families without a sample after --once" \
	"up leader devices polls_total last_commit_timestamp_seconds lag_seconds start_time_seconds|0" \
	"$(sed -n 's/^# TYPE greenfleet_poller_\([a-z_]*\) .*/\1/p' "$T/metrics.txt" | paste -sd' ')|$(grep -c '^greenfleet_poller_' "$T/metrics.txt")"

DAY=$(date +%Y-%m-%d)
G report --from 2000-01-01 --to "$DAY" --by device --format json >"$T/dev.json"
G report --from 2000-01-01 --to "$DAY" --format json >"$T/dept.json"
G quota --format json >"$T/quota.json"
G status --format json >"$T/status.json"
G fleet --format json >"$T/fleet.json"
led() { state_sql "select coalesce(sum(pages), 0) from ledger where device='$1' and counter='$2'"; }
G metrics --department ec >"$T/ec.txt"
check "--department exits 0" 0 $?
G metrics --department nope >"$T/nope.txt" 2>"$T/nope.err"
check "an unknown department: exit 2" 2 $?
check "an unknown department: says so" "greenfleet: no department 'nope' in $CONF" "$(cat "$T/nope.err")"

# An independent reader of the text format: unescapes label values per the specification.
$PY - "$T" "konica-total=$(led konica total)" "konica-colour=$(led konica colour)" \
	"hp-total=$(led hp total)" <<'PY' >"$T/facts"
import json, re, sys
t = sys.argv[1]
ledger = dict(a.split("=", 1) for a in sys.argv[2:])
def parse(path):
    out = {}
    lab = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)\n$', line)
        labels = {}
        if m.group(2):
            for k, v in lab.findall(m.group(2)):
                labels[k] = re.sub(r'\\(.)', lambda e: "\n" if e.group(1) == "n" else e.group(1), v)
        out[(m.group(1), tuple(sorted(labels.items())))] = float(m.group(3))
    return out
M = parse(t + "/metrics.txt")
def get(_metric, **labels):
    return M.get((_metric, tuple(sorted(labels.items()))))
def fact(name, want, got):
    print("%s\t%s" % (name, "yes" if want == got else "want %r got %r" % (want, got)))
for r in json.load(open(t + "/dev.json"))["rows"]:
    for kind in ("impressions", "mono", "colour", "duplex"):
        k = "total" if kind == "impressions" else kind
        got = get("greenfleet_pages_total", device=r["device"], department=r["department"], kind=k)
        # The report knows no figure without a ledger row; the metric starts its counter at 0.
        fact("%s %s" % (r["device"], k), None if r[kind] is None else float(r[kind]),
             None if r[kind] is None and got == 0 else got)
for r in json.load(open(t + "/dept.json"))["rows"]:
    for kind in ("impressions", "mono", "colour", "duplex"):
        k = "total" if kind == "impressions" else kind
        got = get("greenfleet_department_pages_total", department=r["department"], kind=k)
        fact("department %s %s" % (r["department"], k), None if r[kind] is None else float(r[kind]),
             None if r[kind] is None and got == 0 else got)
fact("konica total = ledger", float(ledger["konica-total"]),
     get("greenfleet_pages_total", device="konica", department="urba", kind="total"))
fact("konica colour = ledger", float(ledger["konica-colour"]),
     get("greenfleet_pages_total", device="konica", department="urba", kind="colour"))
fact("hp total = ledger", float(ledger["hp-total"]),
     get("greenfleet_pages_total", device="hp", department="ec", kind="total"))
fact("konica printed 120", 120.0, get("greenfleet_pages_total", device="konica", department="urba", kind="total"))
fact("hp's duplex counter starts at 0 (no ledger row yet)", 0.0,
     get("greenfleet_pages_total", device="hp", department="ec", kind="duplex"))
fact("hp printed 50", 50.0, get("greenfleet_pages_total", device="hp", department="ec", kind="total"))
for q in json.load(open(t + "/quota.json")):
    d, p = q["department"], q["period"]
    fact("quota %s mono used" % d, float(q["used_mono"]), get("greenfleet_quota_used_pages", department=d, period=p, kind="mono"))
    fact("quota %s colour used" % d, float(q["used_colour"]), get("greenfleet_quota_used_pages", department=d, period=p, kind="colour"))
    fact("quota %s mono limit" % d, float(q["limit_mono"]), get("greenfleet_quota_limit_pages", department=d, period=p, kind="mono"))
    fact("quota %s colour limit" % d, float(q["limit_colour"]), get("greenfleet_quota_limit_pages", department=d, period=p, kind="colour"))
    fact("quota %s ratio" % d, q["percent"] / 100, get("greenfleet_quota_use_ratio", department=d, period=p))
fact("quota ec mono used is hp's 50 pages", 50.0, get("greenfleet_quota_used_pages", department="ec", period=json.load(open(t + "/quota.json"))[0]["period"], kind="mono"))
states = {}
for s in json.load(open(t + "/status.json")):
    states[s["device"]] = s["state"]
    up = get("greenfleet_device_up", device=s["device"], department=s["department"], kind=s["kind"])
    fact("%s up (%s)" % (s["device"], s["state"]), 1.0 if s["state"] == "up" else 0.0, up)
    fact("%s polled (%s)" % (s["device"], s["state"]), 0.0 if s["state"] == "never" else 1.0,
         get("greenfleet_device_polled", device=s["device"], department=s["department"]))
fact("the states", {"konica": "up", "hp": "up", "pc1": "up", "gone": "down", "deaf": "down",
                   "old-copier": "never"}, states)
for st, n in (("up", 3), ("down", 2), ("never", 1)):
    fact("devices %s" % st, float(n), get("greenfleet_devices", state=st))
dept = {"konica": "urba", "hp": "ec", "pc1": "ec", "gone": "ec", "deaf": "ec"}
for dev, want in (("konica", "ok"), ("hp", "ok"), ("pc1", "ok"), ("deaf", "timeout"),
                  ("gone", "error")):
    fact("%s's last poll: %s" % (dev, want), {r: 1.0 if r == want else 0.0 for r in ("ok", "timeout", "error")},
         {r: get("greenfleet_device_poll_result", device=dev, department=dept[dev], result=r)
          for r in ("ok", "timeout", "error")})
    fact("%s's failed polls in a row" % dev, 0.0 if want == "ok" else 2.0,
         get("greenfleet_device_consecutive_poll_failures", device=dev, department=dept[dev]))
for dev in ("konica", "hp", "pc1"):
    s = get("greenfleet_device_poll_duration_seconds", device=dev, department=dept[dev])
    fact("%s's poll took some time, under 5 s" % dev, True, s is not None and 0 < s < 5)
s = get("greenfleet_device_poll_duration_seconds", device="deaf", department="ec")
fact("deaf's poll waited 300 ms x 2 (1 s slack)", True, s is not None and 0.6 <= s < 1.6)
s = get("greenfleet_device_poll_duration_seconds", device="gone", department="ec")
fact("gone's refused poll waited no timeout", True, s is not None and 0 <= s < 0.3)
fact("the never polled copier has no poll series", [],
     [k for k in M if k[0].startswith("greenfleet_device_poll_") and dict(k[1]).get("device") == "old-copier"])
fact("the hostile name comes back as written",
     1.0, get("greenfleet_department_info", department="urba", name='Urba "nord" \\ sud\\nbis é fin'))
fact("the supply named by the printer comes back as written", 76.0,
     get("greenfleet_supply_level_percent", device="konica", department="urba", index="1", supply='Toner "K" \\ noir'))
fact("the retired copier's age from in_service", "in_service",
     [dict(k[1]).get("source") for k in M if k[0] == "greenfleet_device_age_seconds" and dict(k[1])["device"] == "old-copier"][0])
for r in json.load(open(t + "/fleet.json")):
    lab = dict(device=r["device"], department=r["department"], component=r["component"] or "", part=r["part"] or "")
    fact("%s repair advised (%s)" % (r["device"], r["state"]), 1.0 if r["state"] == "repair" else 0.0,
         get("greenfleet_repair_advised", **lab))
    kg = get("greenfleet_repair_avoided_co2e_grams", device=r["device"], department=r["department"])
    fact("%s CO2e avoided" % r["device"], r["co2e_avoided_kg"], None if kg is None else kg / 1000)
fact("pc1's disk repair is advised", 1.0, get("greenfleet_repair_advised", device="pc1", department="ec", component="disk", part="larger disk or SSD"))
fact("the outbox is empty", 0.0, get("greenfleet_outbox_mails"))
E = parse(t + "/ec.txt")
fact("--department ec: no urba series", [], sorted({dict(k[1]).get("department") for k in E} - {"ec", None}))
fact("--department ec: hp's pages", 50.0, E.get(("greenfleet_pages_total", (("department", "ec"), ("device", "hp"), ("kind", "total")))))
fact("--department ec: no outbox", False, any(k[0] == "greenfleet_outbox_mails" for k in E))
PY
check "the reader went through every fact" 0 $?
while IFS="$(printf '\t')" read -r name ok; do check "$name" yes "$ok"; done <"$T/facts"
grep -q '^greenfleet_build_info{version="' "$T/metrics.txt"
check "build info" 0 $?
finish
