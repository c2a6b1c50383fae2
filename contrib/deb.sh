#!/bin/sh
# The package route, as CI runs it (root, Debian 12, after contrib/deps-debian.sh):
# builds the Debian packages (debian/), runs lintian (an error fails), installs
# them with apt, runs the autopkgtest smoke test (debian/tests/smoke) against the
# installed binaries, purges them and checks nothing of theirs is left outside
# /var/log. The .debs are left in deb-output/. It really installs and purges.
# Usage: sh contrib/deb.sh   (as root)
set -eu
cd "$(dirname "$0")/.."
SRC=$(pwd)
OUT=$SRC/deb-output
[ "$(id -u)" -eq 0 ] || { echo "deb.sh: run as root (it installs and purges the packages)" >&2; exit 1; }
sh contrib/deps-debian.sh --deb
export DEBIAN_FRONTEND=noninteractive

T0=$(date +%s)
step() { echo "=== $1 ($(($(date +%s) - T0)) s)"; }

# Built in a copy of the working tree (tracked and new files, not ignored
# ones): dpkg-buildpackage writes the .debs into the parent folder and its
# leftovers (debian/tmp, debian/greenfleet, debian/files, ...) beside the
# sources; neither touches this tree. The copy goes when the script ends.
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM
step "copy the tree to $W"
mkdir "$W/greenfleet"
git ls-files -z --cached --others --exclude-standard |
	tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$W/greenfleet"

step "dpkg-buildpackage -us -uc -b"
# As many compile jobs as cores (dh builds in parallel when told how many).
: "${DEB_BUILD_OPTIONS:=parallel=$(nproc 2>/dev/null || echo 2)}"
export DEB_BUILD_OPTIONS
(cd "$W/greenfleet" && dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1 ||
	{ tail -n 60 "$W/build.log"; echo "deb.sh: the package build failed"; exit 1; }
tail -n 5 "$W/build.log"
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$W"/*.deb "$W"/*.changes "$W"/*.buildinfo "$OUT"/
ls -l "$OUT"

step "lintian"
lintian --fail-on error --show-overrides "$OUT"/*.changes ||
	{ echo "deb.sh: lintian reports an error"; exit 1; }

step "apt-get install"
(cd "$OUT" && apt-get install -y -q ./greenfleet_*.deb ./greenfleet-web_*.deb)
FAILS=0
expect() {	# expect WHAT COMMAND...: the command must succeed
	_what=$1; shift
	if "$@"; then echo "ok - $_what"; else echo "not ok - $_what"; FAILS=$((FAILS + 1)); fi
}
W_ENABLED=/etc/systemd/system/multi-user.target.wants
expect "the system user greenfleet exists" sh -c "getent passwd greenfleet >/dev/null"
expect "/var/lib/greenfleet exists, owned by greenfleet" \
	test "$(stat -c %U:%a /var/lib/greenfleet 2>/dev/null)" = greenfleet:750
expect "greenfleetd.service is enabled" test -L $W_ENABLED/greenfleetd.service
expect "greenfleet-web.service is enabled" test -L $W_ENABLED/greenfleet-web.service
expect "greenfleetd-notify.service is not enabled" test ! -e $W_ENABLED/greenfleetd-notify.service
expect "the sample is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' greenfleet |
	grep -q ' /etc/greenfleet/greenfleet.conf.example '"
expect "no greenfleet.conf is installed (nothing starts before one is written)" \
	test ! -e /etc/greenfleet/greenfleet.conf

step "smoke test (debian/tests/smoke) on the installed package"
expect "the smoke test passes" sh debian/tests/smoke

step "upgrade (same version again) and remove keep the state"
echo kept >/var/lib/greenfleet/deb-sh-marker
(cd "$OUT" && dpkg -i ./greenfleet_*.deb ./greenfleet-web_*.deb)
expect "an upgrade keeps /var/lib/greenfleet" test -f /var/lib/greenfleet/deb-sh-marker
apt-get remove -y -q greenfleet-web greenfleet
expect "remove keeps /var/lib/greenfleet" test -f /var/lib/greenfleet/deb-sh-marker
expect "remove keeps the conffiles" test -f /etc/greenfleet/greenfleet.conf.example

step "apt-get purge"
apt-get purge -y -q greenfleet-web greenfleet
expect "dpkg knows no greenfleet package" sh -c '! dpkg -l greenfleet greenfleet-web 2>/dev/null | grep -q "^[a-z][a-z] "'
expect "dpkg -S finds no greenfleet file" sh -c '! dpkg -S greenfleet 2>/dev/null'
expect "/etc/greenfleet is gone" test ! -e /etc/greenfleet
expect "/var/lib/greenfleet is gone" test ! -e /var/lib/greenfleet
# The system's folders, not the scratch ones (/tmp, /var/tmp: other builds live there).
left=$(find /etc /usr /lib /var /run /opt -xdev \( -path /var/log -o -path /var/tmp \) -prune -o \
	-name '*greenfleet*' -print 2>/dev/null || true)
expect "no file named greenfleet outside /var/log" test -z "$left"
[ -z "$left" ] || printf 'left: %s\n' "$left"

step "done"
[ $FAILS -eq 0 ] || { echo "deb.sh: $FAILS check(s) failed"; exit 1; }
echo "deb.sh: packages in $OUT built, lintian-clean, installed, smoke-tested and purged"
