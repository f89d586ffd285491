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
sed "s|@WORK@|$work|" "$here/pupilguard-test.conf" >"$work/pupilguard-test.conf"
cp "$here/roster.csv" "$work/"
chmod 600 "$work/roster.csv"   # as a roster should be
# A notice key, and the mark of the one notice exempt.lua sends (Message-ID
# <n1@school.example> to head@home.example with NOTICE_BODY), made here by
# an independent implementation of noticemac.c's framing.
head -c 32 /dev/urandom >"$work/notice.key"
chmod 600 "$work/notice.key"
export PG_NOTICE_BODY='Held: T. O*** and F. Q***, Tamsin Oakhurst Freddie Quellan.'
PG_NOTICE_MARK=$(python3 - "$work/notice.key" <<'PY'
import hashlib, hmac, os, struct, sys, time
key = open(sys.argv[1], "rb").read()[:32]
def mac(parts):
    return hmac.new(key, b"".join(struct.pack(">I", len(p)) + p for p in parts),
                    hashlib.sha256).hexdigest()
t = str(int(time.time())).encode()
body = hmac.new(key, os.environ["PG_NOTICE_BODY"].encode(), hashlib.sha256).hexdigest()
print("v1; t=%s; mac=%s" % (t.decode(), mac([b"pupilguard-notice-v1", t, b"n1@school.example",
                                              b"head@home.example", body.encode()])))
PY
) || exit 1
export PG_NOTICE_MARK
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
# SIGUSR1 at any moment from main's first instruction on reloads and
# never kills: ten starts, each sent SIGUSR1 every 10 ms from the moment
# the kernel shows SIGUSR1 in the process's blocked mask (before that the
# dynamic loader is running, which no program can guard) until it has
# been running 0.2 s.
alive=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$PG_MILTER" -f -R -c "$PG_CONF" -p "unix:$work/sig$i.sock" >"$work/sig$i.out" 2>&1 &
	pid=$!
	n=0
	# SigBlk is hex; SIGUSR1 (10) is bit 9, 0x200.
	while [ $n -lt 5000 ]; do
		blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
		[ -n "$blk" ] && [ $(( 0x$blk & 0x200 )) -ne 0 ] && break
		n=$((n + 1))
	done
	for j in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		kill -USR1 "$pid" 2>/dev/null
		sleep 0.01
	done
	sleep 0.5
	if kill -0 "$pid" 2>/dev/null; then
		alive=$((alive + 1))
		kill -TERM "$pid"
	fi
	wait "$pid" 2>/dev/null
done
if [ "$alive" -eq 10 ]; then
	passed=$((passed + 1))
	echo "PASS: SIGUSR1 during start-up (10 of 10 survived)"
else
	failed=$((failed + 1))
	echo "FAIL: SIGUSR1 during start-up killed the milter ($alive of 10 survived)"
	cat "$work/sig1.out" | sed 's/^/    /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
