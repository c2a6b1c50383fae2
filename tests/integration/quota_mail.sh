#!/bin/sh
# Department quotas and their notices through a real SMTP server (aiosmtpd):
# crossing 80 % sends one warning to the head and the IT copy, 100 % one breach
# notice, nothing more in the period; a new month starts clean; a notice queued
# while the server is down is delivered once when it is back; a kill -9 between
# queueing and sending delivers it once after restart; the UTF-8 department
# name arrives correctly encoded. One --once run per poll under faketime.
. "$(dirname "$0")/lib.sh"
need faketime state

export TZ=Europe/Paris
start_snmpsim scenario_quota
start_smtp
P=$T/sim/scenario_quota.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
CONF=$T/gf.conf
DEPARTMENTS='  { id = "etat-civil"; name = "État civil"; head = "chef.etatcivil@mairie.example";
    quota = { period = "month"; mono = 1000; colour = 100; thresholds = [ 80, 100 ]; }; }' \
INTERVAL=10 TIMEOUT_MS=500 RETRIES=0 \
write_conf "$CONF" "smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT\"; from = \"greenfleet@mairie.example\";
  cc = [ \"it@mairie.example\" ]; language = \"fr\"; timeout_s = 5; };
web = { url = \"https://gf.mairie.example/\"; };
devices = ( $(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil) );"
q() { state_sql "$1"; }
# pages MONO COLOUR: the copier's counters now (total = mono + colour).
pages() { set_rec "$P" "$MONO" "$1" "$COLOUR" "$2" "$TOTAL" $(( $1 + $2 )); }
poll() {
	echo "--- poll at $1" >>"$T/daemon.log"
	faketime -f "@$1:00" "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
		fail "greenfleetd --once at $1"
}
count() { mails | grep -c . ; }

poll '2026-11-02 09:00'			# baseline: 10000 mono, 500 colour
pages 10500 500; poll '2026-11-02 09:30'
check "50 %: no mail" 0 "$(count)"
pages 10850 500; poll '2026-11-02 10:00'
check "85 %: one warning" 1 "$(count)"
check_match "to the head, copy to IT, the name UTF-8 encoded and decoded back" \
	"^chef.etatcivil@mairie.example|it@mairie.example|Quota d'impression : État civil à 85 % pour novembre 2026|<gf.quota.etat-civil.2026-11.80." "$(mails)"
check_match "the subject is RFC 2047 encoded on the wire" "^Subject: =\\?(utf-8|UTF-8)\\?" "$(cat "$MAILDIR"/new/* | tr -d '\r')"
body=$($PY - "$MAILDIR" <<'PY'
import email, email.policy, glob, sys
f = glob.glob(sys.argv[1] + "/new/*")[0]
print(email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default).get_content())
PY
)
check_match "the body says what was used of what" "noir et blanc : 850 pages sur 1000" "$body"
check_match "the body names the device that printed most" "copieur : 850 pages" "$body"
check_match "the body gives a lever" "recto-verso par défaut" "$body"
check_match "the body links the department's page (web.url)" \
	"Le tableau de bord du service : https://gf.mairie.example/department/etat-civil\$" "$body"
pages 10950 500; poll '2026-11-02 10:30'
check "95 %: nothing more" 1 "$(count)"
pages 10950 600; poll '2026-11-02 11:00'
check "colour at 100 %: one breach notice" 2 "$(count)"
check_match "the breach notice is for threshold 100" "gf.quota.etat-civil.2026-11.100." "$(mails | tail -1)"
pages 11100 650; poll '2026-11-02 11:30'
check "over the quota: still nothing more this month" 2 "$(count)"
check "quota csv for November" "department,period,used_mono,used_colour,limit_mono,limit_colour,budget_used,budget,percent,state,projected_percent,notified
etat-civil,2026-11,1100,150,1000,100,,,150,over,150,100" "$(faketime -f '@2026-12-05 12:00:00' "$GREENFLEET" -c "$CONF" quota --period 2026-11 --format csv | tr -d '\r')"
check_match "quota json has the numbers" '"used_mono": 1100, "used_colour": 150' "$("$GREENFLEET" -c "$CONF" quota --period 2026-11 --format json)"
check "a bad period is a usage error" 2 "$("$GREENFLEET" -c "$CONF" quota --period 2026-13 >/dev/null 2>&1; echo $?)"

# December starts clean; the server is down when 80 % is crossed.
stop_smtp
pages 11950 650; poll '2026-12-01 09:00'
check "new month, 85 %, server down: nothing delivered" 2 "$(count)"
check "the warning waits in the outbox" "1|1" "$(q "select count(*), max(attempts) from outbox where sent_at is null")"
check_match "the failure is logged" "mail: quota-warning to chef.etatcivil@mairie.example: .*attempt 1" "$(cat "$T/daemon.log")"
poll '2026-12-01 09:30'
check "still down: retried, still queued" "1|2" "$(q "select count(*), max(attempts) from outbox where sent_at is null")"
start_smtp "$SMTP_PORT"
poll '2026-12-01 10:00'
check "server back: delivered" 3 "$(count)"
check_match "the December warning" "État civil à 85 % pour décembre 2026" "$(mails | tail -1)"
check "nothing left in the outbox" 0 "$(q "select count(*) from outbox where sent_at is null")"

# kill -9 between queueing and sending, then a restart: delivered once.
stop_smtp
pages 11950 760
fake_bg '2026-12-02 09:00:00' "$GREENFLEETD" -c "$CONF" -f 2>>"$T/daemon.log"
gf=$BG_PID
wait_q() { for _ in $(seq 1 150); do [ "$(q "$1" 2>/dev/null)" = "$2" ] && return 0; sleep 0.2; done; return 1; }
wait_q "select count(*) from outbox where sent_at is null and attempts >= 1" 1 ||
	fail "the breach notice was not queued and tried"
kill -9 $gf
wait $gf 2>/dev/null
start_smtp "$SMTP_PORT"
fake_bg '2026-12-02 09:30:00' "$GREENFLEETD" -c "$CONF" -f 2>>"$T/daemon.log"
gf=$BG_PID
wait_q "select count(*) from outbox where sent_at is null" 0 || fail "not sent after restart"
sleep 2
kill -TERM $gf
wait $gf
check "restarted daemon exits cleanly" 0 $?
check "the queued breach is delivered once" 4 "$(count)"
check "every Message-ID is delivered once" 4 "$(mails | cut -d'|' -f4 | sort -u | grep -c .)"
# A weekly digest: one per ISO week, whatever the number of polls.
sed -i 's/timeout_s = 5; };/timeout_s = 5; digest = "weekly"; };/' "$CONF"
poll '2026-12-07 09:00'
poll '2026-12-07 09:30'
check "one digest in week 50" 5 "$(count)"
check_match "the digest's subject" "Impressions de décembre 2026 : point sur le service État civil|<gf.digest.etat-civil.2026-W50." "$(mails | tail -1)"
poll '2026-12-14 09:00'
check "and one in week 51" 6 "$(count)"
check "the crossings fired once each" "2026-11|80
2026-11|100
2026-12|80
2026-12|100" "$(q "select period, threshold from quota_state order by period, threshold")"
finish
