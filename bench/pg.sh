#!/usr/bin/env bash
# wb on PostgreSQL: one process, and N replicas sharing one database with the
# load spread over them (issue 14 item 7, issue 17 item 6), and N replicas of
# which one is killed with SIGKILL in the middle of the load.
#
# Each run: a fresh database on the local PostgreSQL (WB_BENCH_PG, default
# postgres://postgres@127.0.0.1:5432/postgres: the server to create it on), a
# fresh fake Slack, `wb serve` replicas on it, and one load generator per
# replica sending signed `/wb pressrelease` (32 in flight in all, then 500/s in
# all). Then: acks/s, done/s (acked ÷ (load + drain)), ack p50/p99 (worst
# replica), CPU µs per command of wb *and* the PostgreSQL server processes,
# and the accounting across replicas: acked = stored = posted exactly once.
# "not answered": requests that got no 2xx (in the kill run, those sent to the
# killed replica after the kill).
# Settings: WB_BENCH_DURATION (s, default 10), WB_BENCH_REPLICAS (2),
# WB_BENCH_KILL_AFTER (s into the load, default 3), WB_BENCH_SKIP_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${WB_BENCH_DURATION:-10}"
REPLICAS="${WB_BENCH_REPLICAS:-2}"
KILL_AFTER="${WB_BENCH_KILL_AFTER:-3}"
SERVER="${WB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/wb-pg.XXXXXX")"
DBS=()

# shellcheck source=lib.sh
source "$BENCH/lib.sh"
drop_dbs() {
    cleanup
    for db in "${DBS[@]}"; do
        psql -q "$SERVER" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
}
trap drop_dbs EXIT
trap 'exit 130' INT TERM

if [[ "${WB_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && cargo build --release --locked --quiet)
    cargo build --release --quiet --manifest-path "$BENCH/Cargo.toml"
fi

# Ticks of every PostgreSQL server process.
pg_ticks() {
    local total=0 pid
    for pid in $(pgrep -x postgres || true); do
        total=$((total + $(cpu_ticks "$pid")))
    done
    echo "$total"
}

pgq() { psql -qtA "$1" -c "$2"; }

# run LABEL REPLICAS KILL(0|1) PHASE_ARGS…
run() {
    local label=$1 n=$2 kill=$3 mode=$4
    local db="wb_bench_$$_${#DBS[@]}"
    DBS+=("$db")
    psql -q "$SERVER" -c "CREATE DATABASE $db" >/dev/null
    local url="${SERVER%/*}/$db" dir="$TMP/$label" port i
    mkdir -p "$dir"
    start_fake "$dir/fake.log"
    local pids=() urls=()
    for i in $(seq 1 "$n"); do
        port=$(free_port)
        (cd "$dir" && exec env DATABASE_URL="$url" SLACK_API_URL="$FAKE/api" \
            WB_LISTEN="127.0.0.1:$port" RUST_LOG=warn WB_SLACK_PACING=off \
            "$ROOT/target/release/wb" serve) >>"$dir/wb$i.log" 2>&1 &
        pids+=("$!")
        PIDS+=("$!")
        urls+=("http://127.0.0.1:$port")
        wait_http "http://127.0.0.1:$port/healthz" 30
    done
    local load_args
    if [[ $mode == c32 ]]; then
        load_args=(--concurrency $((32 / n)))
    else
        load_args=(--rate $((500 / n)))
    fi
    log "$label: $n replica(s), $mode, ${DURATION}s"
    local cpu0 pg0 lgs=()
    cpu0=0
    for i in "${pids[@]}"; do cpu0=$((cpu0 + $(cpu_ticks "$i"))); done
    pg0=$(pg_ticks)
    for i in $(seq 1 "$n"); do
        "$BENCH/target/release/loadgen" --label "$label-$i" --threads 1 --duration "$DURATION" \
            --secret "$SLACK_SIGNING_SECRET" --url "${urls[$((i - 1))]}/slack/commands" \
            --kind command "${load_args[@]}" >"$dir/load$i.out" 2>/dev/null &
        lgs+=("$!")
    done
    local killed_cpu=0
    if [[ $kill == 1 ]]; then
        sleep "$KILL_AFTER"
        killed_cpu=$(cpu_ticks "${pids[0]}")
        kill -KILL "${pids[0]}"
        log "$label: killed replica 1 (pid ${pids[0]}) after ${KILL_AFTER}s"
    fi
    for i in "${lgs[@]}"; do wait "$i" || true; done
    local start=$SECONDS pending=1 t0
    t0=$(date +%s.%N)
    while ((SECONDS - start < 120)); do
        pending=$(pgq "$url" "SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        [[ $pending == 0 ]] && break
        sleep 0.05
    done
    local drain cpu1=0
    drain=$(python3 -c "import time; print(round(time.time() - $t0, 2))")
    for i in "${pids[@]}"; do
        if kill -0 "$i" 2>/dev/null; then cpu1=$((cpu1 + $(cpu_ticks "$i"))); fi
    done
    cpu1=$((cpu1 + killed_cpu))
    local pg1
    pg1=$(pg_ticks)
    python3 - "$label" "$n" "$mode" "$DURATION" "$drain" "$pending" "$((cpu1 - cpu0))" \
        "$((pg1 - pg0))" "$CLK_TCK" "$(pgq "$url" "SELECT COUNT(*) FROM sessions")" \
        "$(curl -fsS "$FAKE/stats")" "$(curl -fsS "$FAKE/stats/duplicates")" \
        "$(pgq "$url" "SELECT COUNT(*) FROM outbox WHERE state = 'failed'")" \
        "$dir"/load*.out >>"$TMP/rows.jsonl" <<'PY'
import json, sys
(label, n, mode, duration, drain, pending, wb_ticks, pg_ticks, tck, stored, stats, dups,
 failed) = sys.argv[1:14]
loads = [json.loads(open(f).read().strip().splitlines()[-1]) for f in sys.argv[14:]]
acked = sum(l["ok"] for l in loads)
duration, drain, tck = float(duration), float(drain), float(tck)
stats, dups = json.loads(stats), json.loads(dups)
print(json.dumps({
    "label": label, "replicas": int(n), "mode": mode, "acked": acked,
    "acks_s": acked / duration, "done_s": acked / (duration + drain), "drain": drain,
    "p50": max(l["p50_ms"] for l in loads), "p99": max(l["p99_ms"] for l in loads),
    "errors": sum(l["errors"] + l["non_2xx"] for l in loads),
    "wb_us": int(wb_ticks) / tck / max(acked, 1) * 1e6,
    "pg_us": int(pg_ticks) / tck / max(acked, 1) * 1e6,
    "stored": int(stored), "posts": stats.get("chat.postMessage", 0),
    "distinct": dups.get("distinct", 0), "twice": dups.get("duplicated", 0),
    "pending": int(pending), "failed": int(failed),
}))
PY
    for i in "${pids[@]}"; do stop_pid "$i"; done
    stop_pid "$FAKE_PID"
}

run pg-1-c32 1 0 c32
run pg-1-r500 1 0 r500
run "pg-$REPLICAS-c32" "$REPLICAS" 0 c32
run "pg-$REPLICAS-r500" "$REPLICAS" 0 r500
run "pg-$REPLICAS-kill" "$REPLICAS" 1 c32
python3 - "$TMP/rows.jsonl" "$KILL_AFTER" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print()
print("| run | replicas | load | acks/s | done/s | drained after | ack p50 ms | ack p99 ms | CPU µs/command: wb + PostgreSQL | acked | stored | posted | distinct | posted twice | pending | failed | not answered |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    load = "32 in flight" if r["mode"] == "c32" else "500/s"
    if r["label"].endswith("kill"):
        load += f", replica 1 killed after {sys.argv[2]} s"
    print(f"| {r['label']} | {r['replicas']} | {load} | {r['acks_s']:,.0f} | {r['done_s']:,.0f} | "
          f"{r['drain']:.2f} s | {r['p50']:.2f} | {r['p99']:.2f} | {r['wb_us']:.0f} + {r['pg_us']:.0f} | "
          f"{r['acked']:,} | {r['stored']:,} | {r['posts']:,} | {r['distinct']:,} | {r['twice']} | "
          f"{r['pending']} | {r['failed']} | {r['errors']} |")
PY
