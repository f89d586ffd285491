# pf.sh - a private Postfix on loopback for pupilguard's integration tests.
# Source it from bash.  Everything lives under one directory made by
# pf_setup; nothing touches the system's own Postfix instance, and nothing
# is sent anywhere but 127.0.0.1.
#
#   pf_setup            make $PF (config, queue, data, sink dirs), pick ports
#   pf_milter SPEC ACT  smtpd_milters + non_smtpd_milters = SPEC, default ACT
#   pf_start / pf_stop  the Postfix instance
#   pf_sink_start / pf_sink_stop    smtp-sink next hop writing to $PF/sink
#   pf_send [--source IP] FROM TO FILE     SMTP submission; prints the reply
#   pf_sendmail FROM TO FILE               sendmail(1) submission (non_smtpd path)
#   pf_wait_sink N [SECS]   wait until N messages are in the sink
#   pf_hold_ids             queue IDs in the hold queue
#   pf_queue_count          messages in any queue
#   pf_teardown             stop everything, remove $PF
# Variables: PF (the directory), PF_SMTP_PORT, PF_SINK_PORT.

pf_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pf_setup() {
	PF=$(mktemp -d /tmp/pupilguard-pf.XXXXXX)
	chmod 755 "$PF"
	PF_SMTP_PORT=$(pf_free_port)
	PF_SINK_PORT=$(pf_free_port)
	mkdir -p "$PF/etc" "$PF/queue" "$PF/data" "$PF/sink"
	chown postfix "$PF/sink" "$PF/data"
	cat > "$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $PF/maillog
maillog_file_prefixes = /tmp, /var
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.school.example
mydomain = school.example
myorigin = school.example
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:$PF_SINK_PORT
smtp_host_lookup = native
smtp_dns_support_level = disabled
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
smtp_connect_timeout = 5s
delay_warning_time = 0
bounce_queue_lifetime = 1h
maximal_queue_lifetime = 1h
message_size_limit = 80000000
milter_protocol = 6
milter_connect_timeout = 5s
milter_default_action = tempfail
smtpd_milters =
non_smtpd_milters =
biff = no
CF
	cat > "$PF/etc/master.cf" <<CF
127.0.0.1:$PF_SMTP_PORT inet n - n - - smtpd
pickup    unix  n       -       n       1       1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
}

pf_conf() {
	postconf -c "$PF/etc" -e "$@"
}

pf_milter() {
	pf_conf "smtpd_milters = $1" "non_smtpd_milters = $1" "milter_default_action = ${2:-tempfail}"
	if [ -f "$PF/queue/pid/master.pid" ]; then postfix -c "$PF/etc" reload >/dev/null 2>&1; fi
}

pf_start() {
	postfix -c "$PF/etc" start >"$PF/start.log" 2>&1 || { cat "$PF/start.log"; return 1; }
	for _ in $(seq 1 50); do
		python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$PF_SMTP_PORT),1); s.close()" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "pf: smtpd did not come up on $PF_SMTP_PORT"; tail -20 "$PF/maillog"; return 1
}

pf_stop() {
	postfix -c "$PF/etc" stop >/dev/null 2>&1 || true
}

pf_sink_start() {
	smtp-sink -u postfix -d "$PF/sink/%M." "127.0.0.1:$PF_SINK_PORT" 100 >/dev/null 2>&1 &
	PF_SINK_PID=$!
	for _ in $(seq 1 50); do
		python3 -c "import socket; s=socket.create_connection(('127.0.0.1',$PF_SINK_PORT),1); s.close()" \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

pf_sink_stop() {
	[ -n "${PF_SINK_PID:-}" ] && kill "$PF_SINK_PID" 2>/dev/null && wait "$PF_SINK_PID" 2>/dev/null
	PF_SINK_PID=
}

# pf_send [--source IP] FROM TO FILE: prints "250 ..." or the error reply.
pf_send() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/send.py" --port "$PF_SMTP_PORT" "$@"
}

pf_sendmail() {
	sendmail -C "$PF/etc" -f "$1" -- "$2" < "$3"
}

pf_sink_count() {
	find "$PF/sink" -type f | wc -l
}

pf_wait_sink() {
	local want=$1 secs=${2:-30} i
	for i in $(seq 1 $((secs * 10))); do
		[ "$(pf_sink_count)" -ge "$want" ] && return 0
		postqueue -c "$PF/etc" -f >/dev/null 2>&1 || true
		sleep 0.1
	done
	return 1
}

pf_hold_ids() {
	postqueue -c "$PF/etc" -j 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("queue_name") == "hold":
        print(m["queue_id"])'
}

pf_queue_count() {
	postqueue -c "$PF/etc" -j 2>/dev/null | wc -l
}

pf_teardown() {
	pf_stop
	pf_sink_stop
	[ -n "${PF:-}" ] && rm -rf "$PF"
}
