#!/bin/sh
# Golden verdict tests, Postfix-style: each NAME.eml is decided by
# pupilguard-scan --edits with the envelope in NAME.args (and golden.conf, or
# the -c that NAME.args names), and the output must equal NAME.ref: the
# direction, score, action, findings (redacted), notices due, and every
# header edit, quarantine and reply the milter would make.
#   tests/golden/run.sh            compare
#   tests/golden/run.sh --update   rewrite the .ref files (review the diff!)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${PG_TOP_BUILDDIR:-$here/../..}
scan="$build/milter/pupilguard-scan"
[ -x "$scan" ] || { echo "FAIL: $scan not built"; exit 1; }
update=0
[ "${1:-}" = "--update" ] && update=1
cd "$here" || exit 1
pass=0
fail=0
for eml in *.eml; do
	name=${eml%.eml}
	# shellcheck disable=SC2046
	out=$("$scan" -c golden.conf --edits $(cat "$name.args") "$eml" 2>&1)
	if [ "$update" -eq 1 ]; then
		printf '%s\n' "$out" > "$name.ref"
		continue
	fi
	if printf '%s\n' "$out" | cmp -s - "$name.ref"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name"
		printf '%s\n' "$out" | diff -u "$name.ref" - | sed 's/^/  /'
		fail=$((fail + 1))
	fi
done
[ "$update" -eq 1 ] && { echo "golden: .ref files rewritten"; exit 0; }
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
