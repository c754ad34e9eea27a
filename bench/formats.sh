#!/usr/bin/env bash
# Parser throughput per format (docs/performance.md): lines/s and records/s of the line
# reader + parser (bench/parse_bench, no store), next to `wc -l` on the same file.
#   bash bench/formats.sh [BUILD_DIR] [RECORDS] [FORMAT...]
# For each format the simulator writes, one sensor-day of background (`portstorm simulate
# --sensors 1 --days 1`, scaled to about RECORDS records, default 1,000,000) is the input.
# parse_bench checks the answer before it prints a speed: every record the simulator wrote
# comes back (--expect-records, from truth.json) and repeated runs give the same digest.
# Figures: the median of 3 runs; wc -l: the best of 3 on the same file, read from the page
# cache like the parser's input.
set -euo pipefail
BUILD=${1:-build/release}
RECORDS=${2:-1000000}
shift $(( $# > 2 ? 2 : $# ))
PS=$BUILD/src/cli/portstorm
PB=$BUILD/bench/parse_bench
OUT=${BENCH_DIR:-$BUILD/bench-data}/formats
[ -x "$PB" ] || { echo "no $PB: configure with -DPORTSTORM_BENCH=ON"; exit 2; }
FORMATS=("$@")
if [ ${#FORMATS[@]} -eq 0 ]; then
  # Every format the simulator writes: the names `simulate --format` accepts.
  mapfile -t FORMATS < <("$PS" simulate --help | sed -n 's/.*(each sensor its own), //p' | tr -d ' ' | tr ',' '\n')
fi
# s00-border at scale 1 logs about 3,600 records a day (docs/simulator.md).
SCALE=$(awk -v r="$RECORDS" 'BEGIN{printf "%.1f", r/3600}')
now() { date +%s.%N; }
best_wc() {  # best of 3 seconds of wc -l FILE
  local best=999999 t0 t1 s
  for _ in 1 2 3; do
    t0=$(now); wc -l < "$1" > /dev/null; t1=$(now)
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", b-a}')
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{print (b < a ? b : a)}')
  done
  echo "$best"
}
printf '%-18s %9s %9s %7s %12s %12s %12s %8s\n' format records lines MB lines/s records/s 'wc -l/s' ratio
for fmt in "${FORMATS[@]}"; do
  rm -rf "$OUT"
  "$PS" simulate --start 2005-01-11 --days 1 --sensors 1 --scale "$SCALE" --scenario background \
      --seed 7 --format "$fmt" --threads 1 --quiet --out "$OUT"
  FILE=$(ls "$OUT"/s00-*/* | head -n 1)
  N=$(sed -n 's/^  *"records": \([0-9]*\),*$/\1/p' "$OUT/truth.json" | head -n 1)
  # p0f logs SYNs only: the records are what the parser finds in a first, checked-free pass.
  if [ "$fmt" = p0f ]; then
    N=$( ("$PB" "$FILE" --format "$fmt" --runs 1 --expect-records 0 2>&1 || true) | sed -n 's/.*parsed \([0-9]*\) records.*/\1/p')
  fi
  RES=$("$PB" "$FILE" --format "$fmt" --runs 3 --expect-records "$N")
  LINES=$(sed -n 's/^input: .*, \([0-9]*\) lines, \([0-9.]*\) MB.*/\1/p' <<<"$RES")
  MB=$(sed -n 's/^input: .*, [0-9]* lines, \([0-9.]*\) MB.*/\1/p' <<<"$RES")
  LPS=$(awk '/^reader\+parse/ {print $(NF-1)}' <<<"$RES")  # median lines/s
  WC=$(best_wc "$FILE")
  awk -v f="$fmt" -v n="$N" -v l="$LINES" -v mb="$MB" -v lps="$LPS" -v w="$WC" 'BEGIN{
    printf "%-18s %9d %9d %7.1f %12.0f %12.0f %12.0f %8.3f\n", f, n, l, mb, lps, lps * n / l, l / w, lps / (l / w) }'
done
rm -rf "$OUT"
