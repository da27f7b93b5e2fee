//! The emulator's way to wb: every request is signed exactly as Slack signs
//! (v0 HMAC over `v0:{timestamp}:{body}`) and sent over HTTP to wb's own
//! routes. Slash commands and interactions wait for wb's answer (Slack gives
//! an app 3 seconds); events go through one queue, in order, and a failed
//! delivery is retried as Slack retries (at once, after 1 and 5 minutes).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::http::signature;

/// Slack waits this long for an app's answer.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(3);
/// Slack's retries of a failed event delivery.
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(60),
    Duration::from_secs(300),
];
/// Events waiting for delivery; past this a new one is dropped (and logged).
const QUEUE: usize = 10_000;
/// Largest answer read from wb.
const MAX_ANSWER: usize = 1024 * 1024;

/// What wb answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }
}

/// Why Slack could not get an answer: shown as Slack shows it.
pub type Failure = &'static str;

struct Inner {
    addr: SocketAddr,
    secret: String,
    client: Client<HttpConnector, Full<Bytes>>,
    queue: mpsc::Sender<Value>,
}

/// A handle on the wb the playground runs.
#[derive(Clone)]
pub struct Wb {
    inner: Arc<Inner>,
}

impl Wb {
    /// Starts the event queue; it ends when `shutdown` turns true.
    pub fn start(addr: SocketAddr, secret: String, shutdown: watch::Receiver<bool>) -> Self {
        let (queue, rx) = mpsc::channel(QUEUE);
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let wb = Self {
            inner: Arc::new(Inner {
                addr,
                secret,
                client,
                queue,
            }),
        };
        tokio::spawn(deliver_events(wb.clone(), rx, shutdown));
        wb
    }

    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// A slash command (form body) to `/slack/commands`.
    pub async fn command(&self, form: String) -> Result<Answer, Failure> {
        self.send(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            form.into_bytes(),
            None,
        )
        .await
    }

    /// An interaction payload to `/slack/interactions` (form field `payload`).
    pub async fn interaction(&self, payload: &Value) -> Result<Answer, Failure> {
        let form = serde_urlencoded::to_string([("payload", payload.to_string())])
            .map_err(|_| "dispatch_failed")?;
        self.send(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            form.into_bytes(),
            None,
        )
        .await
    }

    /// Queues an Events API envelope for `/slack/events`.
    pub fn event(&self, envelope: Value) {
        if let Err(err) = self.inner.queue.try_send(envelope) {
            tracing::warn!(%err, "playground: event queue full; an event was dropped");
        }
    }

    /// Signs `body` with the current time and POSTs it to wb.
    pub async fn send(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        retry: Option<usize>,
    ) -> Result<Answer, Failure> {
        let ts = jiff::Timestamp::now().as_second().to_string();
        let sig = signature::sign(&self.inner.secret, &ts, &body);
        let mut req = http::Request::builder()
            .method("POST")
            .uri(format!("http://{}{path}", self.inner.addr))
            .header("content-type", content_type)
            .header("user-agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig);
        if let Some(n) = retry {
            req = req
                .header("x-slack-retry-num", n.to_string())
                .header("x-slack-retry-reason", "http_error");
        }
        let req = req
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| "dispatch_failed")?;
        let call = async {
            let res = self
                .inner
                .client
                .request(req)
                .await
                .map_err(|_| "dispatch_failed")?;
            let status = res.status().as_u16();
            let body = http_body_util::Limited::new(res.into_body(), MAX_ANSWER)
                .collect()
                .await
                .map_err(|_| "dispatch_failed")?
                .to_bytes();
            Ok(Answer {
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            })
        };
        tokio::time::timeout(ACK_TIMEOUT, call)
            .await
            .unwrap_or(Err("operation_timeout"))
    }
}

async fn post_event(wb: &Wb, envelope: &Value, retry: Option<usize>) -> bool {
    let body = envelope.to_string().into_bytes();
    match wb
        .send("/slack/events", "application/json", body, retry)
        .await
    {
        Ok(answer) if answer.ok() => true,
        Ok(answer) => {
            tracing::info!(status = answer.status, "playground: wb refused an event");
            false
        }
        Err(err) => {
            tracing::info!(err, "playground: could not deliver an event");
            false
        }
    }
}

/// Delivers queued events one at a time, so wb sees them in the order they
/// happened (a reply before the 👍 on it).
async fn deliver_events(
    wb: Wb,
    mut rx: mpsc::Receiver<Value>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let envelope = tokio::select! {
            next = rx.recv() => match next {
                Some(e) => e,
                None => break,
            },
            _ = shutdown.changed() => break,
        };
        if post_event(&wb, &envelope, None).await {
            continue;
        }
        let wb = wb.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            for (n, delay) in RETRY_DELAYS.iter().enumerate() {
                tokio::select! {
                    _ = tokio::time::sleep(*delay) => {}
                    _ = stop.changed() => return,
                }
                if post_event(&wb, &envelope, Some(n + 1)).await {
                    return;
                }
            }
        });
    }
}
