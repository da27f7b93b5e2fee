# shellcheck shell=bash disable=SC2034
# Shell helpers shared by bench/run.sh and bench/crash.sh (sourced, not run).
#
# Expects ROOT, BENCH and TMP to be set. Every process started through `start`
# is remembered in PIDS and stopped by the EXIT trap (`cleanup`): SIGTERM, at
# most ~5 s, then SIGKILL. Every wait here is bounded.

PIDS=()
CLK_TCK=$(getconf CLK_TCK)
export SLACK_SIGNING_SECRET="${SLACK_SIGNING_SECRET:-bench-signing-secret-8f742231b10e8888}"
export SLACK_BOT_TOKEN="${SLACK_BOT_TOKEN:-xoxb-bench-token}"
CHANNEL="C2147483705"

log() { echo "[$(basename "$0" .sh) $(date +%T)] $*" >&2; }

# Drops a process that has ended from PIDS, so its id (which the system may
# give to another process) is never signalled again.
forget_pid() {
    local pid kept=()
    for pid in "${PIDS[@]}"; do
        [[ "$pid" == "$1" ]] || kept+=("$pid")
    done
    PIDS=("${kept[@]}")
}

# Stops one process started here: SIGTERM, up to ~5 s, then SIGKILL.
stop_pid() {
    local pid=$1
    forget_pid "$pid"
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        stop_pid "$pid"
    done
    PIDS=()
    if [[ "${WB_BENCH_KEEP:-0}" == 1 ]]; then
        echo "kept $TMP" >&2
    else
        rm -rf "$TMP"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (bounded) until `url` answers 2xx.
wait_http() {
    local url=$1 limit=$2
    for _ in $(seq $((limit * 10))); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    log "no answer from $url after ${limit}s"
    return 1
}

# sql DB QUERY: first column of the first row of a read-only query.
sql() {
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=10)
row = con.execute(sys.argv[2]).fetchone()
print("" if row is None or row[0] is None else row[0])
PY
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Context switches of all the process's threads alive now (an approximation).
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {printf "%.0f\n", s}'; }
# Nanoseconds the process's threads (alive now) spent runnable but waiting for a CPU.
runq_wait_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $2} END {printf "%.0f\n", s}'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# start_fake LOGFILE: a fresh fake Slack on a free port; sets FAKE_PID and FAKE.
start_fake() {
    local port
    port=$(free_port)
    "$BENCH/target/release/fake-slack" --listen "127.0.0.1:$port" --threads 1 >"$1" 2>&1 &
    FAKE_PID=$!
    PIDS+=("$FAKE_PID")
    FAKE="http://127.0.0.1:$port"
    wait_http "$FAKE/stats" 10
}

# start_wb DB LOGFILE: `wb serve` (release) on DB, talking to $FAKE; sets
# SERVER_PID and SERVER_URL. It runs in the DB's directory so no .env of the
# checkout is read. Pacing is off (WB_SLACK_PACING, default off here): the fake
# Slack has no rate limits and every load phase posts into one channel, which
# real Slack would hold to about one message a second; bench/pacing.sh
# measures pacing itself. WRAP (an array, empty by default) runs the program
# under another, e.g. valgrind (bench/instructions.sh).
WRAP=()
start_wb() {
    local db=$1 logfile=$2 port
    port=$(free_port)
    (cd "$(dirname "$db")" && exec env DATABASE_URL="sqlite://$db" SLACK_API_URL="$FAKE/api" \
        WB_LISTEN="127.0.0.1:$port" RUST_LOG="${RUST_LOG:-warn}" \
        WB_SLACK_PACING="${WB_SLACK_PACING:-off}" "${WRAP[@]}" "$ROOT/target/release/wb" serve) \
        >>"$logfile" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    SERVER_URL="http://127.0.0.1:$port"
    wait_http "$SERVER_URL/healthz" 30
}

# start_workref DB LOGFILE: the reference program; sets SERVER_PID and SERVER_URL.
start_workref() {
    local db=$1 logfile=$2 port
    port=$(free_port)
    "${WRAP[@]}" "$BENCH/target/release/workref" --db "$db" --api "$FAKE/api" --listen "127.0.0.1:$port" \
        >>"$logfile" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    SERVER_URL="http://127.0.0.1:$port"
    wait_http "$SERVER_URL/healthz" 30
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
except OSError:
    print(0)
PY
}

# wait_done PROGRAM DB LIMIT: waits (bounded by LIMIT s, polling every 50 ms)
# until PROGRAM owes no Web API call, and prints {"drain_s": …, "pending": …}.
# wb: no outbox job pending. workref: every session has its root message's ts
# and the fake received one reactions.add per stored question.
wait_done() {
    python3 - "$1" "$2" "$3" "$FAKE" <<'PY'
import json, sqlite3, sys, time, urllib.request
program, db, limit, fake = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
start = time.time()
con = sqlite3.connect("file:" + db + "?mode=ro", uri=True, timeout=10)
def pending():
    if program == "wb":
        return con.execute("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    unposted = con.execute("SELECT COUNT(*) FROM sessions WHERE thread_ts IS NULL").fetchone()[0]
    questions = con.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    reactions = json.load(urllib.request.urlopen(fake + "/stats", timeout=5)).get("reactions.add", 0)
    return unposted + max(0, questions - reactions)
while True:
    try:
        left = pending()
    except Exception as e:  # a locked or missing table: try again
        left = None
    if left == 0 or time.time() - start > limit:
        break
    time.sleep(0.05)
print(json.dumps({"drain_s": round(time.time() - start, 2), "pending": left}))
PY
}
