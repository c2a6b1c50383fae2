#!/bin/sh
# bench/discover.sh -- time `greenfleet discover` over a /22 of loopback
# (1,024 addresses, 100 of them answering as real printers from one snmpsim
# process, the rest silent) and measure the datagrams it sends per second
# against its --rate. See bench/README.md ("Discovery sweep").
#
# usage: bench/discover.sh [-r "RATE..."] [-c "CONCURRENCY..."] [-b BUILD_DIR]
#   -r  rates to run (packets per second), default "default 200 1000"; "default": no --rate
#   -c  concurrencies to run each rate with, default "default 1024" ("default": none given;
#       1024 keeps every address in flight, so the rate alone paces the sweep)
#   -b  the build directory holding greenfleet, default ./_build-dev or .
# Counts datagrams with strace (sendto/sendmsg/write of each UDP socket, timestamped), so
# the count and the per-second peaks are measured outside the program; the engine's own
# counter (--stats) is printed beside them.
set -u
RATES="default 200 1000"
CONCS="default 1024"
B=""
while getopts r:c:b: o; do
	case $o in
	r) RATES=$OPTARG ;;
	c) CONCS=$OPTARG ;;
	b) B=$OPTARG ;;
	*) sed -n 2,12p "$0"; exit 2 ;;
	esac
done
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
[ -n "$B" ] || { [ -x "$top_srcdir/_build-dev/greenfleet" ] && B=$top_srcdir/_build-dev || B=$top_srcdir; }
top_builddir=$(cd "$B" && pwd)
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/lib.sh"
need strace

NET=127.0.80	# 127.0.80.0/22: 127.0.80.0 - 127.0.83.255
map=""
i=0
# 100 answering addresses spread over the /22 (every 10th), each a Printer-MIB printer.
while [ $i -lt 100 ]; do
	a=$((i * 10 + 3))
	map="$map 127.0.$((80 + a / 256)).$((a % 256))=hp_laserjet-mfp-m130nw"
	i=$((i + 1))
done
CONF=$T/gf.conf
write_conf "$CONF" ""
limit_of() { [ "$1" = default ] && sed -n 's/^#define DISC_RATE[^0-9]*\([0-9]*\).*/\1/p' \
	"$top_srcdir/src/poll/discover.h" || echo "$1"; }

printf '%-12s %-8s %7s %9s %9s %11s %8s %10s %8s\n' rate concurrency wall_s answering \
	sent_st sent_strace mean_pps peak1s_pps within10
for c in $CONCS; do
for r in $RATES; do
	ropt=""
	[ "$r" = default ] || ropt="--rate $r"
	[ "$c" = default ] || ropt="$ropt --concurrency $c"
	# A fresh simulator per row: one that fell behind would answer this row late.
	[ -n "${SIMNET_PID:-}" ] && stop_snmpsim_net
	# shellcheck disable=SC2086
	start_snmpsim_net $map
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	strace -f -ttt -e trace=sendto,sendmsg -o "$T/strace.$r" \
		"$GREENFLEET" -c "$CONF" discover "$NET.0/22" --port "$SIM_PORT" --timeout 1000 \
		--stats --format csv $ropt >"$T/out.$r" 2>"$T/err.$r"
	end=$(date +%s.%N)
	limit=$(limit_of "$r")
	found=$(awk -F, 'NR > 1' "$T/out.$r" | wc -l)
	st=$(sed -n 's/.* \([0-9]*\) datagrams in .*/\1/p' "$T/err.$r")
	# Datagrams to the simulated port only, one timestamp each; mean over first..last send,
	# peak over every 1 s window that starts at a send.
	awk -v port="$SIM_PORT" -v limit="$limit" -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
		-v found="$found" -v st="$st" -v r="$r" -v c="$c" '
		$0 ~ "htons\\(" port "\\)" && $0 !~ /= -1/ { t[n++] = $2 }
		END {
			peak = 0; k = 0
			for (i = 0; i < n; i++) { while (t[i] - t[k] >= 1) k++; if (i - k + 1 > peak) peak = i - k + 1 }
			mean = n > 1 ? (n - 1) / (t[n - 1] - t[0]) : 0
			ok = (peak <= limit * 1.10 && mean <= limit * 1.10) ? "yes" : "NO"
			printf "%-12s %-8s %7.2f %9d %9s %11d %8.0f %10d %8s\n", r " (" limit ")", c, wall, found, st, n, mean, peak, ok
		}' "$T/strace.$r"
done
done
