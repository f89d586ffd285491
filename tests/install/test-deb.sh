#!/bin/sh
# The Debian package: built from this tree with contrib/debian/build.sh
# (dpkg-buildpackage -us -uc -b), checked with lintian, then installed with
# dpkg into a throw-away copy of this machine (an overlay of / in a private
# mount namespace, entered with chroot), where the test checks the user and
# its groups, the modes, the conffiles, `pupilguard-milter -n` as the
# service user, the daemon started from the unit's ExecStart line as the
# unit's User (its socket's owner, group and mode, and that Postfix's user
# connects), `systemd-analyze verify` on the unit, and the purge.  Nothing
# reaches the real system: after the test /etc/pupilguard and the user do
# not exist.  Root only; SKIP (77) without dpkg-buildpackage, debhelper,
# unshare or overlayfs.
top=${PG_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root (mount namespace, chroot)"; exit 77; fi
for t in dpkg-buildpackage dh lintian unshare chroot systemd-analyze python3; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
[ -e /etc/pupilguard ] && { echo "SKIP: /etc/pupilguard exists on this machine"; exit 77; }
T=$(mktemp -d /tmp/pupilguard-deb-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$T/u" "$T/w" "$T/m" "$T/out"
unshare -m --propagation private sh -c \
	"mount -t overlay overlay -o lowerdir=/,upperdir=$T/u,workdir=$T/w $T/m" 2>/dev/null ||
	{ echo "SKIP: no overlayfs in a private mount namespace here"; exit 77; }
rm -rf "$T/u" "$T/w"; mkdir -p "$T/u" "$T/w"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

echo "== building the package"
if DEB_BUILD_OPTIONS="parallel=2" sh "$top/contrib/debian/build.sh" "$T/out" >"$T/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b from a copy of the tree"
else
	bad "dpkg-buildpackage"; tail -30 "$T/build.log" | sed 's/^/    /'
	echo "$passed passed, $failed failed"; exit 1
fi
deb=$(ls "$T"/out/pupilguard_*.deb)
lintian --no-tag-display-limit "$deb" "$T"/out/pupilguard_*.changes >"$T/lintian.out" 2>&1
if grep -E '^[EW]: ' "$T/lintian.out" >/dev/null; then
	bad "lintian: no errors or warnings"; sed 's/^/    /' "$T/lintian.out"
else
	ok "lintian: no errors or warnings"
fi

# Inside the copy of the machine: one "ok:"/"FAIL:" line per check.
cat > "$T/inside.sh" <<'IN'
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
deb=$1
# Maintainer scripts must not start services in this copy.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
dpkg -i "$deb" >/tmp/dpkg.out 2>&1; check "dpkg -i" '[ $? -eq 0 ]' || sed 's/^/    /' /tmp/dpkg.out
check "system user pupilguard" 'getent passwd pupilguard | grep -q ":/usr/sbin/nologin$"'
check "pupilguard is a system uid" '[ "$(id -u pupilguard)" -lt 1000 ]'
check "pupilguard in group postfix (the socket's group)" 'id -nG pupilguard | grep -qw postfix'
mode() { stat -c '%U %G %a' "$1"; }
check "/var/spool/pupilguard pupilguard:pupilguard 0700" '[ "$(mode /var/spool/pupilguard)" = "pupilguard pupilguard 700" ]'
check "/var/spool/postfix/pupilguard pupilguard:postfix 0750" '[ "$(mode /var/spool/postfix/pupilguard)" = "pupilguard postfix 750" ]'
check "example roster root:pupilguard 0640" '[ "$(mode /etc/pupilguard/example-roster.csv)" = "root pupilguard 640" ]'
cf=$(dpkg-query -W -f='${Conffiles}\n' pupilguard)
for f in pupilguard.conf notify-leadership.txt notify-sender.txt notify-digest.txt; do
	check "conffile /etc/pupilguard/$f" 'echo "$cf" | grep -q " /etc/pupilguard/$f "'
done
check "rule packs in /usr/share/pupilguard/rules" '[ "$(ls /usr/share/pupilguard/rules/*.rules | wc -l)" -ge 5 ]'
check "the configuration points at them" 'grep -q "\"/usr/share/pupilguard/rules/identifiers.rules\"" /etc/pupilguard/pupilguard.conf'
for m in man8/pupilguard-milter.8 man8/pupilguard-hold.8 man5/pupilguard.conf.5 man1/pupilguard-scan.1; do
	check "man page $m" '[ -f /usr/share/man/$m.gz ]'
done
check "sudoers example parses" 'visudo -cf /usr/share/doc/pupilguard/examples/pupilguard >/dev/null'
unit=/lib/systemd/system/pupilguard.service
[ -f "$unit" ] || unit=/usr/lib/systemd/system/pupilguard.service
check "systemd unit installed" '[ -f "$unit" ]'
systemd-analyze verify "$unit" >/tmp/verify.out 2>&1
check "systemd-analyze verify" '[ $? -eq 0 ] && ! grep -q pupilguard /tmp/verify.out' || sed 's/^/    /' /tmp/verify.out
echo "exposure: $(systemd-analyze security --offline=yes "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')"
# -n as the service user; as root without -R it is refused.
runuser -u pupilguard -- pupilguard-milter -n -c /etc/pupilguard/pupilguard.conf >/tmp/n.out 2>&1
check "pupilguard-milter -n as pupilguard" '[ $? -eq 0 ] && grep -q ": OK: " /tmp/n.out && ! grep -q "error:" /tmp/n.out' ||
	sed 's/^/    /' /tmp/n.out
pupilguard-milter -n -c /etc/pupilguard/pupilguard.conf >/tmp/n.out 2>&1
check "pupilguard-milter -n as root is refused" '[ $? -eq 1 ] && grep -q "refusing to run as root" /tmp/n.out'
# The daemon from the unit's ExecStart line, as the unit's User.
user=$(sed -n 's/^User=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
check "unit runs as pupilguard" '[ "$user" = pupilguard ]'
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --init-groups $start >/tmp/milter.out 2>&1 &
pid=$!
sock=/var/spool/postfix/pupilguard/pupilguard.sock
for _ in $(seq 1 100); do [ -S $sock ] && grep -q listening /tmp/milter.out && break; sleep 0.1; done
check "daemon started from ExecStart listens on $sock" '[ -S $sock ]' || sed 's/^/    /' /tmp/milter.out
check "socket pupilguard:postfix 0660" '[ "$(mode $sock)" = "pupilguard postfix 660" ]'
check "daemon runs as pupilguard" '[ "$(ps -o user= -p $pid | tr -d " ")" = pupilguard ]'
check "postfix's user connects to the socket" 'runuser -u postfix -- python3 -c "import socket; socket.socket(socket.AF_UNIX).connect(\"$sock\")"'
check "nobody cannot" '! runuser -u nobody -- python3 -c "import socket; socket.socket(socket.AF_UNIX).connect(\"$sock\")" 2>/dev/null'
kill $pid; wait $pid 2>/dev/null
dpkg --purge pupilguard >/tmp/dpkg.out 2>&1; check "dpkg --purge" '[ $? -eq 0 ]' || sed 's/^/    /' /tmp/dpkg.out
check "purge removes /etc/pupilguard" '[ ! -e /etc/pupilguard ]'
check "purge removes /var/spool/pupilguard and the socket directory" '[ ! -e /var/spool/pupilguard ] && [ ! -e /var/spool/postfix/pupilguard ]'
check "purge removes the statoverrides" '! dpkg-statoverride --list | grep -q pupilguard'
deluser --system --quiet pupilguard >/dev/null 2>&1
check "user removed" '! getent passwd pupilguard >/dev/null && ! getent group pupilguard >/dev/null'
IN
cat > "$T/ns.sh" <<NS
set -e
mount -t overlay overlay -o lowerdir=/,upperdir=$T/u,workdir=$T/w $T/m
mount -t proc proc $T/m/proc
mount --rbind /dev $T/m/dev
mount --rbind /sys $T/m/sys
set +e
chroot $T/m /bin/sh $T/inside.sh $deb
NS
echo "== installing into a copy of this machine"
unshare -m --propagation private sh "$T/ns.sh" >"$T/inside.out" 2>&1
cat "$T/inside.out"
passed=$((passed + $(grep -c '^ok: ' "$T/inside.out")))
failed=$((failed + $(grep -c '^FAIL: ' "$T/inside.out")))
grep -q '^ok: user removed' "$T/inside.out" || bad "the checks inside ran to the end"
# The real machine is untouched.
[ ! -e /etc/pupilguard ] && ok "no /etc/pupilguard on this machine" || bad "no /etc/pupilguard on this machine"
! getent passwd pupilguard >/dev/null && ok "no pupilguard user on this machine" ||
	bad "no pupilguard user on this machine"
! dpkg-query -W pupilguard >/dev/null 2>&1 && ok "package not installed on this machine" ||
	bad "package not installed on this machine"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
