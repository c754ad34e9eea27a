#!/usr/bin/env bash
# Ingest and report benchmarks of the foundation (see docs/performance.md).
#   bash bench/run.sh [BUILD_DIR] [LINES]
# Generates a LINES-line iptables log for one day (default 10,000,000), then measures in
# the same run: `wc -l` and `cat` on the file (baselines), `portstorm ingest` (lines/s, MB/s,
# peak RSS), bytes per record on disk, and `portstorm report ports` latency over that day.
# Every figure is checked first: the store must hold exactly LINES records.
set -euo pipefail
BUILD=${1:-build/release}
LINES=${2:-10000000}
PS=$BUILD/src/cli/portstorm
GEN=$BUILD/bench/gen_netfilter
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

rm -rf "$STORE"
t0=$(now)
/usr/bin/time -f "%M" -o "$WORK/ingest.rss" "$PS" --store "$STORE" ingest --year 2005 --quiet "$LOG"
t1=$(now); ING_S=$(secs "$t0" "$t1")
RSS_KB=$(tail -n 1 "$WORK/ingest.rss")

# Check the answer before reporting speed: every line stored exactly once.
STORED=$("$PS" --store "$STORE" report ports --day 2005-01-11 --top 1000000 --output tsv |
         awk -F'\t' 'NR==1{for(i=1;i<=NF;i++) if($i=="records") c=i; next} {s+=$c} END{print s}')
[ "$STORED" -eq "$LINES" ] || { echo "store holds $STORED records, expected $LINES"; exit 1; }
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
    -v rss="$RSS_KB" -v disk="$DISK" -v seg="$SEG" -v rep="$REP_MS" -v start="$START_MS" -v reprss="$REP_RSS" 'BEGIN{
  printf "input: %d lines, %.1f MB (%.0f bytes/line)\n", lines, bytes/1e6, bytes/lines
  printf "wc -l:            %7.3f s  %12.0f lines/s\n", wc, lines/wc
  printf "cat > /dev/null:  %7.3f s  %12.0f lines/s\n", cat, lines/cat
  printf "portstorm ingest: %7.3f s  %12.0f lines/s  %6.1f MB/s  = %.3f x wc -l, %.3f x cat\n", ing, lines/ing, bytes/1e6/ing, wc/ing, cat/ing
  printf "peak RSS ingest:  %.0f MiB\n", rss/1024
  printf "store on disk:    %.1f MB = %.2f bytes/record (segments alone %.2f bytes/record; input %.0f bytes/line)\n", disk/1e6, disk/lines, seg/lines, bytes/lines
  printf "report ports (1 day, %d records): %.1f ms per run incl. process start (%.1f ms for portstorm --version), peak RSS %.0f MiB\n", lines, rep, start, reprss/1024
}'
