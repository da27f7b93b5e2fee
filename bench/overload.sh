#!/usr/bin/env bash
# Overload: what back-pressure (WB_BACKLOG_BOUND_MS) does when Slack is slower
# than the burst (issue 17 item 4).
#
# A fake Slack that answers each chat.postMessage WB_OVERLOAD_DELAY_MS late
# (default 20 ms: with 64 jobs at once, at most ~3,200 posts/s), and signed
# `/wb pressrelease` at 32 in flight for WB_BENCH_DURATION s (default 10),
# once with back-pressure off (WB_BACKLOG_BOUND_MS=0) and once with the
# default bound (2,000 ms). For each: acks/s, ack p50 / p99 / max, how long
# after the load the last root message was posted (the lag the last user
# feels), commands held, and the accounting (acked = stored = posted once).
# Builds nothing when WB_BENCH_SKIP_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${WB_BENCH_DURATION:-10}"
DELAY="${WB_OVERLOAD_DELAY_MS:-20}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/wb-overload.XXXXXX")"

# shellcheck source=lib.sh
source "$BENCH/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${WB_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && cargo build --release --locked --quiet)
    cargo build --release --quiet --manifest-path "$BENCH/Cargo.toml"
fi

one_run() {
    local bound=$1 dir="$TMP/bound-$1" port
    mkdir -p "$dir"
    port=$(free_port)
    "$BENCH/target/release/fake-slack" --listen "127.0.0.1:$port" --threads 1 \
        --post-delay-ms "$DELAY" >"$dir/fake.log" 2>&1 &
    local fake_pid=$!
    PIDS+=("$fake_pid")
    FAKE="http://127.0.0.1:$port"
    wait_http "$FAKE/stats" 10
    port=$(free_port)
    (cd "$dir" && exec env DATABASE_URL="sqlite://$dir/wb.db" SLACK_API_URL="$FAKE/api" \
        WB_LISTEN="127.0.0.1:$port" RUST_LOG=warn WB_SLACK_PACING=off \
        WB_BACKLOG_BOUND_MS="$bound" "$ROOT/target/release/wb" serve) >>"$dir/wb.log" 2>&1 &
    local wb_pid=$!
    PIDS+=("$wb_pid")
    local url="http://127.0.0.1:$port"
    wait_http "$url/healthz" 30
    log "bound ${bound} ms: ${DURATION}s of commands, Slack answering posts ${DELAY} ms late"
    "$BENCH/target/release/loadgen" --label "bound-$bound" --threads 1 --duration "$DURATION" \
        --secret "$SLACK_SIGNING_SECRET" --url "$url/slack/commands" --kind command \
        --concurrency 32 >"$dir/load.out"
    local drained held
    drained=$(wait_done wb "$dir/wb.db" 300)
    held=$(curl -fsS "$url/metrics" | awk '/^wb_backlog_held_requests_total / {print $2}')
    python3 - "$bound" "$(tail -1 "$dir/load.out")" "$drained" "${held:-0}" \
        "$(curl -fsS "$FAKE/stats")" "$(curl -fsS "$FAKE/stats/duplicates")" \
        "$(sql "$dir/wb.db" "SELECT COUNT(*) FROM sessions")" "$DURATION" >>"$TMP/rows.jsonl" <<'PY'
import json, sys
bound, load, drained, held, stats, dups, stored, duration = sys.argv[1:9]
load, drained, stats, dups = map(json.loads, (load, drained, stats, dups))
print(json.dumps({
    "bound": int(bound), "acked": load["ok"], "acks_s": load["ok"] / float(duration),
    "p50": load["p50_ms"], "p99": load["p99_ms"], "max": load["max_ms"],
    "last_post_after_s": drained["drain_s"], "pending": drained["pending"],
    "held": int(float(held)), "stored": int(stored),
    "posts": stats.get("chat.postMessage", 0), "twice": dups.get("duplicated", 0),
}))
PY
    stop_pid "$wb_pid"
    stop_pid "$fake_pid"
}

one_run 0
one_run 2000
python3 - "$TMP/rows.jsonl" "$DELAY" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"\nSlack answering each chat.postMessage {sys.argv[2]} ms late; `/wb pressrelease` at 32 in flight.\n")
print("| back-pressure | acks/s | ack p50 ms | ack p99 ms | ack max ms | last root message after the load | held | acked | stored | posted | posted twice |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    name = "off" if r["bound"] == 0 else f"bound {r['bound']:,} ms"
    print(f"| {name} | {r['acks_s']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['max']:.0f} | "
          f"{r['last_post_after_s']:.1f} s | {r['held']:,} | {r['acked']:,} | {r['stored']:,} | "
          f"{r['posts']:,} | {r['twice']} |")
PY
