#!/usr/bin/env bash
# The demo: simulate three weeks of blocked traffic at 40 sensors with the seed events of the
# mailing-list reports portstorm comes from (docs/simulator.md), ingest every sensor's logs
# into a fresh embedded store, and print the reports an analyst of the seeds built by hand.
# What should stand out is in the simulator's own truth: build/demo-sim/truth.json.
set -euo pipefail
PS=${1:-build/release/src/cli/portstorm}
cd "$(dirname "$0")/.."
STORE=${PORTSTORM_DEMO_STORE:-build/demo-store}
SIM=${PORTSTORM_DEMO_SIM:-build/demo-sim}
rm -rf "$STORE" "$SIM"
export PORTSTORM_STORE="$STORE" TZ=UTC
# Echo each command (arguments with spaces in single quotes) before running it.
run() {
  printf '\n$'
  for a in "$@"; do case "$a" in *' '*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac; done
  printf '\n'
  "$@"
}

run "$PS" simulate --start 2005-01-01 --days 21 --sensors 40 --scenario seeds --seed 7 --scale 0.5 --out "$SIM"
# One log per sensor and day, each in its sensor's own format (netfilter, DShield, ipchains,
# IMS with anonymised targets; s01 also as snort packet dumps and p0f lines, stored once).
# IMS and p0f lines name no host: --sensor-from-dir names them after their directory.
printf '\n$ %s ingest --quiet --sensor-from-dir %s/s*/*\n' "$PS" "$SIM"
"$PS" ingest --quiet --sensor-from-dir "$SIM"/s*/*
run "$PS" verify

# Seed 000 — the border router's daily summary: tcp/3771 jumps to #3, ~80% from one source.
run "$PS" report ports --day 2005-01-18 --top 10 --filter 'sensor s00-border' --output table
run "$PS" report sources --port 3771 --proto tcp --day 2005-01-18 --filter 'sensor s00-border' --top 8 --output table
# ... and the next day the probes come from many more sources.
run "$PS" report sources --port 3771 --proto tcp --day 2005-01-19 --filter 'sensor s00-border' --top 5 --output table

# Seeds 001/003 — every sensor together: udp/1026-1031 take over, then shift to 1026 and 1030;
# tcp/5000 (seed 002) rises beside them.
run "$PS" report ports --day 2005-01-13 --top 10 --output table
# The port1026.dat feed with its filter, for "today or yesterday".
run "$PS" feed --filter 'dst port 1026-1031 and not src port in [666 4177]' --since 2005-01-12 --until 2005-01-13 --output tsv > "$SIM/port1026.dat"
head -n 6 "$SIM/port1026.dat"
echo "... $(($(wc -l < "$SIM/port1026.dat") - 1)) rows in $SIM/port1026.dat"

# Seed 004 — the dial-up firewall whose new address was a Gnutella peer's.
run "$PS" report ports --day 2005-01-05 --top 5 --filter 'sensor s01-dynamic' --output table
# Its ipchains log, snort's packet dumps and p0f saw each packet; the store has it once, and
# a SYN with its retries at 3 s and 9 s is one attempt.
run "$PS" report ports --day 2005-01-05 --top 3 --filter 'sensor s01-dynamic' --count attempts --output table

# Seed 002 — tcp/5000 at the IMS-style darknet, which publishes its targets as A.B.C.<octet>.
run "$PS" report ports --day 2005-01-12 --top 3 --filter 'sensor s02-darknet' --output table
printf "\n\$ %s parse --output tsv %s/s02-darknet/2005-01-12.log | head -n 4\n" "$PS" "$SIM"
("$PS" parse --output tsv "$SIM"/s02-darknet/2005-01-12.log || true) | head -n 4
