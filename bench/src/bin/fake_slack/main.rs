//! A fast stand-in for Slack's Web API: every `/api/<method>` answers
//! `{"ok":true,…}` (with a unique `ts` for `chat.postMessage`), any other path
//! (a `response_url`) answers `{"ok":true}`. It remembers the messages posted
//! (bounded) and answers `conversations.history` / `conversations.replies`
//! from them, so a restarted wb can look its posts up.
//!
//! - `GET /stats`: calls per method, as JSON.
//! - `GET /stats/duplicates`: root messages posted, distinct, and those posted
//!   more than once (keyed by `metadata.event_payload.job_id`, else channel +
//!   text).
//!
//! `--post-delay-ms N` answers each `chat.postMessage` N ms late (a slow
//! Slack: what back-pressure is for).
//!
//! `fake-slack [--listen 127.0.0.1:38081] [--threads 1] [--keep 200000] [--post-delay-ms 0]`

mod history;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{json, Value};
use wb_bench::{fail, respond, runtime, serve, unix_now, Flags};

use history::{History, Params};

struct Fake {
    calls: Mutex<BTreeMap<String, u64>>,
    history: Mutex<History>,
    /// How late `chat.postMessage` is answered.
    post_delay: std::time::Duration,
}

/// The query string and a form or JSON body, as one map (the body wins).
fn params(query: Option<&str>, body: &[u8]) -> Params {
    let mut p: Params = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            for (k, v) in map {
                let v = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                p.insert(k, v);
            }
        }
        _ => p.extend(form_urlencoded::parse(body).into_owned()),
    }
    p
}

impl Fake {
    fn count(&self, method: &str) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        match calls.get_mut(method) {
            Some(n) => *n += 1,
            None => {
                calls.insert(method.to_string(), 1);
            }
        }
    }

    fn history(&self) -> MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn answer(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let path = req.uri().path().to_string();
        if req.method() == Method::GET && path == "/stats" {
            let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return respond(200, "application/json", json!(calls).to_string());
        }
        if req.method() == Method::GET && path == "/stats/duplicates" {
            return respond(
                200,
                "application/json",
                self.history().duplicates().to_string(),
            );
        }
        let Some(method) = path.strip_prefix("/api/").map(str::to_string) else {
            self.count("response_url");
            let _ = req.into_body().collect().await;
            return respond(200, "application/json", r#"{"ok":true}"#);
        };
        let query = req.uri().query().map(str::to_string);
        let body = match req.into_body().collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => Bytes::new(),
        };
        self.count(&method);
        if method == "chat.postMessage" && !self.post_delay.is_zero() {
            tokio::time::sleep(self.post_delay).await;
        }
        let answer = match method.as_str() {
            "conversations.history" => self.history().history(&params(query.as_deref(), &body)),
            "conversations.replies" => self.history().replies(&params(query.as_deref(), &body)),
            _ => self.write_method(&method, &body),
        };
        respond(200, "application/json", answer.to_string())
    }

    fn write_method(&self, method: &str, body: &[u8]) -> Value {
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let channel = request["channel"]
            .as_str()
            .unwrap_or("C0000000000")
            .to_string();
        match method {
            "chat.postMessage" => {
                let ts = self.history().post(&request);
                json!({"ok": true, "channel": channel, "ts": ts,
                       "message": {"type": "message", "ts": ts, "user": "U0BOT", "bot_id": "B0BOT",
                                   "text": request["text"]}})
            }
            "chat.update" => {
                self.history().update(&request);
                json!({"ok": true, "channel": channel, "ts": request["ts"], "text": request["text"]})
            }
            "chat.postEphemeral" => json!({"ok": true, "message_ts": self.history().ts()}),
            "conversations.join" => json!({"ok": true, "channel": {"id": channel}}),
            "chat.getPermalink" => {
                json!({"ok": true, "channel": channel, "permalink": "https://example.slack.com/archives/C0/p1"})
            }
            "auth.test" => {
                json!({"ok": true, "user_id": "U0BOT", "bot_id": "B0BOT", "team_id": "T0001"})
            }
            _ => json!({"ok": true}),
        }
    }
}

fn main() {
    let flags = Flags::from_env();
    let listen: SocketAddr = flags
        .get("listen")
        .unwrap_or_else(|| "127.0.0.1:38081".into())
        .parse()
        .unwrap_or_else(|_| fail("--listen must be an address like 127.0.0.1:38081"));
    let threads = flags.parse_or("threads", 1usize);
    let keep = flags.parse_or("keep", 200_000usize);
    let fake = Arc::new(Fake {
        calls: Mutex::new(BTreeMap::new()),
        history: Mutex::new(History::new(keep, unix_now() as u64)),
        post_delay: std::time::Duration::from_millis(flags.parse_or("post-delay-ms", 0u64)),
    });
    runtime(threads).block_on(serve(listen, move |req| {
        let fake = fake.clone();
        async move { fake.answer(req).await }
    }));
}
