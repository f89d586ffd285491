#!/bin/bash
# Integration: pupilguard-milter inside a private Sendmail on loopback (the
# Debian packages unpacked, not installed: see sm.sh), with smtp-sink as the
# next hop and a second sink as the leadership mailbox.  Proves that a
# disclosure is quarantined (smfi_quarantine), that pupilguard-hold lists,
# shows, releases and deletes it from Sendmail's quarantine (reading the
# hf/df queue files, refusing to delete while a queue runner holds the
# lock), that leadership is told with the Sendmail commands, and that mail
# is tempfailed, not lost, while the milter is down.
# SKIP (77) without root, Postfix's smtp-sink, or the Debian packages.
# Ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${PG_TOP_BUILDDIR:-$(pwd)}
milter_bin="$build/milter/pupilguard-milter"
hold_bin="$build/milter/pupilguard-hold"
PATH=$PATH:/usr/sbin
[ "$(id -u)" -eq 0 ] || { echo "SKIP: a private Sendmail needs root"; exit 77; }
for tool in smtp-sink m4 dpkg apt-get python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
# shellcheck source=sm.sh
. "$here/sm.sh"
# shellcheck source=common.sh
. "$here/common.sh"
why=$(mktemp)
if ! sm_fetch 2>"$why"; then
	echo "SKIP: Sendmail's Debian packages are not available ($(cat "$why"))"
	rm -f "$why"
	exit 77
fi
rm -f "$why"

MILTER_PORT=$(sm_free_port)
LEAD_PORT=$(sm_free_port)
sm_setup "$MILTER_PORT" || { echo "FAIL: sendmail.cf not made"; cat "$SM/m4.log"; exit 1; }
T=$SM
trap 'milter_stop; lead_stop; sm_teardown' EXIT INT TERM
test_conf
hold() { "$hold_bin" -m sendmail --sendmail "$SM_BIN" -S "$SM_CF" -c "$SM/pupilguard.conf" "$@"; }

quarantined() { sm_run -bp -qQ 2>/dev/null | awk '/^[A-Za-z0-9]+ +[0-9]+ /{print $1}'; }

sm_sink_start
lead_start
milter_start || exit 1
sm_start || exit 1

echo "== clean mail is delivered with the status header"
msg "$SM/clean.eml" teacher@school.example parent@home.example "Trip" "Tamsin and Farid did well today."
check "clean accepted" '[ "$(sm_send teacher@school.example parent@home.example "$SM/clean.eml")" = "250 accepted" ]'
check "clean delivered" 'sm_wait_sink 1 20'
sleep 0.5 # the sink may still be writing it
check "status header" '[ "$(sink_with "X-PupilGuard-Status: clean; score=0; direction=outbound")" -eq 1 ]'

echo "== a disclosure is quarantined"
msg "$SM/two.eml" teacher@school.example partner@agency.example "Referral for Tamsin Oakhurst" \
	"About Tamsin Oakhurst and Freddie Quellan, who uses an inhaler."
check "accepted" '[ "$(sm_send teacher@school.example partner@agency.example "$SM/two.eml")" = "250 accepted" ]'
sleep 1
held=$(quarantined)
check "one message in the quarantine (sendmail -bp -qQ)" '[ "$(echo "$held" | grep -c .)" -eq 1 ]'
check "its reason names pupilguard" 'sm_run -bp -qQ | grep -q "QUARANTINE: pupilguard"'
check "not delivered" '[ "$(sm_sink_count)" -eq 1 ]'

echo "== pupilguard-hold on the quarantine"
list=$(hold list 2>&1)
check "list shows it, with its status" 'echo "$list" | grep -q "^$held " && echo "$list" | grep -q "hold; score="'
check "list shortens the name in the subject" 'echo "$list" | grep -q "Referral for T. O\*\*\*" && ! echo "$list" | grep -q Oakhurst'
show=$(hold show "$held" 2>&1)
check "show gives the findings, redacted" 'echo "$show" | grep -q "T. O\*\*\*" && echo "$show" | grep -q medication && ! echo "$show" | grep -q Oakhurst'
check "show --show-names gives the names" 'hold --show-names show "$held" | grep -q "Tamsin Oakhurst"'
hold show NOSUCHID123 >/dev/null 2>&1
check "show of an unknown ID: status 1" '[ $? -eq 1 ]'
"$hold_bin" -m sendmail --sendmail "$SM_BIN" -S /nonexistent/sendmail.cf list >/dev/null 2>&1
check "an unreadable queue: status 2" '[ $? -eq 2 ]'

echo "== leadership is told once, with the Sendmail commands and no name"
check "one notification" 'wait_lead 1 20 && sleep 1 && [ "$(lead_count)" -eq 1 ]'
note=$(cat "$SM"/lead/* 2>/dev/null)
check "it has the queue ID" 'echo "$note" | grep -q "$held"'
check "it has the Sendmail release command" 'echo "$note" | grep -q -- "--mta sendmail release $held"'
check "it has no full name" '! echo "$note" | grep -q -i -E "Oakhurst|Quellan"'

echo "== release delivers it"
check "release" 'hold release "$held" >/dev/null'
check "released message delivered" 'sm_wait_sink 2 20'
sleep 0.5
check "delivered copy says it was held" '[ "$(sink_with "X-PupilGuard-Status: hold;")" -eq 1 ]'
check "quarantine empty" '[ -z "$(quarantined)" ]'

echo "== delete removes it, but not while a queue runner has it locked"
msg "$SM/three.eml" teacher@school.example partner@agency.example "Note" "Tamsin Oakhurst and Freddie Quellan."
sm_send teacher@school.example partner@agency.example "$SM/three.eml" >/dev/null
sleep 1
gone=$(quarantined)
check "second message quarantined" '[ "$(echo "$gone" | grep -c .)" -eq 1 ]'
hf=$(find "$SM/mqueue" -name "hf$gone")
python3 -c 'import fcntl, sys, time; f = open(sys.argv[1], "r+"); fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[2], "w").close(); time.sleep(5)' \
	"$hf" "$SM/locked" &
LOCKER=$!
for _ in $(seq 1 50); do [ -e "$SM/locked" ] && break; sleep 0.1; done
hold delete "$gone" >/dev/null 2>&1
check "delete refused while locked (status 2)" '[ $? -eq 2 ] && [ -e "$hf" ]'
kill "$LOCKER" 2>/dev/null
wait "$LOCKER" 2>/dev/null
check "delete" 'hold delete "$gone" >/dev/null'
check "its queue files are gone" '[ -z "$(find "$SM/mqueue" -name "*$gone")" ]'
check "quarantine empty again" '[ -z "$(quarantined)" ]'
sleep 1
check "never delivered" '[ "$(sm_sink_count)" -eq 2 ]'
hold delete "$gone" >/dev/null 2>&1
check "deleting it again: status 1" '[ $? -eq 1 ]'

echo "== with the milter down, Sendmail tempfails (F=T): nothing is lost"
milter_stop
reply=$(sm_send teacher@school.example parent@home.example "$SM/clean.eml")
check "tempfailed 4xx, not accepted unscanned" 'echo "$reply" | grep -q "^4"'
milter_start
check "accepted again once it is back" '[ "$(sm_send teacher@school.example parent@home.example "$SM/clean.eml")" = "250 accepted" ]'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
