//! A refused request (400, 401, 413, 503) leaves one `warn` line in the log of
//! the real binary: route, status, reason and Slack's retry headers, never the
//! body or a secret; a flood is logged within a budget.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use wiremock::MockServer;

use crate::helpers::{now, BOT_TOKEN, SECRET};
use crate::process::{spawn_serve, WbProcess};

const NEEDLE: &str = "TOP-SECRET-BODY-TEXT";
const LINE: &str = "refused a request";

/// POSTs `body` to `path`, signed with `secret` (or a bad signature), with
/// extra headers; the status.
async fn post(
    wb: &WbProcess,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
    secret: Option<&str>,
    extra: &[(&str, &str)],
) -> u16 {
    let ts = now().to_string();
    let sig = match secret {
        Some(secret) => wb::http::signature::sign(secret, &ts, &body),
        None => "v0=0123456789abcdef".to_string(),
    };
    let mut req = http::Request::builder()
        .method("POST")
        .uri(format!("http://{}{path}", wb.addr))
        .header("content-type", content_type)
        .header("x-slack-request-timestamp", ts)
        .header("x-slack-signature", sig);
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(Bytes::from(body))).expect("request");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let res = tokio::time::timeout(Duration::from_secs(15), client.request(req))
        .await
        .expect("answered in time")
        .expect("sent");
    let status = res.status().as_u16();
    let _ = res.into_body().collect().await;
    status
}

/// The log's refusal lines once there are `n` (bounded wait).
fn refusal_lines(wb: &WbProcess, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let lines: Vec<String> = wb
            .log()
            .lines()
            .filter(|l| l.contains(LINE))
            .map(str::to_string)
            .collect();
        if lines.len() >= n || start.elapsed() > Duration::from_secs(10) {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn each_refused_request_is_logged_once_with_route_reason_and_retry_headers_but_never_its_body(
) {
    let slack = MockServer::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let db = crate::testdb::db_url(dir.path());
    let wb = spawn_serve(&db, &slack.uri(), dir.path(), "info");
    let event = format!(
        r#"{{"type":"event_callback","event_id":"Ev1","event":{{"type":"message","text":"{NEEDLE}"}}}}"#
    );
    let interaction = serde_urlencoded::to_string([(
        "payload",
        format!(r#"{{"type":"block_actions","team":{{"id":"T1"}},"user":"{NEEDLE}"}}"#),
    )])
    .expect("form");
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let retry = [
        ("x-slack-retry-num", "2"),
        ("x-slack-retry-reason", "http_timeout"),
    ];

    let statuses = [
        post(
            &wb,
            "/slack/events",
            json,
            event.clone().into_bytes(),
            None,
            &retry,
        )
        .await,
        post(
            &wb,
            "/slack/events",
            json,
            event.into_bytes(),
            Some(SECRET),
            &[],
        )
        .await,
        post(
            &wb,
            "/slack/interactions",
            form,
            interaction.into_bytes(),
            Some(SECRET),
            &[],
        )
        .await,
        post(
            &wb,
            "/slack/commands",
            form,
            vec![b'a'; 1024 * 1024 + 1],
            Some(SECRET),
            &[],
        )
        .await,
    ];

    assert_eq!(statuses, [401, 400, 400, 413]);
    let lines = refusal_lines(&wb, 4);
    assert_eq!(lines.len(), 4, "{}", wb.log());
    let expect = [
        ("/slack/events", "401", "signature does not match"),
        ("/slack/events", "400", "names no workspace"),
        (
            "/slack/interactions",
            "400",
            "malformed block_actions payload: invalid type: string",
        ),
        ("/slack/commands", "413", "body larger than 1 MiB"),
    ];
    for (line, (route, status, reason)) in lines.iter().zip(expect) {
        assert!(line.contains("WARN"), "{line}");
        assert!(line.contains(&format!("route={route}")), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
        assert!(line.contains(reason), "{line}");
    }
    assert!(lines[0].contains("retry_num=2"), "{}", lines[0]);
    assert!(
        lines[0].contains("retry_reason=http_timeout"),
        "{}",
        lines[0]
    );
    let log = wb.log();
    for secret in [NEEDLE, SECRET, BOT_TOKEN, "0123456789abcdef"] {
        assert!(
            !log.contains(secret),
            "{secret} leaked into the log:\n{log}"
        );
    }
}

#[tokio::test]
async fn a_flood_of_refused_requests_cannot_fill_the_log() {
    let slack = MockServer::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let db = crate::testdb::db_url(dir.path());
    let wb = spawn_serve(&db, &slack.uri(), dir.path(), "info");

    for _ in 0..300 {
        let status = post(
            &wb,
            "/slack/events",
            "application/json",
            b"{}".to_vec(),
            None,
            &[],
        )
        .await;
        assert_eq!(status, 401);
    }

    let lines = refusal_lines(&wb, wb::http::refusals::LINES_PER_WINDOW as usize + 1);
    assert_eq!(
        lines.len(),
        wb::http::refusals::LINES_PER_WINDOW as usize,
        "{}",
        wb.log()
    );
}
