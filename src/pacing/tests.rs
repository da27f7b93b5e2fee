//! The pacer driven by a simulated outbox: each call asks at its due time;
//! told to wait, it asks again exactly at the time it was given.

use super::*;

#[derive(Clone)]
struct Sim {
    ticket: String,
    method: &'static str,
    channel: String,
    due: i64,
    asks: u32,
}

fn call(n: usize, method: &'static str, channel: &str, due: i64) -> Sim {
    Sim {
        ticket: format!("job:{n}"),
        method,
        channel: channel.to_string(),
        due,
        asks: 0,
    }
}

/// Runs every call to completion; returns (ticket, channel, go time) in the
/// order they went.
fn run(pacer: &Pacer, mut calls: Vec<Sim>) -> Vec<(String, String, i64)> {
    let mut went = Vec::new();
    while !calls.is_empty() {
        // The outbox claims the earliest due first, then by id (arrival).
        let (i, _) = calls
            .iter()
            .enumerate()
            .min_by_key(|(i, c)| (c.due, *i))
            .expect("a call");
        let mut c = calls.remove(i);
        c.asks += 1;
        assert!(c.asks < 1_000, "{} never got its turn", c.ticket);
        let gate = pacer.admit(
            &Call {
                ticket: &c.ticket,
                method: c.method,
                channel: Some(&c.channel),
                team: "T1",
            },
            c.due,
        );
        match gate {
            Gate::Go { .. } => went.push((c.ticket, c.channel, c.due)),
            Gate::Wait { until_ms, .. } => {
                assert!(until_ms > c.due);
                c.due = until_ms;
                calls.insert(i.min(calls.len()), c);
            }
        }
    }
    went
}

/// The benchmark's fake Slack: a bucket of 3 refilled at 1 per second.
fn violations(times: &[i64]) -> usize {
    let (mut tokens, mut last, mut bad) = (3.0_f64, 0_i64, 0);
    for &t in times {
        tokens = (tokens + (t - last) as f64 / 1000.0).min(3.0);
        last = t;
        if tokens >= 1.0 {
            tokens -= 1.0;
        } else {
            bad += 1;
        }
    }
    bad
}

#[test]
fn a_channel_gets_a_burst_of_three_then_one_post_each_interval_in_order() {
    let pacer = Pacer::new(true);
    let calls: Vec<Sim> = (0..10)
        .map(|n| call(n, "chat.postMessage", "C1", (n as i64) * 10))
        .collect();
    let went = run(&pacer, calls);
    let order: Vec<&str> = went.iter().map(|w| w.0.as_str()).collect();
    let expected: Vec<String> = (0..10).map(|n| format!("job:{n}")).collect();
    assert_eq!(
        order,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let times: Vec<i64> = went.iter().map(|w| w.2).collect();
    assert_eq!(&times[..3], &[0, 10, 20]);
    for pair in times[3..].windows(2) {
        assert_eq!(pair[1] - pair[0], 1_100, "{times:?}");
    }
    assert_eq!(violations(&times), 0, "{times:?}");
}

#[test]
fn a_burst_in_one_channel_does_not_delay_another() {
    let pacer = Pacer::new(true);
    let mut calls: Vec<Sim> = (0..50)
        .map(|n| call(n, "chat.postMessage", "C1", 0))
        .collect();
    calls.push(call(50, "chat.postMessage", "C2", 5));
    calls.push(call(51, "chat.postEphemeral", "C2", 6));
    let went = run(&pacer, calls);
    let other: Vec<i64> = went.iter().filter(|w| w.1 == "C2").map(|w| w.2).collect();
    assert_eq!(other, vec![5, 6]);
    let busy: Vec<i64> = went.iter().filter(|w| w.1 == "C1").map(|w| w.2).collect();
    assert_eq!(violations(&busy), 0);
    assert_eq!(busy.last().copied(), Some(47 * 1_100));
}

#[test]
fn channels_take_turns_in_a_methods_workspace_budget() {
    let pacer = Pacer::new(true);
    let mut calls: Vec<Sim> = (0..100)
        .map(|n| call(n, "reactions.add", "C1", 0))
        .collect();
    calls.push(call(100, "reactions.add", "C2", 5_000));
    let went = run(&pacer, calls);
    let other = went.iter().find(|w| w.1 == "C2").map(|w| w.2);
    // One turn of the budget (1.2 s), not the 90 reactions queued before it.
    assert!(
        other.is_some_and(|t| t <= 5_000 + 1_200),
        "C2 went at {other:?}"
    );
    // Never more than the tier allows: 10 at once, then one per 1.2 s.
    let times: Vec<i64> = went.iter().map(|w| w.2).collect();
    for (i, t) in times.iter().enumerate().skip(10) {
        assert!(*t >= (i as i64 - 9) * 1_200, "call {i} at {t}");
    }
    let busy: Vec<&str> = went
        .iter()
        .filter(|w| w.1 == "C1")
        .map(|w| w.0.as_str())
        .collect();
    let fifo: Vec<String> = (0..100).map(|n| format!("job:{n}")).collect();
    assert_eq!(busy, fifo.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_message_method_with_a_tier_waits_for_both_limits() {
    let pacer = Pacer::new(true);
    // chat.update: 1 per 1.1 s in the channel, and Tier 3 in the workspace.
    let calls: Vec<Sim> = (0..30)
        .map(|n| call(n, "chat.update", &format!("C{}", n % 3), 0))
        .collect();
    let went = run(&pacer, calls);
    for channel in ["C0", "C1", "C2"] {
        let times: Vec<i64> = went
            .iter()
            .filter(|w| w.1 == channel)
            .map(|w| w.2)
            .collect();
        assert_eq!(violations(&times), 0, "{channel}: {times:?}");
    }
    let times: Vec<i64> = went.iter().map(|w| w.2).collect();
    for (i, t) in times.iter().enumerate().skip(10) {
        assert!(*t >= (i as i64 - 9) * 1_200, "call {i} at {t}");
    }
}

#[test]
fn a_429_blocks_the_channel_until_retry_after() {
    let pacer = Pacer::new(true);
    let post = |ticket: &'static str| Call {
        ticket,
        method: "chat.postMessage",
        channel: Some("C1"),
        team: "T1",
    };
    assert!(matches!(pacer.admit(&post("a"), 0), Gate::Go { .. }));
    pacer.rate_limited(&post("a"), 30_000);
    assert_eq!(
        pacer.admit(&post("b"), 100),
        Gate::Wait {
            until_ms: 30_000,
            limit: Limit::RetryAfter
        }
    );
    assert!(matches!(
        pacer.admit(&post("b"), 30_000),
        Gate::Go {
            waited_ms: 29_900,
            ..
        }
    ));
    let other = Call {
        ticket: "c",
        method: "chat.postMessage",
        channel: Some("C2"),
        team: "T1",
    };
    assert!(matches!(pacer.admit(&other, 200), Gate::Go { .. }));
}

#[test]
fn a_call_that_never_comes_back_loses_its_place() {
    let pacer = Pacer::new(true);
    let post = |ticket: &'static str| Call {
        ticket,
        method: "chat.postMessage",
        channel: Some("C1"),
        team: "T1",
    };
    for t in ["a", "b", "c"] {
        assert!(matches!(pacer.admit(&post(t), 0), Gate::Go { .. }));
    }
    let Gate::Wait { until_ms, .. } = pacer.admit(&post("gone"), 0) else {
        panic!("the fourth waits");
    };
    assert!(matches!(pacer.admit(&post("next"), 0), Gate::Wait { .. }));
    assert_eq!(pacer.waiting(), 2);
    // "gone" never asks again; "next" gets its turn after the grace period.
    let later = until_ms + GRACE_MS + 1;
    assert!(matches!(pacer.admit(&post("next"), later), Gate::Go { .. }));
    assert_eq!(pacer.waiting(), 0);
}

#[test]
fn unpaced_methods_and_a_disabled_pacer_always_go() {
    let on = Pacer::new(true);
    let off = Pacer::new(false);
    let open = Call {
        ticket: "v",
        method: "views.open",
        channel: None,
        team: "T1",
    };
    assert_eq!(
        on.admit(&open, 0),
        Gate::Go {
            waited_ms: 0,
            paced: false
        }
    );
    for n in 0..20 {
        let ticket = format!("p{n}");
        let post = Call {
            ticket: &ticket,
            method: "chat.postMessage",
            channel: Some("C1"),
            team: "T1",
        };
        assert!(matches!(off.admit(&post, 0), Gate::Go { paced: false, .. }));
    }
}

#[test]
fn each_workspace_has_its_own_tier_budget() {
    let pacer = Pacer::new(true);
    let react = |ticket: &str, team: &str| {
        pacer.admit(
            &Call {
                ticket,
                method: "reactions.add",
                channel: Some(&format!("C{team}")),
                team,
            },
            0,
        )
    };
    // Tier 3: a burst of 10, then one every 1.2 s — per workspace.
    for n in 0..10 {
        assert!(matches!(react(&format!("a{n}"), "T1"), Gate::Go { .. }));
    }
    assert!(matches!(
        react("a10", "T1"),
        Gate::Wait {
            limit: Limit::Tier,
            ..
        }
    ));
    // Another workspace's budget is untouched by the first one's burst.
    for n in 0..10 {
        assert!(
            matches!(react(&format!("b{n}"), "T2"), Gate::Go { .. }),
            "T2 call {n} waited for T1's budget"
        );
    }
}
