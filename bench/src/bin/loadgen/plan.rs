//! What `loadgen` sends: the Nth signed request of a run, a `/wb pressrelease`
//! form or an `event_callback` envelope with a thread question.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;
use serde_json::json;
use wb_bench::{fail, sign, unix_now};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Command,
    Event,
}

/// Everything needed to build the Nth request.
pub struct Plan {
    pub authority: String,
    pub path: String,
    pub secret: String,
    pub kind: Kind,
    pub channel: String,
    pub thread_ts: String,
    pub response_url: String,
    pub tag: String,
    pub base_secs: i64,
    pub next: AtomicU64,
}

impl Plan {
    fn body(&self, n: u64) -> (String, &'static str) {
        match self.kind {
            Kind::Command => (
                format!(
                    "token=benchtoken&team_id=T0001&team_domain=example&channel_id={ch}&channel_name=product\
                     &user_id=U{user:09}&user_name=bench&command=%2Fwb&text=pressrelease%20Load%20idea%20{tag}-{n}\
                     &api_app_id=A123456&is_enterprise_install=false&response_url={url}\
                     &trigger_id=13345224609.{n}.8088930838d88f008e0",
                    ch = self.channel,
                    user = 2147483697 + n % 100,
                    url = self.response_url,
                    tag = form_encode(&self.tag),
                ),
                "application/x-www-form-urlencoded",
            ),
            Kind::Event => {
                let ts = format!(
                    "{}.{:06}",
                    self.base_secs as u64 + n / 1_000_000,
                    n % 1_000_000
                );
                let text = format!("Question {n}?");
                let user = format!("U{:09}", 2147483697 + n % 100);
                let event = json!({
                    "token": "benchtoken",
                    "team_id": "T0001",
                    "context_team_id": "T0001",
                    "api_app_id": "A123456",
                    "event": {
                        "type": "message",
                        "user": user,
                        "text": text,
                        "ts": ts,
                        "thread_ts": self.thread_ts,
                        "parent_user_id": "U0BOT",
                        "client_msg_id": format!("bench-{}-{n}", self.tag),
                        "team": "T0001",
                        "channel": self.channel,
                        "event_ts": ts,
                        "channel_type": "channel",
                        "blocks": [{"type": "rich_text", "block_id": format!("b{n}"), "elements": [
                            {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
                        ]}]
                    },
                    "type": "event_callback",
                    "event_id": format!("Ev{}{n:08}", self.tag),
                    "event_time": unix_now(),
                    "authorizations": [{"enterprise_id": null, "team_id": "T0001", "user_id": "U0BOT",
                                        "is_bot": true, "is_enterprise_install": false}],
                    "is_ext_shared_channel": false
                });
                (event.to_string(), "application/json")
            }
        }
    }

    pub fn request(&self) -> Request<Full<Bytes>> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let (body, content_type) = self.body(n);
        let ts = unix_now().to_string();
        let signature = sign(&self.secret, &ts, body.as_bytes());
        Request::post(self.path.as_str())
            .header(hyper::header::HOST, self.authority.as_str())
            .header(hyper::header::CONTENT_TYPE, content_type)
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", signature)
            .body(Full::new(Bytes::from(body)))
            .unwrap_or_else(|e| fail(&format!("cannot build a request: {e}")))
    }
}

/// Percent-encodes everything but unreserved characters (for a form value).
pub fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
