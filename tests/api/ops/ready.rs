//! `/readyz` through a drain and with the store gone; the admin address in
//! `wb serve` and `wb socket`.

use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use wb::clock::Clock;
use wb::config::{Config, Mode, Secret};

use super::{fake_socket_mode, poll};
use crate::helpers::*;

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

#[tokio::test]
async fn socket_mode_serves_the_operations_routes_on_the_admin_address() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let ws = fake_socket_mode(&slack).await;
    let dir = tempfile::tempdir().expect("dir");
    let config = Config {
        database_url: crate::testdb::db_url(dir.path()),
        db_tuning: Default::default(),
        signing_secret: Secret::new(""),
        bot_token: Some(Secret::new(BOT_TOKEN)),
        app_token: Some(Secret::new("xapp-test-0000")),
        listen: "127.0.0.1:0".parse().expect("addr"),
        slack_api_url: format!("{}/api", slack.uri()),
        admin_listen: Some("127.0.0.1:0".parse().expect("addr")),
        pacing: true,
        install: None,
        keys: None,
        purge_on_uninstall: false,
        backlog_bound: wb::config::DEFAULT_BACKLOG_BOUND,
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
