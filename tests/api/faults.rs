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
    let db_url = crate::testdb::db_url(dir.path());
    (dir, db_url)
}

/// A read-only view of another process's database.
struct Db(crate::testdb::Pool);

impl Db {
    async fn open(db_url: &str) -> Self {
        Self(crate::testdb::connect(db_url).await.expect("db"))
    }

    async fn count(&self, sql: &str) -> i64 {
        crate::testdb::query_scalar(sql)
            .fetch_one(&self.0)
            .await
            .unwrap_or(-1)
    }

    async fn pending(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
            .await
    }

    async fn sessions(&self) -> Vec<String> {
        crate::testdb::query_scalar("SELECT title FROM sessions ORDER BY id")
            .fetch_all(&self.0)
            .await
            .unwrap_or_default()
    }
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
    let db = Db::open(&db_url).await;
    assert_eq!(db.pending().await, 1, "the idea survived the crash");
    assert!(db.sessions().await.is_empty());

    let _wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");

    wait_until("the session after restart", || async {
        db.sessions().await.len() == 1
    })
    .await;
    wait_until("the outbox to drain", || async { db.pending().await == 0 }).await;
    let posts: Vec<_> = slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/api/chat.postMessage")
        .collect();
    assert_eq!(posts.len(), 1, "posted once after the restart");
    assert_eq!(db.sessions().await, vec!["Crash-proof idea".to_string()]);
}

#[tokio::test]
async fn sigterm_stops_gracefully_and_the_next_start_finishes_the_job_once() {
    // Slack is down: the start job fails and waits for its retry.
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&slack)
        .await;
    let (dir, db_url) = temp_db();
    let mut wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");
    let body = command_form(
        "pressrelease Resumed idea",
        &format!("{}/response", slack.uri()),
    );
    let ack = raw_to(
        wb.addr,
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body,
        Signing::Valid,
    )
    .await;
    assert_eq!(ack.status, 200);
    wait_until("a first, failed post", || async {
        slack
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .any(|r| r.url.path() == "/api/chat.postMessage")
    })
    .await;

    let status = wb
        .terminate(Duration::from_secs(15))
        .expect("exited within 15 s");
    assert!(status.success(), "exit status {status:?}");
    assert!(wb.log().contains("stopped"), "{}", wb.log());
    let db = Db::open(&db_url).await;
    assert_eq!(db.pending().await, 1, "the job waits in the outbox");
    assert!(db.sessions().await.is_empty());

    // Slack is back; the next start finishes the job, once.
    slack.reset().await;
    mount_defaults(&slack).await;
    let _again = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");
    wait_until("the session after restart", || async {
        db.sessions().await.len() == 1
    })
    .await;
    wait_until("the outbox to drain", || async { db.pending().await == 0 }).await;
    let posts = slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/api/chat.postMessage")
        .count();
    assert_eq!(posts, 1, "the resumed job posted exactly once");
    assert_eq!(db.sessions().await, vec!["Resumed idea".to_string()]);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM outbox WHERE state = 'done'")
            .await,
        1
    );
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
    let db = Db::open(&db_url).await;
    wait_until("the session", || async { db.sessions().await.len() == 1 }).await;
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
                let job = wb::jobs::Job::call(
                    &wb::domain::tenant::Workspace::new(TEAM, None),
                    "reactions.add",
                    json!({"channel": "C", "name": "x", "timestamp": format!("{w}.{i}")}),
                );
                wb::flows::notify::enqueue(&state, job)
                    .await
                    .expect("enqueue under contention");
                let new = wb::domain::session::NewSession {
                    team_id: TEAM.into(),
                    enterprise_id: None,
                    channel_id: format!("C{w}"),
                    thread_ts: format!("{i}.{w}"),
                    title: wb::domain::session::Title::parse("Busy").expect("title"),
                    created_by: USER.into(),
                };
                state
                    .store
                    .write(move |tx| tx.insert_session(None, &new))
                    .await
                    .expect("insert under contention");
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        400
    );
}

#[tokio::test]
async fn concurrent_enqueues_are_group_committed_and_none_is_lost() {
    let (_dir, db_url) = temp_db();
    let store = wb::store::Store::open(&db_url, wb::clock::Clock::system())
        .await
        .expect("store");

    let mut callers = Vec::new();
    for i in 0..500 {
        let store = store.clone();
        callers.push(tokio::spawn(async move {
            let job = wb::jobs::Job::respond_ephemeral(&format!("http://x/{i}"), "hi");
            store.write(move |tx| tx.enqueue(&job)).await
        }));
    }
    for c in callers {
        c.await.expect("task").expect("committed before returning");
    }

    assert_eq!(
        store.read(|tx| tx.pending_jobs()).await.expect("count"),
        500
    );
}
