#!/bin/sh
# Hostile mail through the engine (pupilguard-scan): each case must end in
# the documented outcome within 60 s and 1 GiB of address space, without a
# crash.  Expected: the name is found where the message was scanned whole;
# over a limit, the flag is set and the action is at least the direction's
# policy.DIR.on_truncated: "hold" outbound (the default direction) and for
# newsletters, so that padding cannot turn a hold into a tag; "tag" inbound.
set -u
here=$(cd "$(dirname "$0")" && pwd)
scan="${PG_TOP_BUILDDIR:-.}/milter/pupilguard-scan"
roster="$here/../milter/roster.csv"
work=$(mktemp -d /tmp/pupilguard-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
python3 "$here/gen.py" "$work" || exit 1
passed=0
failed=0
# AddressSanitizer reserves terabytes of address space: no ulimit -v there.
limit="ulimit -v 1048576"
if command -v ldd >/dev/null && ldd "$scan" 2>/dev/null | grep -q libasan; then limit=":"; fi
check() { # NAME EXPECTED-SUBSTRING...  (DIR=direction, default outbound)
	name=$1
	shift
	out=$( ($limit; timeout 60 "$scan" --json -d "${DIR:-outbound}" -r "$roster" \
		"$work/$name.eml") 2>&1)
	rc=$?
	ok=1
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then ok=0; fi
	for want in "$@"; do
		case $out in *"$want"*) ;; *) ok=0 ;; esac
	done
	if [ $ok -eq 1 ]; then
		passed=$((passed + 1))
		echo "PASS: $name${DIR:+ ($DIR)}"
	else
		failed=$((failed + 1))
		echo "FAIL: $name (exit $rc): $(printf '%s' "$out" | head -c 600)"
	fi
}
check big_50mb '"truncated"' '"action": "hold"'
check parts_10000 '"too_many_parts"' '"action": "hold"'
check nested_200 '"too_deep"' '"action": "hold"'
check rfc822_100 '"too_deep"' '"action": "hold"'
DIR=newsletter check parts_10000 '"too_many_parts"' '"action": "hold"'
DIR=inbound check nested_200 '"too_deep"' '"action": "tag"'
DIR=internal check big_50mb '"truncated"' '"action": "tag"'
check charsets '"type": "name"'
check broken_encodings '"type": "name"'
check nul_bytes '"type": "name"'
check header_1mb '"type": "name"' '"where": "Subject"'
check html_10mb '"type": "name"'
check entity_bomb '"type": "name"'
check fake_text '"type": "name"'
# Documents: over a container bound is not scanned whole (hold outbound);
# a long PDF is read to its last page; an encrypted one is flagged and left
# to the score (on_encrypted = none by default).
check zip_10000 '"attachment_over_limit"' '"action": "hold"'
check pdf_500 '"type": "name"' '"where": "part 2 attachment pack.pdf page 500"'
check docx_encrypted '"encrypted_attachment"' '"action": "none"'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
