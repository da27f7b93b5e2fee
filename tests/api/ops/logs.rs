//! The real binary: `wb healthcheck` against `wb socket` with an admin
//! address, and JSON logs parsed line by line.

use std::time::{Duration, Instant};

use serde_json::Value;
use wiremock::MockServer;

use super::{fake_socket_mode, poll};
use crate::faq::reply_event;
use crate::helpers::*;
use crate::process::spawn_wb;

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
    let db_url = crate::testdb::db_url(dir.path());
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
    let db_url = crate::testdb::db_url(dir.path());
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
