//! The HTTP edge of `wb serve`: routes, Slack signature check ([`signature`]),
//! body limits, and back-pressure. It owns status codes; what a payload means
//! is `slack::inbound`'s, shared with Socket Mode ([`slack_routes`]). Every
//! refusal is logged ([`refusals`]). The operations routes ([`ops`]) are
//! served here too, and alone by the admin server (`WB_ADMIN_LISTEN`) of
//! either mode. Every request gets a span (route, then team, channel, user
//! once known), an access-log line and its metrics.

mod install_routes;
pub mod ops;
pub mod refusals;
pub mod signature;
mod slack_routes;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
use tracing::Instrument;

use self::refusals::{Reason, RefusalLog, Seen};
use crate::app::AppState;

/// Largest request body accepted (the README: bodies over 1 MiB → 413).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A body declared larger, but not larger than this, is read and dropped
/// before the 413, so a client still sending it hears the answer instead of
/// a connection reset under its write (what a closed socket with unread data
/// gives it). Past this, the connection is dropped at once.
const DRAINED_BYTES: usize = 4 * MAX_BODY_BYTES;
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
    /// The admin server: the operations routes only.
    admin: bool,
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
            admin: false,
        })
    }

    /// The admin server (`WB_ADMIN_LISTEN`): `/healthz`, `/readyz`, `/metrics`.
    pub async fn bind_admin(state: Arc<AppState>, addr: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("WB_ADMIN_LISTEN: cannot listen on {addr}: {e}"))?;
        let refusals = RefusalLog::new(state.clock.clone());
        Ok(Self {
            listener,
            state,
            refusals,
            admin: true,
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
                    let admin = self.admin;
                    let service = service_fn(move |req| {
                        let state = state.clone();
                        let limiter = limiter.clone();
                        let refusals = refusals.clone();
                        async move {
                            let seen = Seen::of(req.method(), req.uri(), req.headers());
                            let res = guarded(&state, &limiter, req, admin).await;
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

/// The route as a metrics label and log field: a closed set, so a scanner's
/// random paths cannot grow the number of series.
fn route_label(path: &str) -> &'static str {
    match path {
        "/slack/commands" => "/slack/commands",
        "/slack/events" => "/slack/events",
        "/slack/interactions" => "/slack/interactions",
        "/slack/install" => "/slack/install",
        "/slack/oauth_redirect" => "/slack/oauth_redirect",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        _ => "other",
    }
}

async fn guarded(
    state: &Arc<AppState>,
    limiter: &Arc<Semaphore>,
    req: Request<Incoming>,
    admin: bool,
) -> Response<Body> {
    let started = Instant::now();
    let route = route_label(req.uri().path());
    let method = req.method().clone();
    let span = tracing::info_span!(
        "request",
        route,
        team = tracing::field::Empty,
        channel = tracing::field::Empty,
        user = tracing::field::Empty,
    );
    let res = async {
        let Ok(_permit) = limiter.clone().try_acquire_owned() else {
            let mut res = refuse(StatusCode::SERVICE_UNAVAILABLE, "busy, retry shortly");
            res.headers_mut()
                .insert(header::RETRY_AFTER, http::HeaderValue::from_static("1"));
            return res;
        };
        match tokio::time::timeout(HANDLER_TIMEOUT, self::route(state, req, admin)).await {
            Ok(res) => res,
            Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, "timed out"),
        }
    }
    .instrument(span.clone())
    .await;
    span.in_scope(|| access_log(state, route, &method, res.status(), started));
    res
}

/// One access-log line per request — route, method, status, latency, and
/// (from the span) team, channel and user; never the body — and the
/// request's metrics. Probes and scrapes of the operations routes log at
/// debug, so a health check every few seconds does not drown the log.
fn access_log(
    state: &AppState,
    route: &'static str,
    method: &Method,
    status: StatusCode,
    started: Instant,
) {
    let took = started.elapsed();
    state.metrics.request(route, status.as_u16(), took);
    let status = status.as_u16();
    let latency_ms = (took.as_secs_f64() * 1e4).round() / 10.0;
    if ops::is_ops_route(route) {
        tracing::debug!(route, http_method = %method, status, latency_ms, "request");
    } else {
        tracing::info!(route, http_method = %method, status, latency_ms, "request");
    }
}

async fn route(state: &Arc<AppState>, req: Request<Incoming>, admin: bool) -> Response<Body> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "/healthz") => ops::healthz(state).await,
        (Method::GET, "/readyz") => ops::readyz(state).await,
        (Method::GET, "/metrics") => ops::metrics(state).await,
        (_, "/healthz" | "/readyz" | "/metrics") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ if admin => text(StatusCode::NOT_FOUND, "not found"),
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
            // Boxed: each handler's future is kilobytes (an interaction's
            // ten), and this one, with every layer around it (the timeout,
            // the span, hyper's dispatcher), would otherwise be as large
            // and be copied whole at each layer, for every request.
            match path.as_str() {
                "/slack/commands" => Box::pin(slack_routes::on_command(state, &body)).await,
                "/slack/events" => Box::pin(slack_routes::on_event(state, &body)).await,
                _ => Box::pin(slack_routes::on_interaction(state, &body)).await,
            }
        }
        (_, "/slack/commands" | "/slack/events" | "/slack/interactions") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        (Method::GET, "/slack/install") => install_routes::install(state).await,
        (Method::GET, "/slack/oauth_redirect") => {
            Box::pin(install_routes::redirect(
                state,
                req.uri().query(),
                req.headers(),
            ))
            .await
        }
        (_, "/slack/install" | "/slack/oauth_redirect") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ => text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// Reads and drops a body of at most [`DRAINED_BYTES`] (it stops early
/// past them, or on an error).
async fn drain(mut body: Incoming) {
    let mut left = DRAINED_BYTES;
    while let Some(Ok(frame)) = body.frame().await {
        let read = frame.data_ref().map_or(0, Bytes::len);
        let Some(rest) = left.checked_sub(read) else {
            return;
        };
        left = rest;
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn read_body(headers: &HeaderMap, body: Incoming) -> Result<Bytes, Response<Body>> {
    let declared = header_str(headers, "content-length").and_then(|v| v.parse::<usize>().ok());
    if let Some(declared) = declared.filter(|n| *n > MAX_BODY_BYTES) {
        if declared <= DRAINED_BYTES {
            drain(body).await;
        }
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

pub(crate) fn text(status: StatusCode, body: &str) -> Response<Body> {
    let mut res = Response::new(Full::new(Bytes::from(body.to_string())));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

fn json(status: StatusCode, value: &Value) -> Response<Body> {
    json_bytes(status, value.to_string().into_bytes())
}

/// A JSON answer already written.
fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut res = Response::new(Full::new(Bytes::from(body)));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    res
}
