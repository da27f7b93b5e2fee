//! Back-pressure (WB_BACKLOG_BOUND_MS): while the outbox is behind by more
//! than the bound, a new session's command is held before it is stored — at
//! most 1.5 s, then stored and acknowledged anyway — and nothing is lost.

use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::Mock;

use crate::fake_slack::PostMessage;
use crate::helpers::*;

/// `wb_backlog_held_requests_total` from `/metrics`.
async fn held(app: &TestApp) -> u64 {
    let scraped = app.get("/metrics").await;
    scraped
        .body
        .lines()
        .find_map(|l| l.strip_prefix("wb_backlog_held_requests_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no wb_backlog_held_requests_total in {}", scraped.body))
}

#[tokio::test]
async fn a_new_session_waits_while_the_outbox_is_behind_and_none_is_lost() {
    let app = spawn_app_with(Options {
        defaults: false,
        backlog_bound: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    // Slack takes 3 s to answer each post: the worker falls behind.
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(PostMessage::delayed(Duration::from_secs(3)))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    // Nothing is behind: the first command is answered at once.
    let started = Instant::now();
    assert_eq!(app.command("pressrelease First idea").await.status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(1_000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(held(&app).await, 0);

    // Its root message is not posted yet, 300 ms on: the outbox is behind.
    let deadline = Instant::now() + Duration::from_secs(2);
    while !app.state.backlog.behind(app.state.clock.unix_ms()) {
        assert!(Instant::now() < deadline, "the outbox never fell behind");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The second is held for the longest hold (the first post takes 3 s),
    // then stored and answered anyway, well within Slack's 3 s.
    let second = Instant::now();
    let answer = app.command("pressrelease Second idea").await;
    let waited = second.elapsed();
    assert_eq!(answer.status, 200);
    assert!(
        waited >= Duration::from_millis(1_500),
        "held only {waited:?}"
    );
    assert!(waited < Duration::from_millis(2_800), "held {waited:?}");
    assert_eq!(held(&app).await, 1);

    // Both are posted once and stored.
    app.wait_for_calls("chat.postMessage", 2).await;
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    let mut titles: Vec<String> = sessions.into_iter().map(|s| s.session.title).collect();
    titles.sort();
    assert_eq!(titles, ["First idea", "Second idea"]);
    assert_eq!(app.calls("chat.postMessage").await.len(), 2);

    // Caught up: the next command is not held.
    assert!(!app.state.backlog.behind(app.state.clock.unix_ms()));
    let third = Instant::now();
    assert_eq!(app.command("pressrelease Third idea").await.status, 200);
    assert!(
        third.elapsed() < Duration::from_millis(1_000),
        "{:?}",
        third.elapsed()
    );
    assert_eq!(held(&app).await, 1);
}
