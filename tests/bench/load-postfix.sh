#!/bin/bash
# Load through a real MTA (issue: hardening).  A private Postfix on loopback
# takes 5,000 messages of 10 KB from smtp-source over 10 parallel sessions
# and relays them to smtp-sink, with: no milter; a do-nothing milter (the
# protocol's own cost); pupilguard with 1,000 and with 100,000 pupils.  Then
# SIGUSR1 every second during a run, and the milter killed and restarted
# during a run.  Then the labelled corpus through Postfix body_checks with a
# PCRE table of the same full names (what an administrator might do without
# pupilguard) beside pupilguard.  Prints figures; a benchmark, not a test.
#   tests/bench/load-postfix.sh BUILDDIR [MESSAGES]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$1
N=${2:-5000}
corpus=${PG_CORPUS:-$top/../shared/corpus}
bench=${BENCH_DIR:-/tmp/pupilguard-bench}
. "$top/tests/integration/pf.sh"
[ -f "$bench/roster-100000.csv" ] || python3 "$here/gen.py" "$bench" 100000 0
[ -f "$bench/roster-1000.csv" ] || python3 "$here/gen.py" "$bench" 1000 0
pf_setup
MP=$(pf_free_port)
trap '[ -n "${MPID:-}" ] && kill $MPID 2>/dev/null; pf_teardown' EXIT INT TERM
# A sink that only counts: no disk writes, so the MTA and milter are measured.
smtp-sink -u postfix "127.0.0.1:$PF_SINK_PORT" 200 >/dev/null 2>&1 & PF_SINK_PID=$!
pf_conf "smtpd_milters =" "non_smtpd_milters ="
pf_start || exit 1

sent() { grep -c "status=sent" "$PF/maillog"; }
rss() { awk '/VmRSS/ {print $2}' /proc/"$1"/status 2>/dev/null; }
run() { # LABEL: send N messages, wait for delivery, print msgs/s
	local before t0 t1
	before=$(sent)
	t0=$(date +%s.%N)
	smtp-source -l 10240 -m "$N" -s 10 -f teacher@school.example -t parent@home.example \
		"127.0.0.1:$PF_SMTP_PORT" >/dev/null 2>&1
	for _ in $(seq 1 1200); do
		[ $(( $(sent) - before )) -ge "$N" ] && break
		sleep 0.1
	done
	t1=$(date +%s.%N)
	delivered=$(( $(sent) - before ))
	rate=$(python3 -c "print('%.0f' % ($delivered / ($t1 - $t0)))")
	printf '%-34s %6s msgs/s  (%d of %d delivered)\n' "$1" "$rate" "$delivered" "$N"
}
milter() { # CMD...: start a milter on $MP
	"$@" >"$PF/milter.log" 2>&1 & MPID=$!
	for _ in $(seq 1 50); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1',$MP),1)" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
stop_milter() { kill "$MPID" 2>/dev/null; wait "$MPID" 2>/dev/null; MPID=; }
conf() { # ROSTER
	printf 'rosters = ( "%s" );\nrules = [ %s ];\nworld_readable_rosters = "allow";\nmilter = { log_level = "notice"; };\ndirections = { local_domains = [ "school.example" ]; };\n' \
		"$1" "$(ls "$top"/rules/*.rules | sed 's/.*/"&"/' | paste -sd, -)" > "$PF/pg.conf"
}

if [ "${BODY_CHECKS_ONLY:-0}" = 0 ]; then
echo "== $N messages of 10 KB, 10 sessions, smtp-source -> Postfix -> smtp-sink"
run "no milter"; base=$rate
pf_milter "inet:127.0.0.1:$MP" tempfail
milter "$build/tests/bench/nullmilter" "inet:$MP@127.0.0.1"
run "do-nothing milter"; null=$rate
stop_milter
for n in 1000 100000; do
	conf "$bench/roster-$n.csv"
	milter "$build/milter/pupilguard-milter" -f -R -c "$PF/pg.conf" -p "inet:$MP@127.0.0.1"
	smtp-source -l 10240 -m 200 -s 10 -f a@school.example -t b@home.example "127.0.0.1:$PF_SMTP_PORT" >/dev/null 2>&1
	sleep 2
	r0=$(rss "$MPID")
	run "pupilguard, $n pupils"
	r1=$(rss "$MPID")
	eval "pg$n=\$rate"
	printf '%-34s start %d KB, end %d KB (%+.1f%%)\n' "  milter resident memory" "$r0" "$r1" \
		"$(python3 -c "print(100.0 * ($r1 - $r0) / $r0)")"
	[ "$n" = 100000 ] || stop_milter
done
python3 - "$base" "$null" "$pg1000" "$pg100000" <<'PY'
import sys
b, n, p1, p2 = map(float, sys.argv[1:])
print("ratios: do-nothing/no milter %.2f; pupilguard/do-nothing %.2f (1,000 pupils), %.2f (100,000 pupils); target >= 0.9"
      % (n / b, p1 / n, p2 / n))
PY

echo "== SIGUSR1 every second during $N messages (100,000 pupils)"
before=$(sent); t0=$(grep -c "milter-reject\|milter.*temporar" "$PF/maillog")
( while kill -0 "$MPID" 2>/dev/null; do kill -USR1 "$MPID"; sleep 1; done ) & SIGLOOP=$!
run "with reloads"
kill $SIGLOOP 2>/dev/null
echo "   reloads logged: $(grep -c reloaded "$PF/milter.log"); tempfails: $(( $(grep -c "milter-reject\|milter.*temporar" "$PF/maillog") - t0 ))"

echo "== the milter killed and restarted during a run (milter_default_action = tempfail)"
before=$(sent)
smtp-source -l 10240 -m "$N" -s 10 -f teacher@school.example -t parent@home.example \
	"127.0.0.1:$PF_SMTP_PORT" > "$PF/kill.out" 2>&1 &
SRC=$!
sleep 2; stop_milter; sleep 2
milter "$build/milter/pupilguard-milter" -f -R -c "$PF/pg.conf" -p "inet:$MP@127.0.0.1"
wait $SRC
sleep 3
queued=$(grep -c "from=<teacher@school.example>" "$PF/maillog")
echo "   accepted by Postfix and delivered: $(( $(sent) - before )); refused with 4xx while down: $(grep -c "4.7.1\|451" "$PF/maillog")"
echo "   (refused mail stays with the sender, whose MTA retries; nothing accepted was lost: queue now $(pf_queue_count))"
stop_milter
fi

if [ -f "$corpus/roster.csv" ]; then
	echo "== the corpus through Postfix body_checks (a PCRE table of every full name, HOLD)"
	python3 - "$corpus/roster.csv" > "$PF/etc/names.pcre" <<'PY'
import csv, re, sys
seen = set()
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    for f in {r["Legal Forename"], r["Preferred Forename"]}:
        for s in {r["Legal Surname"], r["Preferred Surname"]}:
            pat = r"/\b%s\s+%s\b/i" % (re.escape(f), re.escape(s))
            if pat not in seen:
                seen.add(pat)
                print(pat + " HOLD pupil name")
PY
	pf_conf "smtpd_milters =" "non_smtpd_milters =" "body_checks = pcre:$PF/etc/names.pcre"
	postfix -c "$PF/etc" reload >/dev/null 2>&1; sleep 1
	postconf -m | grep -q pcre || { echo "   postfix-pcre not installed"; exit 1; }
	run "body_checks ($(wc -l < "$PF/etc/names.pcre") patterns)"
	postsuper -c "$PF/etc" -d ALL hold >/dev/null 2>&1
	hits=0; total=0
	while IFS= read -r line; do
		file=$(echo "$line" | sed 's/.*"file": "\([^"]*\)".*/\1/')
		case $line in *'"names": []'*) continue ;; esac
		total=$((total + 1))
		pf_send teacher@school.example parent@home.example "$corpus/messages/$file" >/dev/null
	done < "$corpus/labels.jsonl"
	sleep 3
	echo "   body_checks held $(pf_hold_ids | wc -l) of the corpus's $total messages that name a pupil"
	echo "   (pupilguard finds all $total: see make check, tests/corpus)"
fi
