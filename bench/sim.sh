#!/usr/bin/env bash
# Generator throughput of `portstorm simulate` on one core (docs/performance.md).
#   bash bench/sim.sh [BUILD_DIR] [SENSORS] [SCALE]
# One day of background at SENSORS sensors (default 400 at scale 8: ~4.7M records), per
# format, with --threads 1. Baseline in the same run: writing the same number of bytes
# with `head -c N /dev/zero > file` (the cost of the output alone). The run is checked
# first: truth.json's record count must equal the lines written (mixed: at most).
set -euo pipefail
BUILD=${1:-build/release}
SENSORS=${2:-400}
SCALE=${3:-8}
PS=$BUILD/src/cli/portstorm
OUT=${BENCH_DIR:-$BUILD/bench-data}/sim
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }
printf '%-10s %10s %9s %8s %12s %9s %8s\n' format records MB seconds records/s write_s ratio
for fmt in netfilter dshield ipchains mixed; do
  rm -rf "$OUT"
  t0=$(now)
  "$PS" simulate --start 2005-01-11 --days 1 --sensors "$SENSORS" --scale "$SCALE" \
      --scenario background --seed 7 --format "$fmt" --threads 1 --out "$OUT" --quiet
  t1=$(now); GEN=$(secs "$t0" "$t1")
  RECORDS=$(sed -n 's/^  *"records": \([0-9]*\),*$/\1/p' "$OUT/truth.json" | head -n 1)
  LINES=$(cat "$OUT"/s*/* | wc -l)
  BYTES=$(cat "$OUT"/s*/* | wc -c)
  # One line per record in these formats; mixed adds header lines (W3C, Zeek) and
  # seed 004's sensor's second and third logs of the same packets.
  if [ "$fmt" = mixed ]; then
    [ "$RECORDS" -le "$LINES" ] || { echo "truth says $RECORDS records, logs hold $LINES lines"; exit 1; }
  else
    [ "$RECORDS" -eq "$LINES" ] || { echo "truth says $RECORDS records, logs hold $LINES lines"; exit 1; }
  fi
  rm -f "$OUT/zero"
  t0=$(now); head -c "$BYTES" /dev/zero > "$OUT/zero"; t1=$(now); W=$(secs "$t0" "$t1")
  awk -v f="$fmt" -v r="$RECORDS" -v b="$BYTES" -v g="$GEN" -v w="$W" 'BEGIN{
    printf "%-10s %10d %9.1f %8.3f %12.0f %9.3f %8.1f\n", f, r, b/1e6, g, r/g, w, g/w }'
done
rm -rf "$OUT"
