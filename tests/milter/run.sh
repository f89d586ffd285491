#!/bin/sh
# Protocol tests: each *.lua here drives pupilguard-milter through Debian's
# miltertest with the shared helper.lua, against pupilguard-test.conf.
# Prints one line per script and "N passed, N failed"; SKIP (77) without
# miltertest.
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${PG_TOP_BUILDDIR:-$(pwd)}
miltertest=$(command -v miltertest)
if [ -z "$miltertest" ]; then
	echo "SKIP: miltertest not installed (apt-get install miltertest)"
	exit 77
fi
work=$(mktemp -d /tmp/pupilguard-mt.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
cp "$here/pupilguard-test.conf" "$here/roster.csv" "$work/"
chmod 600 "$work/roster.csv"   # as a roster should be
export PG_MILTER="$top_builddir/milter/pupilguard-milter"
export PG_CONF="$work/pupilguard-test.conf"
export PG_HELPER="$here/helper.lua"
passed=0
failed=0
for t in "$here"/*.lua; do
	name=$(basename "$t" .lua)
	[ "$name" = helper ] && continue
	export PG_SOCKET="unix:$work/$name.sock"
	if (cd "$work" && "$miltertest" -s "$t") >"$work/$name.out" 2>&1 &&
		# a sanitizer build reports through the filter's standard error
		! grep -q -E "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$work/$name.out"; then
		passed=$((passed + 1))
		echo "PASS: $name ($(grep -c '^ok:' "$work/$name.out") checks)"
	else
		failed=$((failed + 1))
		echo "FAIL: $name"
		sed 's/^/    /' "$work/$name.out"
	fi
done
# pupilguard-test.conf logs at debug: hold.lua's message gets a line per
# finding, with the roster key and no name.
if grep -q 'finding 2: type=name rule=pupil_name score=10 count=1 pupil=' "$work/hold.out" &&
	grep -q 'scan: segments=[0-9]* text_bytes=[0-9]*' "$work/hold.out" &&
	! grep -q -i -E 'tamsin|oakhurst|freddie|quellan' "$work/hold.out"; then
	passed=$((passed + 1))
	echo "PASS: debug log (findings logged, no names)"
else
	failed=$((failed + 1))
	echo "FAIL: debug log (findings logged, no names)"
	grep -E 'debug|info' "$work/hold.out" | sed 's/^/    /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
