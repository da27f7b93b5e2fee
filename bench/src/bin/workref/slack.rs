//! The Web API side of `workref`: the calls owed after acknowledgements, made
//! by 16 tasks (wb's outbox runs 16 jobs at once) over one keep-alive hyper
//! client that POSTs JSON with the bot token; the root message wb posts (a
//! close copy of `src/slack/views/root.rs`, so the outbound bytes are the
//! same). No retries: a failed call is logged and dropped.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::{mpsc, Mutex};

use crate::writer::{Op, Writes};

/// Web API calls in flight at once (wb's outbox runs 16 jobs at once).
const CONCURRENCY: usize = 16;

/// Slack's Web API with one connection pool.
pub struct Api {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    auth: String,
}

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    ts: Option<String>,
    error: Option<String>,
}

impl Api {
    /// `base` is the Web API URL without a trailing slash (`http://127.0.0.1:N/api`).
    pub fn new(base: &str, token: &str) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Self {
            client,
            base: base.trim_end_matches('/').to_string(),
            auth: format!("Bearer {token}"),
        }
    }

    /// POSTs `body` to `method`; the `ts` of the answer, if any.
    pub async fn call(&self, method: &str, body: String) -> Result<Option<String>, String> {
        let req = hyper::Request::post(format!("{}/{method}", self.base))
            .header(hyper::header::AUTHORIZATION, self.auth.as_str())
            .header(
                hyper::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let res = self
            .client
            .request(req)
            .await
            .map_err(|e| format!("{method}: {e}"))?;
        let status = res.status();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("{method}: {e}"))?
            .to_bytes();
        if !status.is_success() {
            return Err(format!("{method}: HTTP {status}"));
        }
        let answer: Answer =
            serde_json::from_slice(&bytes).map_err(|e| format!("{method}: {e}"))?;
        if !answer.ok {
            return Err(format!(
                "{method}: {}",
                answer.error.unwrap_or_else(|| "not ok".into())
            ));
        }
        Ok(answer.ts)
    }
}

/// A Web API call owed after an acknowledgement (a few bytes while queued).
pub enum Call {
    /// A new session's root message; its ts is then recorded.
    Root {
        session: i64,
        channel: String,
        title: String,
        user: String,
    },
    /// The reaction confirming a captured question.
    Reaction { channel: String, ts: String },
}

/// Where handlers queue the calls they owe.
#[derive(Clone)]
pub struct Calls(mpsc::UnboundedSender<Call>);

impl Calls {
    /// Starts the tasks that make the calls (inside a tokio runtime).
    pub fn start(api: Api, writes: Writes) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let rx = Arc::new(Mutex::new(rx));
        let api = Arc::new(api);
        for _ in 0..CONCURRENCY {
            let (api, rx, writes) = (api.clone(), rx.clone(), writes.clone());
            tokio::spawn(async move {
                loop {
                    let next = rx.lock().await.recv().await;
                    let Some(call) = next else { break };
                    make(&api, &writes, call).await;
                }
            });
        }
        Self(tx)
    }

    pub fn owe(&self, call: Call) {
        // The tasks live as long as the runtime: a send cannot fail before.
        let _ = self.0.send(call);
    }
}

async fn make(api: &Api, writes: &Writes, call: Call) {
    match call {
        Call::Root {
            session,
            channel,
            title,
            user,
        } => {
            let body = root_message(&channel, &title, &user, session);
            match api.call("chat.postMessage", body).await {
                Ok(Some(ts)) => {
                    let _ = writes.send(Op::RecordTs { session, ts });
                }
                Ok(None) => eprintln!("workref: session {session}: chat.postMessage gave no ts"),
                Err(e) => eprintln!("workref: session {session}: {e}"),
            }
        }
        Call::Reaction { channel, ts } => {
            let body = json!({"channel": channel, "timestamp": ts, "name": "question"});
            if let Err(e) = api.call("reactions.add", body.to_string()).await {
                eprintln!("workref: {e}");
            }
        }
    }
}

fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `&`, `<` and `>` escaped, as Slack's mrkdwn needs.
pub fn escape_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a JSON string literal (quoted and escaped).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The `chat.postMessage` body of a new session's root message, as wb posts
/// it (same blocks, same text; `bench/fixtures/root_message.json` holds one,
/// which wb's tests compare with its own), written straight to JSON: building
/// a `serde_json::Value` tree first is work the bytes do not need.
pub fn root_message(channel: &str, title: &str, created_by: &str, session: i64) -> String {
    let started = format!(
        "*Working Backwards* session #{session}, started by <@{}>. Press release first, then the FAQ.",
        escape_mrkdwn(created_by)
    );
    let buttons: Vec<String> = BUTTONS
        .iter()
        .map(|(action, text, primary)| {
            let style = if *primary { r#","style":"primary""# } else { "" };
            format!(
                r#"{{"type":"button","action_id":"{action}","text":{{"type":"plain_text","text":"{text}","emoji":true}},"value":"{session}"{style}}}"#
            )
        })
        .collect();
    format!(
        concat!(
            r#"{{"channel":{channel},"text":{text},"blocks":["#,
            r#"{{"type":"header","block_id":"wb_title","text":{{"type":"plain_text","text":{header},"emoji":true}}}},"#,
            r#"{{"type":"section","text":{{"type":"mrkdwn","text":{started}}}}},"#,
            r#"{{"type":"section","block_id":"wb_status","text":{{"type":"mrkdwn","text":{status}}}}},"#,
            r#"{{"type":"section","block_id":"wb_process","text":{{"type":"mrkdwn","text":{process}}}}},"#,
            r#"{{"type":"context","elements":[{{"type":"mrkdwn","text":{help}}}]}},"#,
            r#"{{"type":"actions","block_id":"wb_actions","elements":[{buttons}]}}"#,
            r#"],"unfurl_links":false,"unfurl_media":false}}"#
        ),
        channel = quoted(channel),
        text = quoted(&truncate_chars(
            &format!("Working Backwards: {}", escape_mrkdwn(title)),
            3000
        )),
        header = quoted(&truncate_chars(title, 150)),
        started = quoted(&started),
        status = quoted(STATUS),
        process = quoted(PROCESS),
        help = quoted(HELP),
        buttons = buttons.join(","),
    )
}

/// The root message's buttons: action id, label, primary.
const BUTTONS: [(&str, &str, bool); 7] = [
    ("wb_draft_pr", "Draft press release", true),
    ("wb_ask", "Ask a question", false),
    ("wb_answer", "Answer questions", false),
    ("wb_export", "Export", false),
    ("wb_review", "Review", false),
    ("wb_decide", "Decide", false),
    ("wb_triage", "Triage", false),
];

const STATUS: &str = "_No press release yet — click *Draft press release* or reply `PR: …`._\n\
                      :memo: 0 drafts · :question: 0 questions\n\
                      :bar_chart: *Internal FAQ:* no Customer, Solution, Economics or Risks questions yet — \
                      ask `IQ: …` about the customer, the solution, economics and risks.";

const PROCESS: &str =
    ":bookmark: *Drafting* — when the draft is ready, click *Review* to schedule the meeting";

const HELP: &str = "*Reply in this thread:* end a question with `?` (or start it with `Q:`) for the customer FAQ, \
     `IQ:` for an internal question, `PR:` for a press-release draft, `CX:` for a customer story, \
     `Concept:` / `How-to:` / `Reference:` for the user manual. React :+1: to a question to vote for it.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_message_is_the_one_wb_posts() {
        let fixture = include_str!("../../../fixtures/root_message.json");
        let body = root_message("C2147483705", "Bench thread session", "U2147483697", 1);
        assert_eq!(body, fixture.trim_end());
    }

    #[test]
    fn the_root_message_escapes_what_it_quotes() {
        let body = root_message("C1", "Fridge <cam> \"2\"", "U1", 7);
        let v: serde_json::Value = serde_json::from_str(&body).expect("valid JSON");
        assert_eq!(v["channel"], "C1");
        assert_eq!(v["text"], "Working Backwards: Fridge &lt;cam&gt; \"2\"");
        assert_eq!(v["blocks"][0]["text"]["text"], "Fridge <cam> \"2\"");
        assert_eq!(v["blocks"][5]["elements"][0]["value"], "7");
        assert_eq!(v["blocks"][5]["elements"][0]["style"], "primary");
        assert_eq!(v["blocks"][5]["elements"][6]["action_id"], "wb_triage");
        assert_eq!(v["unfurl_media"], false);
    }
}
