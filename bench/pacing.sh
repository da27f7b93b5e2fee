#!/usr/bin/env bash
# Pacing benchmark (issue 16, item 5): 300 thread questions in one channel
# within 2 s, against a fake Slack that answers 429 past one post per second
# per channel after a burst of 3 (tests/api/limited_slack.rs), without pacing
# (as before) and with it; then the same with the fake also holding
# reactions.add to Tier 3 (50/min). Each run prints one JSON line
# (PACING_BENCH {...}): 429s in all and after the first second, reactions and
# root updates made, jobs failed for good, seconds until the outbox drained.
# The test binary is built once, so editing the sources meanwhile is safe.
#
# Settings: WB_PACING_RUNS (default "off on off:tier3 on:tier3").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${WB_PACING_RUNS:-off on off:tier3 on:tier3}"
BIN="$(cargo test --locked --test api --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)"
COPY="$(mktemp "${TMPDIR:-/tmp}/wb-pacing-bench.XXXXXX")"
trap 'rm -f "$COPY"' EXIT
cp "$BIN" "$COPY"
chmod +x "$COPY"
for run in $RUNS; do
    pacing="${run%%:*}"
    tier3=0
    [[ "$run" == *:tier3 ]] && tier3=1
    WB_BENCH_PACING="$pacing" WB_BENCH_TIER3="$tier3" RUST_LOG=warn \
        "$COPY" pacing_benchmark --ignored --nocapture 2>/dev/null | grep '^PACING_BENCH'
done
