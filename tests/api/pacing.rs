//! Pacing of Slack posts against a fake Slack that answers 429 past one post
//! per second per channel (after a burst of 3): with pacing, a burst in one
//! channel collects no 429 and another channel's post goes at once; without,
//! the same burst collects 429s. Time is a `ManualClock` shared by wb and the
//! fake, moved by the test. The 300-question benchmark is `#[ignore]`d here
//! and run by `bench/pacing.sh`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::MockServer;

use wb::clock::{Clock, ManualClock};
use wb::jobs::Job;

use crate::helpers::*;
use crate::limited_slack::{LimitedSlack, Tally};

const OTHER: &str = "C0THER0001";
const QUESTIONS: usize = 12;

async fn limited_app(pacing: bool) -> (TestApp, Arc<Tally>, ManualClock) {
    let manual = ManualClock::new(jiff::Timestamp::now());
    let slack = MockServer::start().await;
    let tally = LimitedSlack::mount(&slack, manual.clock(), false).await;
    let app = start(
        slack,
        Options {
            defaults: false,
            clock: Some(manual.clock()),
            pacing,
            ..Options::default()
        },
    )
    .await;
    (app, tally, manual)
}

/// Polls `cond` (real time, bounded) without moving the clock.
async fn until<F, Fut>(what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !cond().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Moves the shared clock in 100 ms steps, waking the outbox each time,
/// until `cond` holds (bounded in real time).
async fn drive<F, Fut>(app: &TestApp, manual: &ManualClock, what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !cond().await {
        assert!(Instant::now() < deadline, "timed out driving to {what}");
        manual.advance(Duration::from_millis(100));
        app.state.wake_outbox();
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

/// A session, then a burst of `/wb faq` questions (each owes a thread post
/// and a root refresh in CHANNEL), all acknowledged at the same instant.
async fn burst(app: &TestApp, manual: &ManualClock) {
    assert_eq!(app.command("pressrelease Paced idea").await.status, 200);
    drive(app, manual, "the session", || async {
        app.state
            .store
            .read(|tx| tx.session(1))
            .await
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    for n in 0..QUESTIONS {
        let answer = app
            .command(&format!("faq Question {n:02} about pacing?"))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
}

fn question_order(tally: &Tally) -> Vec<String> {
    tally
        .accepted("chat.postMessage")
        .into_iter()
        .filter(|(channel, _, _)| channel == CHANNEL)
        .filter_map(|(_, _, text)| {
            text.find("Question ")
                .map(|i| text[i..i + "Question 00".len()].to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_burst_in_one_channel_is_paced_without_a_429_and_another_channel_goes_at_once() {
    let (app, tally, manual) = limited_app(true).await;
    burst(&app, &manual).await;

    // The busy channel's posts wait their turn in the outbox; a post into
    // another channel, queued behind all of them, goes without the clock moving.
    let queued_at = manual.clock().unix_ms();
    app.state
        .store
        .write(|tx| {
            tx.enqueue(&Job::call(
                &wb::domain::tenant::Workspace::new(TEAM, None),
                "chat.postMessage",
                json!({"channel": OTHER, "text": "elsewhere"}),
            ))
        })
        .await
        .expect("queued");
    app.state.wake_outbox();
    until("the other channel's post", || async {
        tally
            .accepted("chat.postMessage")
            .iter()
            .any(|(c, _, _)| c == OTHER)
    })
    .await;
    let other = tally.accepted("chat.postMessage");
    let (_, at, _) = other.iter().find(|(c, _, _)| c == OTHER).expect("posted");
    assert_eq!(*at, queued_at, "the other channel waited");

    drive(&app, &manual, "every post", || async {
        question_order(&tally).len() == QUESTIONS
            && app
                .state
                .store
                .read(|tx| tx.pending_jobs())
                .await
                .unwrap_or(1)
                == 0
    })
    .await;
    assert_eq!(tally.refused(), 0, "429s with pacing on");
    let expected: Vec<String> = (0..QUESTIONS).map(|n| format!("Question {n:02}")).collect();
    assert_eq!(question_order(&tally), expected, "posts left out of order");
    // Root post + 12 questions + root refreshes, one per 1.1 s after a burst of 3.
    let posts: Vec<i64> = tally
        .accepted("chat.postMessage")
        .into_iter()
        .chain(tally.accepted("chat.update"))
        .filter(|(c, _, _)| c == CHANNEL)
        .map(|(_, t, _)| t)
        .collect();
    let span = posts.iter().max().copied().unwrap_or(0) - posts.iter().min().copied().unwrap_or(0);
    assert!(posts.len() >= QUESTIONS + 2, "{} posts", posts.len());
    assert!(
        span >= (posts.len() as i64 - 3) * 1_000,
        "{span} ms for {} posts",
        posts.len()
    );

    // An admin can see why the posts came late.
    let metrics = app.get("/metrics").await.body;
    let paced = sample(
        &metrics,
        r#"wb_slack_paced_total{method="chat.postMessage",limit="channel"}"#,
    );
    assert!(paced.is_some_and(|n| n >= 1.0), "{metrics}");
    let delays = sample(
        &metrics,
        r#"wb_slack_pacing_delay_seconds_count{method="chat.postMessage"}"#,
    );
    assert!(
        delays.is_some_and(|n| n >= (QUESTIONS + 2) as f64),
        "{metrics}"
    );
    assert_eq!(
        sample(
            &metrics,
            r#"wb_slack_api_calls_total{method="chat.postMessage",outcome="ratelimited"}"#
        ),
        None
    );
}

#[tokio::test]
async fn without_pacing_the_same_burst_collects_429s() {
    let (app, tally, manual) = limited_app(false).await;
    burst(&app, &manual).await;
    drive(&app, &manual, "a 429", || async { tally.refused() > 0 }).await;
    let metrics = app.get("/metrics").await.body;
    assert!(
        sample(
            &metrics,
            r#"wb_slack_api_calls_total{method="chat.postMessage",outcome="ratelimited"}"#
        )
        .is_some_and(|n| n >= 1.0),
        "{metrics}"
    );
}

/// The issue's benchmark: 300 thread questions in one channel within 2 s,
/// against the limited fake on the real clock. `WB_BENCH_PACING=off` runs it
/// without pacing (as before), `WB_BENCH_TIER3=1` also limits reactions.add
/// to Tier 3 (50/min) in the fake. Prints one JSON line.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark of several minutes: bench/pacing.sh runs it"]
async fn pacing_benchmark_300_thread_questions_in_one_channel() {
    const TOTAL: usize = 300;
    let pacing = std::env::var("WB_BENCH_PACING").map_or(true, |v| v != "off");
    let tier3 = std::env::var("WB_BENCH_TIER3").is_ok_and(|v| v == "1");
    let slack = MockServer::start().await;
    let tally = LimitedSlack::mount(&slack, Clock::system(), tier3).await;
    let app = Arc::new(
        start(
            slack,
            Options {
                defaults: false,
                pacing,
                ..Options::default()
            },
        )
        .await,
    );
    assert_eq!(app.command("pressrelease Benchmark idea").await.status, 200);
    until("the session", || async {
        app.state
            .store
            .read(|tx| tx.session(1))
            .await
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let root = app
        .state
        .store
        .read(|tx| tx.session(1))
        .await
        .expect("db")
        .expect("session")
        .thread_ts;

    let clock = Clock::system();
    let t0 = clock.unix_ms();
    let started = Instant::now();
    let mut sent = tokio::task::JoinSet::new();
    for i in 0..TOTAL {
        let at = started + Duration::from_millis((i as u64 * 2_000) / TOTAL as u64);
        let app = app.clone();
        let root = root.clone();
        sent.spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            let ts = format!("1763741000.{i:06}");
            let user = format!("U{i:08}");
            let event = json!({
                "type": "message", "user": user, "text": format!("Benchmark question {i}?"),
                "ts": ts, "thread_ts": root, "team": TEAM, "channel": CHANNEL,
                "event_ts": ts, "channel_type": "channel",
            });
            app.event(&envelope(&format!("EvBench{i:04}"), event))
                .await
                .status
        });
    }
    while let Some(status) = sent.join_next().await {
        assert_eq!(status.expect("sent"), 200);
    }
    let acked = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(20 * 60);
    while app
        .state
        .store
        .read(|tx| tx.pending_jobs())
        .await
        .unwrap_or(1)
        > 0
    {
        assert!(Instant::now() < deadline, "outbox never drained");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = started.elapsed();
    let failed = count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'failed'").await;
    let last = |m: &str| {
        let at = tally
            .accepted(m)
            .iter()
            .map(|(_, t, _)| *t)
            .max()
            .unwrap_or(t0);
        (at - t0) as f64 / 1000.0
    };
    let refused_posts = |since: i64| {
        let r = tally.refused.lock().expect("tally");
        r.iter()
            .filter(|(m, t)| m != "reactions.add" && *t >= since)
            .count()
    };
    let report = json!({
        "pacing": pacing,
        "fake_tier3_reactions": tier3,
        "questions": TOTAL,
        "acked_s": acked.as_secs_f64(),
        "refused_429": tally.refused(),
        "refused_429_posts": refused_posts(t0),
        "refused_429_posts_after_first_second": refused_posts(t0 + 1_000),
        "refused_429_reactions": tally.refused() - refused_posts(t0),
        "reactions_made": tally.accepted("reactions.add").len(),
        "root_updates": tally.accepted("chat.update").len(),
        "jobs_failed": failed,
        "posts_done_s": last("chat.update"),
        "reactions_done_s": last("reactions.add"),
        "all_done_s": done.as_secs_f64(),
    });
    println!("PACING_BENCH {report}");
}
