#!/bin/sh
# A notice the SMTP server took while PostgreSQL went away is delivered once.
# Two pollers share one PostgreSQL store; a department crosses 80 % and its
# warning goes to a real SMTP server (aiosmtpd) whose handler stops
# PostgreSQL before it answers 250 to the first message: the sender cannot
# mark the notice sent. PostgreSQL comes back 4 s later; whichever poller
# then sends mail, the notice is not sent again (it was held before the
# SMTP server saw it), its sender marks it sent, and the maildir holds
# exactly one message.
. "$(dirname "$0")/lib.sh"
need state snmpget

INTERVAL=10 TIMEOUT_MS=1000 RETRIES=1
start_snmpsim scenario_quota
STORE_BACKEND=pg
P=$T/sim/scenario_quota.snmprec
MONO=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.34
COLOUR=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.33
TOTAL=1.3.6.1.4.1.253.8.53.13.2.1.6.1.20.1
pages() { set_rec "$P" "$MONO" "$1" "$COLOUR" "$2" "$TOTAL" $(( $1 + $2 )); }
q() { state_sql "$1"; }

# The SMTP server: a maildir, and a hook run (once) before the first 250.
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "SKIP: python3-aiosmtpd is not installed"; exit 77; }
MAILDIR=$T/maildir
cat >"$T/hooksmtp.py" <<'PY'
import mailbox, os, subprocess


class HookFirst:
    """Keeps every message in a maildir; runs HOOK before answering the first."""

    def __init__(self, maildir, hook):
        self.box = mailbox.Maildir(maildir, create=True)
        self.hook = hook
        self.done = False

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_DATA(self, server, session, envelope):
        self.box.add(envelope.original_content)
        if not self.done:
            self.done = True
            subprocess.run(["sh", self.hook], check=False)
        return "250 OK"
PY
SMTP_PORT=$(free_port tcp)
# The hook stops PostgreSQL (fast: sessions are cut) while the sender waits for the 250.
start_pg_hook() {
	printf '%s\n' "PGDIR='$PGDIR' PGPORT='$PGPORT' PG_BIN='$PG_BIN'" \
		"if [ \"\$(id -u)\" = 0 ]; then runuser -u postgres -- \"\$PG_BIN/pg_ctl\" -D \"\$PGDIR/db\" -m fast -w stop; else \"\$PG_BIN/pg_ctl\" -D \"\$PGDIR/db\" -m fast -w stop; fi >/dev/null 2>&1" \
		"date +%s > '$T/hook.ran'" >"$T/hook.sh"
	PYTHONPATH=$T $PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c hooksmtp.HookFirst \
		"$MAILDIR" "$T/hook.sh" >>"$T/smtpd.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for smtp_up "$SMTP_PORT" || { echo "aiosmtpd did not start"; cat "$T/smtpd.log"; exit 99; }
}

CONF=$T/gf.conf
DEPARTMENTS='  { id = "etat-civil"; name = "État civil"; head = "chef@mairie.example";
    quota = { period = "month"; mono = 1000; colour = 100; thresholds = [ 80, 100 ]; }; }' \
write_conf "$CONF" "max_ppm = 10000;	# 850 pages within the 10 s interval count
smtp = { url = \"smtp://127.0.0.1:$SMTP_PORT\"; from = \"greenfleet@mairie.example\";
  language = \"fr\"; timeout_s = 20; };
devices = ( $(device copieur printer 127.0.0.1 "$SIM_PORT" scenario_quota etat-civil) );"
start_pg_hook

start_daemon() { # NAME
	"$GREENFLEETD" -f -n "$1" -c "$CONF" 2>>"$T/$1.log" &
	PIDS="$PIDS $!"
}
start_daemon a
start_daemon b
wait_for_q() { # SQL WANT [SECONDS]
	_end=$(( $(date +%s) + ${3:-60} ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		[ "$(q "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.5
	done
	return 1
}
# The baseline is metered; then 850 mono pages of 1000: 85 %, one warning.
wait_for_q "select count(*) from device_state where id = 'copieur' and last_poll > 0" 1 ||
	fail "the copier was never polled"
sleep 1
pages 10850 500
end=$(( $(date +%s) + 60 ))
while [ ! -f "$T/hook.ran" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.5; done
[ -f "$T/hook.ran" ] || { fail "no notice reached the SMTP server: outbox $(q "select count(*) from outbox"), ledger $(q "select counter, sum(pages) from ledger group by counter")"; cat "$T"/a.log "$T"/b.log "$T/smtpd.log"; CHECKS=1; finish; }
check "one message, and PostgreSQL stopped before its 250" 1 "$(ls "$MAILDIR/new" | wc -l)"
sleep 4
pg_start
wait_for_q "select count(*) from outbox where sent_at is not null" 1 60 ||
	fail "the notice was never marked sent: $(q 'select id, sent_at, next_try, attempts, last_error from outbox')"
# Three more of the senders' 5 s looks at the outbox, by either poller.
sleep 16
check "the notice is marked sent, once" "1|1" "$(q "select count(*), sum(attempts) from outbox where sent_at is not null")"
check "the SMTP server has exactly one message" 1 "$(ls "$MAILDIR/new" | wc -l)"
check "its sender said it could not mark it, then marked it" 1 \
	"$(cat "$T/a.log" "$T/b.log" | grep -c -e 'was sent but the store could not mark it: held')"
check "and marked it when the store answered" 1 \
	"$(cat "$T/a.log" "$T/b.log" | grep -c 'marked sent now that the store answers')"
check_match "the message is the department's warning" "Subject: =\\?(utf-8|UTF-8)\\?" \
	"$(cat "$MAILDIR"/new/* | tr -d '\r')"
finish
