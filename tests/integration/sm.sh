# sm.sh - a private Sendmail on loopback for pupilguard's integration tests.
# Source it from bash.  Debian's sendmail conflicts with Postfix, so the
# packages are fetched with `apt-get download` (Debian's archive only) into
# a cache and unpacked with dpkg -x; nothing is installed and nothing under
# /etc/mail or /var/spool/mqueue is touched.  Everything lives under $SM.
#
#   sm_fetch             the .debs into $SM_DEB_CACHE, unpacked into $SM_ROOT;
#                        non-zero with a reason on stderr if they cannot be had
#   sm_setup MILTERPORT  make $SM, a sendmail.cf (m4, from sendmail-cf) that
#                        listens on 127.0.0.1:$SM_PORT, relays everything to a
#                        sink at 127.0.0.1:$SM_SINK_PORT, looks nothing up in
#                        DNS and calls the milter inet:MILTERPORT@127.0.0.1
#                        (F=T: tempfail when it is down)
#   sm_start / sm_stop   the daemon (sendmail -bd)
#   sm_sink_start / sm_sink_stop    smtp-sink writing to $SM/sink
#   sm_send FROM TO FILE SMTP submission; prints "250 accepted" or the reply
#   sm_run ARGS...       the private sendmail binary with -C $SM/sendmail.cf
#   sm_wait_sink N [SECS]
#   sm_teardown
# Variables: SM, SM_ROOT, SM_BIN, SM_CF, SM_PORT, SM_SINK_PORT.
#
# Redirected from the binary's compiled-in paths to $SM by the .cf: the
# queue, status file, help file, pid file, aliases, local-host-names,
# trusted-users, service switch and hosts file.  The binary is copied out of
# the package without its setgid bit, so that LD_LIBRARY_PATH reaches the
# unpacked libwrap; $SM_BIN is a wrapper that runs it with a private
# /etc/hosts (see sm_setup).

SM_DEB_CACHE=${SM_DEB_CACHE:-/var/cache/pupilguard-test/sendmail}

sm_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

sm_fetch() {
	local pkgs="sendmail-bin sendmail-base sendmail-cf libwrap0" p
	mkdir -p "$SM_DEB_CACHE" || return 1
	for p in $pkgs; do
		if ! ls "$SM_DEB_CACHE/${p}_"*.deb >/dev/null 2>&1; then
			(cd "$SM_DEB_CACHE" && apt-get download "$p" >/dev/null 2>&1) || {
				echo "apt-get download $p failed" >&2
				return 1
			}
		fi
	done
	SM_ROOT=$SM_DEB_CACHE/root
	if [ ! -x "$SM_ROOT/usr/libexec/sendmail/sendmail" ]; then
		mkdir -p "$SM_ROOT"
		for p in "$SM_DEB_CACHE"/*.deb; do
			dpkg -x "$p" "$SM_ROOT" || { echo "dpkg -x $p failed" >&2; return 1; }
		done
	fi
	[ -x "$SM_ROOT/usr/libexec/sendmail/sendmail" ] || { echo "no sendmail binary in the packages" >&2; return 1; }
	export LD_LIBRARY_PATH=$SM_ROOT/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
}

sm_setup() {
	local cfdir
	SM=$(mktemp -d /tmp/pupilguard-sm.XXXXXX)
	chmod 755 "$SM"
	SM_PORT=$(sm_free_port)
	SM_SINK_PORT=$(sm_free_port)
	mkdir -p "$SM/mqueue" "$SM/sink"
	chmod 700 "$SM/mqueue"
	chown postfix "$SM/sink"
	cp "$SM_ROOT/usr/libexec/sendmail/sendmail" "$SM/sendmail.bin"
	chmod 755 "$SM/sendmail.bin"
	# At start sendmail looks up the machine's own name, IPv6 first, through
	# the system resolver; a name with no address costs a minute's sleep on
	# every run.  So it runs with a private /etc/hosts (a mount namespace)
	# that gives the name both addresses.
	printf '127.0.0.1 localhost mx.school.example %s\n::1 localhost mx.school.example %s\n' \
		"$(hostname)" "$(hostname)" > "$SM/etc-hosts"
	cat > "$SM/sendmail" <<SH
#!/bin/sh
if unshare -m true 2>/dev/null; then
	exec unshare -m sh -c 'mount --bind "\$1" /etc/hosts && shift && exec "\$@"' sh \\
		"$SM/etc-hosts" "$SM/sendmail.bin" "\$@"
fi
exec "$SM/sendmail.bin" "\$@"
SH
	chmod 755 "$SM/sendmail"
	SM_BIN=$SM/sendmail
	SM_CF=$SM/sendmail.cf
	cfdir=$SM_ROOT/usr/share/sendmail/cf
	printf 'hosts files\naliases files\n' > "$SM/service.switch"
	printf '127.0.0.1 localhost mx.school.example\n' > "$SM/hosts"
	: > "$SM/aliases"
	: > "$SM/statistics"
	: > "$SM/helpfile"
	cat > "$SM/sendmail.mc" <<MC
divert(-1)
divert(0)dnl
include(\`$cfdir/m4/cf.m4')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mx.school.example')dnl
define(\`QUEUE_DIR', \`$SM/mqueue')dnl
define(\`STATUS_FILE', \`$SM/statistics')dnl
define(\`HELP_FILE', \`$SM/helpfile')dnl
define(\`confPID_FILE', \`$SM/sendmail.pid')dnl
define(\`ALIAS_FILE', \`$SM/aliases')dnl
define(\`confCW_FILE', \`-o $SM/local-host-names')dnl
define(\`confCT_FILE', \`-o $SM/trusted-users')dnl
define(\`confSERVICE_SWITCH_FILE', \`$SM/service.switch')dnl
define(\`confHOSTS_FILE', \`$SM/hosts')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confBIND_OPTS', \`-DNSRCH -DEFNAMES')dnl
define(\`confTO_IDENT', \`0s')dnl
define(\`confDELIVERY_MODE', \`background')dnl
dnl A loaded test machine must not make Sendmail queue or refuse mail.
define(\`confQUEUE_LA', \`1000')dnl
define(\`confREFUSE_LA', \`1000')dnl
define(\`confDELAY_LA', \`0')dnl
define(\`SMART_HOST', \`esmtp:[127.0.0.1]')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $SM_SINK_PORT')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $SM_SINK_PORT')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`accept_unqualified_senders')dnl
DAEMON_OPTIONS(\`Port=$SM_PORT, Addr=127.0.0.1, Name=MTA')dnl
INPUT_MAIL_FILTER(\`pupilguard', \`S=inet:$1@127.0.0.1, F=T, T=S:30s;R:60s;E:5m')dnl
MAILER(\`smtp')dnl
MC
	# promiscuous_relay warns on stderr; the daemon listens on loopback only.
	m4 "$SM/sendmail.mc" > "$SM_CF" 2>"$SM/m4.log" && grep -q '^Xpupilguard' "$SM_CF"
}

sm_run() {
	"$SM_BIN" -C "$SM_CF" "$@"
}

sm_start() {
	sm_run -bd -q1h || return 1
	for _ in $(seq 1 50); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1',$SM_PORT),1)" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "sendmail did not start"
	return 1
}

sm_stop() {
	[ -f "$SM/sendmail.pid" ] && kill "$(head -1 "$SM/sendmail.pid")" 2>/dev/null
	pkill -f "$SM/sendmail.bin" 2>/dev/null
	rm -f "$SM/sendmail.pid"
}

sm_sink_start() {
	smtp-sink -u postfix -d "$SM/sink/%M." "127.0.0.1:$SM_SINK_PORT" 64 >/dev/null 2>&1 &
	SM_SINK_PID=$!
	sleep 0.3
}

sm_sink_stop() {
	[ -n "${SM_SINK_PID:-}" ] && kill "$SM_SINK_PID" 2>/dev/null && wait "$SM_SINK_PID" 2>/dev/null
	SM_SINK_PID=
}

sm_send() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/send.py" --port "$SM_PORT" "$@"
}

sm_sink_count() {
	find "$SM/sink" -type f | wc -l
}

sm_wait_sink() {
	for _ in $(seq 1 $((${2:-20} * 10))); do
		[ "$(sm_sink_count)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

sm_teardown() {
	sm_stop
	sm_sink_stop
	[ -n "${SM:-}" ] && rm -rf "$SM"
}
