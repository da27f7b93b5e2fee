//! A fast stand-in for Slack's Web API: every `/api/<method>` answers
//! `{"ok":true,…}` (with a unique `ts` for `chat.postMessage`), any other path
//! (a `response_url`) answers `{"ok":true}`, and `GET /stats` returns the number
//! of calls per method as JSON.
//!
//! `fake-slack [--listen 127.0.0.1:38081] [--threads 1]`

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{json, Value};
use wb_bench::{fail, respond, runtime, serve, unix_now, Flags};

struct Fake {
    calls: Mutex<BTreeMap<String, u64>>,
    next_ts: AtomicU64,
    base_secs: u64,
}

impl Fake {
    fn count(&self, method: &str) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        *calls.entry(method.to_string()).or_default() += 1;
    }

    /// A message ts no other answer of this process has used.
    fn ts(&self) -> String {
        let n = self.next_ts.fetch_add(1, Ordering::Relaxed);
        format!("{}.{:06}", self.base_secs + n / 1_000_000, n % 1_000_000)
    }

    async fn answer(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let path = req.uri().path().to_string();
        if req.method() == Method::GET && path == "/stats" {
            let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return respond(200, "application/json", json!(calls).to_string());
        }
        let Some(method) = path.strip_prefix("/api/").map(str::to_string) else {
            self.count("response_url");
            let _ = req.into_body().collect().await;
            return respond(200, "application/json", r#"{"ok":true}"#);
        };
        let body = match req.into_body().collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => Bytes::new(),
        };
        self.count(&method);
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let channel = request["channel"]
            .as_str()
            .unwrap_or("C0000000000")
            .to_string();
        let answer = match method.as_str() {
            "chat.postMessage" => {
                let ts = self.ts();
                json!({"ok": true, "channel": channel, "ts": ts,
                       "message": {"type": "message", "ts": ts, "user": "U0BOT", "bot_id": "B0BOT",
                                   "text": request["text"]}})
            }
            "chat.update" => {
                json!({"ok": true, "channel": channel, "ts": request["ts"], "text": request["text"]})
            }
            "chat.postEphemeral" => json!({"ok": true, "message_ts": self.ts()}),
            "conversations.join" => json!({"ok": true, "channel": {"id": channel}}),
            "chat.getPermalink" => {
                json!({"ok": true, "channel": channel, "permalink": "https://example.slack.com/archives/C0/p1"})
            }
            "auth.test" => {
                json!({"ok": true, "user_id": "U0BOT", "bot_id": "B0BOT", "team_id": "T0001"})
            }
            _ => json!({"ok": true}),
        };
        respond(200, "application/json", answer.to_string())
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
    let fake = Arc::new(Fake {
        calls: Mutex::new(BTreeMap::new()),
        next_ts: AtomicU64::new(1),
        base_secs: unix_now() as u64,
    });
    runtime(threads).block_on(serve(listen, move |req| {
        let fake = fake.clone();
        async move { fake.answer(req).await }
    }));
}
