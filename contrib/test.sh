#!/bin/sh
# The whole test suite from a fresh clone on Debian 12: dependencies, a -Werror
# build, every test, the same tests again under ASan/UBSan, and make distcheck.
# Usage: contrib/test.sh [--quick]   (--quick: only the -Werror build and its tests)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh contrib/deps-debian.sh
[ -f config.status ] && make distclean >/dev/null 2>&1 || true
autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
jobs=$(nproc 2>/dev/null || echo 2)

build() { # DIR CONFIGURE-ARGS...: always from scratch, so the flags really apply to every object
	dir=$1; shift
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && "$top/configure" -q "$@" && make -s -j"$jobs")
}
TOTALS=$(mktemp)
trap 'rm -f "$TOTALS"' EXIT
summary() { # DIR: the plain totals line from automake's test-suite.log, also kept for the end
	awk '/^# PASS:/ { p = $3 } /^# FAIL:/ { f = $3 } /^# SKIP:/ { s = $3 } /^# ERROR:/ { e = $3 }
		END { printf "%d passed, %d failed, %d skipped\n", p, f + e, s }' "$1/test-suite.log" |
		tee -a "$TOTALS"
}
# Tests run side by side, twice as many as cores: most of their time is spent
# waiting on timeouts, simulators and servers, and each uses its own ports and
# folders. CHECK_JOBS overrides.
check_jobs=${CHECK_JOBS:-$((jobs * 2))}
check() { # DIR [ENV...]; CHECK_TESTS: the tests to run (make's TESTS), all when empty
	dir=$1; shift
	rc=0
	(cd "$dir" && env "$@" make -s -j"$check_jobs" check ${CHECK_TESTS:+"TESTS=$CHECK_TESTS"}) || rc=$?
	[ $rc -eq 0 ] || cat "$dir"/test-suite.log
	summary "$dir"
	return $rc
}

echo "== build with -Werror, and the test suite"
build _build-werror --enable-werror
check _build-werror
[ "${1:-}" = "--quick" ] && exit 0

echo "== the same tests under AddressSanitizer and UBSan"
build _build-asan --enable-werror CFLAGS="-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
# Every test but ASAN_SKIP (Makefile.am): the PostgreSQL repeats and the browser.
CHECK_TESTS='tests/layers.sh $(UNIT_TESTS) $(filter-out $(ASAN_SKIP),$(INTEGRATION_TESTS)) tests/fuzz/run.sh' \
check _build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" UBSAN_OPTIONS=print_stacktrace=1

# distcheck builds from the tarball, runs the unit tests, the layout check and
# the tests that install or read installed paths there, then installs and
# uninstalls; the whole suite ran twice above. That every file the tests use
# is shipped is checked below against git, which is quicker than a third run.
echo "== make distcheck"
DIST_TESTS='tests/layers.sh $(UNIT_TESTS) tests/integration/install_units.sh'
DIST_TESTS="$DIST_TESTS tests/integration/config_check.sh tests/integration/once_printers.sh"
(cd _build-werror && make -s distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror TESTS="$DIST_TESTS") \
	>_build-werror/distcheck.log 2>&1 || { tail -50 _build-werror/distcheck.log; exit 1; }
grep -A1 'archives ready for distribution' _build-werror/distcheck.log || true
if [ -d .git ] && command -v git >/dev/null; then
	echo "== every file in git is in the tarball"
	tar tzf _build-werror/greenfleet-*.tar.gz | sed 's|^[^/]*/||' | grep -v '/$' | sort >_build-werror/dist.lst
	git ls-files | grep -vx '.gitignore' | sort | comm -23 - _build-werror/dist.lst >_build-werror/unshipped.lst
	if [ -s _build-werror/unshipped.lst ]; then
		echo "not in the tarball (add them to Makefile.am):"; cat _build-werror/unshipped.lst; exit 1
	fi
	echo "all $(wc -l <_build-werror/dist.lst) files shipped"
fi
echo "== all passes (-Werror build, ASan/UBSan build; distcheck ran the unit tests and four others again)"
awk -F '[ ,]+' '{ p += $1; f += $3; s += $5 } END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$TOTALS"
