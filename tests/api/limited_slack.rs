//! A fake Slack that rate-limits like the real one is documented to: posts
//! into one channel (chat.postMessage, chat.postEphemeral, chat.update) get
//! 429 with `Retry-After: 1` when more than one per second arrives after a
//! burst of three (a bucket of 3 refilled at 1/s per channel); optionally
//! reactions.add gets Tier 3 (a bucket of 50 refilled at 50/min per
//! workspace). Time comes from a `wb::clock::Clock`, so a test with a
//! `ManualClock` is exact. It counts what it accepted and refused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use wb::clock::Clock;

/// A token bucket: `capacity` at once, refilled at `per_ms`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

#[derive(Default)]
pub struct Tally {
    /// Accepted calls: (method, channel, clock ms, text).
    pub accepted: Mutex<Vec<(String, String, i64, String)>>,
    /// Refused calls: (method, clock ms).
    pub refused: Mutex<Vec<(String, i64)>>,
}

impl Tally {
    pub fn refused(&self) -> usize {
        self.refused.lock().map(|r| r.len()).unwrap_or_default()
    }

    pub fn accepted(&self, wanted: &str) -> Vec<(String, i64, String)> {
        self.accepted
            .lock()
            .map(|a| {
                a.iter()
                    .filter(|(m, ..)| m == wanted)
                    .map(|(_, c, t, x)| (c.clone(), *t, x.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub struct LimitedSlack {
    clock: Clock,
    tier3_reactions: bool,
    channels: Mutex<HashMap<String, Bucket>>,
    reactions: Mutex<Option<Bucket>>,
    next_ts: AtomicU64,
    pub tally: Arc<Tally>,
}

impl LimitedSlack {
    /// Mounts the limited methods on `slack` (reactions.add too), and plain
    /// answers for the rest of what wb calls.
    pub async fn mount(slack: &MockServer, clock: Clock, tier3_reactions: bool) -> Arc<Tally> {
        let tally = Arc::new(Tally::default());
        let fake = Arc::new(LimitedSlack {
            clock,
            tier3_reactions,
            channels: Mutex::new(HashMap::new()),
            reactions: Mutex::new(None),
            next_ts: AtomicU64::new(100),
            tally: tally.clone(),
        });
        for m in [
            "chat.postMessage",
            "chat.postEphemeral",
            "chat.update",
            "reactions.add",
        ] {
            Mock::given(method("POST"))
                .and(path(format!("/api/{m}")))
                .respond_with(Shared(fake.clone()))
                .mount(slack)
                .await;
        }
        for m in [
            "conversations.join",
            "views.open",
            "views.update",
            "views.publish",
        ] {
            Mock::given(method("POST"))
                .and(path(format!("/api/{m}")))
                .respond_with(crate::helpers::ok())
                .mount(slack)
                .await;
        }
        Mock::given(method("POST"))
            .and(path("/response"))
            .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
            .mount(slack)
            .await;
        tally
    }

    fn take(bucket: &mut Bucket, now: i64, capacity: f64, per_ms: f64) -> bool {
        bucket.tokens = (bucket.tokens + (now - bucket.at_ms) as f64 * per_ms).min(capacity);
        bucket.at_ms = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn answer(&self, request: &Request) -> ResponseTemplate {
        let m = request.url.path().trim_start_matches("/api/").to_string();
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let channel = body["channel"].as_str().unwrap_or_default().to_string();
        let now = self.clock.unix_ms();
        let allowed = if m == "reactions.add" {
            !self.tier3_reactions || {
                let mut r = self.reactions.lock().expect("lock");
                let b = r.get_or_insert(Bucket {
                    tokens: 50.0,
                    at_ms: now,
                });
                Self::take(b, now, 50.0, 50.0 / 60_000.0)
            }
        } else {
            let mut chans = self.channels.lock().expect("lock");
            let b = chans.entry(channel.clone()).or_insert(Bucket {
                tokens: 3.0,
                at_ms: now,
            });
            Self::take(b, now, 3.0, 1.0 / 1_000.0)
        };
        if !allowed {
            if let Ok(mut r) = self.tally.refused.lock() {
                r.push((m.clone(), now));
            }
            return ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"}));
        }
        let text = body["text"].as_str().unwrap_or_default().to_string();
        if let Ok(mut a) = self.tally.accepted.lock() {
            a.push((m.clone(), channel, now, text));
        }
        if m == "chat.postMessage" {
            let n = self.next_ts.fetch_add(1, Ordering::SeqCst);
            let ts = format!("1763739000.{n:06}");
            ResponseTemplate::new(200).set_body_json(json!({
                "ok": true, "channel": body["channel"], "ts": ts,
                "message": {"ts": ts, "text": body["text"]},
            }))
        } else {
            crate::helpers::ok()
        }
    }
}

struct Shared(Arc<LimitedSlack>);

impl Respond for Shared {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.answer(request)
    }
}
