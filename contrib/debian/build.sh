#!/bin/sh
# Build the Debian package from this source tree: copy the files git
# tracks (or, outside a git checkout, the tree without build output) to a
# scratch directory, put contrib/debian there as debian/ with the systemd
# unit, and run dpkg-buildpackage -us -uc -b.  The .deb (and .buildinfo,
# .changes) land in OUTDIR (default: the current directory).
#   contrib/debian/build.sh [OUTDIR]        or: make deb
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)
command -v dpkg-buildpackage >/dev/null || {
	echo "build.sh: dpkg-buildpackage not installed (apt-get install dpkg-dev debhelper fakeroot)" >&2
	exit 1
}
work=$(mktemp -d /tmp/pupilguard-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
src="$work/pupilguard-0.1.0"
mkdir -p "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	# Tracked files and new ones not ignored: what a clean clone would hold,
	# with the working tree's edits.
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$src"
else
	(cd "$top" && tar -cf - --exclude=./build --exclude=./build-san --exclude=./debian .) |
		tar -xf - -C "$src"
fi
rm -rf "$src/debian"
cp -r "$top/contrib/debian" "$src/debian"
rm -f "$src/debian/build.sh"
cp "$top/contrib/systemd/pupilguard.service" "$src/debian/pupilguard.service"
(cd "$src" && dpkg-buildpackage -us -uc -b -j"${DEB_JOBS:-2}")
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
ls "$out"/pupilguard_*.deb
