//! No secret leaks: the real binary installs a workspace from its page,
//! refreshes its rotating token and does its work, with `RUST_LOG=debug` in
//! both log formats; its whole log, `/metrics`, the exports and `wb teams`
//! are searched for every token, the client secret, the encryption key, the
//! OAuth code and the state — and the database file for every token.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::MockServer;

use super::*;
use crate::fake_oauth::{CLIENT_ID, CLIENT_SECRET};
use crate::helpers::*;
use crate::process::spawn_wb;

/// The secrets of one run, and where each must never appear.
fn assert_clean(secrets: &[(String, &str)], place: &str, text: &str) {
    for (secret, what) in secrets {
        assert!(
            !secret.is_empty() && !text.contains(secret.as_str()),
            "{what} found in {place}"
        );
    }
}

async fn install_use_and_inspect(format: &str) {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let fake = FakeOAuth::mount(&slack).await;
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("wb.db");
    let db_url = format!("sqlite://{}", db_path.display());
    let mut wb = spawn_wb(
        "serve",
        &[
            ("SLACK_BOT_TOKEN", ""),
            ("SLACK_CLIENT_ID", CLIENT_ID),
            ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
            ("WB_PUBLIC_URL", PUBLIC_URL),
            ("WB_ENCRYPTION_KEY", ENCRYPTION_KEY),
            ("WB_LOG_FORMAT", format),
        ],
        "addr",
        &db_url,
        &slack.uri(),
        dir.path(),
        "debug",
    );
    // Install from the page, as a browser does; the token rotates every 3 s.
    let page = read_install_page(get_to(wb.addr, "/slack/install", &[]).await);
    let code = fake.code_for(&acme().rotating(3));
    let cookie = page.cookie();
    let q = serde_urlencoded::to_string([("code", code.as_str()), ("state", page.state.as_str())])
        .expect("query");
    let done = get_to(
        wb.addr,
        &format!("/slack/oauth_redirect?{q}"),
        &[("cookie", cookie.as_str())],
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    // Use it: a session, a question in its thread, a vote.
    let form = serde_urlencoded::to_string([
        ("team_id", TEAM_A),
        ("channel_id", CHANNEL_A),
        ("user_id", USER_A),
        ("command", "/wb"),
        ("text", "pressrelease Leak-proof idea"),
        ("response_url", &format!("{}/response", slack.uri())),
        ("trigger_id", "1.2.3"),
    ])
    .expect("form");
    let ct = "application/x-www-form-urlencoded";
    let answer = raw_to(
        wb.addr,
        "POST",
        "/slack/commands",
        ct,
        form.into_bytes(),
        Signing::Valid,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let pool = crate::testdb::connect(&db_url).await.expect("pool");
    let deadline = Instant::now() + Duration::from_secs(15);
    let root: String = loop {
        let ts: Option<String> = crate::testdb::query_scalar("SELECT thread_ts FROM sessions")
            .fetch_optional(&pool)
            .await
            .expect("read");
        if let Some(ts) = ts {
            break ts;
        }
        assert!(Instant::now() < deadline, "no session: {}", wb.log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let events = [
        reply_in(
            TEAM_A,
            CHANNEL_A,
            USER_A,
            "1763740100.000300",
            &root,
            "Is it safe?",
        ),
        json!({"type": "reaction_added", "user": USER_A, "reaction": "+1",
            "item": {"type": "message", "channel": CHANNEL_A, "ts": "1763740100.000300"}, "event_ts": "1763740300.000600"}),
    ];
    for (i, event) in events.into_iter().enumerate() {
        let body = envelope_in(TEAM_A, &format!("EvLeak{i}"), event).to_string();
        let answer = raw_to(
            wb.addr,
            "POST",
            "/slack/events",
            "application/json",
            body.into_bytes(),
            Signing::Valid,
        )
        .await;
        assert_eq!(answer.status, 200);
    }
    // The token is refreshed by its timer (due 1.5 s after the install).
    let deadline = Instant::now() + Duration::from_secs(15);
    while !fake.grants().iter().any(|(g, _)| g == "refresh_token") {
        assert!(Instant::now() < deadline, "no refresh: {}", wb.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let metrics = get_to(wb.addr, "/metrics", &[]).await.body;
    let _ = wb.terminate(Duration::from_secs(20));
    let log = wb.log();
    assert!(
        log.contains("wb installed") && log.contains("token refreshed"),
        "{log}"
    );

    let mut secrets: Vec<(String, &str)> = fake
        .issued_tokens()
        .into_iter()
        .map(|t| (t, "a token"))
        .collect();
    assert!(secrets.len() >= 3, "tokens issued: {}", secrets.len());
    let key = wb::config::decode_key(ENCRYPTION_KEY).expect("key");
    secrets.extend([
        (CLIENT_SECRET.to_string(), "the client secret"),
        (ENCRYPTION_KEY.to_string(), "the encryption key"),
        (hex::encode(key), "the encryption key (hex)"),
        (code.clone(), "the OAuth code"),
        (page.state.clone(), "the OAuth state"),
    ]);
    assert_clean(&secrets, "the log", &log);
    assert_clean(&secrets, "/metrics", &metrics);
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &db_url)
            .env("RUST_LOG", "debug")
            .output()
            .expect("run wb");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    for args in [
        &["export", "1", "--format", "json"][..],
        &["export", "1", "--format", "md"],
        &["export", "1", "--format", "html"],
        &["teams", "--json"],
        &["teams"],
    ] {
        assert_clean(&secrets, &format!("wb {}", args.join(" ")), &run(args));
    }
    pool.close().await;
    // At rest: the database (and its WAL) holds no token in clear.
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        if entry.file_name().to_string_lossy().starts_with("wb.db") {
            stored.extend(std::fs::read(entry.path()).expect("read db"));
        }
    }
    let stored = String::from_utf8_lossy(&stored);
    let tokens: Vec<(String, &str)> = secrets.iter().take(3).cloned().collect();
    assert_clean(&tokens, "the database file", &stored);
}

#[tokio::test]
async fn no_secret_reaches_json_logs_metrics_or_exports_of_an_install_and_its_use() {
    install_use_and_inspect("json").await;
}

#[tokio::test]
async fn no_secret_reaches_text_logs_metrics_or_exports_of_an_install_and_its_use() {
    install_use_and_inspect("text").await;
}
