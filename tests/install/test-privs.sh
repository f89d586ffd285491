#!/bin/sh
# Never root at run time, and `pupilguard-milter -n` as the milter's user:
# a throw-away system user, configurations whose temp_dir, notification
# spool, socket directory and socket group are each usable or not (a
# negative beside each positive), the refusal to run as root without
# milter.user or -R, and the unix socket's group and mode after the drop
# (Postfix's user can connect; without socket_group it cannot).  Root only
# (it creates and removes the user); SKIP (77) otherwise.
top=${PG_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${PG_TOP_BUILDDIR:-$(pwd)}
milter="$build/milter/pupilguard-milter"
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root (creates a system user)"; exit 77; fi
for t in useradd userdel runuser python3; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
getent group postfix >/dev/null || { echo "SKIP: no postfix group (install postfix)"; exit 77; }

U=pgpriv$$
T=$(mktemp -d /tmp/pupilguard-privs.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$T"
	getent passwd "$U" >/dev/null && userdel "$U"
	getent group "$U" >/dev/null && groupdel "$U"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
useradd --system --user-group --no-create-home --home-dir /nonexistent \
	--shell /usr/sbin/nologin "$U" || { echo "FAIL: cannot create user $U"; exit 1; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; sed 's/^/    /' "$T/out"; }
# expect NAME RC PATTERN [NOT-PATTERN]: the last -n run's exit status and output
expect() {
	if [ "$rc" = "$2" ] && grep -q -e "$3" "$T/out" &&
		{ [ -z "${4:-}" ] || ! grep -q -e "$4" "$T/out"; }; then ok "$1"; else bad "$1 (rc=$rc)"; fi
}

chmod 755 "$T"
mkdir -p "$T/priv" "$T/open" "$T/sock"
chmod 700 "$T/priv"           # root's only
chown "$U:$U" "$T/open"
chmod 755 "$T/sock"
cp "$top/tests/milter/roster.csv" "$T/roster.csv"
chown "$U" "$T/roster.csv"
chmod 600 "$T/roster.csv"

# conf NAME TEMP_DIR SPOOL SOCKET SOCKET_GROUP USER: each option on a line
# of its own, so that the messages can be checked for file:line.
conf() {
	cat > "$T/$1.conf" <<CF
rosters = ( "roster.csv" );
milter = {
  user = "$6";
  temp_dir = "$2";
  socket = "unix:$4";
  socket_group = "$5";
};
notify = {
  leadership = [ "head@school.example" ];
  spool_dir = "$3";
};
CF
	chmod 644 "$T/$1.conf"
}
run() { c=$1; shift; "$milter" -n -c "$T/$c.conf" "$@" >"$T/out" 2>&1; rc=$?; }
run_as_user() { c=$1; shift; runuser -u "$U" -- "$milter" -n -c "$T/$c.conf" "$@" >"$T/out" 2>&1; rc=$?; }

# Root without milter.user: refused unless -R or milter.allow_root.
conf good "$T/open" "$T/open/spool" "$T/sock/pg.sock" postfix "$U"
sed '/user = /d' "$T/good.conf" > "$T/root.conf"
run root
expect "-n as root without milter.user is refused" 1 "refusing to run as root"
run root -R
expect "-n as root with -R is accepted" 0 ": OK: " "refusing"
sed 's/^milter = {/milter = { allow_root = true;/' "$T/root.conf" > "$T/allow.conf"
run allow
expect "-n as root with milter.allow_root is accepted" 0 ": OK: " "refusing"
"$milter" -f -c "$T/root.conf" -p "unix:$T/sock/root.sock" >"$T/out" 2>&1; rc=$?
expect "the daemon as root without milter.user does not start" 1 "refusing to run as root"
[ ! -e "$T/sock/root.sock" ] && ok "... and opened no socket" || bad "... and opened no socket"

# Everything usable by the user.
run good
expect "-n with usable directories, as milter.user" 0 ": OK: " "error:"

# temp_dir: root's own directory is not writable by the user.
conf tmp "$T/priv" "$T/open/spool" "$T/sock/pg.sock" postfix "$U"
run tmp
expect "temp_dir the user cannot write: file:line" 1 "tmp.conf:4: milter.temp_dir \"$T/priv\": not writable by the milter's user"

# The spool: cannot be created (root's directory), an existing one the user
# cannot write, one that does not exist yet in a directory the user owns.
conf spool "$T/open" "$T/sock/spool" "$T/sock/pg.sock" postfix "$U"
run spool
expect "spool_dir that cannot be created: file:line" 1 "spool.conf:10: notify.spool_dir \"$T/sock/spool\": not usable by the milter's user: does not exist and cannot be created"
conf spool3 "$T/open" "$T/priv/spool" "$T/sock/pg.sock" postfix "$U"
run spool3
expect "spool_dir in a directory the user cannot search" 1 "spool3.conf:10: notify.spool_dir .*Permission denied"
mkdir -p "$T/rootspool"; chmod 700 "$T/rootspool"
conf spool2 "$T/open" "$T/rootspool" "$T/sock/pg.sock" postfix "$U"
run spool2
expect "existing spool_dir the user cannot write" 1 "spool2.conf:10: notify.spool_dir .*Permission denied"
[ ! -e "$T/open/spool" ] && ok "-n creates no spool" || bad "-n creates no spool"

# The socket's directory, and its group.
conf nodir "$T/open" "$T/open/spool" "$T/nodir/pg.sock" postfix "$U"
run nodir
expect "socket directory missing: file:line" 1 "nodir.conf:5: milter.socket \"unix:$T/nodir/pg.sock\": directory $T/nodir: No such file"
run nodir -p "unix:$T/sock/pg.sock"
expect "... -p names a directory that exists" 0 ": OK: " "error:"
run nodir -p "unix:$T/nodir/pg.sock"
expect "... -p is named when its directory is missing" 1 "-p unix:$T/nodir/pg.sock: directory $T/nodir"
conf nogroup "$T/open" "$T/open/spool" "$T/sock/pg.sock" nosuchgroup$$ "$U"
run nogroup
expect "unknown socket group" 1 "milter.socket_group: unknown group 'nosuchgroup$$'"

# Run by the user itself (as under the systemd unit): it must be in the
# socket's group to give the socket to it.
sed '/user = /d' "$T/good.conf" > "$T/self.conf"
sed "s/socket_group = \"postfix\"/socket_group = \"$U\"/" "$T/self.conf" > "$T/selfgrp.conf"
sed -i "s|socket = \"unix:$T/sock/pg.sock\"|socket = \"unix:$T/open/pg.sock\"|" "$T/self.conf" "$T/selfgrp.conf"
run_as_user self
expect "as a user outside socket_group: named" 1 "self.conf:5: milter.socket_group \"postfix\": the milter's user is not in this group"
run_as_user selfgrp
expect "as a user inside socket_group: OK" 0 ": OK: " "error:"
conf itself "$T/open" "$T/open/spool" "$T/open/pg.sock" "$U" "$U"
run_as_user itself
expect "as the user, milter.user naming that same user: OK" 0 ": OK: " "error:"
sed "s/user = \"$U\"/user = \"nobody\"/" "$T/self.conf" > "$T/other.conf"
sed -i 's/^milter = {/milter = { user = "nobody";/' "$T/other.conf"
run_as_user other
expect "a user other than root cannot change to another user" 1 "only root can change user"

# The daemon: bound as root, socket given to postfix 0660, then running as
# the user; Postfix's user can connect.  Without socket_group it cannot.
connect_as() { # USER PATH
	runuser -u "$1" -- python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])" "$2" 2>/dev/null
}
start() { # CONF SOCKET
	"$milter" -f -c "$T/$1.conf" -p "unix:$2" >"$T/out" 2>&1 &
	PID=$!
	for _ in $(seq 1 50); do [ -S "$2" ] && grep -q listening "$T/out" && return 0; sleep 0.1; done
	return 1
}
stop() { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=; }
if start good "$T/sock/a.sock"; then
	set -- $(stat -c '%U %G %a' "$T/sock/a.sock")
	[ "$1 $2 $3" = "root postfix 660" ] && ok "socket root:postfix 0660 (was root:root 0770)" ||
		bad "socket root:postfix 0660: got $1 $2 $3"
	[ "$(ps -o user= -p "$PID" | tr -d ' ')" = "$U" ] && ok "daemon runs as milter.user" ||
		bad "daemon runs as milter.user: $(ps -o user=,group= -p "$PID")"
	connect_as postfix "$T/sock/a.sock" && ok "postfix's user connects" || bad "postfix's user connects"
	connect_as nobody "$T/sock/a.sock" && bad "another user connects" || ok "another user cannot connect"
else
	bad "daemon as root with milter.user starts"
fi
stop
sed 's/socket_group = "postfix"/socket_group = ""/' "$T/good.conf" > "$T/nogrp.conf"
if start nogrp "$T/sock/b.sock"; then
	set -- $(stat -c '%G %a' "$T/sock/b.sock")
	[ "$1 $2" = "root 660" ] && ok "socket_group \"\" leaves root's group" || bad "socket_group \"\": got $1 $2"
	connect_as postfix "$T/sock/b.sock" && bad "without socket_group postfix cannot connect" ||
		ok "without socket_group postfix cannot connect"
else
	bad "daemon with socket_group \"\" starts"
fi
stop

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
