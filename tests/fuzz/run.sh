#!/bin/sh
# The short fuzz run of make check: for every fuzz target, replays its regressions
# (tests/fuzz/regress/NAME/*), then fuzzes it for GF_FUZZ_SECONDS (default 3) from a
# copy of its seeds (tests/fuzz/corpus/NAME/). Fails on any crash, leak, timeout or
# out-of-memory, showing the input and the stack; skipped only without clang/libFuzzer.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/fuzz/lib.sh"

if [ ! -f "$FUZZ_LIST" ]; then
	echo "SKIP: clang with libFuzzer not installed (configure --enable-fuzz; see tests/fuzz/README.md)"
	exit 77
fi
secs=${GF_FUZZ_SECONDS:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/gffuzz.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
fuzz_env
ART="$top_builddir/tests/fuzz/artifacts"
fails=0
for n in $(fuzz_names); do
	bin="$top_builddir/tests/fuzz/fuzz_$n.fuzz"
	common="-rss_limit_mb=1024 -timeout=10 -error_exitcode=1 -timeout_exitcode=1 $(fuzz_flags "$n")"
	rm -rf "${ART:?}/$n"
	mkdir -p "$ART/$n"
	# Regressions: each input must run clean (a file per former crash).
	regs=$(find "$top_srcdir/tests/fuzz/regress/$n" -type f 2>/dev/null | sort)
	if [ -n "$regs" ]; then
		# shellcheck disable=SC2086
		if ! "$bin" $common -artifact_prefix="$ART/$n/" $regs >"$T/$n.regress.log" 2>&1; then
			echo "FAIL: $n: a regression input crashes again"
			grep -E '^Running: ' "$T/$n.regress.log" | tail -1
			fuzz_show_crash "$n" "$T/$n.regress.log" "$ART/$n"
			fails=$((fails + 1))
			continue
		fi
	fi
	fuzz_seed "$n" "$T/corpus-$n"
	# shellcheck disable=SC2086
	if ! "$bin" $common -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$ART/$n/" "$T/corpus-$n" >"$T/$n.log" 2>&1; then
		echo "FAIL: $n: crash while fuzzing (input kept in $ART/$n/)"
		fuzz_show_crash "$n" "$T/$n.log" "$ART/$n"
		fails=$((fails + 1))
		continue
	fi
	# shellcheck disable=SC2046,SC2086
	set -- $(fuzz_stats "$T/$n.log") $(echo $regs | wc -w)
	echo "ok: $n: $6 regressions replayed; ${secs}s: $1 runs ($2 exec/s), cov $3, ft $4, corpus $5"
	rm -rf "${ART:?}/$n"
done
rmdir "$ART" 2>/dev/null || true
[ "$fails" -eq 0 ] || { echo "$fails fuzz target(s) failed"; exit 1; }
exit 0
