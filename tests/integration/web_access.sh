#!/bin/sh
# greenfleet-web's access rules on a real state: loopback only without a users file,
# Basic auth checked with crypt(3) (401), a department head kept to its department
# (403), TLS from a self-signed certificate, the state never written, and the web
# process still answering while greenfleetd restarts and reloads.
. "$(dirname "$0")/lib.sh"
need state curl mkpasswd openssl

start_snmpsim sharp_mx-3570n hp_laserjet-mfp-m130nw
WEB_PORT=$(free_port tcp)
CONF=$T/gf.conf
# web_conf EXTRA: the config with devices in both departments and a web group.
web_conf() {
	write_conf "$CONF" "web = { listen = \"127.0.0.1:$WEB_PORT\"; $1 };
devices = (
$(device sharp printer 127.0.0.1 "$SIM_PORT" sharp_mx-3570n urbanisme),
$(device hp printer 127.0.0.1 "$SIM_PORT" hp_laserjet-mfp-m130nw etat-civil)
);"
}
web_conf ""
"$GREENFLEETD" -c "$CONF" --once 2>"$T/d.log" || { cat "$T/d.log"; exit 99; }
check "greenfleetd accepts the web group (-t)" "configuration OK" "$("$GREENFLEETD" -c "$CONF" -t 2>&1)"
sum_before=$(sha256sum "$GF_STATE" | cut -d' ' -f1)

# Without a users file: loopback only, said at start; another address is refused.
start_web "$CONF"
check "/healthz without users file" 200 "$(http_code /healthz)"
check "/healthz body" ok "$(curl -s "http://127.0.0.1:$WEB_PORT/healthz")"
check "fleet page without login" 200 "$(http_code /)"
check_match "start says loopback only" "no web.users_file: no login, so loopback only" "$(cat "$T/web.log")"
kill "$WEB_PID"; wait "$WEB_PID"
check "SIGTERM: clean exit" 0 $?
write_conf "$T/open.conf" "web = {
  listen = \"0.0.0.0:$WEB_PORT\"; };"
out=$("$GREENFLEET_WEB" -t -c "$T/open.conf" 2>&1)
check "non-loopback without users refused (-t exit)" 1 $?
check "... with FILE:LINE and the reason" "$T/open.conf:13: web.listen: '0.0.0.0:$WEB_PORT' is not a loopback address: without web.users_file, greenfleet-web serves loopback only (see greenfleet-web(8))" "$out"
check "... and at start" 1 "$("$GREENFLEET_WEB" -f --allow-root -c "$T/open.conf" 2>/dev/null; echo $?)"

# A users file: an IT user and the head of urbanisme.
hash_it=$(mkpasswd -m yescrypt 'it-secret')
hash_head=$(mkpasswd -m sha512crypt 'head-secret')
printf '# name:hash:role[:department]\nalice:%s:it\nbob:%s:head:urbanisme\n' "$hash_it" "$hash_head" >"$T/users"
chmod 666 "$T/users"
web_conf "users_file = \"$T/users\";"
check "a world-writable users file is refused" "$T/users: must be a regular file neither group- nor world-writable (chmod 640)" "$("$GREENFLEET_WEB" -t -c "$CONF" 2>&1)"
chmod 640 "$T/users"
printf 'carol:%s:head:compta\ndave:plain:it\nerin:%s:boss\n' "$hash_it" "$hash_it" >"$T/bad-users"
chmod 600 "$T/bad-users"
sed "s|$T/users|$T/bad-users|" "$CONF" >"$T/bad.conf"
check "bad users lines: FILE:LINE each" "$T/bad-users:1: carol: no department 'compta' in $T/bad.conf
$T/bad-users:2: dave: the password is not a crypt(3) hash this system knows (make one with mkpasswd -m yescrypt)
$T/bad-users:3: erin: role must be it or head" "$("$GREENFLEET_WEB" -t -c "$T/bad.conf" 2>&1)"
check "the users file checks (-t)" "configuration OK" "$("$GREENFLEET_WEB" -t -c "$CONF" 2>&1)"

start_web "$CONF"
check "no credentials: 401" 401 "$(http_code /)"
check_match "401 names the realm" 'WWW-Authenticate: Basic realm="greenfleet"' "$(curl -s -D - -o /dev/null "http://127.0.0.1:$WEB_PORT/")"
check "wrong password: 401" 401 "$(http_code / -u alice:nope)"
check "unknown user: 401" 401 "$(http_code / -u mallory:it-secret)"
check "another user's password: 401" 401 "$(http_code / -u bob:it-secret)"
check "it user: fleet 200" 200 "$(http_code / -u alice:it-secret)"
check "it user: /metrics 200" 200 "$(http_code /metrics -u alice:it-secret)"
check "it user: other department 200" 200 "$(http_code /department/etat-civil -u alice:it-secret)"
check "head user: its department 200" 200 "$(http_code /department/urbanisme -u bob:head-secret)"
check "head user: its device 200" 200 "$(http_code /device/sharp -u bob:head-secret)"
check "head user: another department 403" 403 "$(http_code /department/etat-civil -u bob:head-secret)"
check "head user: another department's device 403" 403 "$(http_code /device/hp -u bob:head-secret)"
check "head user: another department's graph 403" 403 "$(http_code /graph/device/hp.png -u bob:head-secret)"
check "head user: /metrics 403" 403 "$(http_code /metrics -u bob:head-secret)"
check "head user: /repairs 403" 403 "$(http_code /repairs -u bob:head-secret)"
check "head user: /report 403" 403 "$(http_code '/report?year=2026' -u bob:head-secret)"
check "head user: /pollers 403" 403 "$(http_code /pollers -u bob:head-secret)"
check "it user: /pollers 200" 200 "$(http_code /pollers -u alice:it-secret)"
check "head user: / sends to its department" "303 /department/urbanisme" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -u bob:head-secret "http://127.0.0.1:$WEB_PORT/" | sed 's|http://[^/]*||')"
check "/healthz needs no login" 200 "$(http_code /healthz)"
for a in "" "-u bob:head-secret"; do
	# shellcheck disable=SC2086
	n=$(curl -s -D - -o /dev/null $a "http://127.0.0.1:$WEB_PORT/department/etat-civil" | tr -d '\r' |
		grep -c -x -e "Content-Security-Policy: default-src 'self'" -e 'X-Content-Type-Options: nosniff' \
		-e 'X-Frame-Options: DENY' -e 'Referrer-Policy: no-referrer' -e 'Cache-Control: no-store')
	check "five security headers on the ${a:+403}${a:-401}" 5 "$n"
done

# SIGHUP re-reads the users file: bob removed, alice still in.
grep -v '^bob:' "$T/users" >"$T/users.new"; chmod 640 "$T/users.new"; mv "$T/users.new" "$T/users"
kill -HUP "$WEB_PID"
wait_for sh -c "grep -q 'reload: .* loaded' '$T/web.log'"
check "after SIGHUP: removed user 401" 401 "$(http_code /department/urbanisme -u bob:head-secret)"
check "after SIGHUP: it user 200" 200 "$(http_code / -u alice:it-secret)"
# A reload with errors keeps the running users.
printf 'broken line\n' >>"$T/users"
kill -HUP "$WEB_PID"
wait_for sh -c "grep -q 'still serving the previous configuration' '$T/web.log'"
check "bad reload: still serving" 200 "$(http_code / -u alice:it-secret)"
check_match "bad reload: FILE:LINE logged" "reload: $T/users:3: expected name:crypt-hash:role" "$(cat "$T/web.log")"
kill "$WEB_PID"; wait "$WEB_PID"
check "state unchanged by every request (sha256)" "$sum_before" "$(sha256sum "$GF_STATE" | cut -d' ' -f1)"

# TLS on a self-signed certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null ||
	{ echo "openssl req failed"; exit 99; }
web_conf "cert = \"$T/cert.pem\"; key = \"$T/key.pem\";"
WEB_SCHEME=https
start_web "$CONF"
check "HTTPS, certificate verified" 200 "$(http_code /healthz --cacert "$T/cert.pem")"
check "HTTPS body" ok "$(curl -s --cacert "$T/cert.pem" "https://127.0.0.1:$WEB_PORT/healthz")"
check_match "HTTPS: headers there too" "Content-Security-Policy: default-src 'self'" "$(curl -s -D - -o /dev/null --cacert "$T/cert.pem" "https://127.0.0.1:$WEB_PORT/")"
check "plain HTTP on the TLS port gets no page" 000 "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEB_PORT/healthz")"
kill "$WEB_PID"; wait "$WEB_PID"
WEB_SCHEME=http

# The web process keeps answering while greenfleetd reloads and restarts.
web_conf ""
sed -i 's/^interval = .*/interval = 10;/' "$CONF"
start_web "$CONF"
"$GREENFLEETD" -c "$CONF" -f 2>>"$T/d.log" &
gf=$!
PIDS="$PIDS $gf"
sleep 1
check "daemon running: /healthz" 200 "$(http_code /healthz)"
kill -HUP $gf
sleep 1
check "daemon reloaded: /healthz" 200 "$(http_code /healthz)"
check "daemon reloaded: device page" 200 "$(http_code /device/sharp)"
kill -TERM $gf; wait $gf
check "daemon stopped: /healthz" 200 "$(http_code /healthz)"
"$GREENFLEETD" -c "$CONF" -f 2>>"$T/d.log" &
gf=$!
PIDS="$PIDS $gf"
sleep 1
check "daemon restarted: fleet page" 200 "$(http_code /)"
kill -HUP "$WEB_PID"
sleep 0.5
check "web reloaded while the daemon runs: /healthz" 200 "$(http_code /healthz)"
kill -TERM $gf; wait $gf
kill -0 "$WEB_PID" 2>/dev/null
check "web process alive throughout" 0 $?
kill "$WEB_PID"; wait "$WEB_PID"
check "web SIGTERM: exit 0" 0 $?
finish
