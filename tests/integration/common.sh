# common.sh - helpers shared by the integration tests (test-postfix.sh,
# test-sendmail.sh).  Source it, then set T (the test's directory),
# MILTER_PORT, LEAD_PORT, top (the source tree) and milter_bin.
#
#   test_conf [TOP] [NOTIFY]     the test roster (0600) and $T/pupilguard.conf:
#                                two rule packs, tag/hold policy, school.example,
#                                leadership at 127.0.0.1:$LEAD_PORT; TOP and
#                                NOTIFY are more lines for the top level and
#                                the notify group
#   ok / bad / check NAME EXPR   count and print "ok: NAME" or "FAIL: NAME"
#   milter_start / milter_stop   pupilguard-milter -f on inet:$MILTER_PORT,
#                                with $T/pupilguard.conf, logging to $T/milter.log
#   lead_start / lead_stop       the leadership mailbox: smtp-sink into $T/lead
#   lead_count, wait_lead N SECS
#   msg FILE FROM TO SUBJECT BODY [EXTRA-HEADER]   write a plain message
#   sink_with TEXT               how many delivered messages hold TEXT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

test_conf() {
	mkdir -p "$T/lead" "$T/spool"
	chown postfix "$T/lead"
	cp "$top/tests/milter/roster.csv" "$T/roster.csv"
	chmod 600 "$T/roster.csv"
	cat > "$T/pupilguard.conf" <<CF
rosters = ( "roster.csv" );
rules = [ "$top/rules/identifiers.rules", "$top/rules/health.rules" ];
policy = {
  inbound    = { tag = 10; };
  outbound   = { tag = 10; hold = 20; };
  internal   = { tag = 0; };
  newsletter = { hold = 10; };
};
directions = { local_domains = [ "school.example" ]; trusted_networks = [ "127.0.0.1/32" ]; };
exemptions = { notice_key_file = "$T/notice.key"; };
${1:-}
notify = {
  leadership = [ "head@school.example" ];
  relay = "127.0.0.1:$LEAD_PORT";
  spool_dir = "$T/spool";
  retry_min = 1;
  retry_max = 2;
  ${2:-}
};
CF
}

milter_start() {
	"$milter_bin" -f -R -c "$T/pupilguard.conf" -p "inet:$MILTER_PORT@127.0.0.1" \
		>>"$T/milter.log" 2>&1 &
	MILTER_PID=$!
	for _ in $(seq 1 50); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1',$MILTER_PORT),1)" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "milter did not start"; cat "$T/milter.log"; return 1
}
milter_stop() {
	[ -n "${MILTER_PID:-}" ] && kill "$MILTER_PID" 2>/dev/null && wait "$MILTER_PID" 2>/dev/null
	MILTER_PID=
}
lead_start() {
	smtp-sink -u postfix -d "$T/lead/%M." "127.0.0.1:$LEAD_PORT" 100 >/dev/null 2>&1 &
	LEAD_PID=$!
	sleep 0.3
}
lead_stop() {
	[ -n "${LEAD_PID:-}" ] && kill "$LEAD_PID" 2>/dev/null && wait "$LEAD_PID" 2>/dev/null
	LEAD_PID=
}
lead_count() { find "$T/lead" -type f | wc -l; }
wait_lead() { # N SECS
	for _ in $(seq 1 $(($2 * 10))); do [ "$(lead_count)" -ge "$1" ] && return 0; sleep 0.1; done
	return 1
}
msg() { # FILE FROM TO SUBJECT BODY [EXTRA-HEADER]
	printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@test>\r\n%sMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' \
		"$2" "$3" "$4" "$RANDOM$RANDOM" "${6:+$6$'\r\n'}" "$5" > "$1"
}
sink_with() { grep -l -F -- "$1" "$T"/sink/* 2>/dev/null | wc -l; }
