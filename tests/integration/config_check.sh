#!/bin/sh
# greenfleetd -t and the CLI on good, bad and hostile input: clear errors, no crash.
. "$(dirname "$0")/lib.sh"

CONF=$T/gf.conf
write_conf "$CONF" "devices = ( $(device copieur-rdc printer 192.0.2.10 161 s3cret) );"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "-t on a good config exits 0" 0 $?
check "-t says configuration OK" "configuration OK" "$out"

cat >"$T/bad.conf" <<'BAD'
data_dir = "/tmp/x";
interval = 5;
colour = true;
departments = ( { id = "urbanisme"; name = "Urbanisme"; } );
devices = (
  { id = "../etc"; host = "192.0.2.1"; kind = "printer"; department = "urbanisme";
    snmp = { version = "2c"; community = "public"; }; },
  { id = "b"; host = "192.0.2.2"; kind = "scanner"; department = "compta"; in_service = "2023-02-29";
    snmp = { version = "2c"; community = "public"; }; }
);
BAD
out=$("$GREENFLEETD" -t -c "$T/bad.conf" 2>&1)
check "-t on a bad config exits 1" 1 $?
check_match "range error with its line" "^$T/bad.conf:2: interval: 5 is out of range \(10\.\.86400\)" "$out"
check_match "unknown key with its line" "$T/bad.conf:3: unknown key 'colour'" "$out"
check_match "unsafe id with its line" "$T/bad.conf:6: device id '\.\./etc' is unsafe as a file name" "$out"
check_match "bad kind" "$T/bad.conf:8: kind: 'scanner' is not one of printer, workstation" "$out"
check_match "unknown department" "$T/bad.conf:8: unknown department 'compta'" "$out"
check_match "bad date" "$T/bad.conf:8: in_service: '2023-02-29': no such day \\(February 2023 has 28 days\\)" "$out"
check "every error reported, nothing else" 6 "$(printf '%s\n' "$out" | grep -c "^$T/bad.conf:")"

printf 'interval = 300\ndevices = (\n' >"$T/syntax.conf"
out=$("$GREENFLEETD" -t -c "$T/syntax.conf" 2>&1)
check "syntax error exits 1" 1 $?
check_match "syntax error has file:line" "^$T/syntax.conf:3: syntax error" "$out"

out=$("$GREENFLEETD" -t -c "$T/missing.conf" 2>&1)
check "missing file exits 1" 1 $?
check_match "missing file is named" "$T/missing.conf: cannot read" "$out"

chmod 644 "$CONF"
out=$("$GREENFLEETD" -t -c "$CONF" 2>&1)
check "a readable file with secrets still loads" 0 $?
check_match "but gets a warning naming it" "$CONF: warning: file holds SNMP secrets but is readable by group or others" "$out"
chmod 600 "$CONF"
check "no warning at 0600" "configuration OK" "$("$GREENFLEETD" -t -c "$CONF" 2>&1)"

# @include: libconfig 1.5's scanner exit(2)s on a directory and blocks on a FIFO; each
# target is checked first and named with the including file's line. The base
# configuration is good: only the include is wrong.
mkfifo "$T/fifo"
inc() { # NAME: -t on the good configuration plus '@include "NAME"' on its line 13
	{ cat "$CONF"; printf '@include "%s"\n' "$1"; } >"$T/inc.conf"
	chmod 600 "$T/inc.conf"
	timeout 20 "$GREENFLEETD" -t -c "$T/inc.conf" 2>&1
	echo "rc=$?"
}
L=$(($(wc -l <"$CONF") + 1))
check "@include of a directory" "$T/inc.conf:$L: @include \"/etc\": Is a directory
rc=1" "$(inc /etc)"
check "@include of a FIFO (never opened for reading: no hang)" \
	"$T/inc.conf:$L: @include \"$T/fifo\": Not a regular file (a FIFO, socket or device)
rc=1" "$(inc "$T/fifo")"
check "@include of a device" "$T/inc.conf:$L: @include \"/dev/zero\": Not a regular file (a FIFO, socket or device)
rc=1" "$(inc /dev/zero)"
check "@include of a missing file" "$T/inc.conf:$L: @include \"$T/none.conf\": No such file or directory
rc=1" "$(inc "$T/none.conf")"
check "@include of a pattern (libconfig 1.5 does not expand them)" \
	"$T/inc.conf:$L: @include \"$T/*.conf\": no such file (patterns are not expanded: name each file)
rc=1" "$(inc "$T/*.conf")"
head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' '#' >"$T/huge.conf"
check "@include of a huge file" "$T/inc.conf:$L: @include \"$T/huge.conf\": File too large (a configuration file is at most 8 MiB)
rc=1" "$(inc "$T/huge.conf")"
printf '# includes itself\n@include "%s"\n' "$T/loop.conf" >"$T/loop.conf"
check "an include loop ends at libconfig's depth" "$T/loop.conf:2: @include \"$T/loop.conf\": includes nested more than 10 deep (does a file include itself?)
rc=1" "$(inc "$T/loop.conf")"
# Not includes: in a comment, in a string, not at a line's beginning.
printf 'max_ppm = 200;\n/*\n@include "/etc"\n*/\n' >"$T/part.conf"
check "a good include is read; an @include in a comment is not one" "configuration OK
rc=0" "$(inc "$T/part.conf")"
printf 'max_ppm = 5000000;\n' >"$T/bad-part.conf"
check "an error in an included file names that file" "$T/bad-part.conf:1: max_ppm: 5000000 is out of range (1..100000)
rc=1" "$(inc "$T/bad-part.conf")"

# What start-up checks, -t checks: the user, data_dir, mail_dir and its templates.
tcheck() { # BODY: -t on the good devices plus BODY (first line of the file)
	{ printf '%s\n' "$1"; cat "$CONF"; } >"$T/t.conf"
	chmod 600 "$T/t.conf"
	"$GREENFLEETD" -t -c "$T/t.conf" 2>&1
	echo "rc=$?"
}
check "-t: a user that does not exist" "$T/t.conf:1: user: no such user 'no-such-user'
rc=1" "$(tcheck 'user = "no-such-user";')"
SMTP='smtp = { url = "smtp://127.0.0.1:25"; from = "greenfleet@mairie.example"; };'
# mail_dir is set on line 4 of CONF: a later setting replaces it (libconfig takes the last).
sed "s|^mail_dir = .*|mail_dir = \"$T/no-mail\";|" "$CONF" >"$T/nomail.conf"
{ printf '%s\n' "$SMTP"; cat "$T/nomail.conf"; } >"$T/t.conf"
chmod 600 "$T/t.conf"
out=$("$GREENFLEETD" -t -c "$T/t.conf" 2>&1)
check "-t: smtp with a missing mail_dir" "1 $T/t.conf:4: mail_dir: cannot read '$T/no-mail': No such file or directory (smtp needs its templates)" "$? $out"
mkdir "$T/mail"
cp "$top_srcdir"/conf/mail/*.txt "$T/mail/"
printf 'Sujet : dépassement\n\nx\n' >"$T/mail/quota-breach.fr.txt"
rm "$T/mail/quota-warning.fr.txt" "$T/mail/quota-warning.en.txt"
sed "s|^mail_dir = .*|mail_dir = \"$T/mail\";|" "$CONF" >"$T/mail.conf"
{ printf '%s\n' "$SMTP"; cat "$T/mail.conf"; } >"$T/t.conf"
chmod 600 "$T/t.conf"
out=$("$GREENFLEETD" -t -c "$T/t.conf" 2>&1)
check "-t: smtp with templates missing or broken, each named" "1 $T/mail/quota-warning.en.txt: cannot read: No such file or directory (the fallback for $T/mail/quota-warning.fr.txt)
$T/mail/quota-breach.fr.txt:1: the first line must be \"Subject: ...\"" "$? $out"
: >"$T/flat"
sed "s|^data_dir = .*|data_dir = \"$T/flat/data\";|" "$CONF" >"$T/t.conf"
out=$("$GREENFLEETD" -t -c "$T/t.conf" 2>&1)
check "-t: a data_dir that cannot be made" "1 $T/t.conf:1: data_dir: cannot use '$T/flat/data': Not a directory" "$? $out"
if [ "$(id -u)" = 0 ]; then
	out=$("$top_builddir/greenfleetd" -t -c "$CONF" 2>&1)
	check "-t as root without user or --allow-root, as the start would" "1 $CONF: refusing to run as root: a daemon that parses answers from the network should not; set user = \"greenfleet\" in $CONF, or pass --allow-root" "$? $out"
fi

# Only what is wrong: a syntax error is the one line; profiles_dir errors have their line.
out=$("$GREENFLEETD" -t -c "$T/syntax.conf" 2>&1)
check "a syntax error is the only line" "$T/syntax.conf:3: syntax error" "$out"
sed 's|^profiles_dir = .*|profiles_dir = "a@b";|' "$CONF" >"$T/t.conf"
out=$("$GREENFLEETD" -t -c "$T/t.conf" 2>&1)
check "profiles_dir that does not exist, at its line" "1 $T/t.conf:2: profiles_dir: cannot read 'a@b': No such file or directory" "$? $out"
mkdir "$T/prof"
printf 'name = "acme";\n@include "/etc"\n' >"$T/prof/acme.conf"
printf 'name = "bad";\nmatch = { sys_object_id = [ "1.3.6.1.4.1.99999." ]; };\ncounters = ( { counter = "total"; oid = "x"; } );\n' >"$T/prof/bad.conf"
sed "s|^profiles_dir = .*|profiles_dir = \"$T/prof\";|" "$CONF" >"$T/t.conf"
out=$("$GREENFLEETD" -t -c "$T/t.conf" 2>&1)
check "profile files' own errors at their lines" "1 $T/prof/acme.conf:2: @include \"/etc\": Is a directory
$T/prof/bad.conf:3: oid: 'x' is not a dotted OID (at most 32 parts)" "$? $out"
# An empty or non-string oid list (the long fuzz_profile run found it read an unset pointer).
rm "$T/prof/acme.conf"
printf 'name = "bad";\nmatch = { sys_object_id = [ "1.3.6.1.4.1.99999." ]; };\ncounters = (\n { counter = "total"; oid = [ ]; },\n { counter = "mono"; oid = [ 5 ]; } );\n' >"$T/prof/bad.conf"
out=$("$GREENFLEETD" -t -c "$T/t.conf" 2>&1)
check "an empty or non-string oid list is an error at its line" "1 $T/prof/bad.conf:4: oid: expected at least one OID
$T/prof/bad.conf:5: oid: expected a non-empty string" "$? $out"

# The pollers list: each mistake is one FILE:LINE: message, at the entry's or the key's line.
write_conf "$T/pollers.conf" ""
L=$(($(wc -l <"$T/pollers.conf") + 1))
pollers_t() { # ENTRIES [DEVICE_POLLER]: -t on a pollers list from line $L, a device pinned
	_pin=""
	[ -n "${2:-}" ] && _pin=",
  { id = \"p2\"; kind = \"printer\"; host = \"192.0.2.11\"; department = \"urbanisme\";
    poller = \"$2\"; snmp = { version = \"2c\"; community = \"s3cret\"; }; }"
	write_conf "$T/pollers.conf" "pollers = (
$1
);
devices = ( $(device copieur-rdc printer 192.0.2.10 161 s3cret)$_pin );"
	"$GREENFLEETD" -t -c "$T/pollers.conf" 2>&1
	echo "rc=$?"
}
P=$T/pollers.conf
check "a good pollers list, a device pinned to one" "configuration OK
rc=0" "$(pollers_t '  { name = "site-nord"; networks = [ "192.0.2.0/24", "10.1.0.0/16" ]; },
  { name = "site-sud"; networks = [ "198.51.100.0/24" ]; },
  { name = "central"; }' site-sud)"
check "a poller's unknown key" "$P:$((L + 1)): poller 'site-nord': unknown key 'colour' (a poller has name and networks)
rc=1" "$(pollers_t '  { name = "site-nord";
    colour = true; }')"
check "a bad network" "$P:$((L + 1)): poller 'site-sud': networks: '10.0.0.0/33': a CIDR prefix is /0 to /32
rc=1" "$(pollers_t '  { name = "site-sud";
    networks = [ "10.0.0.0/8", "10.0.0.0/33" ]; }')"
check "networks that are no list" "$P:$L: poller 'a': networks: expected a list of strings [ \"192.0.2.0/24\", ... ]
rc=1" "$(pollers_t '  { name = "a"; networks = "10.0.0.0/8"; }')"
check "a poller listed twice" "$P:$((L + 2)): poller 'site-nord' listed twice (first at line $L)
rc=1" "$(pollers_t '  { name = "site-nord"; networks = [ "192.0.2.0/24" ]; },
  { name = "site-sud"; },
  { name = "site-nord"; }')"
check "a device's poller that is not listed" "$P:$((L + 5)): poller: 'site-est' is not in the pollers list
rc=1" "$(pollers_t '  { name = "site-nord"; }' site-est)"
check "a poller name with unsafe characters" "$P:$L: poller name '../nord x': use 1 to 64 of [A-Za-z0-9._-], not starting with a dot
rc=1" "$(pollers_t '  { name = "../nord x"; }')"
check "a name too long" "$P:$L: poller name '$(printf 'n%.0s' $(seq 65))': use 1 to 64 of [A-Za-z0-9._-], not starting with a dot
rc=1" "$(pollers_t "  { name = \"$(printf 'n%.0s' $(seq 65))\"; }")"
check "an entry without a name" "$P:$L: pollers: entry 1 has no name (name = \"site-nord\";)
rc=1" "$(pollers_t '  { networks = [ "192.0.2.0/24" ]; }')"
check "an entry that is no group" "$P:$L: pollers: entry 1: expected a group { name = \"site-nord\"; networks = [ \"192.0.2.0/24\" ]; }
rc=1" "$(pollers_t '  "b", { name = "a"; }')"
check "64 pollers are fine" "configuration OK
rc=0" "$(pollers_t "$(seq 1 64 | sed 's/.*/  { name = "p&"; }/' | paste -sd,)")"
check "65 are too many" "$P:$((L - 1)): pollers: 65 listed, at most 64 share a store
rc=1" "$(pollers_t "$(seq 1 65 | sed 's/.*/  { name = "p&"; }/' | paste -sd,)")"
# What a new RRD file keeps: days, in range, each on its own line.
write_conf "$T/keep.conf" "rrd_full_days = 0;
rrd_hourly_days = 31;
rrd_daily_days = 40000;
devices = ( $(device copieur-rdc printer 192.0.2.10 161 s3cret) );"
K=$(($(grep -n '^rrd_full_days' "$T/keep.conf" | cut -d: -f1)))
check "rrd_*_days out of range: one FILE:LINE message each" "$T/keep.conf:$K: rrd_full_days: 0 is out of range (1..3660)
$T/keep.conf:$((K + 2)): rrd_daily_days: 40000 is out of range (0..36600)
rc=1" "$("$GREENFLEETD" -t -c "$T/keep.conf" 2>&1; echo "rc=$?")"

# -t checks the -n name as the start does (--once takes no lease: no name needed).
check "-t -n with a name the store cannot take" "greenfleetd: poller name '../nord x': use 1 to 64 of [A-Za-z0-9._-], not starting with a dot (-n/--poller)
rc=1" "$("$GREENFLEETD" -t -n '../nord x' -c "$CONF" 2>&1; echo "rc=$?")"
check "-t -n with a good name" "configuration OK
rc=0" "$("$GREENFLEETD" -t --poller site-nord -c "$CONF" 2>&1; echo "rc=$?")"
check "-t --once -n: no lease, no name checked" "configuration OK
rc=0" "$("$GREENFLEETD" -t --once -n 'x y' -c "$CONF" 2>&1; echo "rc=$?")"

# contrib/two-sites: its configuration is valid as shipped, but for its Debian paths
# (data_dir's line points into $T and this tree instead, keeping every line number),
# and its unit template is one systemd takes (when systemd-analyze is here).
TWO=$top_srcdir/contrib/two-sites
sed "s|^data_dir = .*|data_dir = \"$T/two\"; profiles_dir = \"$top_srcdir/conf/profiles.d\"; mail_dir = \"$top_srcdir/conf/mail\";|" \
	"$TWO/greenfleet.conf" >"$T/two.conf"
chmod 600 "$T/two.conf"
check "contrib/two-sites/greenfleet.conf: only data_dir's line is changed" 1 \
	"$(diff "$TWO/greenfleet.conf" "$T/two.conf" | grep -c '^>')"
check "contrib/two-sites/greenfleet.conf: greenfleetd -t" "configuration OK
rc=0" "$("$GREENFLEETD" -t -c "$T/two.conf" 2>&1; echo "rc=$?")"
check "contrib/two-sites/greenfleet.conf: two pollers pinned, the store on PostgreSQL" \
	'postgresql://greenfleet@central.example/|site-nord|site-sud' \
	"$(sed -n 's/.*name = "\(site-[a-z]*\)"; networks.*/\1/p; s/^store = "\(postgresql:\/\/[^/]*\/\).*/\1/p' "$TWO/greenfleet.conf" | sort | paste -sd'|')"
check "greenfleetd@.service runs greenfleetd -f -n %i on the packaged configuration" \
	"ExecStart=/usr/sbin/greenfleetd -f -n %i -c /etc/greenfleet/greenfleet.conf" \
	"$(grep '^ExecStart=' "$TWO/greenfleetd@.service")"
if command -v systemd-analyze >/dev/null 2>&1; then
	cp "$TWO/greenfleetd@.service" "$T/"
	check "systemd-analyze verify finds nothing wrong in greenfleetd@.service" "" \
		"$(systemd-analyze verify "$T/greenfleetd@.service" 2>&1 | grep -v -e 'is not executable' -e "Command 'man ")"
	sed 's/^Type=notify/Type=bogus/' "$T/greenfleetd@.service" >"$T/bad@.service"
	check_match "and would have found a mistake" "bad@.service:[0-9]+: Failed to parse service type" \
		"$(systemd-analyze verify "$T/bad@.service" 2>&1)"
fi

# Hostile command lines.
"$GREENFLEETD" --no-such-flag >/dev/null 2>&1
check "unknown daemon flag exits 2" 2 $?
"$GREENFLEETD" -c "$CONF" extra-arg >/dev/null 2>&1
check "stray daemon argument exits 2" 2 $?
"$GREENFLEET" -c "$CONF" frobnicate >/dev/null 2>&1
check "unknown CLI command exits 2" 2 $?
"$GREENFLEET" -c "$CONF" status --format xml >/dev/null 2>&1
check "unknown format exits 2" 2 $?
out=$("$GREENFLEET" -c "$CONF" status 2>&1)
check "status before any poll exits 1" 1 $?
check_match "and says so" "no state in $T/data yet" "$out"
"$GREENFLEET" >/dev/null 2>&1
check "no command exits 2" 2 $?
finish
