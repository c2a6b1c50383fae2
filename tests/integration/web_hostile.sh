#!/bin/sh
# greenfleet-web against hostile requests: traversal, bad ids and unknown paths 404,
# methods other than GET/HEAD 405, a 100 kB URL or header and a malformed request
# refused while the server goes on answering, the security headers on every response.
. "$(dirname "$0")/lib.sh"
need state curl

start_snmpsim sharp_mx-3570n
WEB_PORT=$(free_port tcp)
CONF=$T/gf.conf
write_conf "$CONF" "web = { listen = \"127.0.0.1:$WEB_PORT\"; };
devices = (
$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n)
);"
"$GREENFLEETD" -c "$CONF" --once 2>"$T/d.log" || { cat "$T/d.log"; exit 99; }
sum_before=$(sha256sum "$GF_STATE" | cut -d' ' -f1)
start_web "$CONF"
base=http://127.0.0.1:$WEB_PORT

check "a known device" 200 "$(http_code /device/sharp)"
for p in '/device/..%2f..%2fetc%2fpasswd' '/device/../../etc/passwd' '/device/a/b' '/device/' \
    '/device/.hidden' '/device/sh%00arp' '/device/%3Cscript%3E' '/department/..' '/nope' \
    '/static/..%2f..%2fgf.conf' '/graph/device/sharp.exe' '/graph/printer/sharp.png' \
    '/graph/device/..%2fsharp.png' '/device//sharp' '/repairs/' '//' '/healthz/x' '/metrics/..'; do
	check "404: $p" 404 "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$base$p")"
done
for m in POST PUT DELETE PATCH OPTIONS TRACE; do
	check "$m: 405" 405 "$(http_code / -X "$m" -d 'a=b')"
done
check_match "405 says what is allowed" "Allow: GET, HEAD" "$(curl -s -D - -o /dev/null -X POST "$base/")"
check "HEAD: 200, no body" "200 0" "$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "$base/")"

long=$(head -c 100000 /dev/zero | tr '\0' a)
check "100 kB URL refused" 414 "$(http_code "/device/$long")"
check "100 kB header refused" 431 "$(http_code / -H "X-Big: $long")"
check "still answering after" 200 "$(http_code /healthz)"
# A request line that is no HTTP, and a header without a colon, on raw sockets.
raw() {
	$PY - "$WEB_PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
try:
    print(s.recv(100).split(b"\r\n")[0].decode())
except OSError as e:
    print("error", e)
PY
}
# libmicrohttpd closes a connection whose request line names no resource, without an answer.
check "garbage request line: closed" "" "$(raw 'GARBAGE\r\n\r\n')"
check "header without colon" "HTTP/1.1 400 Bad Request" "$(raw 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n')"
check "HTTP/1.1 without Host" "HTTP/1.1 400 Bad Request" "$(raw 'GET / HTTP/1.1\r\n\r\n')"
check "still answering after malformed requests" 200 "$(http_code /healthz)"

# Every response of ours carries the five headers, whatever its status.
for p in / /device/sharp /device/nope /nope /healthz /metrics /static/nope '/report?year=2026'; do
	h=$(curl -s -D - -o /dev/null "$base$p" | tr -d '\r')
	n=$(printf '%s\n' "$h" | grep -c -x -e "Content-Security-Policy: default-src 'self'" \
		-e 'X-Content-Type-Options: nosniff' -e 'X-Frame-Options: DENY' \
		-e 'Referrer-Policy: no-referrer' -e 'Cache-Control: no-store')
	check "five security headers on $p" 5 "$n"
done
h=$(curl -s -D - -o /dev/null -X DELETE "$base/" | tr -d '\r' | grep -c -x -e "Content-Security-Policy: default-src 'self'" -e 'X-Content-Type-Options: nosniff' -e 'X-Frame-Options: DENY' -e 'Referrer-Policy: no-referrer' -e 'Cache-Control: no-store')
check "five security headers on a 405" 5 "$h"

# The language: ?lang=, else the higher q of fr and en in Accept-Language, else smtp.language (fr).
title() { curl -s "$@" | sed -n 's/.*<title>\([^<]*\)<\/title>.*/\1/p'; }
check "no preference: French" "Erreur 404 - greenfleet" "$(title "$base/nope")"
check "Accept-Language q-values: English" "Error 404 - greenfleet" \
	"$(title -H 'Accept-Language: de, fr;q=0.5, en-GB;q=0.8' "$base/nope")"
check "Accept-Language q-values: French" "Erreur 404 - greenfleet" \
	"$(title -H 'Accept-Language: en;q=0.3, fr-CA;q=0.7' "$base/nope")"
check "?lang=en over Accept-Language" "Error 404 - greenfleet" \
	"$(title -H 'Accept-Language: fr' "$base/nope?lang=en")"
check "?lang= junk: Accept-Language decides" "Error 404 - greenfleet" \
	"$(title -H 'Accept-Language: en' "$base/nope?lang=%3Cscript%3E")"
check "junk Accept-Language: French" "Erreur 404 - greenfleet" \
	"$(title -H "Accept-Language: $(head -c 3000 /dev/zero | tr '\0' ';')q=x,,en;q=2" "$base/nope")"
kill -0 "$WEB_PID"
check "server alive after everything" 0 $?
kill "$WEB_PID"; wait "$WEB_PID"
check "SIGTERM: clean exit (no leak under ASan)" 0 $?
check "state unchanged (sha256)" "$sum_before" "$(sha256sum "$GF_STATE" | cut -d' ' -f1)"
finish
