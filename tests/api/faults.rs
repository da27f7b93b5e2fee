//! Faults: a crash with Slack actions pending, a graceful stop, concurrent
//! writers, and secrets kept out of the logs — against the real binary.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;
use crate::process::spawn_serve;

/// A temp directory and the URL of a database file in it.
fn temp_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("dir");
    let db_url = format!("sqlite://{}", dir.path().join("wb.db").display());
    (dir, db_url)
}

async fn store_for(db_url: &str) -> wb::store::Store {
    wb::store::Store::connect(db_url).await.expect("store")
}

async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn actions_pending_at_a_crash_complete_after_restart_exactly_once() {
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&slack)
        .await;
    let (dir, db_url) = temp_db();
    let mut wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");

    let body = command_form(
        "pressrelease Crash-proof idea",
        &format!("{}/response", slack.uri()),
    );
    let answer = raw_to(
        wb.addr,
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body,
        Signing::Valid,
    )
    .await;
    assert_eq!(answer.status, 200);
    wait_until("a failed attempt", || async {
        slack
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .any(|r| r.url.path() == "/api/chat.postMessage")
    })
    .await;

    wb.child.kill().expect("SIGKILL");
    let _ = wb.child.wait();
    slack.reset().await;
    mount_defaults(&slack).await;
    let store = store_for(&db_url).await;
    assert_eq!(
        store.pending_jobs().await.expect("jobs"),
        1,
        "the idea survived the crash"
    );
    assert!(store.list_sessions().await.expect("list").is_empty());

    let _wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");

    wait_until("the session after restart", || async {
        store
            .list_sessions()
            .await
            .map(|l| l.len() == 1)
            .unwrap_or(false)
    })
    .await;
    wait_until("the outbox to drain", || async {
        store.pending_jobs().await.map(|n| n == 0).unwrap_or(false)
    })
    .await;
    let posts: Vec<_> = slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/api/chat.postMessage")
        .collect();
    assert_eq!(posts.len(), 1, "posted once after the restart");
    assert_eq!(
        store.list_sessions().await.expect("list")[0].session.title,
        "Crash-proof idea"
    );
}

#[tokio::test]
async fn sigterm_stops_gracefully_and_the_next_start_resumes() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let (dir, db_url) = temp_db();
    let mut wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");
    let health = raw_to(
        wb.addr,
        "GET",
        "/healthz",
        "text/plain",
        vec![],
        Signing::Missing,
    )
    .await;
    assert_eq!(health.status, 200);

    let status = wb
        .terminate(Duration::from_secs(15))
        .expect("exited within 15 s");

    assert!(status.success(), "exit status {status:?}");
    assert!(wb.log().contains("stopped"), "{}", wb.log());
    let again = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");
    let health = raw_to(
        again.addr,
        "GET",
        "/healthz",
        "text/plain",
        vec![],
        Signing::Missing,
    )
    .await;
    assert_eq!(health.status, 200);
}

#[tokio::test]
async fn secrets_never_reach_the_logs_even_at_debug() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let (dir, db_url) = temp_db();
    let mut wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "debug");

    let body = command_form(
        "pressrelease Logged idea",
        &format!("{}/response", slack.uri()),
    );
    raw_to(
        wb.addr,
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body.clone(),
        Signing::Valid,
    )
    .await;
    raw_to(
        wb.addr,
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body,
        Signing::Garbage,
    )
    .await;
    let event = envelope(
        "EvLog1",
        json!({"type": "message", "user": USER, "text": "hi?", "ts": "2.2", "thread_ts": "1.1", "channel": CHANNEL}),
    );
    raw_to(
        wb.addr,
        "POST",
        "/slack/events",
        "application/json",
        event.to_string().into_bytes(),
        Signing::Valid,
    )
    .await;
    let store = store_for(&db_url).await;
    wait_until("the session", || async {
        store
            .list_sessions()
            .await
            .map(|l| l.len() == 1)
            .unwrap_or(false)
    })
    .await;
    let _ = wb.terminate(Duration::from_secs(15));

    let log = wb.log();
    assert!(
        log.contains("session started"),
        "the log was captured: {log}"
    );
    assert!(!log.contains(BOT_TOKEN), "bot token leaked");
    assert!(!log.contains(SECRET), "signing secret leaked");
}

#[tokio::test]
async fn eight_concurrent_writers_never_see_database_is_locked() {
    let app = spawn_app().await;
    let mut writers = Vec::new();
    for w in 0..8 {
        let state = app.state.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..50 {
                let job = wb::slack::jobs::Job::call(
                    "reactions.add",
                    json!({"channel": "C", "name": "x", "timestamp": format!("{w}.{i}")}),
                );
                state.enqueue(&job).await.expect("enqueue under contention");
                let new = wb::domain::session::NewSession {
                    team_id: TEAM.into(),
                    channel_id: format!("C{w}"),
                    thread_ts: format!("{i}.{w}"),
                    title: wb::domain::session::Title::parse("Busy").expect("title"),
                    created_by: USER.into(),
                };
                state
                    .store
                    .insert_session(&new, "2026-11-21T00:00:00Z")
                    .await
                    .expect("insert under contention");
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    assert_eq!(
        app.state.store.list_sessions().await.expect("list").len(),
        400
    );
}

#[tokio::test]
async fn concurrent_enqueues_are_group_committed_and_none_is_lost() {
    let (_dir, db_url) = temp_db();
    let store = wb::store::Store::open(&db_url).await.expect("store");

    let mut callers = Vec::new();
    for i in 0..500 {
        let store = store.clone();
        callers.push(tokio::spawn(async move {
            let job = format!(r#"{{"kind":"respond","response_url":"http://x/{i}","body":{{}}}}"#);
            store
                .write(move |conn| {
                    Ok(wb::store::Store::enqueue_in(
                        conn,
                        &job,
                        "2026-11-21T00:00:00Z",
                        0,
                    )?)
                })
                .await
        }));
    }
    for c in callers {
        c.await.expect("task").expect("committed before returning");
    }

    assert_eq!(store.pending_jobs().await.expect("count"), 500);
}
