//! The parts of the fake Slack that keep state like the real one: posted
//! messages (with their thread and metadata), and `conversations.history` /
//! `conversations.replies` answered from them — what wb's crash recovery
//! looks at.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::{Request, Respond, ResponseTemplate};

/// Every message the fake accepted, oldest first.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Value>>>);

impl Log {
    pub fn messages(&self) -> Vec<Value> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }

    pub fn push(&self, message: Value) {
        if let Ok(mut m) = self.0.lock() {
            m.push(message);
        }
    }
}

/// Called with each accepted post before the answer goes back (a crash hook).
pub type Hook = Arc<dyn Fn(&Value) + Send + Sync>;

/// Answers `chat.postMessage` with a fresh `ts` each time, like Slack, and
/// records the message.
pub struct PostMessage {
    next: AtomicU64,
    base_secs: u64,
    delay: Duration,
    pub log: Log,
    hook: Option<Hook>,
}

impl PostMessage {
    /// `ts` values `1763739000.000100`, `…101`, …: stable for assertions.
    pub fn new() -> Self {
        Self::delayed(Duration::ZERO)
    }

    pub fn delayed(delay: Duration) -> Self {
        Self {
            next: AtomicU64::new(100),
            base_secs: 1_763_739_000,
            delay,
            log: Log::default(),
            hook: None,
        }
    }

    /// `ts` values from the current time, as Slack makes them (needed when
    /// wb searches history since a recent moment).
    pub fn now_based(log: Log) -> Self {
        Self {
            base_secs: crate::helpers::now() as u64,
            log,
            ..Self::new()
        }
    }

    /// Runs `hook` on each accepted post, then answers after `delay`.
    pub fn with_hook(mut self, hook: Hook, delay: Duration) -> Self {
        self.hook = Some(hook);
        self.delay = delay;
        self
    }
}

impl Respond for PostMessage {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let ts = format!("{}.{n:06}", self.base_secs);
        let mut message =
            json!({"type": "message", "ts": ts, "text": body["text"], "bot_id": "B0BOT"});
        for key in ["channel", "thread_ts", "metadata", "blocks"] {
            if !body[key].is_null() {
                message[key] = body[key].clone();
            }
        }
        self.log.push(message.clone());
        if let Some(hook) = &self.hook {
            hook(&message);
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "ok": true,
                "channel": body["channel"],
                "ts": ts,
                "message": {"ts": ts, "text": body["text"]},
            }))
            .set_delay(self.delay)
    }
}

/// `conversations.history` (top-level messages, newest first) and
/// `conversations.replies` (a thread, oldest first) from a [`Log`], with
/// `oldest`, `include_all_metadata`, `limit` and `cursor` honoured.
pub struct History(pub Log);

impl Respond for History {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = |key: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        let Some(channel) = q("channel") else {
            return error("channel_not_found");
        };
        let oldest: f64 = q("oldest").and_then(|o| o.parse().ok()).unwrap_or(0.0);
        let metadata = q("include_all_metadata").as_deref() == Some("true");
        let limit: usize = q("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(100)
            .max(1);
        let start: usize = q("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
        let thread = q("ts");
        let ts_of = |m: &Value| {
            m["ts"]
                .as_str()
                .and_then(|t| t.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let mut messages: Vec<Value> = self
            .0
            .messages()
            .into_iter()
            .filter(|m| m["channel"] == channel.as_str() && ts_of(m) >= oldest)
            .filter(|m| match &thread {
                Some(t) => m["thread_ts"] == t.as_str() || m["ts"] == t.as_str(),
                None => m["thread_ts"].is_null(),
            })
            .map(|mut m| {
                if !metadata {
                    m.as_object_mut().map(|o| o.remove("metadata"));
                }
                m
            })
            .collect();
        if thread.is_none() {
            messages.reverse();
        }
        let page: Vec<Value> = messages.iter().skip(start).take(limit).cloned().collect();
        let next = start + page.len();
        let cursor = if next < messages.len() {
            next.to_string()
        } else {
            String::new()
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "messages": page,
            "has_more": !cursor.is_empty(),
            "response_metadata": {"next_cursor": cursor},
        }))
    }
}

fn error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": code}))
}
