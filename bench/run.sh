#!/usr/bin/env bash
# Load benchmark of `wb serve` against `workref`, the minimal program doing the
# same full work (issue 6 item 7, issue 17).
#
# Builds wb and bench/ in release. Measures the floor (bare hyper + signature
# check), then for each of WB_BENCH_ROUNDS rounds, for workref and for wb (the
# order alternates by round), each on a fresh SQLite file with a fresh fake
# Slack on 127.0.0.1, sends signed traffic:
#   1. `/wb pressrelease Load idea …` slash commands, closed loop (32 in flight)
#   2. the same at a fixed 500 requests/s (open loop)
#   3. thread-question `message` events into one session's thread, closed loop
#   4. the same at 500/s
# After each phase it waits (bounded) until the program owes no Web API call
# (wb: outbox drained; workref: every root message's ts recorded, one reaction
# per question) and times it; CPU is counted over load + drain. Then it checks
# acked = stored = posted exactly once (the fake's /stats and /stats/duplicates).
# The floor runs again at the end. bench/report.py prints the Markdown report
# (medians of the rounds, wb ÷ workref, the targets) and it is written to
# bench/RESULTS.md.
#
# Settings (environment): WB_BENCH_DURATION (s per phase, default 10),
# WB_BENCH_ROUNDS (3), WB_BENCH_CONCURRENCY (32), WB_BENCH_RATE (500),
# WB_BENCH_DRAIN_LIMIT (s, 300), WB_BENCH_LOADGEN_THREADS (1),
# WB_BENCH_SKIP_BUILD=1, WB_BENCH_KEEP=1 (keep the temp dir with the DBs and
# logs), WB_BENCH_PERF=DIR (`perf record` wb during each wb phase),
# WB_BENCH_RESULTS (output file), SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN (any
# values; defaults are made-up bench values).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${WB_BENCH_DURATION:-10}"
ROUNDS="${WB_BENCH_ROUNDS:-3}"
CONCURRENCY="${WB_BENCH_CONCURRENCY:-32}"
RATE="${WB_BENCH_RATE:-500}"
DRAIN_LIMIT="${WB_BENCH_DRAIN_LIMIT:-300}"
LOADGEN_THREADS="${WB_BENCH_LOADGEN_THREADS:-1}"
RESULTS="${WB_BENCH_RESULTS:-$BENCH/RESULTS.md}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/wb-bench.XXXXXX")"

# shellcheck source=lib.sh
source "$BENCH/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_load LABEL PROGRAM ROUND PID loadgen-args…: runs the load generator,
# samples the target's RSS every 100 ms, leaves one JSON object in $TMP/row.json
# and the target's CPU ticks at the start in PHASE_CPU0.
run_load() {
    local label=$1 target=$2 round=$3 pid=$4
    shift 4
    log "$target round $round, $label: ${DURATION}s"
    local perf_pid=""
    if [[ -n "${WB_BENCH_PERF:-}" && "$target" == wb ]]; then
        mkdir -p "$WB_BENCH_PERF"
        perf record -F 499 -g -p "$pid" -o "$WB_BENCH_PERF/perf-$label-r$round.data" -- sleep "$DURATION" \
            >/dev/null 2>&1 &
        perf_pid=$!
        PIDS+=("$perf_pid")
    fi
    PHASE_CPU0=$(cpu_ticks "$pid")
    local ctx0 wait0
    ctx0=$(ctx_switches "$pid")
    wait0=$(runq_wait_ns "$pid")
    "$BENCH/target/release/loadgen" --label "$label" --threads "$LOADGEN_THREADS" \
        --duration "$DURATION" --secret "$SLACK_SIGNING_SECRET" "$@" >"$TMP/load.out" &
    local lg=$!
    PIDS+=("$lg")
    local peak=0 r started=$SECONDS limit=$((${DURATION%.*} + 40))
    while kill -0 "$lg" 2>/dev/null; do
        r=$(rss_kb "$pid")
        ((r > peak)) && peak=$r
        if ((SECONDS - started > limit)); then
            log "$label: load generator overran ${limit}s; stopping it"
            kill "$lg" 2>/dev/null || true
        fi
        sleep 0.1
    done
    wait "$lg" || log "$label: load generator exited with an error"
    forget_pid "$lg"
    local cpu_s ctx runq_s
    cpu_s=$(python3 -c "print(($(cpu_ticks "$pid") - $PHASE_CPU0) / $CLK_TCK)")
    ctx=$(($(ctx_switches "$pid") - ctx0))
    runq_s=$(python3 -c "print(max(0, $(runq_wait_ns "$pid") - $wait0) / 1e9)")
    [[ -n "$perf_pid" ]] && { wait "$perf_pid" 2>/dev/null || true; forget_pid "$perf_pid"; }
    head -n -1 "$TMP/load.out" >&2 || true
    local line
    line=$(tail -n 1 "$TMP/load.out")
    [[ -n "$line" ]] || line='{}'
    python3 - "$line" "$label" "$target" "$round" "$peak" "$(hwm_kb "$pid")" "$cpu_s" "$ctx" "$runq_s" \
        >"$TMP/row.json" <<'PY'
import json, sys
row = json.loads(sys.argv[1])
row.update(label=sys.argv[2], target=sys.argv[3], round=int(sys.argv[4]), peak_rss_kb=int(sys.argv[5]),
           hwm_kb=int(sys.argv[6] or 0), cpu_s=float(sys.argv[7]), ctx_switches=int(sys.argv[8]),
           runq_wait_s=float(sys.argv[9]))
print(json.dumps(row))
PY
}

# finish_row PID [DRAIN_JSON]: adds the drain and the CPU over load + drain to
# $TMP/row.json and appends it to results.jsonl.
finish_row() {
    local cpu_total drained=${2:-}
    [[ -n "$drained" ]] || drained='{}'
    cpu_total=$(python3 -c "print(($(cpu_ticks "$1") - $PHASE_CPU0) / $CLK_TCK)")
    python3 - "$(cat "$TMP/row.json")" "$drained" "$cpu_total" >>"$TMP/results.jsonl" <<'PY'
import json, sys
row = json.loads(sys.argv[1])
row.update(json.loads(sys.argv[2]))
row["cpu_total_s"] = float(sys.argv[3])
print(json.dumps(row))
PY
}

# phase LABEL PROGRAM ROUND DB loadgen-args…: one load phase, then the drain.
phase() {
    local label=$1 program=$2 round=$3 db=$4
    shift 4
    run_load "$label" "$program" "$round" "$SERVER_PID" "$@"
    local drained
    drained=$(wait_done "$program" "$db" "$DRAIN_LIMIT")
    log "$program round $round, $label: done after ${drained}"
    finish_row "$SERVER_PID" "$drained"
}

# program_round PROGRAM ROUND: a fresh fake Slack, the program on a fresh
# database, the four phases and the accounting.
program_round() {
    local program=$1 round=$2
    local dir="$TMP/$program-$round"
    local db="$dir/$program.db" t
    mkdir -p "$dir"
    t=$([[ $program == wb ]] && echo b || echo r)$round
    start_fake "$dir/fake-slack.log"
    "start_$program" "$db" "$dir/server.log"
    sleep 1
    local idle
    idle=$(rss_kb "$SERVER_PID")
    log "$program round $round up (pid $SERVER_PID), idle RSS $((idle / 1024)) MB"

    phase "command-c$CONCURRENCY" "$program" "$round" "$db" --url "$SERVER_URL/slack/commands" \
        --kind command --concurrency "$CONCURRENCY" --response-url "$FAKE/response" --channel "$CHANNEL" --tag "${t}c1"
    phase "command-r$RATE" "$program" "$round" "$db" --url "$SERVER_URL/slack/commands" \
        --kind command --rate "$RATE" --concurrency 64 --response-url "$FAKE/response" --channel "$CHANNEL" --tag "${t}c2"

    local status thread_ts=""
    status=$(signed_command "$SERVER_URL/slack/commands" "pressrelease Bench thread session" "$FAKE/response")
    for _ in $(seq $((DRAIN_LIMIT * 5))); do
        thread_ts=$(sql "$db" "SELECT thread_ts FROM sessions WHERE title = 'Bench thread session' ORDER BY id LIMIT 1")
        [[ -n "$thread_ts" ]] && break
        sleep 0.2
    done
    [[ -n "$thread_ts" ]] || { log "$program: the thread session was never posted (command answered $status)"; exit 1; }
    local session
    session=$(sql "$db" "SELECT id FROM sessions WHERE thread_ts = '$thread_ts'")
    wait_done "$program" "$db" "$DRAIN_LIMIT" >/dev/null

    phase "event-c$CONCURRENCY" "$program" "$round" "$db" --url "$SERVER_URL/slack/events" \
        --kind event --concurrency "$CONCURRENCY" --channel "$CHANNEL" --thread-ts "$thread_ts" --tag "${t}e1"
    phase "event-r$RATE" "$program" "$round" "$db" --url "$SERVER_URL/slack/events" \
        --kind event --rate "$RATE" --concurrency 64 --channel "$CHANNEL" --thread-ts "$thread_ts" --tag "${t}e2"

    curl -fsS "$FAKE/stats" >"$dir/stats.json"
    curl -fsS "$FAKE/stats/duplicates" >"$dir/duplicates.json"
    python3 - "$program" "$round" "$db" "$session" "$status" "$idle" "$(hwm_kb "$SERVER_PID")" \
        "$dir" >>"$TMP/accounting.jsonl" <<'PY'
import json, os, sqlite3, sys
program, rnd, db, session, status, idle, hwm, d = sys.argv[1:9]
con = sqlite3.connect("file:" + db + "?mode=ro", uri=True, timeout=10)
def q(sql):
    row = con.execute(sql).fetchone()
    return None if row is None else row[0]
row = {
    "program": program, "round": int(rnd), "thread_status": int(status or 0),
    "idle_rss_kb": int(idle), "hwm_kb": int(hwm or 0),
    "sessions": q("SELECT COUNT(*) FROM sessions"),
    "sessions_with_ts": q("SELECT COUNT(thread_ts) FROM sessions"),
    "questions": q(f"SELECT COUNT(*) FROM questions WHERE session_id = {int(session)}"),
    "stats": json.load(open(f"{d}/stats.json")),
    "duplicates": json.load(open(f"{d}/duplicates.json")),
    "db_bytes": os.path.getsize(db),
    "wal_bytes": os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0,
    "log_lines": sum(1 for _ in open(f"{d}/server.log", errors="replace")),
}
if program == "wb":
    row.update(
        processed_events=q("SELECT COUNT(*) FROM processed_events"),
        outbox_done=q("SELECT COUNT(*) FROM outbox WHERE state = 'done'"),
        outbox_failed=q("SELECT COUNT(*) FROM outbox WHERE state = 'failed'"),
        outbox_pending=q("SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
        update_jobs=q("SELECT COUNT(*) FROM outbox WHERE json_extract(job, '$.method') = 'chat.update'"),
        failed_sample=q("SELECT last_error FROM outbox WHERE state = 'failed' LIMIT 1"),
    )
print(json.dumps(row))
PY
    stop_pid "$SERVER_PID"
    stop_pid "$FAKE_PID"
    # Each round's database is a few hundred MB: keep only what was asked for.
    [[ "${WB_BENCH_KEEP:-0}" == 1 ]] || rm -f "$db" "$db-wal" "$db-shm"
}

# ---------------------------------------------------------------- build
if [[ "${WB_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building wb (release)"
    (cd "$ROOT" && cargo build --release --bin wb)
    log "building the bench tools (release)"
    cargo build --release --manifest-path "$BENCH/Cargo.toml"
fi
for bin in "$ROOT/target/release/wb" "$BENCH/target/release/"{fake-slack,floor,loadgen,workref}; do
    [[ -x "$bin" ]] || { log "missing $bin (build first)"; exit 1; }
done
: >"$TMP/results.jsonl"
: >"$TMP/accounting.jsonl"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- floor (before)
# The floor runs before and after the rounds: on a shared machine the
# conditions drift, and the programs are compared with the mean of the two.
FLOOR_PORT=$(free_port)
"$BENCH/target/release/floor" --listen "127.0.0.1:$FLOOR_PORT" --secret "$SLACK_SIGNING_SECRET" \
    >"$TMP/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=("$FLOOR_PID")
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break
    sleep 0.1
done
floor_phase() {
    local when=$1
    run_load "floor-command-c$CONCURRENCY-$when" floor 0 "$FLOOR_PID" --kind command \
        --url "http://127.0.0.1:$FLOOR_PORT/slack/commands" --concurrency "$CONCURRENCY" \
        --response-url "http://127.0.0.1:9/response" --tag "f1$when"
    finish_row "$FLOOR_PID"
    run_load "floor-event-c$CONCURRENCY-$when" floor 0 "$FLOOR_PID" --kind event \
        --url "http://127.0.0.1:$FLOOR_PORT/slack/events" --concurrency "$CONCURRENCY" \
        --thread-ts 1763739000.000100 --tag "f2$when"
    finish_row "$FLOOR_PID"
}
floor_phase before

# ---------------------------------------------------------------- rounds
for round in $(seq "$ROUNDS"); do
    if ((round % 2)); then order=(workref wb); else order=(wb workref); fi
    for program in "${order[@]}"; do
        program_round "$program" "$round"
    done
done

# ---------------------------------------------------------------- floor (after)
floor_phase after
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
MACHINE="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, Linux $(uname -r)"
COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- src migrations Cargo.toml 2>/dev/null || echo '+dirty')"
python3 - "$MACHINE" "$COMMIT" "$LOAD_BEFORE" "$LOAD_AFTER" "$DURATION" "$LOADGEN_THREADS" "$RATE" \
    "$CONCURRENCY" "$ROUNDS" >"$TMP/meta.json" <<'PY'
import datetime, json, sys
keys = ["machine", "commit", "load_before", "load_after", "duration", "loadgen_threads", "rate", "concurrency", "rounds"]
meta = dict(zip(keys, sys.argv[1:]))
meta["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
print(json.dumps(meta))
PY
python3 "$BENCH/report.py" "$TMP" >"$TMP/RESULTS.md"
cat "$TMP/RESULTS.md"
cp "$TMP/RESULTS.md" "$RESULTS"
log "written to $RESULTS"
