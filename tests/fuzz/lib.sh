# shellcheck shell=sh disable=SC2154
# Shared by tests/fuzz/run.sh (the short run in make check) and tests/fuzz/long.sh.
# Needs $top_srcdir and $top_builddir; the targets are the ones tests/fuzz/targets names
# (written by make when configure enabled fuzzing).

set -u
FUZZ_LIST="$top_builddir/tests/fuzz/targets"

# The names (decode, output...) of the targets built, in Makefile.am's order.
fuzz_names() {
	# shellcheck disable=SC2013
	for t in $(cat "$FUZZ_LIST"); do
		t=${t##*/fuzz_}
		echo "${t%.fuzz}"
	done
}

# libFuzzer flags of target $1 beyond the common ones: -max_len suits its inputs.
fuzz_flags() {
	case $1 in
	decode) echo "-max_len=8192" ;;
	*) echo "-max_len=4096" ;;
	esac
}

# Sanitizer settings of our own, whatever the calling build exported (contrib/test.sh's
# ASan run): a finding ends the run and is reported by libFuzzer with its input.
fuzz_env() {
	ASAN_OPTIONS="detect_leaks=1:symbolize=1:allocator_may_return_null=1"
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
	LSAN_OPTIONS="suppressions=$top_srcdir/tests/lsan.supp:print_suppressions=0"
	GF_FUZZ_SRCDIR=$top_srcdir
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS GF_FUZZ_SRCDIR
	if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
		for s in llvm-symbolizer llvm-symbolizer-14; do
			if command -v "$s" >/dev/null 2>&1; then
				ASAN_SYMBOLIZER_PATH=$(command -v "$s")
				export ASAN_SYMBOLIZER_PATH
				break
			fi
		done
	fi
}

# Seeds and regressions of target $1 into directory $2 (created), never the source tree.
fuzz_seed() {
	mkdir -p "$2"
	if [ -d "$top_srcdir/tests/fuzz/corpus/$1" ]; then
		find "$top_srcdir/tests/fuzz/corpus/$1" -type f -exec cp {} "$2/" \;
	fi
	if [ -d "$top_srcdir/tests/fuzz/regress/$1" ]; then
		find "$top_srcdir/tests/fuzz/regress/$1" -type f -exec cp {} "$2/" \;
	fi
}

# The last libFuzzer status line of log $1 as "execs exec/s cov ft corpus" ("?" when none):
# plain runs print "#N DONE cov: C ft: F corp: K/S exec/s: E", -fork runs "#N: cov: ...".
fuzz_stats() {
	grep -E '^#[0-9]+:?[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED|cov:)' "$1" | tail -1 |
		awk 'BEGIN { n = e = c = f = k = "?" }
			{ n = $1; gsub(/[#:]/, "", n)
			for (i = 2; i < NF; i++) {
				if ($i == "cov:") c = $(i + 1)
				if ($i == "ft:") f = $(i + 1)
				if ($i == "corp:") { k = $(i + 1); sub(/\/.*/, "", k) }
				if ($i == "exec/s:" || $i == "exec/s") e = $(i + 1)
			} }
			END { print n, e, c, f, k }'
}

# Shows a crash of target $1: the report in log $2, the inputs kept in directory $3.
fuzz_show_crash() {
	for a in "$3"/*; do
		[ -f "$a" ] || continue
		echo "$1: crash input: $a"
		od -A d -t x1z "$a" | head -8
	done
	grep -E -A40 '^==[0-9]+==|runtime error:|^SUMMARY' "$2" | head -80
}
