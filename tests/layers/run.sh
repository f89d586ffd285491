#!/bin/sh
# tests/layers/run.sh - the layers of milter/ hold: each folder's headers
# compile with the include list of their own layer (they are
# self-contained), and no header of a higher layer can be included from a
# lower one (a reach-up does not compile).  The include lists come from
# Makefile.am through the test environment, so the layers are defined once.
set -u
: "${PG_TOP_SRCDIR:?run me from make check}"
layers="base doc conf engine decide notify hold review daemon"
cc=${PG_CC:-cc}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

flags_of() {
	eval "printf '%s' \"\${PG_INC_$1:?no include list for $1}\""
}

try() { # layer header -> 0 if "#include header" compiles with that layer's list
	printf '#include "config.h"\n#include "%s"\n' "$2" >"$tmp/t.c"
	# shellcheck disable=SC2086
	$cc -std=c11 -fsyntax-only $PG_CPPFLAGS $(flags_of "$1") "$tmp/t.c" 2>"$tmp/err"
}

# A project header named like a system header (glibc has <aliases.h>,
# libxml2 puts html.h on some include paths) makes every reach-up check
# below meaningless for it: "#include \"x.h\"" finds the system one.
sysflags=
for f in $(flags_of daemon); do
	case $f in -I*/milter/*) ;; *) sysflags="$sysflags $f" ;; esac
done
for l in $layers; do
	for h in "$PG_TOP_SRCDIR/milter/$l"/*.h; do
		[ -e "$h" ] || continue
		name=$(basename "$h")
		printf '#include <%s>\n' "$name" >"$tmp/s.c"
		# shellcheck disable=SC2086
		if $cc -std=c11 -E $PG_CPPFLAGS $sysflags "$tmp/s.c" >/dev/null 2>&1; then
			echo "FAIL: $l/$name shares its name with a header on the system include path"
			fail=1
		fi
	done
done

i=0
for low in $layers; do
	i=$((i + 1))
	j=0
	for high in $layers; do
		j=$((j + 1))
		for h in "$PG_TOP_SRCDIR/milter/$high"/*.h; do
			[ -e "$h" ] || continue
			name=$(basename "$h")
			if [ "$j" -le "$i" ]; then
				[ "$j" -eq "$i" ] || continue
				if ! try "$low" "$name"; then
					echo "FAIL: $high/$name does not compile on its own in layer $low:"
					head -5 "$tmp/err"
					fail=1
				fi
			elif try "$low" "$name"; then
				echo "FAIL: layer $low can include $high/$name (a reach-up)"
				fail=1
			fi
		done
	done
	echo "layer $low: own headers compile alone; higher layers' headers are out of reach"
done
exit $fail
