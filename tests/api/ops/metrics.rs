//! `/metrics` after a known sequence of requests, jobs and Slack answers;
//! the outbox figures behind its gauges.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use wb::clock::ManualClock;
use wb::jobs::Job;
use wb::store::outbox::{OutboxFigures, Schedule};

use crate::faq::reply_event;
use crate::helpers::*;

#[tokio::test]
async fn metrics_count_requests_acks_jobs_and_slack_calls_and_hold_no_secret() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/reactions.add"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .up_to_n_times(1)
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postEphemeral"))
        .respond_with(slack_error("channel_not_found"))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    assert_eq!(app.command("help").await.status, 200);
    assert_eq!(app.command("help").await.status, 200);
    assert_eq!(
        app.command_signed("help", Signing::Garbage).await.status,
        401
    );
    assert_eq!(app.get("/wp-login.php").await.status, 404);
    assert_eq!(app.get("/healthz").await.status, 200);
    let root = app.start_session("Zebra metrics idea").await;
    let question = reply_event("1763740100.000200", &root, USER, "How fast is the zebra?");
    assert_eq!(app.event(&envelope("EvOps1", question)).await.status, 200);
    app.state
        .store
        .write(|tx| {
            tx.enqueue(&Job::call(
                &wb::domain::tenant::Workspace::new(TEAM, None),
                "chat.postEphemeral",
                json!({"channel": CHANNEL, "user": USER, "text": "only you"}),
            ))
        })
        .await
        .expect("queued");
    app.state.wake_outbox();
    app.wait_for_calls("reactions.add", 2).await;
    app.wait_for_calls("chat.postEphemeral", 1).await;
    app.settle().await;

    let scraped = app.get("/metrics").await;
    assert_eq!(scraped.status, 200);
    assert_eq!(
        scraped.headers["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = scraped.body;
    let expect = |series: &str, want: f64| {
        assert_eq!(sample(&text, series), Some(want), "{series} in:\n{text}");
    };
    expect(
        r#"wb_http_requests_total{route="/slack/commands",status="200"}"#,
        3.0,
    );
    expect(
        r#"wb_http_requests_total{route="/slack/commands",status="401"}"#,
        1.0,
    );
    expect(
        r#"wb_http_ack_duration_seconds_count{route="/slack/commands"}"#,
        4.0,
    );
    expect(
        r#"wb_http_requests_total{route="/slack/events",status="200"}"#,
        1.0,
    );
    expect(r#"wb_http_requests_total{route="other",status="404"}"#, 1.0);
    expect(
        r#"wb_http_requests_total{route="/healthz",status="200"}"#,
        1.0,
    );
    expect(
        r#"wb_outbox_jobs_total{method="start_session",result="ok"}"#,
        1.0,
    );
    expect(
        r#"wb_outbox_jobs_total{method="reactions.add",result="retried"}"#,
        1.0,
    );
    expect(
        r#"wb_outbox_jobs_total{method="reactions.add",result="ok"}"#,
        1.0,
    );
    expect(
        r#"wb_outbox_jobs_total{method="chat.postEphemeral",result="failed"}"#,
        1.0,
    );
    expect(
        r#"wb_slack_api_calls_total{method="reactions.add",outcome="ratelimited"}"#,
        1.0,
    );
    expect(
        r#"wb_slack_api_calls_total{method="reactions.add",outcome="ok"}"#,
        1.0,
    );
    expect(
        r#"wb_slack_api_calls_total{method="chat.postEphemeral",outcome="error_channel"}"#,
        1.0,
    );
    expect(
        r#"wb_slack_api_calls_total{method="chat.postMessage",outcome="ok"}"#,
        1.0,
    );
    expect("wb_outbox_pending_jobs", 0.0);
    expect("wb_outbox_failed_jobs", 1.0);
    expect("wb_outbox_oldest_pending_age_seconds", 0.0);
    expect("wb_db_write_queue_depth", 0.0);
    let commits = sample(&text, "wb_db_commit_duration_seconds_count");
    assert!(commits.is_some_and(|n| n >= 5.0), "{text}");
    let worker = sample(&text, "wb_worker_heartbeat_age_seconds");
    assert!(worker.is_some_and(|age| age < 10.0), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(line.starts_with("wb_"), "{line}");
    }
    for private in [
        SECRET, BOT_TOKEN, USER, TEAM, CHANNEL, "zebra", "Zebra", &root,
    ] {
        assert!(!text.contains(private), "`{private}` in the metrics");
    }
}

#[tokio::test]
async fn outbox_figures_tell_scheduled_running_failed_and_overdue_apart() {
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::testdb::db_url(dir.path());
    let manual = ManualClock::new("2026-12-01T09:00:00Z".parse().expect("ts"));
    let store = wb::store::Store::open(&url, manual.clock())
        .await
        .expect("store");
    let post = || {
        Job::call(
            &wb::domain::tenant::Workspace::new(TEAM, None),
            "chat.postMessage",
            json!({"channel": CHANNEL, "text": "x"}),
        )
    };
    store
        .write(move |tx| {
            tx.enqueue(&post())?;
            tx.enqueue(&post())?;
            let later = Schedule {
                delay_ms: 3_600_000,
                dedupe_key: None,
            };
            tx.enqueue_with(&post(), later)
        })
        .await
        .expect("queued");
    manual.advance(Duration::from_secs(90));
    let figures = || async { store.read(|tx| tx.outbox_figures()).await.expect("figures") };
    assert_eq!(
        figures().await,
        OutboxFigures {
            pending: 3,
            running: 0,
            scheduled: 1,
            failed: 0,
            oldest_due_age_ms: 90_000,
        }
    );
    let claimed = store
        .write(|tx| tx.claim_due_jobs("wb", 1))
        .await
        .expect("claim");
    let id = claimed.jobs[0].id;
    assert_eq!(figures().await.running, 1);
    // Pacing puts a claimed job back without using up an attempt.
    store
        .write(move |tx| {
            let due = tx.now_ms() + 5_000;
            tx.defer_job(id, due)
        })
        .await
        .expect("deferred");
    assert_eq!(
        count_on(
            &url,
            &format!("SELECT attempts FROM outbox WHERE id = {id}")
        )
        .await,
        0
    );
    let f = figures().await;
    assert_eq!((f.running, f.scheduled), (0, 2));
    store
        .write(move |tx| tx.fail_job(id, "gave up"))
        .await
        .expect("failed");
    let f = figures().await;
    assert_eq!((f.pending, f.failed, f.oldest_due_age_ms), (2, 1, 90_000));
    store.close().await;
}

async fn count_on(url: &str, sql: &str) -> i64 {
    let pool = crate::testdb::connect(url).await.expect("pool");
    let n = crate::testdb::query_scalar(sql)
        .fetch_one(&pool)
        .await
        .expect(sql);
    pool.close().await;
    n
}
