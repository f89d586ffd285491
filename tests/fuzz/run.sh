#!/bin/sh
# Build the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# and run each for SECONDS (default 30), seeded from the project's fixtures
# and samples and, when present, the labelled corpus ($PG_CORPUS).  Crashes
# are written to $FUZZ_DIR/crashes/TARGET/ and make the run fail; each one
# becomes a regression input under tests/fuzz/regress/TARGET/.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (targets: message roster rules conf doc)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-message roster rules conf doc}
out=${FUZZ_DIR:-/tmp/pupilguard-fuzz}
corpus=${PG_CORPUS:-$top/../shared/corpus}
command -v clang >/dev/null || { echo "SKIP: clang not installed (apt-get install clang libclang-rt-14-dev)"; exit 77; }
mkdir -p "$out/bin"
cflags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$out"
pkgs="gmime-3.0 libpcre2-8 libconfig libxml-2.0 libarchive poppler-glib libytnef nettle"
# A config.h for the engine sources built outside automake.
[ -f "$out/config.h" ] || printf '#define PACKAGE_VERSION "fuzz"\n' > "$out/config.h"
# The layers the engine is made of (Makefile.am's libraries, by folder).
layers="base doc conf engine decide"
engine=""
for l in $layers; do
	engine="$engine $(ls "$top/milter/$l"/*.c)"
	cflags="$cflags -I$top/milter/$l"
done
status=0
for t in $targets; do
	bin="$out/bin/fuzz_$t"
	# shellcheck disable=SC2086
	clang $cflags $(pkg-config --cflags $pkgs) -o "$bin" "$here/fuzz_$t.c" $engine \
		$(pkg-config --libs $pkgs) || { echo "FAIL: build of fuzz_$t"; status=1; continue; }
	seeds="$out/seeds/$t"
	mkdir -p "$seeds" "$out/crashes/$t" "$out/work-$t"
	case $t in
	message)
		cp "$top"/tests/fixtures/*.eml "$top"/contrib/samples/*.eml "$seeds/" 2>/dev/null
		[ -d "$corpus/messages" ] && cp "$corpus"/messages/*.eml "$seeds/" ;;
	roster)
		cp "$top"/conf/*.csv "$top"/tests/milter/roster.csv "$seeds/" 2>/dev/null
		[ -f "$corpus/roster.csv" ] && head -c 20000 "$corpus/roster.csv" > "$seeds/corpus.csv" ;;
	rules) cp "$top"/rules/*.rules "$seeds/" ;;
	conf) cp "$top"/conf/pupilguard.conf "$top"/tests/milter/pupilguard-test.conf "$seeds/" ;;
	doc) # the documents of tests/docs, as bytes (the zip bomb left out)
		python3 -B -c 'import sys; sys.path.insert(0, sys.argv[1]); import build
for k, (n, c, p) in build.CASES.items():
    if k != "zip-bomb":
        open("%s/%s" % (sys.argv[2], n.replace(".", "-%s." % k, 1)), "wb").write(p if isinstance(p, bytes) else p.encode())' \
			"$top/tests/docs" "$seeds" ;;
	esac
	[ -d "$here/regress/$t" ] && cp "$here/regress/$t"/* "$seeds/" 2>/dev/null
	echo "fuzz_$t: ${secs}s"
	if ! PG_RULES_DIR="$top/rules" LSAN_OPTIONS="suppressions=$here/lsan.supp" "$bin" -max_total_time="$secs" -max_len=262144 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/crashes/$t/" \
		-print_final_stats=1 "$out/work-$t" "$seeds" >"$out/fuzz_$t.log" 2>&1; then
		echo "FAIL: fuzz_$t found a crash: $(ls "$out/crashes/$t" | head -3)"
		tail -40 "$out/fuzz_$t.log"
		status=1
	else
		grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/fuzz_$t.log" | sed "s/^/  /"
	fi
done
if [ "$status" -eq 0 ]; then echo "fuzz: every target ran clean"; fi
exit "$status"
