#!/bin/bash
# Integration: pupilguard-milter inside a private Postfix on loopback, with
# smtp-sink as the next hop and a second smtp-sink as the leadership
# mailbox.  Proves delivery with the status header, holds and their release
# or deletion with pupilguard-hold, the sendmail(1) path through
# non_smtpd_milters, inbound tagging, internal pass-through, the
# milter_default_action when the milter is down, reload under a stream of
# 500 messages, notifications (one per hold, no names, spooled while the
# relay is down, across a restart) and the digest beyond the rate limit.
# SKIP (77) without Postfix.  Ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${PG_TOP_BUILDDIR:-$(pwd)}
milter_bin="$build/milter/pupilguard-milter"
hold_bin="$build/milter/pupilguard-hold"
for tool in postfix postconf postqueue postsuper smtp-sink sendmail; do
	command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (apt-get install postfix)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: a private Postfix needs root"; exit 77; }
# shellcheck source=pf.sh
. "$here/pf.sh"
# shellcheck source=common.sh
. "$here/common.sh"

pf_setup
T=$PF
trap 'milter_stop; lead_stop; pf_teardown' EXIT INT TERM
MILTER_PORT=$(pf_free_port)
LEAD_PORT=$(pf_free_port)
test_conf 'milter = { log_level = "debug"; };' \
	"rate_limit = 5; rate_period = 10; hold_tool = \"pupilguard-hold -C $PF/etc\";"
cp "$PF/pupilguard.conf" "$PF/pupilguard.conf.good"

pf_sink_start
pf_milter "inet:127.0.0.1:$MILTER_PORT" tempfail
pf_start || exit 1
lead_start
milter_start || exit 1

echo "== clean outbound mail is delivered with the status header"
msg "$PF/clean.eml" teacher@school.example parent@home.example "Trip" "Tamsin and Farid did well today."
check "clean accepted" '[ "$(pf_send teacher@school.example parent@home.example "$PF/clean.eml")" = "250 accepted" ]'
check "clean delivered" 'pf_wait_sink 1 20'
check "status header clean" '[ "$(sink_with "X-PupilGuard-Status: clean; score=0; direction=outbound")" -eq 1 ]'

echo "== an outbound disclosure waits in the hold queue; release delivers it"
msg "$PF/two.eml" teacher@school.example partner@agency.example "Referral" "About Tamsin Oakhurst and Freddie Quellan."
pf_send teacher@school.example partner@agency.example "$PF/two.eml" >/dev/null
sleep 1
held=$(pf_hold_ids)
check "one message held (postqueue -j)" '[ "$(echo "$held" | grep -c .)" -eq 1 ]'
check "still only one delivered" '[ "$(pf_sink_count)" -eq 1 ]'
list=$("$hold_bin" -c "$PF/pupilguard.conf" -C "$PF/etc" list 2>&1)
check "pupilguard-hold list shows it, redacted" 'echo "$list" | grep -q "$held" && ! echo "$list" | grep -q "Oakhurst"'
show=$("$hold_bin" -c "$PF/pupilguard.conf" -C "$PF/etc" show "$held" 2>&1)
check "pupilguard-hold show names the rules, redacted" 'echo "$show" | grep -q "T. O\*\*\*" && ! echo "$show" | grep -q Oakhurst'
check "an unknown ID is refused with status 1" '! "$hold_bin" -c "$PF/pupilguard.conf" -C "$PF/etc" release NOSUCHID 2>/dev/null; [ $? -eq 0 ] || true; "$hold_bin" -C "$PF/etc" release NOSUCHID >/dev/null 2>&1; [ $? -eq 1 ]'
check "release" '"$hold_bin" -c "$PF/pupilguard.conf" -C "$PF/etc" release "$held" >/dev/null'
check "released message delivered" 'pf_wait_sink 2 20'
check "delivered copy says it was held" '[ "$(sink_with "X-PupilGuard-Status: hold; score=20")" -eq 1 ]'

echo "== leadership gets exactly one notification, with the queue ID and no name"
check "one notification" 'wait_lead 1 20 && sleep 1 && [ "$(lead_count)" -eq 1 ]'
note=$(cat "$PF"/lead/* 2>/dev/null)
check "notification has the queue ID" 'echo "$note" | grep -q "$held"'
check "notification has no full name" '! echo "$note" | grep -q -i -E "Oakhurst|Quellan|Tamsin|Farid"'
check "notification carries the redacted form" 'echo "$note" | grep -q "T. O\*\*\*"'

echo "== the notice's headers copied into a resend do not skip the scan"
notefile=$(find "$PF/lead" -type f | head -1)
check "the notice carries a per-notice mark" 'grep -q "^X-PupilGuard-Notice: v1; t=[0-9]*; mac=[0-9a-f]\{64\}" "$notefile"'
check "the key file was made 0600" '[ "$(stat -c %a "$PF/notice.key")" = "600" ]'
{ grep -i -E "^(X-PupilGuard-Notice|Message-Id):" "$notefile" | tr -d '\r' | sed 's/$/\r/'
  cat "$PF/two.eml"; } > "$PF/resend.eml"
before=$(pf_sink_count)
pf_send teacher@school.example partner@agency.example "$PF/resend.eml" >/dev/null
sleep 1
check "the resend with the copied headers is held" '[ "$(pf_hold_ids | grep -c .)" -eq 1 ]'
check "and not delivered unscanned" 'sleep 1; [ "$(pf_sink_count)" -eq "$before" ] && [ "$(sink_with "reason=pupilguard notification")" -eq 0 ]'
check "the milter logged the mark as not accepted" 'grep -q "X-PupilGuard-Notice not accepted (does not verify)" "$PF/milter.log"'
postsuper -c "$PF/etc" -d ALL hold >/dev/null 2>&1
# Negative: the notice itself, to its own recipient, passes as ours.
grep -v -E "^X-(Client-Addr|Client-Proto|Helo-Args|Mail-Args|Rcpt-Args):" "$notefile" > "$PF/own.eml"
pf_send pupilguard@localhost head@school.example "$PF/own.eml" >/dev/null
check "the notice itself passes as ours" 'pf_wait_sink $((before + 1)) 20 && [ "$(sink_with "reason=pupilguard notification")" -eq 1 ]'

echo "== a newsletter with one name is held (SMTP), and deleted on request"
msg "$PF/news.eml" office@school.example families@lists.example "Newsletter" "Well done Tilly Brannagh-Vos." "Precedence: bulk"
pf_send office@school.example families@lists.example "$PF/news.eml" >/dev/null
sleep 1
nid=$(pf_hold_ids)
check "newsletter held" '[ "$(echo "$nid" | grep -c .)" -eq 1 ]'
check "delete" '"$hold_bin" -c "$PF/pupilguard.conf" -C "$PF/etc" delete "$nid" >/dev/null'
check "deleted: hold queue empty" '[ -z "$(pf_hold_ids)" ]'

echo "== a newsletter submitted with sendmail(1) reaches the milter (non_smtpd_milters)"
msg "$PF/news2.eml" office@school.example families@lists.example "News" "Well done Tilly Brannagh-Vos." "List-Id: <families.school.example>"
pf_sendmail office@school.example families@lists.example "$PF/news2.eml"
for _ in $(seq 1 50); do [ -n "$(pf_hold_ids)" ] && break; sleep 0.1; done
sid=$(pf_hold_ids)
check "sendmail(1) newsletter held" '[ "$(echo "$sid" | grep -c .)" -eq 1 ]'
postsuper -c "$PF/etc" -d ALL hold >/dev/null 2>&1

echo "== inbound mail is tagged; internal mail passes"
msg "$PF/in.eml" coach@club.example office@school.example "Match" "Freddie Quellan scored twice."
before=$(pf_sink_count)
pf_send --source 127.0.0.2 coach@club.example office@school.example "$PF/in.eml" >/dev/null
check "inbound delivered" 'pf_wait_sink $((before + 1)) 20'
check "inbound tagged" '[ "$(sink_with "X-PupilGuard-Status: tag; score=10; direction=inbound")" -eq 1 ]'
msg "$PF/int.eml" teacher@school.example head@school.example "Concern" "About Tamsin Oakhurst."
before=$(pf_sink_count)
pf_send teacher@school.example head@school.example "$PF/int.eml" >/dev/null
check "internal delivered" 'pf_wait_sink $((before + 1)) 20'
check "internal only logged" '[ "$(sink_with "X-PupilGuard-Status: logged; score=10; direction=internal")" -eq 1 ]'

echo "== with the milter stopped, mail follows milter_default_action"
milter_stop
reply=$(pf_send teacher@school.example parent@home.example "$PF/clean.eml")
check "tempfail: refused with 4xx, not queued" 'echo "$reply" | grep -q "^4" && [ "$(pf_queue_count)" -eq 0 ]'
pf_milter "inet:127.0.0.1:$MILTER_PORT" accept
before=$(pf_sink_count)
reply=$(pf_send teacher@school.example parent@home.example "$PF/clean.eml")
check "accept: delivered unscanned" 'pf_wait_sink $((before + 1)) 20'
pf_milter "inet:127.0.0.1:$MILTER_PORT" tempfail
milter_start

echo "== SIGUSR1 every 0.1 s during a stream of 500 messages loses none"
msg "$PF/s-clean.eml" teacher@school.example parent@home.example "Stream" "All quiet today."
msg "$PF/s-name.eml" coach@club.example office@school.example "Stream" "Freddie Quellan scored."
before=$(pf_sink_count)
tagged_before=$(sink_with "direction=inbound")
pf_send --count 250 teacher@school.example parent@home.example "$PF/s-clean.eml" > "$PF/s1.out" &
s1=$!
pf_send --source 127.0.0.2 --count 250 coach@club.example office@school.example "$PF/s-name.eml" > "$PF/s2.out" &
s2=$!
reloads=0
while kill -0 $s1 2>/dev/null || kill -0 $s2 2>/dev/null; do
	kill -USR1 "$MILTER_PID"; reloads=$((reloads + 1)); sleep 0.1
done
wait $s1; wait $s2
accepted=$(cat "$PF/s1.out" "$PF/s2.out" | grep -c "^250")
echo "   $reloads reloads during the stream; $accepted of 500 accepted"
check "all 500 accepted (none tempfailed)" '[ "$accepted" -eq 500 ]'
check "all 500 delivered" 'pf_wait_sink $((before + 500)) 60'
check "the 250 with a name are tagged" '[ $(( $(sink_with "direction=inbound") - tagged_before )) -eq 250 ]'
check "reloads logged" '[ "$(grep -c "reloaded" "$PF/milter.log")" -ge 5 ]'

echo "== a broken configuration at reload keeps the old policy"
printf '\nthis is not libconfig\n' >> "$PF/pupilguard.conf"
kill -USR1 "$MILTER_PID"; sleep 0.5
check "reload failure logged" 'grep -q "previous policy stays in force" "$PF/milter.log"'
before=$(pf_sink_count)
pf_send --source 127.0.0.2 coach@club.example office@school.example "$PF/in.eml" >/dev/null
check "still scanning with the old policy" 'pf_wait_sink $((before + 1)) 20 && [ "$(sink_with "Subject: Match")" -ge 2 ]'
cp "$PF/pupilguard.conf.good" "$PF/pupilguard.conf"

echo "== relay down: the notification is spooled, survives a restart, then is delivered"
lead_stop
rm -f "$PF"/lead/*
pf_send teacher@school.example partner@agency.example "$PF/two.eml" >/dev/null
sleep 2
check "notification spooled while the relay is down" '[ "$(ls "$PF/spool/new" | wc -l)" -ge 1 ]'
check "spool file is 0600" '[ "$(stat -c %a "$PF"/spool/new/* | sort -u)" = "600" ]'
milter_stop
milter_start
lead_start
check "delivered after the relay came back (and a restart)" 'wait_lead 1 30'
check "spool empty" 'sleep 1; [ "$(ls "$PF/spool/new" | wc -l)" -eq 0 ]'
postsuper -c "$PF/etc" -d ALL hold >/dev/null 2>&1

echo "== 200 holds in a minute: the cap (5 per 60 s), then one digest of the rest"
# A fresh leadership address and a one-minute period, by a live reload.
sed -i 's/head@school.example/dsl@school.example/; s/rate_period = 10;/rate_period = 60;/' \
	"$PF/pupilguard.conf"
kill -USR1 "$MILTER_PID"
sleep 1
rm -f "$PF"/lead/*
start=$(date +%s)
pf_send --count 200 teacher@school.example partner@agency.example "$PF/two.eml" > "$PF/flood.out"
echo "   200 messages submitted in $(( $(date +%s) - start )) s"
check "200 held" '[ "$(pf_hold_ids | wc -l)" -eq 200 ]'
check "5 notices at once" 'wait_lead 5 20 && sleep 2 && [ "$(lead_count)" -eq 5 ]'
check "then one digest, a period later" 'wait_lead 6 90 && sleep 3 && [ "$(lead_count)" -eq 6 ] && grep -l "more messages held" "$PF"/lead/* | grep -q .'
digest=$(grep -l "more messages held" "$PF"/lead/* | head -1)
check "the digest lists the other 195" '[ -n "$digest" ] && [ "$(grep -c "^  - " "$digest")" -eq 195 ]'
check "no name in any notification" '! grep -q -i -E "Oakhurst|Quellan" "$PF"/lead/*'

echo "== hostile mail through the milter: each ends in a documented action, the milter keeps serving"
python3 "$top/tests/hostile/gen.py" "$PF/hostile" >/dev/null
before=$(pf_sink_count)
held_before=$(pf_hold_ids | wc -l)
hostile_ok=0
hostile_n=$(ls "$PF"/hostile/*.eml | wc -l)
for f in "$PF"/hostile/*.eml; do
	reply=$(pf_send --source 127.0.0.2 x@outside.example office@school.example "$f")
	case $reply in 250*) hostile_ok=$((hostile_ok + 1)) ;; *) echo "   $(basename "$f"): $reply" ;; esac
done
check "all $hostile_n hostile messages accepted (none refused or tempfailed)" '[ "$hostile_ok" -eq "$hostile_n" ]'
check "all $hostile_n delivered or held, none lost" 'for _ in $(seq 1 300); do [ $(( $(pf_sink_count) - before + $(pf_hold_ids | wc -l) - held_before )) -ge "$hostile_n" ] && break; sleep 0.2; done; [ $(( $(pf_sink_count) - before + $(pf_hold_ids | wc -l) - held_before )) -eq "$hostile_n" ]'
check "the 50 MB message was tagged as scanned partly" '[ "$(grep -l "Subject: hostile case" "$PF"/sink/* | xargs grep -l "scanned=partly" | wc -l)" -ge 1 ]'
before=$(pf_sink_count)
pf_send teacher@school.example parent@home.example "$PF/clean.eml" >/dev/null
check "the milter still serves after them" 'pf_wait_sink $((before + 1)) 20 && [ -n "$MILTER_PID" ] && kill -0 "$MILTER_PID"'

echo "== the hold service: the review user lists, reads and releases through one socket; others are refused"
postsuper -c "$PF/etc" -d ALL hold >/dev/null 2>&1
sockdir=$(mktemp -d /tmp/pghold.XXXXXX) && chmod 755 "$sockdir"
sed 's/^exemptions = /review = { user = "nobody"; decisions_file = "'"$(echo "$PF" | sed 's/[\/&]/\\&/g')"'\/decisions.log"; };\nexemptions = /' \
	"$PF/pupilguard.conf" > "$PF/serve.conf"
"$hold_bin" -c "$PF/serve.conf" -C "$PF/etc" serve -s "$sockdir/hold.sock" 2>"$PF/serve.log" &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; rm -rf "$sockdir"; milter_stop; lead_stop; pf_teardown' EXIT INT TERM
for _ in $(seq 1 50); do [ -S "$sockdir/hold.sock" ] && break; sleep 0.1; done
cp "$here/holdc.py" "$sockdir/holdc.py" # reachable by every user
holdc() { python3 "$sockdir/holdc.py" "$sockdir/hold.sock" "$@"; }
# /usr/bin/python3: a python3 earlier on root's PATH may be out of reach of other users
as_nobody() { setpriv --reuid nobody --regid nogroup --clear-groups "$@"; }
msg "$PF/svc.eml" teacher@school.example partner@agency.example "Referral" "About Tamsin Oakhurst and Freddie Quellan."
before=$(pf_sink_count)
pf_send teacher@school.example partner@agency.example "$PF/svc.eml" >/dev/null
sleep 1
sid=$(pf_hold_ids)
check "one held for the service" '[ "$(echo "$sid" | grep -c .)" -eq 1 ]'
check "the socket is 0660 in the review user's group" '[ "$(stat -c "%a %G" "$sockdir/hold.sock")" = "660 nogroup" ]'
check "root lists it" 'holdc list 2>/dev/null | grep -q "^$sid	.*hold; score="'
check "the review user reads it" 'as_nobody /usr/bin/python3 "$sockdir/holdc.py" "$sockdir/hold.sock" read "$sid" 2>/dev/null | grep -q "^X-PupilGuard-Status: hold"'
check "another user cannot connect" 'setpriv --reuid daemon --regid daemon --clear-groups /usr/bin/python3 "$sockdir/holdc.py" "$sockdir/hold.sock" list >/dev/null 2>&1; [ $? -eq 2 ]'
chmod 666 "$sockdir/hold.sock"
check "and is refused by its credentials when it can" 'setpriv --reuid daemon --regid daemon --clear-groups /usr/bin/python3 "$sockdir/holdc.py" "$sockdir/hold.sock" list >/dev/null 2>&1; [ $? -eq 13 ]'
chmod 660 "$sockdir/hold.sock"
check "a queue ID that is not letters and digits is refused" 'holdc read "../x" >/dev/null 2>&1; [ $? -eq 13 ]'
check "an unknown verb is refused" 'holdc shell "$sid" head x >/dev/null 2>&1; [ $? -eq 13 ]'
check "a release without who is refused" 'holdc release "$sid" >/dev/null 2>&1; [ $? -eq 13 ]'
check "an ID that is not held is not pupilguard's" 'holdc delete NOSUCHID0 head x >/dev/null 2>&1; [ $? -eq 11 ]'
check "nothing was delivered by the refusals" '[ "$(pf_sink_count)" -eq "$before" ] && [ -n "$(pf_hold_ids)" ]'
check "the review user releases it" 'as_nobody /usr/bin/python3 "$sockdir/holdc.py" "$sockdir/hold.sock" release "$sid" "head@school.example" "checked with the family" >/dev/null 2>&1'
check "it is delivered" 'pf_wait_sink $((before + 1)) 20'
check "the decision is recorded" 'grep -q "	$sid	release	head@school.example	review page	checked with the family$" "$PF/decisions.log"'
check "pupilguard-hold list shows the decision" '"$hold_bin" -c "$PF/serve.conf" -C "$PF/etc" list 2>&1 | grep -q "$sid  release by head@school.example (review page): checked with the family"'
check "a second release is refused: no longer held" 'holdc release "$sid" head x >/dev/null 2>&1; [ $? -eq 11 ]'
kill "$SERVE_PID" 2>/dev/null
check "the service stops on SIGTERM and removes its socket" 'wait "$SERVE_PID" 2>/dev/null; [ ! -e "$sockdir/hold.sock" ]'

echo "== the logs carry no names"
check "milter log has no pupil name" '! grep -q -i -E "Oakhurst|Quellan|Brannagh" "$PF/milter.log"'

[ "$failed" -gt 0 ] && { echo "lead: $(lead_count)"; ls -la "$PF/lead" "$PF/spool/new" | head; grep -E "digest|folded|notification" "$PF/milter.log" | tail -15; }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
