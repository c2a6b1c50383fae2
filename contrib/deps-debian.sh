#!/bin/sh
# Installs what greenfleet needs on Debian 12: build dependencies and the real
# peers its tests start (snmpsim, snmpd, rrdcached, PostgreSQL, an SMTP server, faketime,
# Chromium, jq and Prometheus for the dashboard's tests), and
# clang with libFuzzer for tests/fuzz (its ASan/libFuzzer runtimes are libclang-rt-14-dev,
# only recommended by clang; llvm-14 symbolizes the stacks of a crash).
# Usage: contrib/deps-debian.sh [--bench | --deb]   (--bench adds collectd and wrk for bench/;
# --deb adds debhelper, lintian, devscripts and autopkgtest for contrib/deb.sh)
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS="build-essential autoconf automake pkg-config
 libsnmp-dev librrd-dev libconfig-dev libcurl4-openssl-dev libsqlite3-dev libpq-dev
 libmicrohttpd-dev libcrypt-dev zlib1g-dev whois curl
 snmp snmpd snmpsim rrdtool rrdcached sqlite3 postgresql python3 python3-aiosmtpd faketime valgrind openssl
 chromium jq
 clang libfuzzer-14-dev libclang-rt-14-dev llvm-14
 prometheus"
[ "${1:-}" = "--bench" ] && PKGS="$PKGS collectd-core wrk"
[ "${1:-}" = "--deb" ] && PKGS="$PKGS debhelper lintian devscripts autopkgtest dpkg-dev fakeroot"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
