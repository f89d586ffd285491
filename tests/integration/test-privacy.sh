#!/bin/bash
# Privacy: the whole labelled corpus through pupilguard-milter in a private
# Postfix, at log level debug, with notifications on; then every pupil's full
# name from the roster is searched for in the milter's log, Postfix's log,
# the X-PupilGuard-* headers added to delivered mail, the hold reasons, and
# the notifications.  None may be there.  SKIP (77) without the corpus or
# Postfix.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${PG_TOP_BUILDDIR:-$(pwd)}
corpus=${PG_CORPUS:-$top/../shared/corpus}
[ -f "$corpus/labels.jsonl" ] || { echo "SKIP: corpus not found at $corpus (set PG_CORPUS)"; exit 77; }
command -v postfix >/dev/null || PATH=$PATH:/usr/sbin
command -v postfix >/dev/null || { echo "SKIP: postfix not installed"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: a private Postfix needs root"; exit 77; }
. "$here/pf.sh"
pf_setup
MILTER_PORT=$(pf_free_port)
LEAD_PORT=$(pf_free_port)
trap '[ -n "${MPID:-}" ] && kill $MPID; [ -n "${LPID:-}" ] && kill $LPID; pf_teardown' EXIT INT TERM
mkdir -p "$PF/lead" && chown postfix "$PF/lead"
rules=$(ls "$top"/rules/*.rules | sed 's/.*/"&"/' | paste -sd, -)
cat > "$PF/pupilguard.conf" <<CF
rosters = ( "$corpus/roster.csv" );
staff = [ "$corpus/staff.csv" ];
rules = [ $rules ];
world_readable_rosters = "allow";
milter = { log_level = "debug"; };
directions = { local_domains = [ "brookfieldpark.sch.uk" ]; trusted_networks = [ "127.0.0.1/32" ]; };
notify = { leadership = [ "head@brookfieldpark.sch.uk" ]; relay = "127.0.0.1:$LEAD_PORT";
           spool_dir = "$PF/spool"; rate_limit = 0; retry_min = 1; };
policy = { outbound = { tag = 10; hold = 20; subject_prefix = "[CHECK]"; };
           inbound = { tag = 10; subject_prefix = "[PUPIL DATA]"; };
           internal = { tag = 10; }; newsletter = { hold = 10; }; };
CF
pf_sink_start
pf_milter "inet:127.0.0.1:$MILTER_PORT" tempfail
pf_start || exit 1
smtp-sink -u postfix -d "$PF/lead/%M." "127.0.0.1:$LEAD_PORT" 100 >/dev/null 2>&1 & LPID=$!
"$build/milter/pupilguard-milter" -f -R -c "$PF/pupilguard.conf" -p "inet:$MILTER_PORT@127.0.0.1" \
	> "$PF/milter.log" 2>&1 & MPID=$!
sleep 1
n=0
while IFS= read -r line; do
	file=$(echo "$line" | sed 's/.*"file": "\([^"]*\)".*/\1/')
	dir=$(echo "$line" | sed 's/.*"direction": "\([^"]*\)".*/\1/')
	case $dir in
	inbound) src=127.0.0.2; from=parent@home.example; to=office@brookfieldpark.sch.uk ;;
	internal) src=127.0.0.1; from=staff@brookfieldpark.sch.uk; to=office@brookfieldpark.sch.uk ;;
	*) src=127.0.0.1; from=staff@brookfieldpark.sch.uk; to=partner@agency.example ;;
	esac
	pf_send --source "$src" "$from" "$to" "$corpus/messages/$file" >/dev/null && n=$((n + 1))
done < "$corpus/labels.jsonl"
sleep 3
held=$(pf_hold_ids | wc -l)
delivered=$(pf_sink_count)
echo "corpus: $n messages accepted; $delivered delivered, $held held; $(ls "$PF/lead" | wc -l) notifications"
# What pupilguard wrote: its headers in delivered mail, the hold reasons, logs, notices.
for f in "$PF"/sink/*; do grep -i -A3 "^X-PupilGuard" "$f" | grep -v -i "^Subject"; done > "$PF/added-headers.txt"
for id in $(pf_hold_ids); do postcat -c "$PF/etc" -q "$id" 2>/dev/null | grep -i -E "^(X-PupilGuard|quarantine|hold)"; done > "$PF/held-headers.txt"
python3 "$here/privacy-check.py" "$corpus/roster.csv" "$PF/milter.log" "$PF/maillog" \
	"$PF/added-headers.txt" "$PF/held-headers.txt" "$PF"/lead/*
rc=$?
# Positive control: the same search must find the names in the messages themselves.
if python3 "$here/privacy-check.py" "$corpus/roster.csv" "$corpus"/messages/00[0-4]*.eml >/dev/null; then
	echo "the name search found nothing in the raw corpus: it cannot be trusted"
	rc=1
fi
lines=$(wc -l < "$PF/milter.log")
echo "milter log: $lines lines at level debug"
if [ $rc -eq 0 ] && [ "$n" -eq "$(wc -l < "$corpus/labels.jsonl")" ]; then
	echo "1 passed, 0 failed"
	exit 0
fi
echo "0 passed, 1 failed"
exit 1
