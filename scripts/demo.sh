#!/usr/bin/env bash
# The demo: ingest the samples (three formats, shaped like the seeds) into a fresh
# embedded store and print the reports an analyst of the seeds built by hand.
set -euo pipefail
PS=${1:-build/release/src/cli/portstorm}
cd "$(dirname "$0")/.."
STORE=${PORTSTORM_DEMO_STORE:-build/demo-store}
rm -rf "$STORE"
export PORTSTORM_STORE="$STORE" TZ=UTC
# Echo each command (arguments with spaces in single quotes) before running it.
run() {
  printf '\n$'
  for a in "$@"; do case "$a" in *' '*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac; done
  printf '\n'
  "$@"
}

run "$PS" ingest --year 2006 samples/border-router.log.gz
run "$PS" ingest samples/dshield-2003-12.tsv
run "$PS" ingest --year 2002 samples/greatwall-ipchains.log
# Seed 000: tcp/3771 jumps to #3; 80% of its probes from one source.
run "$PS" report ports --day 2006-02-17 --top 10 --output table
run "$PS" report sources --port 3771 --proto tcp --day 2006-02-17 --output table
# Seed 001: the port1026.dat feed with its filter, for "today or yesterday" (Dec 1-2, 2003).
run "$PS" feed --filter 'dst port 1026-1031 and not src port in [666 4177]' --since 2003-12-01 --until 2003-12-02 --output tsv | head -n 15
# Seed 004: the dial-up firewall's day.
run "$PS" report ports --day 2002-03-02 --top 5 --output table
# Ingesting the same file again stores nothing twice.
run "$PS" ingest --year 2002 samples/greatwall-ipchains.log
run "$PS" verify
