//! Operating wb: `/metrics` after a known sequence, `/readyz` through a drain
//! and a broken store, the admin address in both modes, `wb healthcheck`,
//! JSON logs with span fields and access lines, and no secret in either.

use std::time::{Duration, Instant};

use futures_util::SinkExt;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use wb::clock::{Clock, ManualClock};
use wb::config::{Config, Mode, Secret};
use wb::jobs::Job;
use wb::store::outbox::{OutboxFigures, Schedule};

use crate::faq::reply_event;
use crate::helpers::*;
use crate::process::spawn_wb;

async fn poll<F, Fut>(what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !cond().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

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
    let url = format!("sqlite://{}", dir.path().join("wb.db").display());
    let manual = ManualClock::new("2026-12-01T09:00:00Z".parse().expect("ts"));
    let store = wb::store::Store::open(&url, manual.clock())
        .await
        .expect("store");
    let post = || Job::call("chat.postMessage", json!({"channel": CHANNEL, "text": "x"}));
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
    let pool = sqlx::SqlitePool::connect(url).await.expect("pool");
    let n = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
    pool.close().await;
    n
}

#[tokio::test]
async fn readyz_turns_503_while_draining_and_the_admin_address_serves_only_operations() {
    let slack = MockServer::start().await;
    // The root post takes 3 s: the worker drains it at shutdown.
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(PostMessage::delayed(Duration::from_secs(3)))
        .mount(&slack)
        .await;
    mount_defaults(&slack).await;
    let app = start(
        slack,
        Options {
            admin: true,
            ..Options::default()
        },
    )
    .await;
    let admin = app.admin.expect("admin address");

    let ready = app.admin_get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert!(ready.body.starts_with("ready\n"), "{}", ready.body);
    for line in ["database: ok", "writer: ok", "worker: ok", "draining: no"] {
        assert!(ready.body.contains(line), "{}", ready.body);
    }
    assert_eq!(app.admin_get("/healthz").await.status, 200);
    assert!(app
        .admin_get("/metrics")
        .await
        .body
        .contains("wb_build_info"));
    assert_eq!(app.get("/readyz").await.status, 200);
    let on_admin = raw_to(
        admin,
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        app.command_body("help"),
        Signing::Valid,
    )
    .await;
    assert_eq!(on_admin.status, 404, "Slack routes stay on WB_LISTEN");

    assert_eq!(app.command("pressrelease Slow post").await.status, 200);
    poll("the root post to be running", || async {
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE claimed_by IS NOT NULL",
        )
        .await
            == 1
    })
    .await;
    let stopping = tokio::spawn(app.stop());
    let deadline = Instant::now() + Duration::from_secs(5);
    let drained = loop {
        let answer = raw_to(
            admin,
            "GET",
            "/readyz",
            "text/plain",
            Vec::new(),
            Signing::Missing,
        )
        .await;
        if answer.status == 503 {
            break answer.body;
        }
        assert!(Instant::now() < deadline, "/readyz never said draining");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        drained.starts_with("not ready\n") && drained.contains("draining: yes"),
        "{drained}"
    );
    tokio::time::timeout(Duration::from_secs(20), stopping)
        .await
        .expect("stopped in time")
        .expect("stop task");
    assert!(
        tokio::net::TcpStream::connect(admin).await.is_err(),
        "the admin server stops last, with the rest"
    );
}

#[tokio::test]
async fn readyz_is_503_when_the_database_writer_is_gone() {
    let app = spawn_app_with(Options {
        admin: true,
        ..Options::default()
    })
    .await;
    assert_eq!(app.admin_get("/readyz").await.status, 200);
    app.state.store.close().await;
    let answer = app.admin_get("/readyz").await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("writer: stopped"), "{}", answer.body);
    assert!(
        answer.body.contains("database: not answering"),
        "{}",
        answer.body
    );
    assert_eq!(app.get("/healthz").await.status, 503);
    app.stop().await;
}

/// A fake Socket Mode endpoint: `apps.connections.open` names a websocket
/// that greets every connection with `hello` and keeps it open.
async fn fake_socket_mode(slack: &MockServer) -> tokio::task::JoinHandle<()> {
    let ws = TcpListener::bind("127.0.0.1:0").await.expect("bind ws");
    let url = format!("ws://{}/link", ws.local_addr().expect("addr"));
    Mock::given(method("POST"))
        .and(path("/api/apps.connections.open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "url": url})))
        .mount(slack)
        .await;
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = ws.accept().await {
            if let Ok(mut conn) = tokio_tungstenite::accept_async(stream).await {
                let _ = conn.send(crate::socket::hello()).await;
                open.push(conn);
            }
        }
    })
}

#[tokio::test]
async fn socket_mode_serves_the_operations_routes_on_the_admin_address() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let ws = fake_socket_mode(&slack).await;
    let dir = tempfile::tempdir().expect("dir");
    let config = Config {
        database_url: format!("sqlite://{}", dir.path().join("wb.db").display()),
        signing_secret: Secret::new(""),
        bot_token: Secret::new(BOT_TOKEN),
        app_token: Some(Secret::new("xapp-test-0000")),
        listen: "127.0.0.1:0".parse().expect("addr"),
        slack_api_url: format!("{}/api", slack.uri()),
        admin_listen: Some("127.0.0.1:0".parse().expect("addr")),
        pacing: true,
    };
    let running = wb::startup::start(config, Mode::Socket, Clock::system())
        .await
        .expect("wb socket starts");
    assert_eq!(running.addr, None, "no Slack HTTP routes in Socket Mode");
    let admin = running.admin_addr.expect("admin address");
    let get = |p: &'static str| raw_to(admin, "GET", p, "text/plain", Vec::new(), Signing::Missing);
    let ready = get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(get("/healthz").await.status, 200);
    let metrics = get("/metrics").await;
    assert!(
        metrics.body.contains("wb_outbox_pending_jobs 0"),
        "{}",
        metrics.body
    );
    assert_eq!(get("/slack/events").await.status, 404);
    running.stop().await;
    ws.abort();
}

/// `wb healthcheck` in the container's way: asks WB_ADMIN_LISTEN.
fn healthcheck(admin: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
        .arg("healthcheck")
        .env_clear()
        .env("WB_ADMIN_LISTEN", admin)
        .output()
        .expect("run wb healthcheck")
}

#[tokio::test]
async fn wb_socket_with_an_admin_address_passes_wb_healthcheck_until_stopped() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let ws = fake_socket_mode(&slack).await;
    let dir = tempfile::tempdir().expect("dir");
    let db_url = format!("sqlite://{}", dir.path().join("wb.db").display());
    let mut wb = spawn_wb(
        "socket",
        &[
            ("SLACK_APP_TOKEN", "xapp-test-0000"),
            ("WB_ADMIN_LISTEN", "127.0.0.1:0"),
        ],
        "admin_addr",
        &db_url,
        &slack.uri(),
        dir.path(),
        "info",
    );
    let admin = wb.addr.to_string();
    let ok = tokio::task::spawn_blocking({
        let admin = admin.clone();
        move || healthcheck(&admin)
    })
    .await
    .expect("healthcheck");
    let said = String::from_utf8_lossy(&ok.stdout).to_string();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{said} {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(said.starts_with("ready\n"), "{said}");
    let _ = wb.terminate(Duration::from_secs(20));
    let down = tokio::task::spawn_blocking(move || healthcheck(&admin))
        .await
        .expect("healthcheck");
    assert_eq!(down.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&down.stderr).contains("cannot reach wb"));
    ws.abort();
}

#[tokio::test]
async fn json_logs_parse_line_by_line_with_span_fields_access_lines_and_no_secret() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let dir = tempfile::tempdir().expect("dir");
    let db_url = format!("sqlite://{}", dir.path().join("wb.db").display());
    let mut wb = spawn_wb(
        "serve",
        &[("WB_LOG_FORMAT", "json")],
        "addr",
        &db_url,
        &slack.uri(),
        dir.path(),
        "info",
    );
    let form = command_form(
        "pressrelease Json zebra idea",
        &format!("{}/response", slack.uri()),
    );
    let post = |p: &'static str, ct: &'static str, body: Vec<u8>, signing| {
        raw_to(wb.addr, "POST", p, ct, body, signing)
    };
    let form_ct = "application/x-www-form-urlencoded";
    assert_eq!(
        post("/slack/commands", form_ct, form.clone(), Signing::Valid)
            .await
            .status,
        200
    );
    assert_eq!(
        post("/slack/commands", form_ct, form, Signing::Garbage)
            .await
            .status,
        401
    );
    let pool = sqlx::SqlitePool::connect(&db_url).await.expect("pool");
    let deadline = Instant::now() + Duration::from_secs(15);
    let root: String = loop {
        let ts: Option<String> = sqlx::query_scalar("SELECT thread_ts FROM sessions")
            .fetch_optional(&pool)
            .await
            .expect("read");
        if let Some(ts) = ts {
            break ts;
        }
        assert!(Instant::now() < deadline, "the session was never stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let event = envelope(
        "EvJson1",
        reply_event("1763740100.000300", &root, USER, "Does the zebra log?"),
    );
    assert_eq!(
        post(
            "/slack/events",
            "application/json",
            event.to_string().into_bytes(),
            Signing::Valid
        )
        .await
        .status,
        200
    );
    poll("the reaction", || async {
        slack
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .any(|r| r.url.path() == "/api/reactions.add")
    })
    .await;
    pool.close().await;
    let _ = wb.terminate(Duration::from_secs(15));

    let log = wb.log();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object ({e}): {l}"))
        })
        .collect();
    let find = |what: &str, pred: &dyn Fn(&Value) -> bool| -> Value {
        lines
            .iter()
            .find(|l| pred(l))
            .cloned()
            .unwrap_or_else(|| panic!("no {what} line in:\n{log}"))
    };
    let command = find("command access", &|l| {
        l["message"] == "request" && l["route"] == "/slack/commands" && l["status"] == 200
    });
    assert_eq!(command["level"], "INFO");
    assert_eq!(command["http_method"], "POST");
    assert_eq!(command["team"], TEAM);
    assert_eq!(command["channel"], CHANNEL);
    assert_eq!(command["user"], USER);
    assert!(command["latency_ms"].as_f64().is_some(), "{command}");
    find("refused access", &|l| {
        l["message"] == "request" && l["status"] == 401
    });
    let event = find("event access", &|l| {
        l["message"] == "request" && l["route"] == "/slack/events"
    });
    assert_eq!(
        (event["team"].as_str(), event["user"].as_str()),
        (Some(TEAM), Some(USER))
    );
    assert_eq!(event["channel"], CHANNEL);
    let job = find("job", &|l| l["message"] == "session started");
    assert!(job["job"].as_i64().is_some(), "{job}");
    assert_eq!(job["method"], "start_session");
    assert_eq!(job["channel"], CHANNEL);
    for private in [SECRET, BOT_TOKEN, "zebra"] {
        assert!(!log.contains(private), "`{private}` in the log:\n{log}");
    }
}
