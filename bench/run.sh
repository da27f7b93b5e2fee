#!/usr/bin/env bash
# Load benchmark of `wb serve` against `workref`, the minimal program doing the
# same full work (issue 6 item 7, issue 17).
#
# Builds wb and bench/ in release. Measures the floor (bare hyper + signature
# check), then in each of WB_BENCH_ROUNDS rounds starts workref and wb, each on
# a fresh SQLite file with a fresh fake Slack on 127.0.0.1, and sends each in
# turn (phase by phase: the same phase of the two programs runs back to back,
# which goes first alternates) signed traffic:
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

# Both programs of a round run side by side, each on a fresh database with a
# fresh fake Slack, and take their phases in turn (workref's command burst,
# then wb's, then wb's 500/s, then workref's, ...): on a shared machine the
# speed drifts within a minute, and a phase is then compared with the other
# program's same phase run next to it, not with one a minute away. The one
# not under load is idle (its drain is over before the other starts).
# SPID, SURL, SFAKE, SFAKE_PID, SDB, SIDLE, SSESSION, SSTATUS and STHREAD hold
# each program's; `use PROGRAM` points the helpers (SERVER_PID, SERVER_URL,
# FAKE) at one.
declare -A SPID SURL SFAKE SFAKE_PID SDB SIDLE SSESSION SSTATUS STHREAD
use() {
    SERVER_PID=${SPID[$1]} SERVER_URL=${SURL[$1]} FAKE=${SFAKE[$1]} FAKE_PID=${SFAKE_PID[$1]}
}

# round_start PROGRAM ROUND: a fresh fake Slack and the program on a fresh database.
round_start() {
    local program=$1 round=$2
    local dir="$TMP/$program-$round"
    mkdir -p "$dir"
    SDB[$program]="$dir/$program.db"
    start_fake "$dir/fake-slack.log"
    "start_$program" "${SDB[$program]}" "$dir/server.log"
    SPID[$program]=$SERVER_PID SURL[$program]=$SERVER_URL SFAKE[$program]=$FAKE SFAKE_PID[$program]=$FAKE_PID
}

# tag PROGRAM ROUND N: the load generator's tag of one phase (unique per run).
tag() { echo "$([[ $1 == wb ]] && echo b || echo r)$2$3"; }

# open_thread PROGRAM: one command that opens the session whose thread the
# events go to; waits until its root message is posted and nothing is owed.
open_thread() {
    local program=$1 thread_ts=""
    local db=${SDB[$program]}
    use "$program"
    SSTATUS[$program]=$(signed_command "$SERVER_URL/slack/commands" "pressrelease Bench thread session" "$FAKE/response")
    for _ in $(seq $((DRAIN_LIMIT * 5))); do
        thread_ts=$(sql "$db" "SELECT thread_ts FROM sessions WHERE title = 'Bench thread session' ORDER BY id LIMIT 1")
        [[ -n "$thread_ts" ]] && break
        sleep 0.2
    done
    [[ -n "$thread_ts" ]] || { log "$program: the thread session was never posted (command answered ${SSTATUS[$program]})"; exit 1; }
    STHREAD[$program]=$thread_ts
    SSESSION[$program]=$(sql "$db" "SELECT id FROM sessions WHERE thread_ts = '$thread_ts'")
    wait_done "$program" "$db" "$DRAIN_LIMIT" >/dev/null
}

# step N PROGRAM ROUND: phase N (1-4) of one program.
step() {
    local n=$1 program=$2 round=$3
    local db=${SDB[$program]} t
    t=$(tag "$program" "$round" "$n")
    use "$program"
    case $n in
    1) phase "command-c$CONCURRENCY" "$program" "$round" "$db" --url "$SERVER_URL/slack/commands" \
        --kind command --concurrency "$CONCURRENCY" --response-url "$FAKE/response" --channel "$CHANNEL" --tag "$t" ;;
    2) phase "command-r$RATE" "$program" "$round" "$db" --url "$SERVER_URL/slack/commands" \
        --kind command --rate "$RATE" --concurrency 64 --response-url "$FAKE/response" --channel "$CHANNEL" --tag "$t" ;;
    3) phase "event-c$CONCURRENCY" "$program" "$round" "$db" --url "$SERVER_URL/slack/events" \
        --kind event --concurrency "$CONCURRENCY" --channel "$CHANNEL" --thread-ts "${STHREAD[$program]}" --tag "$t" ;;
    4) phase "event-r$RATE" "$program" "$round" "$db" --url "$SERVER_URL/slack/events" \
        --kind event --rate "$RATE" --concurrency 64 --channel "$CHANNEL" --thread-ts "${STHREAD[$program]}" --tag "$t" ;;
    esac
}

# round_end PROGRAM ROUND: the accounting, then the program and its fake stop.
round_end() {
    local program=$1 round=$2
    local dir="$TMP/$program-$round" db=${SDB[$program]}
    use "$program"
    curl -fsS "$FAKE/stats" >"$dir/stats.json"
    curl -fsS "$FAKE/stats/duplicates" >"$dir/duplicates.json"
    python3 - "$program" "$round" "$db" "${SSESSION[$program]}" "${SSTATUS[$program]}" "${SIDLE[$program]}" \
        "$(hwm_kb "$SERVER_PID")" "$dir" >>"$TMP/accounting.jsonl" <<'PY'
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

# program_round ORDER… ROUND: one round of both programs, phase by phase; the
# first named goes first in phases 1 and 3, second in 2 and 4.
program_round() {
    local round=${*: -1} program n
    local order=("${@:1:$#-1}")
    local reverse=("${order[1]}" "${order[0]}")
    for program in "${order[@]}"; do
        round_start "$program" "$round"
    done
    sleep 1
    for program in "${order[@]}"; do
        SIDLE[$program]=$(rss_kb "${SPID[$program]}")
        log "$program round $round up (pid ${SPID[$program]}), idle RSS $((SIDLE[$program] / 1024)) MB"
    done
    for n in 1 2 3 4; do
        if ((n == 3)); then
            for program in "${order[@]}"; do open_thread "$program"; done
        fi
        if ((n % 2)); then
            for program in "${order[@]}"; do step "$n" "$program" "$round"; done
        else
            for program in "${reverse[@]}"; do step "$n" "$program" "$round"; done
        fi
    done
    for program in "${order[@]}"; do
        round_end "$program" "$round"
    done
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
    if ((round % 2)); then
        program_round workref wb "$round"
    else
        program_round wb workref "$round"
    fi
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
