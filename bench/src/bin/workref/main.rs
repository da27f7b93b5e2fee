//! `workref`: the minimal program that does the full work wb does for a
//! `/wb pressrelease` command and for a question in a session's thread, so
//! every benchmark run can show wb as a ratio of it (issue 17).
//!
//! A slash command: hyper server → v0 signature → parse the form → the one
//! writer thread stores the session (group commit, WAL, synchronous=NORMAL) →
//! 200 only after COMMIT → `chat.postMessage` of the same root message wb
//! posts, over a keep-alive client → its `ts` recorded through the same writer.
//! A thread `message` event: signature → parse the envelope → the writer looks
//! the thread's session up and stores the question → 200 after COMMIT →
//! `reactions.add`. No outbox, no retries, no dedupe: nothing wb may drop, only
//! what wb does on top.
//!
//! ```text
//! workref --secret S --db PATH --api http://127.0.0.1:N/api [--token xoxb-…]
//!         [--listen 127.0.0.1:3001] [--threads N]
//! ```
//! `--secret`, `--token` and `--api` fall back to `SLACK_SIGNING_SECRET`,
//! `SLACK_BOT_TOKEN` and `SLACK_API_URL`.

mod slack;
mod writer;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::oneshot;
use wb_bench::{fail, respond, runtime, serve, unix_now, verify, Flags};

use slack::{escape_mrkdwn, Api, Call, Calls};
use writer::{Op, Writes};

/// Largest request body accepted (as wb: 413 above 1 MiB).
const MAX_BODY_BYTES: usize = 1024 * 1024;

struct App {
    secret: String,
    writes: Writes,
    calls: Calls,
}

/// The fields of a slash command that the work needs.
#[derive(Deserialize)]
struct CommandForm {
    team_id: String,
    channel_id: String,
    user_id: String,
    text: String,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    challenge: Option<String>,
    event: Option<MessageEvent>,
}

#[derive(Deserialize)]
struct MessageEvent {
    #[serde(rename = "type")]
    kind: String,
    subtype: Option<String>,
    bot_id: Option<String>,
    user: Option<String>,
    text: Option<String>,
    ts: Option<String>,
    thread_ts: Option<String>,
    channel: Option<String>,
}

fn json_reply(body: serde_json::Value) -> Response<Full<Bytes>> {
    respond(200, "application/json", body.to_string())
}

fn ephemeral(text: String) -> Response<Full<Bytes>> {
    json_reply(json!({"response_type": "ephemeral", "text": text}))
}

impl App {
    async fn handle(self: Arc<Self>, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = req.into_parts();
        let path = parts.uri.path();
        if parts.method == Method::GET && path == "/healthz" {
            return respond(200, "text/plain", "ok");
        }
        if parts.method != Method::POST {
            return respond(405, "text/plain", "method not allowed");
        }
        let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => return respond(413, "text/plain", "body too large or cut"),
        };
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        if !verify(
            &self.secret,
            header("x-slack-request-timestamp"),
            header("x-slack-signature"),
            &body,
            unix_now(),
        ) {
            return respond(401, "text/plain", "invalid request signature");
        }
        match path {
            "/slack/commands" => self.command(&body).await,
            "/slack/events" => self.event(&body).await,
            _ => respond(404, "text/plain", "not found"),
        }
    }

    async fn command(&self, body: &[u8]) -> Response<Full<Bytes>> {
        let Ok(form) = serde_urlencoded::from_bytes::<CommandForm>(body) else {
            return respond(400, "text/plain", "malformed slash command");
        };
        let text = form.text.trim();
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let title = rest.trim();
        if !matches!(verb.to_ascii_lowercase().as_str(), "pressrelease" | "pr") || title.is_empty()
        {
            return ephemeral("Usage: `/wb pressrelease <idea>`".into());
        }
        let (reply, answer) = oneshot::channel();
        let op = Op::StartSession {
            team: form.team_id,
            channel: form.channel_id.clone(),
            user: form.user_id.clone(),
            title: title.to_string(),
            reply,
        };
        if self.writes.send(op).is_err() {
            return respond(500, "text/plain", "the writer stopped");
        }
        let session = match answer.await {
            Ok(Ok(id)) => id,
            Ok(Err(e)) => return respond(500, "text/plain", e),
            Err(_) => return respond(500, "text/plain", "the writer stopped"),
        };
        let shown: String = title.chars().take(300).collect();
        self.calls.owe(Call::Root {
            session,
            channel: form.channel_id,
            title: title.to_string(),
            user: form.user_id,
        });
        ephemeral(format!(
            ":memo: Starting a Working Backwards session for *{}*. Its thread is the room: \
             draft the press release, ask questions, vote with :+1:.",
            escape_mrkdwn(&shown)
        ))
    }

    async fn event(&self, body: &[u8]) -> Response<Full<Bytes>> {
        let Ok(envelope) = serde_json::from_slice::<Envelope>(body) else {
            return respond(400, "text/plain", "malformed event");
        };
        if envelope.kind == "url_verification" {
            return json_reply(json!({"challenge": envelope.challenge}));
        }
        let Some(question) = envelope.event.and_then(thread_question) else {
            return respond(200, "text/plain", "");
        };
        let (channel, ts) = (question.channel.clone(), question.ts.clone());
        let (reply, answer) = oneshot::channel();
        let op = Op::Question {
            channel: question.channel,
            thread_ts: question.thread_ts,
            ts: question.ts,
            user: question.user,
            text: question.text,
            reply,
        };
        if self.writes.send(op).is_err() {
            return respond(500, "text/plain", "the writer stopped");
        }
        match answer.await {
            Ok(Ok(true)) => {
                self.calls.owe(Call::Reaction { channel, ts });
                respond(200, "text/plain", "")
            }
            Ok(Ok(false)) => respond(200, "text/plain", ""),
            Ok(Err(e)) => respond(500, "text/plain", e),
            Err(_) => respond(500, "text/plain", "the writer stopped"),
        }
    }
}

/// A question asked by a person in a thread.
struct Question {
    channel: String,
    thread_ts: String,
    ts: String,
    user: String,
    text: String,
}

/// The question in `event`, when it is a person's reply in a thread that ends
/// with `?` or starts with `Q:` / `FAQ:` (the prefix is dropped).
fn thread_question(event: MessageEvent) -> Option<Question> {
    if event.kind != "message" || event.subtype.is_some() || event.bot_id.is_some() {
        return None;
    }
    let (channel, ts, thread_ts, user) = (event.channel?, event.ts?, event.thread_ts?, event.user?);
    if thread_ts == ts {
        return None;
    }
    let text = event.text?;
    let text = text.trim();
    let lower = text.get(..4).unwrap_or(text).to_ascii_lowercase();
    let stripped = if lower.starts_with("q:") {
        Some(&text[2..])
    } else if lower.starts_with("faq:") {
        Some(&text[4..])
    } else {
        None
    };
    let question = match stripped {
        Some(rest) => rest.trim(),
        None if text.ends_with('?') => text,
        None => return None,
    };
    (!question.is_empty()).then(|| Question {
        channel,
        thread_ts,
        ts,
        user,
        text: question.to_string(),
    })
}

fn main() {
    let flags = Flags::from_env();
    let from = |flag: &str, var: &str| flags.get(flag).or_else(|| std::env::var(var).ok());
    let secret = from("secret", "SLACK_SIGNING_SECRET")
        .unwrap_or_else(|| fail("--secret (or SLACK_SIGNING_SECRET) is required"));
    let token = from("token", "SLACK_BOT_TOKEN").unwrap_or_else(|| "xoxb-workref".into());
    let api = from("api", "SLACK_API_URL").unwrap_or_else(|| {
        fail("--api (or SLACK_API_URL) is required, e.g. http://127.0.0.1:38081/api")
    });
    let db = flags
        .get("db")
        .unwrap_or_else(|| fail("--db PATH (the SQLite file) is required"));
    let listen: SocketAddr = flags
        .get("listen")
        .unwrap_or_else(|| "127.0.0.1:3001".into())
        .parse()
        .unwrap_or_else(|_| fail("--listen must be an address like 127.0.0.1:3001"));
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = flags.parse_or("threads", cpus);
    let writes = writer::start(&db).unwrap_or_else(|e| fail(&e));
    runtime(threads).block_on(async move {
        let calls = Calls::start(Api::new(&api, &token), writes.clone());
        let app = Arc::new(App {
            secret,
            writes,
            calls,
        });
        serve(listen, move |req| app.clone().handle(req)).await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(text: &str, thread_ts: Option<&str>) -> MessageEvent {
        MessageEvent {
            kind: "message".into(),
            subtype: None,
            bot_id: None,
            user: Some("U1".into()),
            text: Some(text.into()),
            ts: Some("2.0".into()),
            thread_ts: thread_ts.map(str::to_string),
            channel: Some("C1".into()),
        }
    }

    #[test]
    fn only_questions_in_a_thread_are_taken() {
        let q = thread_question(event("Question 7?", Some("1.0"))).map(|q| q.text);
        assert_eq!(q.as_deref(), Some("Question 7?"));
        let q = thread_question(event("q: how much", Some("1.0"))).map(|q| q.text);
        assert_eq!(q.as_deref(), Some("how much"));
        assert!(thread_question(event("Question 7?", None)).is_none());
        assert!(thread_question(event("Just a remark", Some("1.0"))).is_none());
        assert!(thread_question(event("Q:", Some("1.0"))).is_none());
    }
}
