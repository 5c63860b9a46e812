#!/usr/bin/env bash
# bench.sh prints Consulta's benchmark figures: medians of RUNS runs made in
# this one run, beside a reference measured in the same run where there is
# one (the machines are shared and noisy: read the ratios).
#
#   site     consulta build on 1,000 and 10,000 procedures vs. the raw goldmark
#            pass, and one edited page under consulta serve (scripts/bench-site.sh)
#   photos   200 cases, 800 photos of 1600x1200 to three widths: cold and warm
#   intake   durable leads per second with p50/p99 on SQLite and on PostgreSQL
#            with one and two instances (Debian's postgresql, started by the
#            benchmark), group commit alone, and a one-client flood turned away
#            by the rate limiter
#            leads per second with the response clock's background work beside
#            the same without (medians of RUNS, and their ratio); the lead
#            report over 100,000 leads; a tick of the journeys' clock over 1,000
#            and 10,000 journeys of 8 steps each
#
# Environment: RUNS=5, ONLY="site photos intake", BENCH_DIR=../shared/bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BENCH=$(cd "${BENCH_DIR:-$ROOT/../shared/bench}" && pwd)
ONLY=${ONLY:-site photos intake}
export RUNS=${RUNS:-5}
TIME=/usr/bin/time
WORK=$(mktemp -d -t consulta-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
echo "== $(go version), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"

case " $ONLY " in *" site "*)
	echo "== site builds"
	./scripts/bench-site.sh "$BENCH"
	;;
esac

case " $ONLY " in *" photos "*)
	dir=${TMPDIR:-/tmp}/consulta-corpus-p100-c200-s1
	if [ ! -f "$dir/content/site.yaml" ]; then
		rm -rf "$dir.tmp"
		(cd "$BENCH" && go run ./gencorpus -out "$dir.tmp" -procedures 100 -cases 200 -seed 1 >/dev/null)
		mv "$dir.tmp" "$dir"
	fi
	go run ./scripts/corpusfix "$dir" # what the content rules ask for since gencorpus was written
	go build -o "$WORK/consulta" ./cmd/consulta
	echo
	echo "== photos: $(find "$dir/content" -name '*.jpg' | wc -l) photos of 1600x1200, widths 480/960/1440"
	rm -rf "$dir/public" "$dir/.consulta-cache"
	$TIME -f 'cold (empty cache):  %e s wall, %U+%S CPU-s, peak %M KB' "$WORK/consulta" build -s "$dir" >/dev/null
	for i in $(seq "$RUNS"); do
		$TIME -a -o "$WORK/warm" -f '%e %M' "$WORK/consulta" build -s "$dir" >/dev/null
	done
	sort -n "$WORK/warm" | awk '{ t[NR] = $1; m[NR] = $2 } END {
		printf "warm (cache filled): median %s s wall over %d runs, peak %d KB\n", NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2, NR, m[NR] }'
	go test -run '^$' -bench 'Process' -benchtime 20x ./generator/photo | grep '^Benchmark' || true
	;;
esac

case " $ONLY " in *" intake "*)
	echo
	echo "== intake over loopback: a real SQLite file (WAL, synchronous=FULL), and PostgreSQL"
	echo "   (fsync, synchronous_commit on) with one and two instances sharing it"
	echo "   medians of $RUNS runs of 3,000 leads each, interleaved; the ratio is to SQLite (store=sqlite)"
	go test -c -o "$WORK/intake.test" ./intake/
	for i in $(seq "$RUNS"); do
		(cd intake && "$WORK/intake.test" -test.run '^$' -test.bench 'DurableLeads$' -test.benchtime 3000x)
	done |
		awk 'function med(k, f,   m, i, j, a, x) {
				m = n[k]; for (i = 1; i <= m; i++) a[i] = v[k, f, i]
				for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
				return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
			/^BenchmarkDurableLeads/ { k = $1; n[k]++; if (!(k in seen)) { seen[k] = 1; order[++o] = k }
				for (i = 1; i <= NF; i++) if ($(i+1) ~ /^(leads\/s|p50-ms|p99-ms)$/) v[k, $(i+1), n[k]] = $i }
			END {
				for (i = 1; i <= o; i++) if (order[i] ~ /store=sqlite-[0-9]+$/) base = med(order[i], "leads/s")
				for (i = 1; i <= o; i++) { k = order[i]; r = med(k, "leads/s")
					printf "%-52s %7.0f leads/s  p50 %6.1f ms  p99 %6.1f ms  (%.2fx SQLite)\n", k, r, med(k, "p50-ms"), med(k, "p99-ms"), r / base } }'
	go test -run '^$' -bench 'Flood' -benchtime 5000x ./intake/ | grep '^Benchmark' || true
	echo
	echo "== the response clock beside the intake: leads/s, medians of $RUNS runs each, interleaved"
	go test -c -o "$WORK/intake.test" ./intake/
	for i in $(seq "$RUNS"); do
		(cd intake && "$WORK/intake.test" -test.run '^$' -test.bench 'DurableLeads$/store=sqlite$' -test.benchtime 3000x &&
			"$WORK/intake.test" -test.run '^$' -test.bench 'DurableLeadsWithClock' -test.benchtime 3000x)
	done |
		awk '/^Benchmark/ { for (i = 1; i <= NF; i++) if ($(i+1) == "leads/s") { n[$1]++; v[$1, n[$1]] = $i } }
		END {
			for (k in n) {
				m = n[k]; for (i = 1; i <= m; i++) a[i] = v[k, i]
				for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
				med[k] = m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
			}
			for (k in med) if (k !~ /WithClock/) base = med[k]
			for (k in med) printf "%-60s median %7.1f leads/s  (%.2fx of without the clock)\n", k, med[k], med[k] / base
		}' | sort
	echo
	echo "== consulta intake report over 100,000 leads (read, every figure, JSON)"
	go test -run '^$' -bench 'Report' -benchtime 5x -count "$RUNS" ./intake/outbox/ |
		awk 'function med(a, n,   i, j, x) {
				for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
			/^Benchmark/ { print; n++; t[n] = $3; c[n] = $5 }
			END { printf "median %.3f s wall, %.3f CPU-s per report of 100,000 leads over %d runs\n", med(t, n) / 1e9, med(c, n), n }'
	go test -run '^$' -bench 'Enqueue' -benchtime 3s ./intake/outbox/ | grep '^Benchmark' || true
	echo
	echo "== the journeys' clock: a tick over 1,000 and 10,000 journeys of 8 steps (SQLite), medians of $RUNS runs"
	go test -run '^$' -bench 'JourneyTick' -benchtime 300x -count "$RUNS" ./intake/remind/ |
		awk '/^Benchmark/ { k = $1; n[k]++; t[k, n[k]] = $3; h[k, n[k]] = $5; if (!(k in seen)) { seen[k] = 1; order[++o] = k } }
		END {
			for (i = 1; i <= o; i++) { k = order[i]; m = n[k]
				for (a = 1; a <= m; a++) { x[a] = t[k, a]; y[a] = h[k, a] }
				for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) { if (x[b] < x[a]) { z = x[a]; x[a] = x[b]; x[b] = z } if (y[b] < y[a]) { z = y[a]; y[a] = y[b]; y[b] = z } }
				mt[i] = m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2; mh = m % 2 ? y[(m + 1) / 2] : (y[m / 2] + y[m / 2 + 1]) / 2
				printf "%-48s median %6.2f ms a tick, heap %.1f MB", k, mt[i] / 1e6, mh; if (i > 1) printf "  (%.2fx of %s)", mt[i] / mt[1], order[1]; print "" } }'
	;;
esac
