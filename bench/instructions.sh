#!/usr/bin/env bash
# Instructions per request, per thread, of wb and of workref (issue 17): the
# steady measure on a machine whose speed moves between runs (see
# bench/README.md, fifth and sixth rounds). Each program runs under
# `valgrind --tool=callgrind --separate-threads=yes`, on a fresh database
# with a fresh fake Slack, and takes signed requests at a fixed rate; then it
# is stopped (callgrind writes its counts at exit) and each thread's count is
# divided by the requests acknowledged. The main thread (start-up,
# migrations) is left out.
#
# Usage: bench/instructions.sh [command|event] [seconds] [rate]
#   (defaults: command, 10, 200). For events a session thread is opened
#   first, as in run.sh.
# Needs valgrind (`apt-get install valgrind`). Settings: WB_BENCH_SKIP_BUILD=1,
# WB_BENCH_KEEP=1 (keep the callgrind files: `callgrind_annotate` reads them).
#
# Two things valgrind counts unlike the CPU: SHA-256 runs without the CPU's
# SHA extensions (printed apart, to leave out on both sides), and a
# `rep movsb` copy counts one instruction per byte.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
KIND="${1:-command}"
DURATION="${2:-10}"
RATE="${3:-200}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/wb-instructions.XXXXXX")"

# shellcheck source=lib.sh
source "$BENCH/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

case "$KIND" in command | event) ;; *)
    echo "usage: bench/instructions.sh [command|event] [seconds] [rate]" >&2
    exit 2
    ;;
esac
command -v valgrind >/dev/null || { log "valgrind is not installed (apt-get install valgrind)"; exit 1; }
command -v callgrind_annotate >/dev/null || { log "callgrind_annotate is missing (it comes with valgrind)"; exit 1; }
if [[ "${WB_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building wb and bench/ (release)"
    cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" >&2
    cargo build --release --locked --manifest-path "$BENCH/Cargo.toml" >&2
fi

for program in workref wb; do
    dir="$TMP/$program"
    mkdir -p "$dir"
    db="$dir/$program.db"
    start_fake "$dir/fake-slack.log"
    WRAP=(valgrind --tool=callgrind --separate-threads=yes "--callgrind-out-file=$dir/cg.%p")
    "start_$program" "$db" "$dir/server.log"
    WRAP=()
    extra=(--response-url "$FAKE/response")
    url="$SERVER_URL/slack/commands"
    if [[ "$KIND" == event ]]; then
        signed_command "$SERVER_URL/slack/commands" "pressrelease Bench thread session" "$FAKE/response" >/dev/null
        thread_ts=""
        for _ in $(seq 300); do
            thread_ts=$(sql "$db" "SELECT thread_ts FROM sessions WHERE title = 'Bench thread session' LIMIT 1")
            [[ -n "$thread_ts" ]] && break
            sleep 0.2
        done
        [[ -n "$thread_ts" ]] || { log "$program: the thread session was never posted"; exit 1; }
        extra=(--thread-ts "$thread_ts")
        url="$SERVER_URL/slack/events"
    fi
    log "$program under callgrind: $KIND at $RATE/s for ${DURATION}s"
    "$BENCH/target/release/loadgen" --label "$program" --threads 1 --duration "$DURATION" \
        --secret "$SLACK_SIGNING_SECRET" --url "$url" --kind "$KIND" --rate "$RATE" --concurrency 64 \
        --channel "$CHANNEL" --tag "i$RANDOM" "${extra[@]}" >"$dir/load.out"
    wait_done "$program" "$db" 120 >"$dir/drain.json"
    stop_pid "$SERVER_PID"
    stop_pid "$FAKE_PID"
    tail -n 1 "$dir/load.out" >"$dir/load.json"
done

python3 - "$TMP" "$KIND" <<'PY'
import glob, json, os, re, subprocess, sys

tmp, kind = sys.argv[1], sys.argv[2]
# A thread is known by a function only it runs (names as callgrind records them).
# Tokio's workers first: they run closures defined in `main` too. The main
# thread before the checkpointer: it checkpoints once more when it stops.
MARKERS = [
    ("tokio", ("multi_thread::worker::run",)),
    ("writer", ("wb::store::queue::Unit>::run", "workref::writer::run")),
    ("main", ("wb::main", "workref::main")),
    ("checkpoint", ("wb::store::sqlite::checkpoint",)),
    ("readers", ("sqlite3_step",)),
]
ORDER = ["tokio", "writer", "checkpoint", "readers", "other"]

def classify(text):
    for name, marks in MARKERS:
        if any(m in text for m in marks):
            return name
    return "other"

def sha_of(path):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                         capture_output=True, text=True).stdout
    return sum(int(l.split()[0].replace(",", "")) for l in out.splitlines()
               if re.search(r"sha2::sha256::soft\S*compress \[", l))

rows = {}
for program in ("workref", "wb"):
    d = os.path.join(tmp, program)
    load = json.loads(open(os.path.join(d, "load.json")).read() or "{}")
    ok = load.get("ok", 0)
    per = {k: 0 for k in ORDER}
    sha = 0
    for path in glob.glob(os.path.join(d, "cg.*")):
        text = open(path, errors="replace").read()
        m = re.search(r"^summary:\s*(\d+)", text, re.M)
        if not m:
            continue
        kind_of = classify(text)
        if kind_of == "main":
            continue
        per[kind_of] += int(m.group(1))
        if kind_of == "tokio":
            sha += sha_of(path)
    rows[program] = (ok, per, sha)

print(f"\nInstructions per request (thousands), {kind}s; valgrind callgrind, per thread, main thread left out:\n")
print("| thread | workref | wb | wb ÷ workref |")
print("|---|---:|---:|---:|")
def k(v, ok):
    return v / max(ok, 1) / 1000
for name in ORDER + ["all", "all without SHA-256 (software)"]:
    vals = []
    for program in ("workref", "wb"):
        ok, per, sha = rows[program]
        total = sum(per.values())
        v = {"all": total, "all without SHA-256 (software)": total - sha}.get(name, per.get(name, 0))
        vals.append(k(v, ok))
    if name in ORDER and vals == [0, 0]:
        continue
    ratio = f"{vals[1] / vals[0]:.2f}×" if vals[0] else ""
    print(f"| {name} | {vals[0]:.1f} | {vals[1]:.1f} | {ratio} |")
print()
for program in ("workref", "wb"):
    print(f"{program}: {rows[program][0]} requests acknowledged")
PY
