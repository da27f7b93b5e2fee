#!/usr/bin/env bash
# Crash benchmark of `wb serve` (issue 18, item 5): is every acknowledged
# `/wb pressrelease` posted exactly once when wb is killed mid-burst?
#
# For each N in WB_CRASH_AT (seconds, default "2 3 4"): a fresh fake Slack and
# `wb serve` (release) on a fresh SQLite file, 127.0.0.1 only; signed
# `/wb pressrelease` commands from bench/loadgen at 32 in flight; wb killed with
# SIGKILL N s into the load (the load generator stops WB_CRASH_LOAD_AFTER s
# later); wb restarted on the same database; a bounded wait until its outbox
# has nothing pending. Then, per run: requests acknowledged (2xx), requests cut
# by the kill and refused while wb was down (transport errors), sessions stored,
# chat.postMessage calls the fake received, distinct root messages and those
# posted more than once (the fake's /stats/duplicates), outbox pending. A
# Markdown table and a verdict line go to stdout and to bench/CRASH_RESULTS.md;
# the exit status is 1 when the verdict is not "posted = stored,
# 0 duplicates, 0 pending".
#
# Settings (environment): WB_CRASH_AT ("2 3 4"), WB_CRASH_CONCURRENCY (32),
# WB_CRASH_LOAD_AFTER (s, 0.3), WB_CRASH_DRAIN_LIMIT (s, 120),
# WB_CRASH_RESULTS (output file),
# WB_BENCH_SKIP_BUILD=1 (reuse the release binaries), WB_BENCH_KEEP=1 (keep the
# temp dir with the databases and logs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
CRASH_AT="${WB_CRASH_AT:-2 3 4}"
CONCURRENCY="${WB_CRASH_CONCURRENCY:-32}"
LOAD_AFTER="${WB_CRASH_LOAD_AFTER:-0.3}"
DRAIN_LIMIT="${WB_CRASH_DRAIN_LIMIT:-120}"
RESULTS="${WB_CRASH_RESULTS:-$BENCH/CRASH_RESULTS.md}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/wb-crash.XXXXXX")"

# shellcheck source=lib.sh
source "$BENCH/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${WB_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building wb (release)"
    (cd "$ROOT" && cargo build --release --bin wb)
    log "building the bench tools (release)"
    cargo build --release --manifest-path "$BENCH/Cargo.toml"
fi
for bin in "$ROOT/target/release/wb" "$BENCH/target/release/"{fake-slack,loadgen}; do
    [[ -x "$bin" ]] || { log "missing $bin (build first)"; exit 1; }
done
: >"$TMP/runs.jsonl"

# crash_run N: one run, killed N s into the load; appends a JSON line.
crash_run() {
    local n=$1 dir="$TMP/kill-$1"
    local db="$dir/wb.db"
    mkdir -p "$dir"
    start_fake "$dir/fake-slack.log"
    start_wb "$db" "$dir/wb.log"
    log "kill after ${n}s: wb up (pid $SERVER_PID), load at $CONCURRENCY in flight"
    local duration
    duration=$(python3 -c "print($n + $LOAD_AFTER)")
    "$BENCH/target/release/loadgen" --url "$SERVER_URL/slack/commands" --secret "$SLACK_SIGNING_SECRET" \
        --kind command --concurrency "$CONCURRENCY" --duration "$duration" --channel "$CHANNEL" \
        --response-url "$FAKE/response" --tag "k$n" --label "kill-after-$n" >"$dir/load.out" &
    local lg=$!
    PIDS+=("$lg")
    sleep "$n"
    kill -KILL "$SERVER_PID" 2>/dev/null || log "wb had already stopped"
    wait "$SERVER_PID" 2>/dev/null || true
    forget_pid "$SERVER_PID"
    local posted_at_kill stored_at_kill
    posted_at_kill=$(curl -fsS "$FAKE/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("chat.postMessage", 0))')
    # The load generator is bounded by its duration plus 10 s of grace.
    wait "$lg" || log "the load generator exited with an error"
    forget_pid "$lg"
    head -n -1 "$dir/load.out" >&2 || true
    stored_at_kill=$(sql "$db" "SELECT COUNT(*) FROM sessions")
    log "killed; $stored_at_kill sessions stored, $posted_at_kill root messages posted; restarting wb"

    start_wb "$db" "$dir/wb.log"
    local drained
    drained=$(wait_done wb "$db" "$DRAIN_LIMIT")
    log "restarted wb (pid $SERVER_PID): outbox $drained"
    curl -fsS "$FAKE/stats" >"$dir/stats.json"
    curl -fsS "$FAKE/stats/duplicates" >"$dir/duplicates.json"
    python3 - "$n" "$db" "$dir" "$posted_at_kill" "$stored_at_kill" "$drained" >>"$TMP/runs.jsonl" <<'PY'
import json, sqlite3, sys
n, db, d, posted_at_kill, stored_at_kill, drained = sys.argv[1:7]
con = sqlite3.connect("file:" + db + "?mode=ro", uri=True, timeout=10)
q = lambda sql: con.execute(sql).fetchone()[0]
load = json.loads(open(f"{d}/load.out").read().strip().splitlines()[-1])
kinds = load.get("error_kinds", {})
print(json.dumps({
    "kill_after": n, "acked": load.get("ok", 0), "non_2xx": load.get("non_2xx", 0),
    "cut": sum(v for k, v in kinds.items() if k not in ("connect", "handshake")),
    "refused": kinds.get("connect", 0) + kinds.get("handshake", 0),
    "stored_at_kill": int(stored_at_kill), "posted_at_kill": int(posted_at_kill),
    "sessions": q("SELECT COUNT(*) FROM sessions"),
    "distinct_titles": q("SELECT COUNT(DISTINCT title) FROM sessions"),
    "pending": q("SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
    "failed": q("SELECT COUNT(*) FROM outbox WHERE state = 'failed'"),
    "stats": json.load(open(f"{d}/stats.json")),
    "duplicates": json.load(open(f"{d}/duplicates.json")),
    "drain": json.loads(drained),
}))
PY
    stop_pid "$SERVER_PID"
    stop_pid "$FAKE_PID"
}

for n in $CRASH_AT; do
    crash_run "$n"
done

COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- src migrations Cargo.toml 2>/dev/null || echo '+dirty')"
status=0
python3 - "$TMP/runs.jsonl" "$COMMIT" "$CONCURRENCY" "$DRAIN_LIMIT" >"$TMP/CRASH_RESULTS.md" <<'PY' || status=$?
import datetime, json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
commit, conc, limit = sys.argv[2:5]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
print(f"# wb crash benchmark\n\nwb {commit}, {now}. Signed `/wb pressrelease` at {conc} in flight; `wb serve` "
      f"killed with SIGKILL after N s of load, restarted on the same database, outbox drained (limit {limit} s).\n")
print("| kill after | acknowledged | cut by the kill | refused while down | sessions stored | chat.postMessage calls "
      "| distinct root posts | posted twice (extra posts) | outbox pending | outbox failed | drained in | |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
failures = []
for r in runs:
    posts = r["stats"].get("chat.postMessage", 0)
    dup = r["duplicates"]
    distinct, extra = dup.get("distinct", 0), dup.get("extra_posts", 0)
    wrong = []
    if r["acked"] > r["sessions"]:
        wrong.append(f"{r['acked'] - r['sessions']} acknowledged but not stored")
    if distinct != r["sessions"]:
        wrong.append(f"posted {distinct} ≠ stored {r['sessions']}")
    if extra:
        n = dup.get("duplicated", 0)
        wrong.append(f"{n} root message{'' if n == 1 else 's'} posted more than once ({extra} extra post{'' if extra == 1 else 's'})")
    if r["pending"]:
        wrong.append(f"{r['pending']} pending")
    if r["failed"]:
        wrong.append(f"{r['failed']} failed")
    if r["non_2xx"]:
        wrong.append(f"{r['non_2xx']} non-2xx")
    failures += [f"kill after {r['kill_after']} s: {w}" for w in wrong]
    verdict = "ok" if not wrong else "**" + "; ".join(wrong) + "**"
    print(f"| {r['kill_after']} s | {r['acked']:,} | {r['cut']:,} | {r['refused']:,} | {r['sessions']:,} | {posts:,} | "
          f"{distinct:,} | {dup.get('duplicated', 0):,} ({extra:,}) | {r['pending']:,} | {r['failed']:,} | "
          f"{r['drain']['drain_s']} s | {verdict} |")
print()
for r in runs:
    ex = r["duplicates"].get("examples", [])[:3]
    if ex:
        print(f"Kill after {r['kill_after']} s, posted twice (first of them): " + ", ".join(f"`{e['key']}` ×{e['posts']}" for e in ex) + "  ")
print(f"\nAt the kill: " + "; ".join(f"{r['kill_after']} s: {r['stored_at_kill']:,} sessions stored, {r['posted_at_kill']:,} root messages posted" for r in runs) + ".")
print()
if failures:
    print("Verdict: **FAILED**: " + "; ".join(failures) + ".")
    sys.exit(1)
else:
    print("Verdict: posted = stored, 0 duplicates, 0 pending.")
PY
cat "$TMP/CRASH_RESULTS.md"
cp "$TMP/CRASH_RESULTS.md" "$RESULTS"
log "written to $RESULTS"
exit "$status"
