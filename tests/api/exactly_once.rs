//! Exactly once through a crash: wb is killed (SIGKILL) after Slack accepted
//! a post and before wb heard the answer; after a restart the post is found
//! by its metadata and adopted, never made twice.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;
use crate::process::{spawn_serve, WbProcess};

/// A fake Slack whose `chat.postMessage` records each post, and kills wb
/// (once, while armed) on the first post `lethal` picks, before answering.
pub(crate) struct Crashing {
    pub(crate) slack: MockServer,
    log: Log,
    pid: Arc<AtomicU32>,
    armed: Arc<AtomicBool>,
}

impl Crashing {
    pub(crate) async fn start(lethal: fn(&Value) -> bool) -> Self {
        let slack = MockServer::start().await;
        let log = Log::default();
        let pid = Arc::new(AtomicU32::new(0));
        let armed = Arc::new(AtomicBool::new(true));
        let (p, a) = (pid.clone(), armed.clone());
        let hook: Hook = Arc::new(move |message: &Value| {
            if lethal(message) && a.swap(false, Ordering::SeqCst) {
                let _ = std::process::Command::new("kill")
                    .args(["-9", &p.load(Ordering::SeqCst).to_string()])
                    .status();
            }
        });
        Mock::given(method("POST"))
            .and(path("/api/chat.postMessage"))
            .respond_with(
                PostMessage::now_based(log.clone()).with_hook(hook, Duration::from_millis(300)),
            )
            .with_priority(1)
            .mount(&slack)
            .await;
        mount_history(&slack, log.clone()).await;
        mount_defaults(&slack).await;
        Self {
            slack,
            log,
            pid,
            armed,
        }
    }

    pub(crate) fn serve(&self, db_url: &str, dir: &std::path::Path) -> WbProcess {
        let wb = spawn_serve(db_url, &self.slack.uri(), dir, "info");
        self.pid.store(wb.child.id(), Ordering::SeqCst);
        wb
    }

    pub(crate) fn posts(&self, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
        self.log
            .messages()
            .into_iter()
            .filter(|m| keep(m))
            .collect()
    }
}

pub(crate) fn is_root(m: &Value) -> bool {
    m["thread_ts"].is_null()
}

fn is_thread_note(m: &Value) -> bool {
    m["text"].as_str().unwrap_or_default().contains("Draft v1")
}

pub(crate) fn killed(wb: &mut WbProcess) {
    let start = Instant::now();
    while wb.child.try_wait().ok().flatten().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "wb was not killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) async fn sessions(db_url: &str) -> Vec<(i64, String)> {
    let pool = crate::testdb::connect(db_url).await.expect("db");
    let rows = crate::testdb::query_as("SELECT id, thread_ts FROM sessions ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("sessions");
    pool.close().await;
    rows
}

pub(crate) async fn pending(db_url: &str) -> i64 {
    let pool = crate::testdb::connect(db_url).await.expect("db");
    let n = crate::testdb::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        .fetch_one(&pool)
        .await
        .expect("count");
    pool.close().await;
    n
}

/// A slash command to a wb the fake may kill as soon as it posts. The job
/// is handed to the worker when its write commits, so the post (and the
/// kill) can come before the acknowledgement is on the wire: either the
/// command is acknowledged (200), or the kill cut the connection. Never
/// another status: the command was stored before any of it.
pub(crate) async fn command(wb: &WbProcess, slack: &MockServer, text: &str) {
    let body = command_form(text, &format!("{}/response", slack.uri()));
    match try_raw_to(
        wb.addr,
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body,
        Signing::Valid,
    )
    .await
    {
        Ok(ack) => assert_eq!(ack.status, 200, "{}", ack.body),
        Err(cut) => eprintln!("the kill came before the acknowledgement: {cut}"),
    }
}

#[tokio::test]
async fn a_root_message_posted_just_before_a_crash_is_adopted_after_restart() {
    let fake = Crashing::start(is_root).await;
    let dir = tempfile::tempdir().expect("dir");
    let db_url = crate::testdb::db_url(dir.path());
    let mut wb = fake.serve(&db_url, dir.path());

    command(&wb, &fake.slack, "pressrelease Posted once").await;
    killed(&mut wb);
    // Slack has the root message; wb died before recording it.
    assert_eq!(fake.posts(is_root).len(), 1);
    assert!(sessions(&db_url).await.is_empty());
    assert_eq!(pending(&db_url).await, 1);

    let _again = fake.serve(&db_url, dir.path());
    let db = db_url.clone();
    let start = Instant::now();
    while sessions(&db).await.is_empty() || pending(&db).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no session after restart"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let roots = fake.posts(is_root);
    assert_eq!(roots.len(), 1, "exactly one root message: {roots:?}");
    let stored = sessions(&db_url).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        Some(stored[0].1.as_str()),
        roots[0]["ts"].as_str(),
        "bound to the adopted post"
    );
    let meta = &roots[0]["metadata"];
    assert_eq!(meta["event_type"], "wb_job");
    assert!(
        !meta.to_string().contains("Posted once"),
        "no user text in metadata"
    );
    assert!(!fake.armed.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_thread_note_posted_just_before_a_crash_is_not_posted_again() {
    let fake = Crashing::start(is_thread_note).await;
    let dir = tempfile::tempdir().expect("dir");
    let db_url = crate::testdb::db_url(dir.path());
    let mut wb = fake.serve(&db_url, dir.path());
    command(&wb, &fake.slack, "pressrelease Noted once").await;
    let db = db_url.clone();
    let start = Instant::now();
    while sessions(&db).await.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(30), "no session");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let root = sessions(&db_url).await[0].1.clone();
    let reply = envelope(
        "EvNote1",
        json!({"type": "message", "channel": CHANNEL, "user": USER, "text": "PR: FridgeCam sees inside your fridge.",
               "ts": format!("{}.000900", now()), "thread_ts": root}),
    );
    let ack = raw_to(
        wb.addr,
        "POST",
        "/slack/events",
        "application/json",
        reply.to_string().into_bytes(),
        Signing::Valid,
    )
    .await;
    assert_eq!(ack.status, 200);
    killed(&mut wb);
    assert_eq!(fake.posts(is_thread_note).len(), 1);

    let _again = fake.serve(&db_url, dir.path());
    let start = Instant::now();
    while pending(&db).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "outbox did not drain"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(fake.posts(is_thread_note).len(), 1, "one thread note");
    assert_eq!(fake.posts(is_root).len(), 1, "one root message");
}

#[tokio::test]
async fn a_failed_lookup_is_retried_and_never_skipped() {
    let fake = Crashing::start(is_root).await;
    // The first two lookups fail: the job must wait, not post blind.
    Mock::given(method("GET"))
        .and(path("/api/conversations.history"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&fake.slack)
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let db_url = crate::testdb::db_url(dir.path());
    let mut wb = fake.serve(&db_url, dir.path());
    command(&wb, &fake.slack, "pressrelease Looked up").await;
    killed(&mut wb);

    let _again = fake.serve(&db_url, dir.path());
    let db = db_url.clone();
    let start = Instant::now();
    while pending(&db).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "outbox did not drain"
        );
        assert_eq!(fake.posts(is_root).len(), 1, "posted again while in doubt");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lookups = fake
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/api/conversations.history")
        .count();
    assert!(
        lookups >= 3,
        "two failed lookups, then one that found it: {lookups}"
    );
    assert_eq!(fake.posts(is_root).len(), 1);
    assert_eq!(sessions(&db_url).await.len(), 1);
}
