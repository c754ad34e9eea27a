#!/usr/bin/env bash
# Builds the `fuzz` preset (clang + libFuzzer) and runs every fuzz target for
# SECONDS seconds each (default 60), starting from its corpus in
# fuzz/corpus/<target>/. New interesting inputs go to a scratch folder, not
# the repository; crashes are written as fuzz/crash-<target>-* for triage
# (keep them as regression files in the target's corpus once fixed).
# Usage: scripts/run-fuzzers.sh [SECONDS] [target ...]
set -euo pipefail
seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cmake --preset fuzz >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # Every target that has a seed corpus (one per parser, the line reader, the filter).
  for d in fuzz/corpus/*_fuzz; do targets+=("$(basename "$d")"); done
fi
cmake --build build/fuzz --target "${targets[@]}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
passed=0
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t"
  echo "== $t (${seconds}s)"
  if ! "build/fuzz/fuzz/$t" "$scratch/$t" "fuzz/corpus/$t" -max_total_time="$seconds" \
      -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="fuzz/crash-$t-" 2>"$scratch/$t.log"; then
    status=1
    failed=$((failed + 1))
    tail -n 40 "$scratch/$t.log"
  else
    passed=$((passed + 1))
    grep -E "stat::number_of_executed_units|Done" "$scratch/$t.log" | tail -n 2 || true
  fi
done
echo "fuzz: ${passed} passed, ${failed} failed"
exit $status
