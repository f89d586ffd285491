#!/bin/sh
# valgrind memcheck over pupilguard-scan of the labelled corpus (or, without
# it, the project's samples and hostile cases): no invalid access, no use of
# uninitialised memory, no definite leak.  PCRE2's JIT is off for the run
# (rules_jit = false): memcheck cannot follow JIT-generated code.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
scan="${PG_TOP_BUILDDIR:-.}/milter/pupilguard-scan"
corpus=${PG_CORPUS:-$top/../shared/corpus}
command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed"; exit 77; }
work=$(mktemp -d /tmp/pupilguard-vg.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
rules=$(ls "$top"/rules/*.rules | sed 's/.*/"&"/' | paste -sd, -)
if [ -f "$corpus/roster.csv" ]; then
	roster="$corpus/roster.csv"
	set -- "$corpus"/messages/*.eml
	what="the corpus ($# messages)"
else
	roster="$top/conf/example-roster.csv"
	python3 "$top/tests/hostile/gen.py" "$work" charsets broken_encodings nul_bytes entity_bomb
	set -- "$top"/contrib/samples/*.eml "$work"/*.eml
	what="the samples and hostile cases (corpus absent)"
fi
printf 'rosters = ( "%s" );\nrules = [ %s ];\nrules_jit = false;\n' "$roster" "$rules" > "$work/vg.conf"
valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
	--log-file="$work/valgrind.log" "$scan" -q -c "$work/vg.conf" "$@"
rc=$?
if [ $rc -eq 99 ] || [ -s "$work/valgrind.log" ]; then
	echo "FAIL: valgrind reported errors scanning $what:"
	head -60 "$work/valgrind.log"
	exit 1
fi
if [ $rc -gt 1 ]; then
	echo "FAIL: pupilguard-scan exited $rc"
	exit 1
fi
echo "PASS: valgrind memcheck clean over $what"
