#!/usr/bin/env bash
# Ingest and report benchmarks of the foundation (see docs/performance.md).
#   bash bench/run.sh [BUILD_DIR] [LINES]
# Generates a LINES-line iptables log for one day (default 10,000,000), then measures in
# the same run: `wc -l` and `cat` on the file (baselines), `portstorm ingest` (lines/s, MB/s,
# peak RSS) as it runs (parsing on a second thread) and pinned to one core (`taskset -c 0`),
# the reader and the parser alone (bench/parse_bench), bytes per record on disk, and
# `portstorm report ports` latency over that day. Every figure is checked first: the store
# must hold exactly LINES records.
#   INGEST_RUNS=N  time each ingest N times (fresh store each) and report the best and median
#   BENCH_DIR=DIR  where the log and the stores go (default BUILD/bench-data)
set -euo pipefail
BUILD=${1:-build/release}
LINES=${2:-10000000}
RUNS=${INGEST_RUNS:-1}
PS=$BUILD/src/cli/portstorm
GEN=$BUILD/bench/gen_netfilter
PARSE_BENCH=$BUILD/bench/parse_bench
WORK=${BENCH_DIR:-$BUILD/bench-data}
mkdir -p "$WORK"
LOG=$WORK/netfilter-$LINES.log
STORE=$WORK/store
export TZ=UTC

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }

if [ ! -s "$LOG" ]; then
  echo "generating $LINES lines -> $LOG"
  "$GEN" --lines "$LINES" --start 2005-01-11 --days 1 --seed 7 > "$LOG"
fi
BYTES=$(stat -c %s "$LOG")
cat "$LOG" > /dev/null  # warm the page cache so every reader below starts equal

t0=$(now); WC=$(wc -l < "$LOG"); t1=$(now); WC_S=$(secs "$t0" "$t1")
t0=$(now); cat "$LOG" > /dev/null; t1=$(now); CAT_S=$(secs "$t0" "$t1")
[ "$WC" -eq "$LINES" ] || { echo "generator wrote $WC lines, expected $LINES"; exit 1; }

# Records in a store's one day, from `report ports`.
stored() {
  "$PS" --store "$1" report ports --day 2005-01-11 --top 1000000 --output tsv |
    awk -F'\t' 'NR==1{for(i=1;i<=NF;i++) if($i=="records") c=i; next} {s+=$c} END{print s+0}'
}
# ingest STORE [PREFIX...]: RUNS timed ingests into a fresh STORE; prints "best median" seconds
# and leaves the peak RSS of the last run in $WORK/ingest.rss. Checks the answer of each run
# before its time counts: every line stored exactly once.
ingest() {
  local store=$1; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$store"
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%M" -o "$WORK/ingest.rss" "$@" "$PS" --store "$store" ingest --year 2005 --quiet "$LOG"
    t1=$(now)
    local n; n=$(stored "$store")
    [ "$n" -eq "$LINES" ] || { echo "store holds $n records, expected $LINES" >&2; exit 1; }
    times+=("$(secs "$t0" "$t1")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR]=$1} END{printf "%s %s", t[1], t[int((NR+1)/2)]}'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
read -r ING_S ING_MED <<< "$(ingest "$STORE")"
RSS_KB=$(tail -n 1 "$WORK/ingest.rss")
ONE_S=""; ONE_MED=""
if command -v taskset > /dev/null && [ "$(nproc)" -gt 1 ]; then
  read -r ONE_S ONE_MED <<< "$(ingest "$WORK/store-1core" taskset -c 0)"
  rm -rf "$WORK/store-1core"
fi
PARSE_LINE=""
if [ -x "$PARSE_BENCH" ]; then
  PARSE_LINE=$("$PARSE_BENCH" "$LOG" --format netfilter --runs "$RUNS" | awk '
    /^reader /{r=$3} /^reader\+parse/{p=$3}
    END{ if (r > 0 && p > 0) printf "%.3f %.3f", r, p }')
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
DISK=$(du -sb --exclude=LOCK "$STORE" | cut -f1)
SEG=$(find "$STORE" -name '*.seg' -printf '%s\n' | awk '{s+=$1} END{print s+0}')

REPS=20
t0=$(now)
for _ in $(seq $REPS); do "$PS" --store "$STORE" report ports --day 2005-01-11 --top 20 --output tsv > /dev/null; done
t1=$(now); REP_MS=$(awk -v s="$(secs "$t0" "$t1")" -v n=$REPS 'BEGIN{printf "%.1f", 1000*s/n}')
t0=$(now)
for _ in $(seq $REPS); do "$PS" --version > /dev/null; done
t1=$(now); START_MS=$(awk -v s="$(secs "$t0" "$t1")" -v n=$REPS 'BEGIN{printf "%.1f", 1000*s/n}')
/usr/bin/time -f "%M" -o "$WORK/report.rss" "$PS" --store "$STORE" report ports --day 2005-01-11 --top 20 --output tsv > /dev/null
REP_RSS=$(tail -n 1 "$WORK/report.rss")

awk -v lines="$LINES" -v bytes="$BYTES" -v wc="$WC_S" -v cat="$CAT_S" -v ing="$ING_S" \
    -v ingmed="$ING_MED" -v one="$ONE_S" -v onemed="$ONE_MED" -v runs="$RUNS" \
    -v parse="$PARSE_LINE" -v load0="$LOAD_BEFORE" -v load1="$LOAD_AFTER" -v cores="$(nproc)" \
    -v rss="$RSS_KB" -v disk="$DISK" -v seg="$SEG" -v rep="$REP_MS" -v start="$START_MS" -v reprss="$REP_RSS" 'BEGIN{
  printf "machine: %d cores, load average %s before the ingests, %s after\n", cores, load0, load1
  printf "input: %d lines, %.1f MB (%.0f bytes/line)\n", lines, bytes/1e6, bytes/lines
  printf "wc -l:            %7.3f s  %12.0f lines/s\n", wc, lines/wc
  printf "cat > /dev/null:  %7.3f s  %12.0f lines/s\n", cat, lines/cat
  label = runs > 1 ? sprintf(" (best of %d; median %.3f s = %.0f lines/s)", runs, ingmed, lines/ingmed) : ""
  printf "portstorm ingest: %7.3f s  %12.0f lines/s  %6.1f MB/s  = %.3f x wc -l, %.3f x cat%s\n", ing, lines/ing, bytes/1e6/ing, wc/ing, cat/ing, label
  if (one != "") {
    label = runs > 1 ? sprintf(" (best of %d; median %.3f s = %.0f lines/s)", runs, onemed, lines/onemed) : ""
    printf "ingest, 1 core:   %7.3f s  %12.0f lines/s  %6.1f MB/s  = %.3f x wc -l, %.3f x cat  (taskset -c 0)%s\n", one, lines/one, bytes/1e6/one, wc/one, cat/one, label
  }
  if (parse != "") {
    split(parse, p, " ")
    printf "reader alone:     %7.3f s  %12.0f lines/s  %6.1f MB/s  (parse_bench, best)\n", p[1], lines/p[1], bytes/1e6/p[1]
    printf "reader + parser:  %7.3f s  %12.0f lines/s  %6.1f MB/s  (parse_bench, best; no store)\n", p[2], lines/p[2], bytes/1e6/p[2]
  }
  printf "peak RSS ingest:  %.0f MiB\n", rss/1024
  printf "store on disk:    %.1f MB = %.2f bytes/record (segments alone %.2f bytes/record; input %.0f bytes/line)\n", disk/1e6, disk/lines, seg/lines, bytes/lines
  printf "report ports (1 day, %d records): %.1f ms per run incl. process start (%.1f ms for portstorm --version), peak RSS %.0f MiB\n", lines, rep, start, reprss/1024
}'
