#!/bin/sh
# mail_send() through a real SMTP server (aiosmtpd writing a maildir): the message arrives
# once, decodes to the exact UTF-8, and a refused, absent or silent server fails fast and clearly.
. "$(dirname "$0")/lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "SKIP: python3-aiosmtpd is not installed"; exit 77; }
SEND=${MAIL_SEND:-$top_builddir/tests/unit/test_mail_send}
[ -x "$SEND" ] || { echo "$SEND is not built (make check builds it)"; exit 99; }

now_ms() { date +%s%3N; }

# smtp_up PORT: the server answers with its 220 greeting.
smtp_up() {
	$PY - "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
sys.exit(0 if s.recv(100).startswith(b"220") else 1)
PY
}

PORT=$(free_port tcp)
mkdir -p "$T/maildir/tmp" "$T/maildir/new" "$T/maildir/cur"
$PY -m aiosmtpd -n -l "127.0.0.1:$PORT" -c aiosmtpd.handlers.Mailbox "$T/maildir" \
	>"$T/smtpd.log" 2>&1 &
PIDS="$PIDS $!"
wait_for smtp_up "$PORT" || { echo "aiosmtpd did not start"; cat "$T/smtpd.log"; exit 99; }

SUBJECT="Quota d'impression : État civil à 80 %"
# A line over 76 characters, '=', a leading '.' and "From ", accents and a euro sign.
BODY="Bonjour Mme Durand,

Le service État civil a utilisé 80 % de son quota d'impression de novembre 2026 :\
 4 000 pages en noir et blanc sur 5 000, et 240 pages en couleur sur 300\
 (budget : 312,40 € sur 400 €).
Seuil = 80 %.
.
From the IT department, with thanks.
"

"$SEND" "smtp://127.0.0.1:$PORT" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "the message is sent" 0 $?
check "nothing on stderr" "" "$(cat "$T/send.err")"

# Each line: a check name, a tab, "yes" or what was found instead.
$PY - "$T/maildir" "$SUBJECT" "$BODY" >"$T/facts" <<'PY'
import email, email.policy, email.utils, glob, sys
d, subject, body = sys.argv[1:4]
files = glob.glob(d + "/new/*") + glob.glob(d + "/cur/*")
def fact(name, ok, got):
    print("%s\t%s" % (name, "yes" if ok else repr(got)))
fact("exactly one message", len(files) == 1, len(files))
m = email.message_from_bytes(open(files[0], "rb").read(), policy=email.policy.default)
frm = m["From"].addresses[0]
fact("From name and address", (frm.display_name, frm.addr_spec) ==
     ("Greenfleet — Mairie de Saint-Exemple", "greenfleet@mairie.example"), m["From"])
fact("To", [a.addr_spec for a in m["To"].addresses] == ["chef.etatcivil@mairie.example"], m["To"])
fact("Cc", [a.addr_spec for a in m["Cc"].addresses] == ["dgs@mairie.example", "dsi@mairie.example"],
     m["Cc"])
fact("envelope sender", m["X-MailFrom"] == "greenfleet@mairie.example", m["X-MailFrom"])
fact("envelope recipients", m["X-RcptTo"] ==
     "chef.etatcivil@mairie.example, dgs@mairie.example, dsi@mairie.example", m["X-RcptTo"])
fact("Subject decodes to the exact UTF-8", str(m["Subject"]) == subject, str(m["Subject"]))
fact("body decodes to the exact text", m.get_content() == body, m.get_content())
fact("text/plain UTF-8 quoted-printable", (m.get_content_type(), m.get_content_charset(),
     m["Content-Transfer-Encoding"]) == ("text/plain", "utf-8", "quoted-printable"),
     (m.get_content_type(), m.get_content_charset(), m["Content-Transfer-Encoding"]))
fact("Message-ID as given", m["Message-ID"] == "<quota.etat-civil.2026-11.80.3f2a@mairie.example>",
     m["Message-ID"])
fact("Date parses to the given time", email.utils.parsedate_to_datetime(m["Date"]).timestamp() ==
     1794562200, m["Date"])
fact("Content-Language and Auto-Submitted", (m["Content-Language"], m["Auto-Submitted"]) ==
     ("fr", "auto-generated"), (m["Content-Language"], m["Auto-Submitted"]))
fact("no Bcc", m["Bcc"] is None, m["Bcc"])
PY
[ -s "$T/facts" ] || fail "the maildir could not be read"
TAB=$(printf '\t')
while IFS="$TAB" read -r name result; do
	check "$name" yes "$result"
done <"$T/facts"

count() { find "$T/maildir/new" "$T/maildir/cur" -type f | wc -l; }

# STARTTLS required, and a login (which requires TLS), against a server without TLS.
"$SEND" -s "smtp://127.0.0.1:$PORT" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "required STARTTLS the server lacks: exit 1" 1 $?
check_match "and says so" "^test_mail_send: smtp: .*STARTTLS" "$(cat "$T/send.err")"
"$SEND" -l "greenfleet:s3cret" "smtp://127.0.0.1:$PORT" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "a password is never sent in clear: exit 1" 1 $?
check_match "for want of STARTTLS" "STARTTLS" "$(cat "$T/send.err")"
"$SEND" "smtp://greenfleet:s3cret@127.0.0.1:$PORT" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "a login inside the URL is refused" 1 $?
check_match "with a reason" "no login in it" "$(cat "$T/send.err")"
check "none of these delivered anything" 1 "$(count)"

# Server down: refused at once.
DOWN=$(free_port tcp)
t0=$(now_ms)
"$SEND" -t 5 "smtp://127.0.0.1:$DOWN" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "server down: exit 1" 1 $?
ms=$(($(now_ms) - t0))
check_match "with a clear one-line error" \
	"^test_mail_send: smtp: .*(onnect|refused).*127\.0\.0\.1" "$(cat "$T/send.err")"
check "on one line" 1 "$(wc -l <"$T/send.err")"
check "at once (${ms} ms)" yes "$([ "$ms" -lt 3000 ] && echo yes || echo no)"

# A server that accepts the connection and never speaks: the timeout ends it.
SILENT=$(free_port tcp)
$PY -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); time.sleep(120)' \
	"$SILENT" &
PIDS="$PIDS $!"
wait_for $PY -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
	"$SILENT" || { echo "the silent listener did not start"; exit 99; }
t0=$(now_ms)
"$SEND" -t 2 "smtp://127.0.0.1:$SILENT" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "silent server: exit 1" 1 $?
ms=$(($(now_ms) - t0))
check_match "timed out" "^test_mail_send: smtp: .*[Tt]imed? ?out" "$(cat "$T/send.err")"
check "after the 2 s timeout, not much later (${ms} ms)" yes \
	"$([ "$ms" -ge 1500 ] && [ "$ms" -lt 6000 ] && echo yes || echo no)"
check "still one message in the maildir" 1 "$(count)"

# STARTTLS for real: a server with a certificate from our own CA (as an internal
# relay has), required by -s. Trusted only through -C (smtp.ca_file): the
# system's CAs do not know it, and an unverified certificate is never accepted.
if ! command -v openssl >/dev/null 2>&1; then
	echo "# openssl is not installed: STARTTLS delivery not tested"
	finish
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=greenfleet test CA" \
	-keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1 &&
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$T/tls.key" \
	-out "$T/tls.csr" >/dev/null 2>&1 &&
printf 'subjectAltName = IP:127.0.0.1\n' >"$T/san.ext" &&
openssl x509 -req -in "$T/tls.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/san.ext" -out "$T/tls.pem" >/dev/null 2>&1 ||
	{ echo "openssl could not make the test certificates"; exit 99; }
TLS=$(free_port tcp)
$PY -m aiosmtpd -n -l "127.0.0.1:$TLS" --tlscert "$T/tls.pem" --tlskey "$T/tls.key" \
	-c aiosmtpd.handlers.Mailbox "$T/maildir" >"$T/smtpd-tls.log" 2>&1 &
PIDS="$PIDS $!"
wait_for smtp_up "$TLS" || { echo "aiosmtpd with TLS did not start"; cat "$T/smtpd-tls.log"; exit 99; }
"$SEND" -s "smtp://127.0.0.1:$TLS" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "STARTTLS to a certificate nobody vouches for: exit 1" 1 $?
check_match "the certificate is why" "^test_mail_send: smtp: .*(certificate|SSL|issuer)" "$(cat "$T/send.err")"
check "nothing delivered" 1 "$(count)"
"$SEND" -s -C "$T/ca.pem" "smtp://127.0.0.1:$TLS" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "STARTTLS with ca_file naming its CA: delivered" 0 $?
check "nothing on stderr" "" "$(cat "$T/send.err")"
check "a second message in the maildir" 2 "$(count)"
"$SEND" -s -C "$T/tls.csr" "smtp://127.0.0.1:$TLS" "$SUBJECT" "$BODY" 2>"$T/send.err"
check "a ca_file that is not a CA bundle: exit 1" 1 $?
check "still two messages" 2 "$(count)"
finish
