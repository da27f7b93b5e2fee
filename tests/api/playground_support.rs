//! Helpers of the playground tests: a playground on port 0 with a temp
//! database, the page's actions and state over HTTP, and polling with a deadline.

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use wb::playground::{Options, Playground};

pub const YOU: &str = "U0PLAYYOU1";
pub const LI: &str = "U0PLAYLI01";
pub const SAM: &str = "U0PLAYSAM1";

/// A playground on port 0 with its own temp directory.
pub struct Pg {
    pub pg: Playground,
    pub dir: tempfile::TempDir,
}

pub async fn start() -> Pg {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: crate::testdb::db_url_named(dir.path(), "playground.db"),
        state_file: Some(dir.path().join("playground.db.slack.json")),
    };
    let pg = Playground::start(options).await.expect("playground starts");
    Pg { pg, dir }
}

/// Waits (up to 15 s) until `check` returns `Some`.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// An HTTP request to the playground; status and body.
pub async fn request(
    pg: &Pg,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, String) {
    let mut req = http::Request::builder()
        .method(method)
        .uri(format!("http://{}{path}", pg.pg.addr));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(Bytes::from(body))).expect("request");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let res = tokio::time::timeout(Duration::from_secs(15), client.request(req))
        .await
        .expect("in time")
        .expect("sent");
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A page action as `user`.
pub async fn ui(pg: &Pg, action: &str, user: &str, body: Value) -> Value {
    let mut body = body;
    body["user"] = json!(user);
    let (status, text) = request(
        pg,
        "POST",
        &format!("/ui/{action}"),
        &[("content-type", "application/json")],
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("JSON answer")
}

/// What the page shows `user`.
pub async fn state(pg: &Pg, user: &str) -> Value {
    let (status, text) = request(pg, "GET", &format!("/ui/state?user={user}"), &[], vec![]).await;
    assert_eq!(status, 200);
    serde_json::from_str(&text).expect("JSON state")
}

pub fn messages(state: &Value) -> Vec<Value> {
    state["messages"].as_array().cloned().unwrap_or_default()
}

/// The first message (as `user` sees it) whose text contains `needle`.
pub async fn wait_message(pg: &Pg, user: &str, needle: &str) -> Value {
    eventually(needle, || async {
        messages(&state(pg, user).await)
            .into_iter()
            .find(|m| m["text"].as_str().is_some_and(|t| t.contains(needle)))
    })
    .await
}

/// The doc set wb stored for the `nth` session started (1: the first), as
/// JSON. By rank, not number: on PostgreSQL a number reserved by a write that
/// was rolled back (and run again) is not handed out again, so numbers may
/// skip.
pub async fn docset(pg: &Pg, nth: i64) -> Value {
    let store = pg.pg.wb.state.store.clone();
    let d = store
        .read(move |tx| {
            let mut ids: Vec<i64> = tx.list_sessions()?.iter().map(|s| s.session.id).collect();
            ids.sort_unstable();
            match ids.get(usize::try_from(nth - 1).unwrap_or(usize::MAX)) {
                Some(id) => tx.docset(*id),
                None => Ok(None),
            }
        })
        .await
        .expect("read")
        .expect("session");
    serde_json::to_value(d).expect("json")
}

/// `/wb pressrelease <idea>` as You; the root message.
pub async fn start_session(pg: &Pg, idea: &str) -> Value {
    let r = ui(
        pg,
        "message",
        YOU,
        json!({"text": format!("/wb pressrelease {idea}")}),
    )
    .await;
    assert_eq!(r["ok"], true, "{r}");
    wait_message(pg, YOU, &format!("Working Backwards: {idea}")).await
}

pub fn button_names(m: &Value) -> Vec<String> {
    m["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["type"] == "button")
        .filter_map(|e| e["text"]["text"].as_str().map(str::to_string))
        .collect()
}

/// Clicks the root message's button `action_id` as `user`.
pub async fn click(pg: &Pg, user: &str, root: &Value, action_id: &str) -> Value {
    ui(pg, "action", user, json!({"source": {"kind": "message", "ts": root["ts"]}, "block_id": "wb_actions", "action_id": action_id, "value": null})).await
}

/// The modal `user` has open, once it is open.
pub async fn modal(pg: &Pg, user: &str) -> Value {
    eventually("a modal", || async {
        Some(state(pg, user).await["modal"].clone()).filter(|m| !m.is_null())
    })
    .await
}
