#!/usr/bin/env bash
# Load benchmark of `wb serve` (issue 6, item 7).
#
# Builds wb and bench/ in release, starts a fake Slack Web API and `wb serve` on
# 127.0.0.1, then sends signed traffic:
#   1. `/wb pressrelease Load idea N` slash commands, closed loop (32 in flight)
#   2. the same at a fixed 500 requests/s (open loop)
#   3. thread-question `message` events into one session's thread, closed loop
#   4. the same at 500/s
# After each phase it waits for the outbox to drain and times it. At the end it
# compares rows stored with requests acknowledged, and Web API calls made (from
# the fake's /stats) with calls owed. The floor (a bare hyper server checking
# the same signature) is measured with the same load generator before and after.
# The Markdown report goes to stdout and to bench/RESULTS.md.
#
# Settings (environment): WB_BENCH_DURATION (s, default 10), WB_BENCH_CONCURRENCY
# (32), WB_BENCH_RATE (500), WB_BENCH_DRAIN_LIMIT (s, 300), WB_BENCH_LOADGEN_THREADS
# (1), WB_BENCH_SKIP_BUILD=1, WB_BENCH_KEEP=1 (keep the temp dir with the DB and
# logs), WB_BENCH_PERF=DIR (record `perf` of wb during each wb phase into DIR),
# WB_BENCH_RESULTS (output file), SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN (any
# values; defaults are made-up bench values).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${WB_BENCH_DURATION:-10}"
CONCURRENCY="${WB_BENCH_CONCURRENCY:-32}"
RATE="${WB_BENCH_RATE:-500}"
DRAIN_LIMIT="${WB_BENCH_DRAIN_LIMIT:-300}"
LOADGEN_THREADS="${WB_BENCH_LOADGEN_THREADS:-1}"
RESULTS="${WB_BENCH_RESULTS:-$BENCH/RESULTS.md}"
export SLACK_SIGNING_SECRET="${SLACK_SIGNING_SECRET:-bench-signing-secret-8f742231b10e8888}"
export SLACK_BOT_TOKEN="${SLACK_BOT_TOKEN:-xoxb-bench-token}"
CHANNEL="C2147483705"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/wb-bench.XXXXXX")"
DB="$TMP/wb.db"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # Bounded: at most ~5 s per process, then SIGKILL.
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [[ "${WB_BENCH_KEEP:-0}" == 1 ]]; then
        echo "kept $TMP" >&2
    else
        rm -rf "$TMP"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[bench $(date +%T)] $*" >&2; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (bounded) until `url` answers 2xx.
wait_http() {
    local url=$1 limit=$2 i
    for i in $(seq $((limit * 10))); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    log "no answer from $url after ${limit}s"
    return 1
}

# First column of the first row of a read-only query on wb's database.
sql() {
    python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=10)
row = con.execute(sys.argv[2]).fetchone()
print("" if row is None or row[0] is None else row[0])
PY
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Context switches of all the process's threads alive now (an approximation).
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {printf "%.0f\n", s}'; }
CLK_TCK=$(getconf CLK_TCK)
# Nanoseconds the process's threads (alive now) spent runnable but waiting for a CPU.
runq_wait_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $2} END {printf "%.0f\n", s}'; }

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# run_load LABEL TARGET_NAME TARGET_PID loadgen-args…: runs the load generator,
# samples the target's RSS every 100 ms, appends one JSON line to results.jsonl.
run_load() {
    local label=$1 target=$2 pid=$3
    shift 3
    log "$label: ${DURATION}s against $target"
    local perf_pid=""
    if [[ -n "${WB_BENCH_PERF:-}" && "$target" == wb ]]; then
        mkdir -p "$WB_BENCH_PERF"
        perf record -F 499 -g -p "$pid" -o "$WB_BENCH_PERF/perf-$label.data" -- sleep "$DURATION" \
            >/dev/null 2>&1 &
        perf_pid=$!
        PIDS+=("$perf_pid")
    fi
    "$BENCH/target/release/loadgen" --label "$label" --threads "$LOADGEN_THREADS" \
        --duration "$DURATION" --secret "$SLACK_SIGNING_SECRET" "$@" >"$TMP/$label.out" &
    local lg=$!
    PIDS+=("$lg")
    local cpu0 ctx0 wait0
    cpu0=$(cpu_ticks "$pid")
    ctx0=$(ctx_switches "$pid")
    wait0=$(runq_wait_ns "$pid")
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
    local cpu_s ctx runq_s
    cpu_s=$(python3 -c "print(($(cpu_ticks "$pid") - $cpu0) / $CLK_TCK)")
    ctx=$(($(ctx_switches "$pid") - ctx0))
    runq_s=$(python3 -c "print(max(0, $(runq_wait_ns "$pid") - $wait0) / 1e9)")
    [[ -n "$perf_pid" ]] && { wait "$perf_pid" 2>/dev/null || true; }
    head -n -1 "$TMP/$label.out" >&2 || true
    local line
    line=$(tail -n 1 "$TMP/$label.out")
    [[ -n "$line" ]] || line='{}'
    python3 - "$line" "$label" "$target" "$peak" "$(hwm_kb "$pid")" "$cpu_s" "$ctx" "$runq_s" >>"$TMP/results.jsonl" <<'PY'
import json, sys
row = json.loads(sys.argv[1])
row.update(label=sys.argv[2], target=sys.argv[3], peak_rss_kb=int(sys.argv[4]), hwm_kb=int(sys.argv[5] or 0),
           cpu_s=float(sys.argv[6]), ctx_switches=int(sys.argv[7]), runq_wait_s=float(sys.argv[8]))
print(json.dumps(row))
PY
}

# Waits (bounded) until no outbox job is pending; records the time it took.
wait_drain() {
    local label=$1 start pending=""
    start=$(date +%s.%N)
    while :; do
        pending=$(sql "SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        [[ "$pending" == 0 ]] && break
        if (($(date +%s) - ${start%.*} > DRAIN_LIMIT)); then
            log "$label: outbox still has $pending pending after ${DRAIN_LIMIT}s"
            break
        fi
        sleep 0.2
    done
    local took
    took=$(python3 -c "import time; print(round(time.time() - $start, 2))")
    log "$label: outbox drained in ${took}s (pending now: $pending)"
    echo "{\"label\": \"$label\", \"drain_s\": $took, \"pending\": ${pending:-null}}" >>"$TMP/drains.jsonl"
}

# One signed slash command, the way Slack sends it; prints the HTTP status.
signed_command() {
    python3 - "$1" "$2" "$3" <<'PY'
import hashlib, hmac, os, sys, time, urllib.error, urllib.parse, urllib.request
url, text, response_url = sys.argv[1:4]
body = urllib.parse.urlencode({
    "token": "benchtoken", "team_id": "T0001", "team_domain": "example",
    "channel_id": "C2147483705", "channel_name": "product", "user_id": "U2147483697",
    "user_name": "steve", "command": "/wb", "text": text, "api_app_id": "A123456",
    "is_enterprise_install": "false", "response_url": response_url,
    "trigger_id": "13345224609.738474920.8088930838d88f008e0",
})
ts = str(int(time.time()))
secret = os.environ["SLACK_SIGNING_SECRET"].encode()
sig = "v0=" + hmac.new(secret, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
req = urllib.request.Request(url, data=body.encode(), headers={
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})
try:
    print(urllib.request.urlopen(req, timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

# ---------------------------------------------------------------- build
if [[ "${WB_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building wb (release)"
    (cd "$ROOT" && cargo build --release --bin wb)
    log "building the bench tools (release)"
    cargo build --release --manifest-path "$BENCH/Cargo.toml"
fi
WB="$ROOT/target/release/wb"
for bin in "$WB" "$BENCH/target/release/fake-slack" "$BENCH/target/release/floor" "$BENCH/target/release/loadgen"; do
    [[ -x "$bin" ]] || { log "missing $bin (build first)"; exit 1; }
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- start
FAKE_PORT=$(free_port)
WB_PORT=$(free_port)
FLOOR_PORT=$(free_port)
FAKE="http://127.0.0.1:$FAKE_PORT"
RESPONSE_URL="$FAKE/response"

"$BENCH/target/release/fake-slack" --listen "127.0.0.1:$FAKE_PORT" --threads 1 \
    >"$TMP/fake-slack.log" 2>&1 &
FAKE_PID=$!
PIDS+=("$FAKE_PID")
wait_http "$FAKE/stats" 10

# wb runs in the temp dir so no .env of the checkout is read.
(cd "$TMP" && exec env DATABASE_URL="sqlite://$DB" SLACK_API_URL="$FAKE/api" \
    WB_LISTEN="127.0.0.1:$WB_PORT" RUST_LOG=warn "$WB" serve) >"$TMP/wb.log" 2>&1 &
WB_PID=$!
PIDS+=("$WB_PID")
wait_http "http://127.0.0.1:$WB_PORT/healthz" 30
sleep 1
IDLE_RSS=$(rss_kb "$WB_PID")
log "wb serve up (pid $WB_PID), idle RSS $((IDLE_RSS / 1024)) MB"

WB_URL="http://127.0.0.1:$WB_PORT"
: >"$TMP/results.jsonl"
: >"$TMP/drains.jsonl"

# The floor runs before and after wb's phases: on a shared machine the
# conditions drift, and wb is compared with the mean of the two.
"$BENCH/target/release/floor" --listen "127.0.0.1:$FLOOR_PORT" --secret "$SLACK_SIGNING_SECRET" \
    >"$TMP/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=("$FLOOR_PID")
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break
    sleep 0.1
done
floor_phase() {
    run_load "floor-command-c$CONCURRENCY-$1" floor "$FLOOR_PID" --url "http://127.0.0.1:$FLOOR_PORT/slack/commands" \
        --kind command --concurrency "$CONCURRENCY" --response-url "$RESPONSE_URL" --tag "f1$1"
    run_load "floor-event-c$CONCURRENCY-$1" floor "$FLOOR_PID" --url "http://127.0.0.1:$FLOOR_PORT/slack/events" \
        --kind event --concurrency "$CONCURRENCY" --thread-ts 1763739000.000100 --tag "f2$1"
}
floor_phase before

# ---------------------------------------------------------------- slash commands
run_load "command-c$CONCURRENCY" wb "$WB_PID" --url "$WB_URL/slack/commands" --kind command \
    --concurrency "$CONCURRENCY" --response-url "$RESPONSE_URL" --channel "$CHANNEL" --tag c1
wait_drain "command-c$CONCURRENCY"
run_load "command-r$RATE" wb "$WB_PID" --url "$WB_URL/slack/commands" --kind command \
    --rate "$RATE" --concurrency 64 --response-url "$RESPONSE_URL" --channel "$CHANNEL" --tag c2
wait_drain "command-r$RATE"

# ---------------------------------------------------------------- thread questions
THREAD_STATUS=$(signed_command "$WB_URL/slack/commands" "pressrelease Bench thread session" "$RESPONSE_URL")
THREAD_TS=""
for _ in $(seq $((DRAIN_LIMIT * 5))); do
    THREAD_TS=$(sql "SELECT thread_ts FROM sessions WHERE title = 'Bench thread session' ORDER BY id LIMIT 1")
    [[ -n "$THREAD_TS" ]] && break
    sleep 0.2
done
[[ -n "$THREAD_TS" ]] || { log "the thread session was never stored (command answered $THREAD_STATUS)"; exit 1; }
THREAD_SESSION=$(sql "SELECT id FROM sessions WHERE thread_ts = '$THREAD_TS'")
log "questions go to session #$THREAD_SESSION, thread $THREAD_TS"
wait_drain "thread-session"

run_load "event-c$CONCURRENCY" wb "$WB_PID" --url "$WB_URL/slack/events" --kind event \
    --concurrency "$CONCURRENCY" --channel "$CHANNEL" --thread-ts "$THREAD_TS" --tag e1
wait_drain "event-c$CONCURRENCY"
run_load "event-r$RATE" wb "$WB_PID" --url "$WB_URL/slack/events" --kind event \
    --rate "$RATE" --concurrency 64 --channel "$CHANNEL" --thread-ts "$THREAD_TS" --tag e2
wait_drain "event-r$RATE"

# ---------------------------------------------------------------- accounting
curl -fsS "$FAKE/stats" >"$TMP/stats.json"
{
    echo "{"
    echo "\"thread_status\": $THREAD_STATUS,"
    echo "\"sessions\": $(sql "SELECT COUNT(*) FROM sessions"),"
    echo "\"load_sessions\": $(sql "SELECT COUNT(*) FROM sessions WHERE title LIKE 'Load idea %'"),"
    echo "\"distinct_load_titles\": $(sql "SELECT COUNT(DISTINCT title) FROM sessions WHERE title LIKE 'Load idea %'"),"
    echo "\"processed_events\": $(sql "SELECT COUNT(*) FROM processed_events"),"
    echo "\"questions\": $(sql "SELECT COUNT(*) FROM questions WHERE session_id = $THREAD_SESSION"),"
    echo "\"outbox_done\": $(sql "SELECT COUNT(*) FROM outbox WHERE state = 'done'"),"
    echo "\"update_jobs\": $(sql "SELECT COUNT(*) FROM outbox WHERE json_extract(job, '$.method') = 'chat.update'"),"
    echo "\"outbox_failed\": $(sql "SELECT COUNT(*) FROM outbox WHERE state = 'failed'"),"
    echo "\"outbox_pending\": $(sql "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),"
    echo "\"idle_rss_kb\": $IDLE_RSS,"
    echo "\"db_bytes\": $(stat -c %s "$DB" 2>/dev/null || echo 0),"
    echo "\"wal_bytes\": $(stat -c %s "$DB-wal" 2>/dev/null || echo 0),"
    echo "\"hwm_kb\": $(hwm_kb "$WB_PID"),"
    echo "\"wb_log_lines\": $(wc -l <"$TMP/wb.log")"
    echo "}"
} >"$TMP/db.json"
FAILED_SAMPLE=$(sql "SELECT last_error FROM outbox WHERE state = 'failed' LIMIT 1")
[[ -n "$FAILED_SAMPLE" ]] && log "a failed outbox job: $FAILED_SAMPLE"

# ---------------------------------------------------------------- floor (after)
floor_phase after

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
MACHINE="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, Linux $(uname -r)"
COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- src migrations Cargo.toml 2>/dev/null || echo '+dirty')"
python3 - "$TMP" "$MACHINE" "$COMMIT" "$LOAD_BEFORE" "$LOAD_AFTER" "$DURATION" "$LOADGEN_THREADS" "$RATE" "$CONCURRENCY" >"$TMP/RESULTS.md" <<'PY'
import datetime, json, sys
tmp, machine, commit, load_before, load_after, duration, lg_threads, rate, conc = sys.argv[1:10]
rows = [json.loads(l) for l in open(f"{tmp}/results.jsonl") if l.strip()]
drains = {d["label"]: d for d in (json.loads(l) for l in open(f"{tmp}/drains.jsonl") if l.strip())}
db = json.load(open(f"{tmp}/db.json"))
calls = json.load(open(f"{tmp}/stats.json"))
by = {r["label"]: r for r in rows}
mb = lambda kb: kb / 1024
out = []
p = out.append
p("# wb load benchmark")
p("")
p(f"- Machine: {machine}; shared (load average {load_before} before, {load_after} after).")
p(f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; wb {commit}, release build, SQLite on local disk (WAL, synchronous=NORMAL).")
p(f"- Load generator `bench/loadgen` ({lg_threads} thread) and fake Slack (1 thread) on the same machine, 127.0.0.1; {duration} s per scenario.")
p("")
p("| scenario | server | mode | req/s | p50 ms | p99 ms | max ms | non-2xx | errors | peak RSS MB | server CPU | CPU µs/req | ctx sw/req | waited for CPU |")
p("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    mode = f"{r.get('concurrency')} in flight" if r.get("mode") == "closed" else f"{r.get('rate'):g}/s open loop"
    errs = r.get("errors", 0) + r.get("unsent", 0)
    n = max(r.get("answered", 0), 1)
    cpu = r.get("cpu_s", 0)
    cpu_pct = 100 * cpu / max(r.get("elapsed_s", 1), 1e-9)
    p(f"| {r['label']} | {r['target']} | {mode} | {r.get('rps', 0):,.0f} | {r.get('p50_ms', 0):.2f} | {r.get('p99_ms', 0):.2f} | {r.get('max_ms', 0):.2f} | {r.get('non_2xx', 0)} | {errs} | {mb(r['peak_rss_kb']):.1f} | {cpu_pct:.0f} % | {1e6 * cpu / n:,.0f} | {r.get('ctx_switches', 0) / n:.1f} | {r.get('runq_wait_s', 0):.2f} s |")
p("")
p("Server CPU is the process's user + system time over the scenario's wall time (200 % = both cores); "
  "CPU µs/req and context switches per request are over the answered requests (ctx sw: voluntary + involuntary of all its threads); "
  "'waited for CPU' is the time its threads were runnable but queued behind other processes (/proc schedstat), summed over threads: "
  "on a shared machine it is where tail latency comes from.")
p("")
p(f"wb idle RSS: {mb(db['idle_rss_kb']):.1f} MB; peak RSS over the whole run (VmHWM): {mb(db['hwm_kb']):.1f} MB.")
def floor_rps(kind):
    got = [r.get("rps", 0) for r in rows if r["target"] == "floor" and r.get("kind") == kind]
    return sum(got) / len(got) if got else 0
def ratio(wb_label, kind):
    a, b = by.get(wb_label, {}).get("rps", 0), floor_rps(kind)
    return f"{a:,.0f} / {b:,.0f} req/s = **{100 * a / b:.1f} %**" if b else "n/a"
p("")
p(f"wb as a share of the floor at {conc} in flight (floor: mean of its runs before and after wb's): "
  f"slash commands {ratio(f'command-c{conc}', 'command')}; thread events {ratio(f'event-c{conc}', 'event')}.")
p("")
p("## After the load")
p("")
cmd_acked = sum(r.get("ok", 0) for r in rows if r["target"] == "wb" and r.get("kind") == "command") + (1 if 200 <= db["thread_status"] < 300 else 0)
ev_acked = sum(r.get("ok", 0) for r in rows if r["target"] == "wb" and r.get("kind") == "event")
def verdict(a, b):
    return "equal" if a == b else f"**differ by {b - a:+,}**"
p("| acknowledged (2xx) | count | stored | rows | |")
p("|---|---:|---|---:|---|")
p(f"| slash commands | {cmd_acked:,} | sessions | {db['sessions']:,} | {verdict(cmd_acked, db['sessions'])} |")
p(f"| thread events | {ev_acked:,} | processed_events (dedupe) | {db['processed_events']:,} | {verdict(ev_acked, db['processed_events'])} |")
p(f"| thread events (all end in `?`) | {ev_acked:,} | questions in the session | {db['questions']:,} | {verdict(ev_acked, db['questions'])} |")
p("")
if ev_acked and not db["questions"]:
    p("No thread question was stored: this build of wb does not capture thread questions yet "
      "(`src/slack/events/message.rs` is a stub); the events were acknowledged and deduplicated only.")
    p("")
owed = {
    "chat.postMessage": db["sessions"],
    "chat.update": db["update_jobs"],
    "reactions.add": db["questions"],
}
p("| Web API method | calls made | owed | |")
p("|---|---:|---:|---|")
for m in sorted(set(owed) | set(calls)):
    made = calls.get(m, 0)
    if m in owed:
        note = {
            "chat.postMessage": "one root message per session",
            "chat.update": "root-message refreshes queued: captures into a thread, debounced 300 ms; a new session owes none",
            "reactions.add": "one per captured question",
        }[m]
        p(f"| {m} | {made:,} | {owed[m]:,} ({note}) | {verdict(owed[m], made)} |")
    else:
        p(f"| {m} | {made:,} | not expected | |")
p("")
p(f"Outbox after the run: {db['outbox_done']:,} done, {db['outbox_failed']:,} failed, {db['outbox_pending']:,} pending. "
  f"Database file {db['db_bytes'] / 1e6:,.1f} MB, write-ahead log {db['wal_bytes'] / 1e6:,.1f} MB (bounded: rewound past ~64 MB).")
p("")
p("| backlog drained after | seconds | still pending |")
p("|---|---:|---:|")
for d in drains.values():
    p(f"| {d['label']} | {d['drain_s']} | {d['pending']} |")
p("")
p("## Targets (issue 6)")
p("")
floor = floor_rps("command")
wbc = by.get(f"command-c{conc}", {}).get("rps", 0)
r500 = [r for r in rows if r["target"] == "wb" and r.get("mode") == "open"]
errors = sum(r.get("errors", 0) + r.get("unsent", 0) + r.get("non_2xx", 0) for r in rows if r["target"] == "wb")
peak = max([db["hwm_kb"]] + [r["peak_rss_kb"] for r in rows if r["target"] == "wb"])
lost = cmd_acked - db["sessions"] + ev_acked - db["questions"]
checks = [
    (f"commands at {conc} in flight ≥ 40 % of the floor", floor and wbc / floor >= 0.4, f"{100 * wbc / floor:.1f} %" if floor else "n/a"),
    (f"ack p99 < 5 ms at {rate}/s", all(r.get("p99_ms", 1e9) < 5 for r in r500), ", ".join(f"{r['label']} {r.get('p99_ms', 0):.2f} ms" for r in r500)),
    ("zero errors", errors == 0, f"{errors} non-2xx/transport/unsent"),
    ("zero loss (stored = acked)", lost == 0, f"{lost:,} acked but not stored"),
    ("idle RSS < 20 MB", db["idle_rss_kb"] < 20 * 1024, f"{mb(db['idle_rss_kb']):.1f} MB"),
    ("RSS < 50 MB at full load", peak < 50 * 1024, f"{mb(peak):.1f} MB"),
    ("backlog drained", db["outbox_pending"] == 0, f"{db['outbox_pending']} pending"),
]
p("| target | met | measured |")
p("|---|---|---|")
for name, ok, measured in checks:
    p(f"| {name} | {'yes' if ok else '**no**'} | {measured} |")
p("")
p("How to run it and where the time goes: `bench/README.md`.")
print("\n".join(out))
PY
cat "$TMP/RESULTS.md"
cp "$TMP/RESULTS.md" "$RESULTS"
log "written to $RESULTS"
