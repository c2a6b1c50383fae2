#!/bin/sh
# The long fuzz run: each target for SECONDS (default 3600), one after the other,
# from (and growing) a corpus kept in DIR/NAME, crashes kept in DIR/NAME.crashes/.
# Prints per target: executions, exec/s, coverage (cov: edges, ft: features),
# corpus size and crashes. Run it from the build directory (make fuzz first), or
# through make: make fuzz-long FUZZ_ARGS="-j 2 -d /var/tmp/gf-fuzz 3600 decode".
#
# Usage: tests/fuzz/long.sh [-j JOBS] [-d DIR] [SECONDS] [NAME...]
#   -j JOBS  fuzz processes per target (libFuzzer -fork=JOBS, which goes on after a
#            crash and keeps every one); default 1, a plain run that stops at the first
#   -d DIR   where corpora and crashes are kept (default tests/fuzz/long in the build dir)
#   NAME     decode, output... (default: every target built)
# Extra libFuzzer flags go in GF_FUZZ_FLAGS, e.g. GF_FUZZ_FLAGS="-jobs=4 -workers=2"
# (libFuzzer's older parallel mode: JOBS runs of SECONDS each, WORKERS at a time).
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/fuzz/lib.sh"

jobs=1
dir="$top_builddir/tests/fuzz/long"
while getopts j:d: opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	d) dir=$OPTARG ;;
	*) sed -n '2,17s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
secs=3600
case ${1:-} in
'' | *[!0-9]*) ;;
*) secs=$1; shift ;;
esac
if [ ! -f "$FUZZ_LIST" ]; then
	echo "no fuzz targets in $top_builddir: configure found no clang with libFuzzer, or run make fuzz" >&2
	exit 2
fi
names=${*:-$(fuzz_names)}
fuzz_env
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
summary="$dir/summary.txt"
printf '%s: %s s per target, %s job(s)\n' "$(date '+%Y-%m-%d %H:%M')" "$secs" "$jobs" >"$summary"
printf '%-10s %12s %8s %7s %7s %7s %7s\n' target execs exec/s cov ft corpus crashes | tee -a "$summary"
for n in $names; do
	bin="$top_builddir/tests/fuzz/fuzz_$n.fuzz"
	[ -x "$bin" ] || { echo "$n: no $bin" >&2; exit 2; }
	[ -d "$dir/$n" ] || fuzz_seed "$n" "$dir/$n"
	mkdir -p "$dir/$n.crashes"
	par=$(fuzz_flags "$n")
	[ "$jobs" -gt 1 ] && par="$par -fork=$jobs -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
	# shellcheck disable=SC2086
	# From DIR: libFuzzer's -jobs mode writes its fuzz-N.log files where it runs.
	(cd "$dir" && "$bin" -rss_limit_mb=2048 -timeout=10 -max_total_time="$secs" -print_final_stats=1 \
	    $par ${GF_FUZZ_FLAGS:-} -artifact_prefix="$dir/$n.crashes/" \
	    "$dir/$n" >"$dir/$n.log" 2>&1) || true
	crashes=$(find "$dir/$n.crashes" -type f | wc -l)
	# shellcheck disable=SC2046
	set -- $(fuzz_stats "$dir/$n.log")
	printf '%-10s %12s %8s %7s %7s %7s %7s\n' "$n" "$1" "$2" "$3" "$4" \
	    "$(find "$dir/$n" -type f | wc -l)" "$crashes" | tee -a "$summary"
	[ "$crashes" -eq 0 ] || fuzz_show_crash "$n" "$dir/$n.log" "$dir/$n.crashes" >&2
done
echo "logs, corpora and crashes in $dir; this table in $summary"
