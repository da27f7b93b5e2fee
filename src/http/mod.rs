//! The HTTP edge of `wb serve`: routes, Slack signature check ([`signature`]),
//! body limits, and back-pressure. It owns status codes; what a payload means
//! is `slack::inbound`'s, shared with Socket Mode. Every refusal is logged
//! ([`refusals`]).

pub mod refusals;
pub mod signature;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use self::refusals::{Reason, RefusalLog, Seen};
use crate::app::AppState;
use crate::slack::inbound::{self, Outcome};

/// Largest request body accepted (the README: bodies over 1 MiB → 413).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Requests handled at once; beyond that the answer is 503 with Retry-After.
const MAX_IN_FLIGHT: usize = 1024;
/// Longest a handler may run before the request fails (Slack gives up after 3 s).
const HANDLER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for in-flight requests.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

type Body = Full<Bytes>;

/// A bound HTTP server, not yet running (tests bind port 0 and read the port).
pub struct HttpServer {
    listener: TcpListener,
    state: Arc<AppState>,
    refusals: Arc<RefusalLog>,
}

impl HttpServer {
    pub async fn bind(state: Arc<AppState>, addr: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("WB_LISTEN: cannot listen on {addr}: {e}"))?;
        let refusals = RefusalLog::new(state.clock.clone());
        Ok(Self {
            listener,
            state,
            refusals,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` turns true, then drains in-flight requests (bounded).
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let graceful = GracefulShutdown::new();
        let limiter = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, _) = match accepted {
                        Ok(conn) => conn,
                        Err(err) => {
                            tracing::warn!(%err, "accept failed");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let state = self.state.clone();
                    let limiter = limiter.clone();
                    let refusals = self.refusals.clone();
                    let service = service_fn(move |req| {
                        let state = state.clone();
                        let limiter = limiter.clone();
                        let refusals = refusals.clone();
                        async move {
                            let seen = Seen::of(req.method(), req.uri().path(), req.headers());
                            let res = guarded(&state, &limiter, req).await;
                            refusals.record(&seen, res.status(), res.extensions().get::<Reason>());
                            Ok::<_, Infallible>(res)
                        }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(Duration::from_secs(10))
                        .serve_connection(TokioIo::new(stream), service);
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        if let Err(err) = conn.await {
                            tracing::debug!(%err, "connection ended with an error");
                        }
                    });
                }
                _ = shutdown.changed() => break,
            }
        }
        drop(self.listener);
        if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("in-flight requests still running after {DRAIN_TIMEOUT:?}; closing");
        }
    }
}

async fn guarded(
    state: &Arc<AppState>,
    limiter: &Arc<Semaphore>,
    req: Request<Incoming>,
) -> Response<Body> {
    let Ok(_permit) = limiter.clone().try_acquire_owned() else {
        let mut res = refuse(StatusCode::SERVICE_UNAVAILABLE, "busy, retry shortly");
        res.headers_mut()
            .insert(header::RETRY_AFTER, http::HeaderValue::from_static("1"));
        return res;
    };
    match tokio::time::timeout(HANDLER_TIMEOUT, route(state, req)).await {
        Ok(res) => res,
        Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, "timed out"),
    }
}

async fn route(state: &Arc<AppState>, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "/healthz") => {
            if state.store.healthy().await {
                text(StatusCode::OK, "ok")
            } else {
                refuse(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
            }
        }
        (Method::POST, "/slack/commands" | "/slack/events" | "/slack/interactions") => {
            let (parts, body) = req.into_parts();
            let body = match read_body(&parts.headers, body).await {
                Ok(b) => b,
                Err(res) => return res,
            };
            if let Err(err) = signature::verify(
                state.config.signing_secret.expose(),
                header_str(&parts.headers, "x-slack-request-timestamp"),
                header_str(&parts.headers, "x-slack-signature"),
                &body,
                state.clock.unix(),
            ) {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    &format!("invalid request signature: {err}"),
                );
            }
            match path.as_str() {
                "/slack/commands" => on_command(state, &body).await,
                "/slack/events" => on_event(state, &body).await,
                _ => on_interaction(state, &body).await,
            }
        }
        (_, "/healthz" | "/slack/commands" | "/slack/events" | "/slack/interactions") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ => text(StatusCode::NOT_FOUND, "not found"),
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn read_body(headers: &HeaderMap, body: Incoming) -> Result<Bytes, Response<Body>> {
    let declared = header_str(headers, "content-length").and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body larger than 1 MiB",
        ));
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err)
            if err
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body larger than 1 MiB",
            ))
        }
        Err(_) => Err(refuse(
            StatusCode::BAD_REQUEST,
            "could not read the request body",
        )),
    }
}

async fn on_command(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return refuse(StatusCode::BAD_REQUEST, "malformed form body");
    };
    // Slack's ssl_check pings carry none of a command's fields.
    if fields.iter().any(|(k, v)| k == "ssl_check" && v == "1") {
        return text(StatusCode::OK, "");
    }
    answer(inbound::command(state, inbound::form_object(fields)).await)
}

async fn on_event(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return refuse(StatusCode::BAD_REQUEST, "malformed JSON body"),
    };
    match value["type"].as_str() {
        Some("url_verification") => match value["challenge"].as_str() {
            Some(challenge) => json(StatusCode::OK, &serde_json::json!({"challenge": challenge})),
            None => refuse(
                StatusCode::BAD_REQUEST,
                "url_verification without a challenge",
            ),
        },
        Some("event_callback") => answer(inbound::event_callback(state, value).await),
        Some("app_rate_limited") => {
            // Slack stopped delivering this workspace's events for a minute.
            tracing::warn!(
                team = value["team_id"].as_str().unwrap_or("-"),
                minute = value["minute_rate_limited"].as_i64().unwrap_or_default(),
                "Slack is rate limiting the events it sends (over 30,000 an hour)"
            );
            text(StatusCode::OK, "")
        }
        Some(_) => {
            tracing::debug!("ignored an envelope type");
            text(StatusCode::OK, "")
        }
        None => refuse(StatusCode::BAD_REQUEST, "event without a type"),
    }
}

async fn on_interaction(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    let fields: Vec<(String, String)> = match serde_urlencoded::from_bytes(body) {
        Ok(f) => f,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "malformed form body"),
    };
    let Some((_, payload)) = fields.into_iter().find(|(k, _)| k == "payload") else {
        return refuse(StatusCode::BAD_REQUEST, "missing payload field");
    };
    match serde_json::from_str::<Value>(&payload) {
        Ok(value) => answer(inbound::interaction(state, value).await),
        Err(_) => refuse(StatusCode::BAD_REQUEST, "payload is not a JSON object"),
    }
}

/// The HTTP answer to a handled payload.
fn answer(outcome: Outcome) -> Response<Body> {
    match outcome {
        Outcome::Ack(Some(body)) => json(StatusCode::OK, &body),
        Outcome::Ack(None) => text(StatusCode::OK, ""),
        Outcome::Refused(reason) => refuse(StatusCode::BAD_REQUEST, &reason),
        // 500 on purpose: Slack retries, and the event_id dedupe keeps it once.
        Outcome::Failed => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not store the event",
        ),
    }
}

/// A refusal: its reason is the body and the log line. A 400 or 413 never
/// gets better on a retry, so Slack is asked not to retry it.
fn refuse(status: StatusCode, reason: &str) -> Response<Body> {
    let mut res = text(status, reason);
    res.extensions_mut().insert(Reason(reason.to_string()));
    if matches!(
        status,
        StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE
    ) {
        res.headers_mut()
            .insert("x-slack-no-retry", http::HeaderValue::from_static("1"));
    }
    res
}

fn text(status: StatusCode, body: &str) -> Response<Body> {
    let mut res = Response::new(Full::new(Bytes::from(body.to_string())));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

fn json(status: StatusCode, value: &Value) -> Response<Body> {
    let mut res = Response::new(Full::new(Bytes::from(value.to_string())));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    res
}
