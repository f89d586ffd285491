#!/bin/sh
# quickstart.sh - from a fresh Debian 12 machine to a running pupilguard or
# to green tests.  README.md gives the two commands:
#
#   contrib/quickstart.sh demo   install dependencies, build, scan the sample
#                                messages, then run the milter in the
#                                foreground on inet:8895@127.0.0.1
#   contrib/quickstart.sh test   install dependencies, build, run every test
#
# Other steps, for developers: deps, build.  Run as root (or with sudo
# available) for the package installation; BUILD_DIR (default ./build) holds
# the out-of-tree build.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

# Debian packages: toolchain, the four libraries and Check, miltertest and
# Postfix for the protocol and integration tests, python3 for the corpus
# report, clang for the fuzzers, m4 for the Sendmail test's sendmail.cf,
# debhelper, dpkg-dev, fakeroot, lintian, adduser, systemd (for
# systemd-analyze) and sudo (for visudo, which checks the sudoers example)
# to build, check and install the Debian package.
# (Sendmail itself conflicts with Postfix: its test fetches the packages
# with apt-get download and unpacks them privately.)
PACKAGES="build-essential autoconf automake pkg-config libgmime-3.0-dev libpcre2-dev
libconfig-dev check libmilter-dev miltertest postfix postfix-pcre python3 valgrind clang
libclang-rt-14-dev jq m4 libxml2-dev libarchive-dev libpoppler-glib-dev libytnef0-dev nettle-dev
debhelper dpkg-dev fakeroot lintian adduser systemd sudo"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "quickstart: installing:$missing"
	# Postfix must not ask questions, nor configure the system mail service:
	# the tests run private instances of their own.
	echo "postfix postfix/main_mailer_type select No configuration" |
		as_root debconf-set-selections
	as_root apt-get update -q
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing
}

build() {
	cd "$top"
	[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] ||
		autoreconf -fi
	mkdir -p "$build"
	cd "$build"
	[ -f Makefile ] || "$top/configure" --sysconfdir=/etc
	make -j"$(nproc)"
}

demo() {
	deps
	build
	# A roster is the list of every child in the school: keep it from other users.
	chmod o-r "$top"/conf/example-roster.csv "$top"/conf/example-staff.csv
	echo
	echo "== pupilguard-scan over contrib/samples (names redacted):"
	for m in "$top"/contrib/samples/*.eml; do
		"$build/milter/pupilguard-scan" -c "$top/conf/pupilguard.conf" "$m" || true
	done
	echo
	# The demo listens on loopback TCP, not on the configuration's unix
	# socket in Postfix's queue directory (which a demo machine may not
	# have), and as whoever runs it: -R says root is meant, which the
	# milter otherwise refuses (the package runs it as user pupilguard).
	echo "== pupilguard-milter -n (configuration, roster, directories):"
	"$build/milter/pupilguard-milter" -n -R -p inet:8895@127.0.0.1 -c "$top/conf/pupilguard.conf"
	echo
	echo "== starting pupilguard-milter on inet:8895@127.0.0.1 (Ctrl-C stops it)."
	echo "   Postfix: smtpd_milters = inet:127.0.0.1:8895 (see README.md)"
	exec "$build/milter/pupilguard-milter" -f -R -p inet:8895@127.0.0.1 -c "$top/conf/pupilguard.conf"
}

test_all() {
	deps
	build
	cd "$build"
	status=0
	make -j"$(nproc)" check || status=$?
	# Each fuzz target briefly (libFuzzer, clang): a crash fails the run.
	if command -v clang >/dev/null; then
		FUZZ_DIR="$build/fuzz" sh "$top/tests/fuzz/run.sh" 30 || status=1
	fi
	# The same tests again in an AddressSanitizer + UBSan build.
	san="$build-san"
	mkdir -p "$san"
	(cd "$san" && { [ -f Makefile ] || "$top/configure" --sysconfdir=/etc --enable-sanitizers; } &&
		make -j"$(nproc)" && make -j"$(nproc)" check) || { status=1; tail -100 "$san/test-suite.log" 2>/dev/null; }
	# One closing line that any CI reads: "N passed, N failed, N skipped".
	count() { cat "$build/test-suite.log" "$build-san/test-suite.log" 2>/dev/null |
		sed -n "s/^# $1: *//p" | awk '{ s += $1 } END { print s + 0 }'; }
	pass=$(count PASS)
	fail=$(count FAIL)
	err=$(count ERROR)
	skip=$(count SKIP)
	if [ "$status" -ne 0 ]; then
		tail -200 test-suite.log 2>/dev/null || true
	fi
	echo "${pass:-0} passed, $(( ${fail:-0} + ${err:-0} )) failed, ${skip:-0} skipped"
	exit "$status"
}

case "${1:-}" in
deps) deps ;;
build) deps; build ;;
demo) demo ;;
test) test_all ;;
*)
	echo "usage: $0 demo|test|deps|build" >&2
	exit 2
	;;
esac
