"""The Markdown report of bench/run.sh: wb against workref (medians of the
rounds, wb ÷ workref), the accounting, every phase, and the targets of issue 17.

Usage: python3 bench/report.py TMPDIR (reads results.jsonl, accounting.jsonl
and meta.json there; prints Markdown).
"""

import json
import statistics
import sys


def load(tmp):
    rows = [json.loads(l) for l in open(f"{tmp}/results.jsonl") if l.strip()]
    acct = [json.loads(l) for l in open(f"{tmp}/accounting.jsonl") if l.strip()]
    meta = json.load(open(f"{tmp}/meta.json"))
    return rows, acct, meta


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


KEYS = ["acks_s", "done_s", "cpu_us", "p50", "p99", "drain_s", "cpu_us_rate", "p50_rate", "p99_rate"]


def by_round(rows, program, kind, conc, rate):
    """The numbers of one program and kind in each round: {round: {key: value}}."""
    per_round = {}
    for r in rows:
        if r["target"] != program or r.get("kind") != kind:
            continue
        m = per_round.setdefault(r["round"], {})
        ok = max(r.get("ok", 0), 1)
        busy = r.get("elapsed_s", 0) + r.get("drain_s", 0)
        if r["label"] == f"{kind}-c{conc}":
            m.update(
                acks_s=r.get("ok", 0) / max(r.get("elapsed_s", 1), 1e-9),
                done_s=r.get("ok", 0) / max(busy, 1e-9),
                cpu_us=1e6 * r.get("cpu_total_s", 0) / ok,
                p50=r.get("p50_ms"), p99=r.get("p99_ms"), drain_s=r.get("drain_s"),
            )
        elif r["label"] == f"{kind}-r{rate}":
            m.update(cpu_us_rate=1e6 * r.get("cpu_total_s", 0) / ok,
                     p50_rate=r.get("p50_ms"), p99_rate=r.get("p99_ms"))
    return per_round


def metrics(rows, program, kind, conc, rate):
    """The medians over the rounds of one program and kind."""
    per_round = by_round(rows, program, kind, conc, rate)
    return {k: med(m.get(k) for m in per_round.values()) for k in KEYS}


def round_ratios(rows, kind, conc, rate, key):
    """wb ÷ workref in each round (round n of one against round n of the
    other, which ran next to it), as text: how far one run's rounds spread."""
    wb, ref = by_round(rows, "wb", kind, conc, rate), by_round(rows, "workref", kind, conc, rate)
    values = [ratio(wb[n].get(key), ref[n].get(key)) for n in sorted(wb) if n in ref]
    return " · ".join(fmt(v, ".2f") + "×" for v in values if v is not None)


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def comparison(p, rows, kind, conc, rate, title):
    ref, wb = metrics(rows, "workref", kind, conc, rate), metrics(rows, "wb", kind, conc, rate)
    p(f"### {title}")
    p("")
    p("| metric | workref | wb | wb ÷ workref |")
    p("|---|---:|---:|---:|")
    lines = [
        (f"acks/s, {conc} in flight", "acks_s", ",.0f", True),
        (f"done/s, {conc} in flight (acked ÷ (load + drain))", "done_s", ",.0f", True),
        (f"CPU µs per request, {conc} in flight (load + drain)", "cpu_us", ",.0f", True),
        (f"CPU µs per request, {rate}/s (load + drain)", "cpu_us_rate", ",.0f", True),
        (f"ack p50 ms, {conc} in flight", "p50", ".2f", False),
        (f"ack p99 ms, {conc} in flight", "p99", ".2f", False),
        (f"ack p50 ms, {rate}/s", "p50_rate", ".2f", False),
        (f"ack p99 ms, {rate}/s", "p99_rate", ".2f", False),
        (f"backlog drained after the {conc}-in-flight burst, s", "drain_s", ".2f", False),
    ]
    for name, key, spec, show_ratio in lines:
        r = ratio(wb[key], ref[key]) if show_ratio else None
        p(f"| {name} | {fmt(ref[key], spec)} | {fmt(wb[key], spec)} | {fmt(r, '.2f') + '×' if r else ''} |")
    p("")
    return ref, wb


def accounting(p, rows, acct):
    """One line per program and round; returns what went wrong in wb's rounds."""
    p("| program | round | commands acked | sessions stored | root ts recorded | chat.postMessage | distinct roots | posted twice | events acked | questions stored | reactions.add | errors | owed after drain | |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    wb_problems = []
    for a in sorted(acct, key=lambda a: (a["program"], a["round"])):
        mine = [r for r in rows if r["target"] == a["program"] and r["round"] == a["round"]]
        cmd = sum(r.get("ok", 0) for r in mine if r.get("kind") == "command") + (200 <= a["thread_status"] < 300)
        ev = sum(r.get("ok", 0) for r in mine if r.get("kind") == "event")
        errors = sum(r.get("non_2xx", 0) + r.get("errors", 0) + r.get("unsent", 0) for r in mine)
        stats, dup = a["stats"], a["duplicates"]
        posts, reactions = stats.get("chat.postMessage", 0), stats.get("reactions.add", 0)
        owed = a.get("outbox_pending", None)
        if owed is None:
            owed = (a["sessions"] - a["sessions_with_ts"]) + max(0, a["questions"] - reactions)
        problems = []
        if not cmd == a["sessions"] == a["sessions_with_ts"] == posts == dup.get("distinct"):
            problems.append("commands: acked, stored, posted differ")
        if dup.get("extra_posts"):
            problems.append(f"{dup['extra_posts']} double posts")
        if not ev == a["questions"] == reactions:
            problems.append("events: acked, stored, reacted differ")
        if errors:
            problems.append(f"{errors} errors")
        if owed:
            problems.append(f"{owed} still owed")
        if a.get("outbox_failed"):
            problems.append(f"{a['outbox_failed']} failed jobs")
        if a["program"] == "wb":
            wb_problems += [f"round {a['round']}: {x}" for x in problems]
        verdict = "ok" if not problems else "**" + "; ".join(problems) + "**"
        p(f"| {a['program']} | {a['round']} | {cmd:,} | {a['sessions']:,} | {a['sessions_with_ts']:,} | {posts:,} | "
          f"{dup.get('distinct', 0):,} | {dup.get('extra_posts', 0):,} | {ev:,} | {a['questions']:,} | {reactions:,} | "
          f"{errors} | {owed} | {verdict} |")
    p("")
    return wb_problems


def phases(p, rows):
    p("| program | round | scenario | mode | req/s | p50 ms | p99 ms | max ms | non-2xx | errors | drain s | peak RSS MB | CPU (load) | CPU µs/req (load + drain) | ctx sw/req | waited for CPU |")
    p("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        mode = f"{r.get('concurrency')} in flight" if r.get("mode") == "closed" else f"{r.get('rate'):g}/s"
        n = max(r.get("answered", 0), 1)
        cpu_pct = 100 * r.get("cpu_s", 0) / max(r.get("elapsed_s", 1), 1e-9)
        drain = r.get("drain_s")
        p(f"| {r['target']} | {r['round'] or ''} | {r['label']} | {mode} | {r.get('rps', 0):,.0f} | {r.get('p50_ms', 0):.2f} | "
          f"{r.get('p99_ms', 0):.2f} | {r.get('max_ms', 0):.2f} | {r.get('non_2xx', 0)} | {r.get('errors', 0) + r.get('unsent', 0)} | "
          f"{'' if drain is None else drain} | {r['peak_rss_kb'] / 1024:.1f} | {cpu_pct:.0f} % | {1e6 * r.get('cpu_total_s', 0) / n:,.0f} | "
          f"{r.get('ctx_switches', 0) / n:.1f} | {r.get('runq_wait_s', 0):.2f} s |")
    p("")


def main():
    rows, acct, meta = load(sys.argv[1])
    rounds = f"{meta['rounds']} round" + ("" if str(meta["rounds"]) == "1" else "s")
    conc, rate, duration = meta["concurrency"], meta["rate"], meta["duration"]
    out = []
    p = out.append
    p("# wb load benchmark")
    p("")
    p(f"- Machine: {meta['machine']}; shared (load average {meta['load_before']} before, {meta['load_after']} after).")
    p(f"- Date: {meta['date']}; wb {meta['commit']}, release build, SQLite on local disk (WAL, synchronous=NORMAL).")
    p(f"- Load generator `bench/loadgen` ({meta['loadgen_threads']} thread) and fake Slack (1 thread) on the same machine, "
      f"127.0.0.1; {duration} s per phase; {rounds}, each program on a fresh database and a fresh fake "
      "Slack per round; the two programs take each phase in turn (back to back, alternating which goes first), "
      "so both meet the machine as it is then.")
    p("- workref (`bench/src/bin/workref/`) is the minimal program doing the same full work: verify, parse, store "
      "(one writer thread, group commit), ack after COMMIT, post the same root message (or `reactions.add`), record its ts. "
      "No outbox, no retries, no dedupe.")
    p("")
    p(f"## wb against workref (medians of {rounds})")
    p("")
    cref, cwb = comparison(p, rows, "command", conc, rate, "`/wb pressrelease` slash commands")
    eref, ewb = comparison(p, rows, "event", conc, rate, "Thread questions (`message` events: capture + reaction)")
    p("done/s: requests acknowledged ÷ (load time + time until nothing is owed): for wb, the outbox drained; for "
      "workref, every root message's ts recorded and one `reactions.add` per stored question. CPU: the server's "
      "user + system time (/proc/PID/stat) from the start of the load to the end of the drain, per acknowledged request.")
    p("")
    p("## Accounting (acked = stored = posted exactly once)")
    p("")
    wb_problems = accounting(p, rows, acct)
    p("Commands acked include the one that opens the thread for the events. `distinct roots` and `posted twice` come "
      "from the fake's `/stats/duplicates` (root messages keyed by `metadata.event_payload.job_id`, else by channel + "
      "text); `owed after drain`: wb's pending outbox jobs, workref's root messages without a ts plus questions without "
      "a reaction.")
    p("")
    wb_acct = [a for a in acct if a["program"] == "wb"]
    ref_acct = [a for a in acct if a["program"] == "workref"]
    for a in wb_acct:
        if a.get("failed_sample"):
            p(f"A failed wb outbox job (round {a['round']}): `{a['failed_sample']}`")
            p("")
    floor = {k: med(r.get("rps") for r in rows if r["target"] == "floor" and r.get("kind") == k) for k in ("command", "event")}
    share = lambda v, k: f"{100 * v / floor[k]:.1f} %" if v and floor[k] else "n/a"
    p(f"Floor (bare hyper + signature check, {conc} in flight, median of the runs before and after): "
      f"{fmt(floor['command'], ',.0f')} commands/s, {fmt(floor['event'], ',.0f')} events/s. "
      f"Acks/s as a share of it: workref {share(cref['acks_s'], 'command')} (commands), {share(eref['acks_s'], 'event')} (events); "
      f"wb {share(cwb['acks_s'], 'command')} (commands), {share(ewb['acks_s'], 'event')} (events).")
    p("")
    peak = lambda acc: max([a["hwm_kb"] for a in acc] + [r["peak_rss_kb"] for r in rows if r["target"] == (acc[0]["program"] if acc else "")], default=0) / 1024
    idle = lambda acc: med(a["idle_rss_kb"] for a in acc)
    p(f"RSS: wb {fmt((idle(wb_acct) or 0) / 1024, '.1f')} MB idle (median), {peak(wb_acct):.1f} MB peak (VmHWM, max over rounds); "
      f"workref {fmt((idle(ref_acct) or 0) / 1024, '.1f')} MB idle, {peak(ref_acct):.1f} MB peak.")
    p("")
    p(f"## Targets (issue 17; medians of {rounds})")
    p("")
    burst = f"a {duration} s burst" + ("" if float(duration) == 10 else " (the target is for 10 s)")
    rate_ok = lambda v: v is not None and v < 5
    medians = {"command": (cwb, cref), "event": (ewb, eref)}
    at_least, at_most = (lambda r: r >= 0.8), (lambda r: r <= 1.5)
    ratio_checks = [
        ("commands: wb done/s ≥ 0.8 × workref's", "command", "done_s", at_least),
        ("events: wb done/s ≥ 0.8 × workref's", "event", "done_s", at_least),
        (f"commands: wb CPU per command ≤ 1.5 × workref's ({conc} in flight)", "command", "cpu_us", at_most),
        (f"commands: wb CPU per command ≤ 1.5 × workref's ({rate}/s)", "command", "cpu_us_rate", at_most),
        (f"events: wb CPU per event ≤ 1.5 × workref's ({conc} in flight)", "event", "cpu_us", at_most),
        (f"events: wb CPU per event ≤ 1.5 × workref's ({rate}/s)", "event", "cpu_us_rate", at_most),
    ]
    checks = [
        (f"commands: ack p99 < 5 ms at {rate}/s", (cwb["p99_rate"], cref["p99_rate"]), rate_ok, "ms"),
        (f"events: ack p99 < 5 ms at {rate}/s", (ewb["p99_rate"], eref["p99_rate"]), rate_ok, "ms"),
        ("RSS < 50 MB (peak over all rounds)", (peak(wb_acct), peak(ref_acct)), lambda v: v < 50, "MB"),
        (f"commands: backlog after {burst} drains in < 3 s", (cwb["drain_s"], cref["drain_s"]), lambda v: v is not None and v < 3, "s"),
        (f"events: backlog after {burst} drains in < 3 s", (ewb["drain_s"], eref["drain_s"]), lambda v: v is not None and v < 3, "s"),
    ]
    p("| target | met by wb | wb | workref | wb ÷ workref, round by round |")
    p("|---|---|---:|---:|---|")
    for name, kind, key, test in ratio_checks:
        wb_m, ref_m = medians[kind]
        value = ratio(wb_m[key], ref_m[key])
        ok = value is not None and test(value)
        p(f"| {name} | {'yes' if ok else '**no**'} | {fmt(value, '.2f')}× | 1× | {round_ratios(rows, kind, conc, rate, key)} |")
    for name, (w, r), test, unit in checks:
        spec = ".1f" if unit == "MB" else ".2f"
        p(f"| {name} | {'yes' if test(w) else '**no**'} | {fmt(w, spec)} {unit} | {fmt(r, spec)} {unit} | |")
    ok = not wb_problems
    p(f"| zero errors, zero loss, zero double posts, nothing owed (every wb round) | {'yes' if ok else '**no**'} | "
      f"{'none' if ok else '; '.join(wb_problems)} | | |")
    p("")
    p("The medians are of each program's own rounds; the last column divides round n of wb by round n of workref, "
      "which ran next to it, to show how far the rounds of one run spread on this machine.")
    p("")
    p("## Every phase")
    p("")
    phases(p, rows)
    p("CPU (load): user + system over the phase's wall time (200 % = both cores). CPU µs/req: over load + drain, per "
      "answered request. ctx sw: voluntary + involuntary context switches of all its threads per request. 'Waited for "
      "CPU': time its threads were runnable but queued behind other processes (/proc schedstat), summed over threads: "
      "on a shared machine it is where tail latency comes from.")
    p("")
    p("How to run it and what each column means: `bench/README.md`.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
