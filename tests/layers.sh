#!/bin/sh
# The shape of src/ (tests/layers.py): includes only downwards, no include
# cycles, no .c over 800 lines, no function over 60. First the checker is shown
# a small tree with one breach of each kind and must name every one, so a
# checker that passes anything fails here; then it checks the real tree.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: no $PY"; exit 77; }
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT INT TERM
mkdir -p "$t/src/common" "$t/src/store" "$t/src/meter" "$t/src/cli"
printf '#include "meter.h"\n' >"$t/src/store/store.h"
printf '#include "store.h"\n' >"$t/src/meter/meter.h"
printf '#include "store.h"\nint x;\n' >"$t/src/common/util.c"
printf '#include "nowhere.h"\n' >"$t/src/cli/cli.h"
{
	printf 'int\nlong_one(void)\n{\n'
	i=0; while [ $i -lt 60 ]; do printf '\tx++;\n'; i=$((i + 1)); done
	printf '}\n'
	i=0; while [ $i -lt 740 ]; do printf '/* filler */\n'; i=$((i + 1)); done
} >"$t/src/store/big.c"
fails=0
"$PY" "$top_srcdir/tests/layers.py" "$t/src" >"$t/out" 2>&1 && { echo "FAIL: a bad tree passed"; fails=1; }
for want in 'src/common/util.c:1: common includes store/store.h: a call upwards' \
    'src/meter/meter.h:1: meter includes store/store.h: a call upwards' \
    'include cycle: meter/meter -> store/store' \
    'src/cli/cli.h:1: includes "nowhere.h", not a header of src/' \
    'src/store/big.c:1: 804 lines, over 800' \
    'src/store/big.c:2: function long_one is 63 lines, over 60'; do
	if grep -qF "$want" "$t/out"; then
		echo "ok: the checker names: $want"
	else
		echo "FAIL: the checker missed: $want"; fails=1
	fi
done
[ $fails -eq 0 ] || { cat "$t/out"; exit 1; }
"$PY" "$top_srcdir/tests/layers.py" "$top_srcdir/src"
