#!/bin/bash
# Integration: recipients that Postfix rewrites after the milter (issue 16
# item 2).  A private Postfix with the school's domain in mydestination and
# Postfix's defaults (allow_percent_hack, swap_bangpath), /etc/aliases-style
# alias_maps expanded by local(8), local mailboxes handed to smtp-sink
# (mailbox_transport), and pupilguard-milter with directions.postfix_maps
# naming that Postfix.  The same disclosure (two pupils' full names) goes to
# parent%home.example@school.example, home.example!parent@school.example and
# governors@school.example (an alias to an outside address): each must be
# held and not delivered.  Beside them the negatives: to a plain local user
# and to an alias of local users only it stays internal, delivered and
# logged internal.  SKIP (77) without Postfix.  Ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${PG_TOP_BUILDDIR:-$(pwd)}
milter_bin="$build/milter/pupilguard-milter"
for tool in postfix postconf postqueue postsuper postalias postmap smtp-sink; do
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

# The school's domain is local; its aliases are expanded by local(8), which
# hands every mailbox delivery to the sink, so that local delivery can be
# seen (X-Rcpt-Args names the local recipient) beside delivery outside.
cat > "$PF/etc/aliases" <<AL
governors: chair@home.example, clerk
staffroom: alice, bob
AL
pf_conf "mydestination = school.example" "alias_maps = hash:$PF/etc/aliases" \
	"alias_database = hash:$PF/etc/aliases" \
	"mailbox_transport = relay:[127.0.0.1]:$PF_SINK_PORT" "recipient_delimiter = +" \
	"mailbox_size_limit = 0"
echo "local     unix  -       n       n       -       -       local" >> "$PF/etc/master.cf"
postalias -c "$PF/etc" "hash:$PF/etc/aliases" || exit 1
check "Postfix keeps its defaults: allow_percent_hack and swap_bangpath" \
	'[ "$(postconf -c "$PF/etc" -h allow_percent_hack swap_bangpath | paste -sd,)" = "yes,yes" ]'

test_conf 'milter = { log_level = "debug"; };'
sed -i "s|trusted_networks = \[ \"127.0.0.1/32\" \];|& postfix_maps = \"$PF/etc\";|" "$T/pupilguard.conf"
check "the milter's configuration names this Postfix" 'grep -q "postfix_maps = \"$PF/etc\"" "$T/pupilguard.conf"'

pf_sink_start
pf_milter "inet:127.0.0.1:$MILTER_PORT" tempfail
pf_start || exit 1
lead_start
milter_start || exit 1

# send NAME RCPT: the disclosure, with its own Subject, from a teacher.
send() {
	msg "$PF/$1.eml" teacher@school.example "$2" "Routes $1" \
		"About Tamsin Oakhurst and Freddie Quellan."
	reply=$(pf_send teacher@school.example "$2" "$PF/$1.eml")
	[ "$reply" = "250 accepted" ] || echo "   $1: $reply"
}
# rcpt_delivered ADDR: delivered messages whose envelope recipient is ADDR.
# smtp-sink -d writes one "X-Rcpt-Args: <addr>" record per RCPT TO above the
# message, the address followed by any parameters ("ORCPT=rfc822;...").
rcpt_delivered() {
	local f n=0
	for f in "$PF"/sink/*; do
		[ -f "$f" ] || continue
		awk -v want="<$1>" '/^$/ { exit }
			$1 == "X-Rcpt-Args:" && tolower($2) == tolower(want) { hit = 1; exit }
			END { exit !hit }' "$f" && n=$((n + 1))
	done
	echo "$n"
}
held_with() { # SUBJECT: held messages whose Subject line is exactly that
	for id in $(pf_hold_ids); do postcat -c "$PF/etc" -q "$id" 2>/dev/null; done |
		grep -c -x -F "Subject: $1"
}

echo "== disclosures to addresses Postfix sends outside are held, not delivered"
send percent 'parent%home.example@school.example'
send bang 'home.example!parent@school.example'
send alias governors@school.example
send aliasext governors+minutes@school.example
for _ in $(seq 1 50); do [ "$(pf_hold_ids | wc -l)" -ge 4 ] && break; sleep 0.1; done
for c in percent bang alias aliasext; do
	check "$c: held" '[ "$(held_with "Routes $c")" -eq 1 ]'
done
check "the milter logged them outbound, action hold" \
	'[ "$(grep -c "direction=outbound score=20 action=hold" "$PF/milter.log")" -eq 4 ]'

echo "== the negatives: to a plain local user and to a local-only alias it stays internal"
send user teacher2@school.example
send staff staffroom@school.example
check "plain local user: delivered to the local mailbox" 'pf_wait_sink 1 20 && [ "$(rcpt_delivered teacher2@school.example)" -eq 1 ]'
check "local-only alias: delivered to both members" 'pf_wait_sink 3 20 && [ "$(rcpt_delivered alice@school.example)" -eq 1 ] && [ "$(rcpt_delivered bob@school.example)" -eq 1 ]'
check "both logged internal (status header)" \
	'[ "$(sink_with "X-PupilGuard-Status: logged; score=20; direction=internal")" -eq 3 ]'
check "both logged internal (milter log)" \
	'[ "$(grep -c "direction=internal score=20 action=none" "$PF/milter.log")" -eq 2 ]'
check "still four held" '[ "$(pf_hold_ids | wc -l)" -eq 4 ]'

echo "== nothing reached the outside addresses"
postqueue -c "$PF/etc" -f >/dev/null 2>&1; sleep 2
check "nothing delivered to parent@home.example" '[ "$(rcpt_delivered parent@home.example)" -eq 0 ]'
check "nothing delivered to chair@home.example" '[ "$(rcpt_delivered chair@home.example)" -eq 0 ]'
check "only the three local deliveries in the sink" '[ "$(pf_sink_count)" -eq 3 ]'

echo "== releasing the alias's message shows where Postfix sends it (the positive control)"
aid=$(for id in $(pf_hold_ids); do postcat -c "$PF/etc" -q "$id" 2>/dev/null | grep -q -x -F "Subject: Routes alias" && echo "$id"; done)
postsuper -c "$PF/etc" -H "$aid" >/dev/null 2>&1
postqueue -c "$PF/etc" -i "$aid" >/dev/null 2>&1
check "released, it goes to the chair outside" \
	'pf_wait_sink 5 30; [ "$(rcpt_delivered chair@home.example)" -eq 1 ]'

echo "== the logs carry no names"
check "milter log has no pupil name" '! grep -q -i -E "Oakhurst|Quellan" "$PF/milter.log"'

[ "$failed" -gt 0 ] && { grep -E "direction=|aliases" "$PF/milter.log" | tail -20; tail -20 "$PF/maillog"; }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
