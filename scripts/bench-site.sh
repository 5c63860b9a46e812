#!/usr/bin/env bash
# bench-site.sh [BENCH_DIR] — times consulta build on gencorpus corpora of 1,000
# and 10,000 procedures beside the raw goldmark pass (goldmarkfloor -out,
# which writes each page into its own folder as a build does) and beside
# consulta built from the previous commit, in one run: each round runs the
# three in turn, so that a machine whose speed drifts moves all three.
# Then the cost of the advertising rules, and an edit under consulta serve.
#
# Prints, per corpus and tool: median wall seconds over RUNS cold builds
# (the output deleted before each), pages per second, median peak RSS (GNU
# time %M), median CPU seconds (user + system); and the median over the
# rounds of consulta's ratio to the floor and to the previous commit, of
# wall and of CPU time: on a busy machine the CPU ratio is the steadier.
#
# BENCH_DIR is ../shared/bench from the repository root by default (it holds
# gencorpus and goldmarkfloor). Run from the repository root.
#
# The compliance comparison: consulta build on the 10,000-procedure corpus as
# it is and with every rule set on (compliance: [uk, ie, us-ca]), runs
# alternating, with the medians of wall and CPU seconds of each and the median
# of the runs' ratios (on / off).
#
# Environment: RUNS=5 (rounds), SIZES="1000 10000" (SIZES= skips them),
# PREVIOUS=HEAD~1 (the commit to compare with; PREVIOUS= skips it), LIVE=1 (0
# skips the serve edit benchmark), COMPLIANCE=1 (0 skips the compliance
# comparison), TIME=/usr/bin/time, OUT=folder to build into (default: a new
# folder under /dev/shm, else under $TMPDIR).
#
# The floor and consulta write into OUT: on tmpfs, the disk is out of the
# figures.
set -euo pipefail

BENCH=$(cd "${1:-../shared/bench}" && pwd)
RUNS=${RUNS:-5}
SIZES=${SIZES-1000 10000}
TIME=${TIME:-/usr/bin/time}
ROOT=$(pwd)
[ -x "$TIME" ] || { echo "bench-site.sh: needs GNU time at $TIME (apt-get install time)" >&2; exit 2; }
[ -d "$BENCH/gencorpus" ] || { echo "bench-site.sh: no gencorpus in $BENCH" >&2; exit 2; }

WORK=$(mktemp -d -t consulta-bench.XXXXXX)
if [ -z "${OUT:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	OUT=$(mktemp -d -p /dev/shm consulta-bench-out.XXXXXX)
fi
OUTDIR=${OUT:-$WORK/out}
trap 'rm -rf "$WORK" "$OUTDIR"' EXIT
go build -o "$WORK/consulta" ./cmd/consulta
(cd "$BENCH" && go build -o "$WORK/goldmarkfloor" ./goldmarkfloor)
PREVIOUS=${PREVIOUS-HEAD~1}
if [ -n "$PREVIOUS" ]; then
	mkdir "$WORK/previous"
	git archive "$PREVIOUS" | tar -x -C "$WORK/previous"
	(cd "$WORK/previous" && go build -o "$WORK/consulta-previous" ./cmd/consulta)
	PREVIOUS_NAME=$(git log -1 --format='%h %s' "$PREVIOUS" | cut -c1-60)
fi

# corpus N: the same folder the Go benchmarks use, made once.
corpus() {
	local dir=${TMPDIR:-/tmp}/consulta-corpus-p$1-c0-s1
	if [ ! -f "$dir/content/site.yaml" ]; then
		rm -rf "$dir.tmp"
		(cd "$BENCH" && go run ./gencorpus -out "$dir.tmp" -procedures "$1" -cases 0 -seed 1 >/dev/null)
		mv "$dir.tmp" "$dir"
	fi
	go run ./scripts/corpusfix "$dir" # what the content rules ask for since gencorpus was written
	echo "$dir"
}

# run NAME CMD...: runs CMD once, appending its wall milliseconds, peak KB
# and CPU seconds to $WORK/NAME.s, .kb and .cpu.
run() {
	local name=$1 t0 t1
	shift
	rm -rf "$OUTDIR"
	sync # let the file system settle the removal before the timed run
	t0=$(date +%s%N)
	"$TIME" -f '%M %U %S' -o "$WORK/mem" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000))" >>"$WORK/$name.s"
	tail -n 1 "$WORK/mem" | awk '{ print $1 }' >>"$WORK/$name.kb"
	tail -n 1 "$WORK/mem" | awk '{ print $2 + $3 }' >>"$WORK/$name.cpu"
}

# median FILE: the median of the numbers in FILE, one a line.
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratios A B KIND: the median over the rounds of A's KIND (s or cpu) over B's.
ratios() {
	paste "$WORK/$1.$3" "$WORK/$2.$3" | awk '$2 > 0 { print $1 / $2 }' >"$WORK/ratio"
	median "$WORK/ratio"
}

tools="floor consulta"
[ -n "$PREVIOUS" ] && tools="$tools previous"
echo "rounds of $RUNS, each running $(echo $tools | sed 's/ /, /g') in turn${PREVIOUS:+; previous is $PREVIOUS_NAME}"
printf '%-8s %-9s %9s %10s %8s %8s %12s %12s\n' corpus tool median_s pages/s peak_MB cpu_s "vs floor" "vs previous"
for n in $SIZES; do
	dir=$(corpus "$n")
	pages=$(find "$dir/content" -name '*.md' | wc -l)
	cat $(find "$dir/content" -name '*.md') >/dev/null # fill the OS file cache
	for t in $tools; do : >"$WORK/$t-$n.s"; : >"$WORK/$t-$n.kb"; : >"$WORK/$t-$n.cpu"; done
	for i in $(seq "$RUNS"); do
		run floor-$n "$WORK/goldmarkfloor" -out "$OUTDIR" "$dir"
		run consulta-$n "$WORK/consulta" build -s "$dir" -d "$OUTDIR"
		[ -n "$PREVIOUS" ] && run previous-$n "$WORK/consulta-previous" build -s "$dir" -d "$OUTDIR"
	done
	for t in $tools; do
		s=$(echo "$(median "$WORK/$t-$n.s") / 1000" | bc -l)
		vf=$(printf '%.2f wall' "$(ratios "$t-$n" "floor-$n" s)")
		vp=""
		[ -n "$PREVIOUS" ] && vp=$(printf '%.2f wall' "$(ratios "$t-$n" "previous-$n" s)")
		printf '%-8s %-9s %9.3f %10.0f %8.0f %8.2f %12s %12s\n' "$n" "$t" "$s" "$(echo "$pages / $s" | bc -l)" \
			"$(echo "$(median "$WORK/$t-$n.kb") / 1024" | bc -l)" "$(median "$WORK/$t-$n.cpu")" "$vf" "$vp"
	done
	printf '%-8s %-9s %9s %10s %8s %8s %12s %12s\n' "$n" "consulta" "" "" "" "" \
		"$(printf '%.2f cpu' "$(ratios "consulta-$n" "floor-$n" cpu)")" \
		"$([ -n "$PREVIOUS" ] && printf '%.2f cpu' "$(ratios "consulta-$n" "previous-$n" cpu)")"
done

if [ "${COMPLIANCE:-1}" = 1 ]; then
	dir=$(corpus 10000)
	on=$WORK/compliance-on
	cp -al "$dir" "$on" # the same files, but for site.yaml
	rm "$on/content/site.yaml"
	{ cat "$dir/content/site.yaml"; echo; echo "compliance: [uk, ie, us-ca]"; echo "compliance_strict: false"; } >"$on/content/site.yaml"
	for f in off.s on.s off.cpu on.cpu ratio cpuratio check.s; do : >"$WORK/$f"; done
	for i in $(seq "$RUNS"); do
		for v in off on; do
			site=$dir
			[ "$v" = on ] && site=$on
			rm -rf "$OUTDIR"
			sync
			t0=$(date +%s%N)
			"$TIME" -f '%U %S' -o "$WORK/mem" "$WORK/consulta" build -v -s "$site" -d "$OUTDIR" >/dev/null 2>"$WORK/$v.err" || { cat "$WORK/$v.err" >&2; exit 1; }
			t1=$(date +%s%N)
			echo "$(((t1 - t0) / 1000000))" >>"$WORK/$v.s"
			tail -n 1 "$WORK/mem" | awk '{ print $1 + $2 }' >>"$WORK/$v.cpu"
		done
		# build -v logs the check's own time, e.g. took=85.2ms
		sed -n 's/.*msg="checked the advertising rules".* took=\([0-9.]*\)\([µm]*\)s.*/\1 \2/p' "$WORK/on.err" |
			awk '{ print $2 == "m" ? $1 / 1000 : $2 == "µ" ? $1 / 1000000 : $1 }' >>"$WORK/check.s"
		echo "$(tail -n 1 "$WORK/on.s") / $(tail -n 1 "$WORK/off.s")" | bc -l >>"$WORK/ratio"
		echo "$(tail -n 1 "$WORK/on.cpu") / $(tail -n 1 "$WORK/off.cpu")" | bc -l >>"$WORK/cpuratio"
	done
	echo
	echo "advertising compliance, consulta build on 10,000 procedures ($(grep -c ': warning: ' "$WORK/on.err") compliance warnings with every rule set on):"
	printf '%-16s %9s %9s\n' rule_sets median_s cpu_s
	printf '%-16s %9.3f %9.2f\n' "none" "$(echo "$(median "$WORK/off.s") / 1000" | bc -l)" "$(median "$WORK/off.cpu")"
	printf '%-16s %9.3f %9.2f\n' "uk, ie, us-ca" "$(echo "$(median "$WORK/on.s") / 1000" | bc -l)" "$(median "$WORK/on.cpu")"
	echo "median ratio on/off over $RUNS paired runs: wall $(median "$WORK/ratio"), CPU $(median "$WORK/cpuratio")"
	echo "the check itself (build -v): median $(median "$WORK/check.s") s on every core, $(echo "100 * $(median "$WORK/check.s") * 1000 / $(median "$WORK/on.s")" | bc -l | xargs printf '%.1f')% of the build's median wall time"
fi

if [ "${LIVE:-1}" = 1 ]; then
	echo
	echo "consulta serve on the 10,000-procedure corpus: from a procedure's save to the reload event on the"
	echo "live-reload stream (the watcher's wait for the end of the save included), medians of 7 saves:"
	(cd "$ROOT" && go test -run '^$' -bench 'LiveSaveToReload10k' -benchtime 7x ./generator/ | grep '^Benchmark')
fi
