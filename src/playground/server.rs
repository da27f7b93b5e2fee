//! The playground's one public listener: the page and its embedded assets,
//! the live-update stream (server-sent events), the page's actions, and the
//! emulated Slack that wb talks to — Web API, response_urls, upload URLs —
//! plus file and canvas pages. Bodies are bounded; the browser's routes only
//! answer to loopback host names when listening on loopback (no DNS rebinding).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::hub::Hub;
use super::{hooks, pages, surfaces, ui, webapi};

pub use super::hub::Body;

/// Largest body of a page action, Web API call or response_url post.
const MAX_BODY: usize = 1024 * 1024;

const INDEX: &str = include_str!("assets/index.html");
const ASSETS: [(&str, &str, &str); 4] = [
    (
        "/assets/style.css",
        "text/css; charset=utf-8",
        include_str!("assets/style.css"),
    ),
    (
        "/assets/mrkdwn.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/mrkdwn.js"),
    ),
    (
        "/assets/blockkit.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/blockkit.js"),
    ),
    (
        "/assets/app.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/app.js"),
    ),
];

/// Serves `listener` until `shutdown` turns true.
pub async fn run(
    listener: TcpListener,
    hub: Arc<Hub>,
    loopback_only: bool,
    mut shutdown: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let hub = hub.clone();
                let stop = shutdown.clone();
                let service = service_fn(move |req| {
                    let hub = hub.clone();
                    let stop = stop.clone();
                    async move { Ok::<_, Infallible>(route(&hub, req, loopback_only, stop).await) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(10))
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut res = Response::new(Full::new(body.into()).boxed_unsync());
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}

fn text(status: StatusCode, body: &str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", body.to_string())
}

fn json(status: StatusCode, value: &Value) -> Response<Body> {
    respond(status, "application/json; charset=utf-8", value.to_string())
}

fn html(body: String) -> Response<Body> {
    let mut res = respond(StatusCode::OK, "text/html; charset=utf-8", body);
    res.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"),
    );
    res
}

/// Whether the Host header names this machine (`localhost`, `127.x`, `[::1]`).
fn local_host(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or_default()
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or_default()
    };
    name == "localhost"
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn read(body: Incoming, max: usize) -> Result<Bytes, Response<Body>> {
    match Limited::new(body, max).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(text(StatusCode::PAYLOAD_TOO_LARGE, "body too large"))
        }
        Err(_) => Err(text(StatusCode::BAD_REQUEST, "could not read the body")),
    }
}

fn query_param(query: Option<&str>, key: &str) -> Option<String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or_default()).ok()?;
    pairs.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

async fn route(
    hub: &Arc<Hub>,
    req: Request<Incoming>,
    loopback_only: bool,
    stop: watch::Receiver<bool>,
) -> Response<Body> {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let method = req.method().clone();
    // wb's own calls (Web API, response_url, upload) come from loopback with
    // their own credentials; the browser's routes check the host name.
    let for_wb =
        path.starts_with("/api/") || path.starts_with("/hooks/") || path.starts_with("/upload/");
    if loopback_only && !for_wb && !local_host(req.headers()) {
        return text(
            StatusCode::FORBIDDEN,
            "the playground answers on localhost only",
        );
    }
    let (parts, body) = req.into_parts();
    let max = if path.starts_with("/upload/") {
        surfaces::FILE_MAX
    } else {
        MAX_BODY
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return text(StatusCode::PAYLOAD_TOO_LARGE, "body too large");
    }
    let body = match read(body, max).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    match (&method, path.as_str()) {
        (&Method::GET, "/") => html(INDEX.to_string()),
        (&Method::GET, "/healthz") => text(StatusCode::OK, "ok"),
        (&Method::GET, "/favicon.ico") => text(StatusCode::NO_CONTENT, ""),
        (&Method::GET, p) if p.starts_with("/assets/") => {
            asset_response(p).unwrap_or_else(|| text(StatusCode::NOT_FOUND, "not found"))
        }
        (&Method::GET, "/ui/events") => super::live::events(hub, stop),
        (&Method::GET, "/ui/state") => {
            let user = query_param(query.as_deref(), "user").unwrap_or_default();
            let version = *hub.subscribe().borrow();
            json(StatusCode::OK, &pages::snapshot(hub, &user, version))
        }
        (&Method::POST, p) if p.starts_with("/ui/") => {
            let is_json = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            // JSON only: a form on another site cannot send it without CORS.
            let Some(value) = serde_json::from_slice::<Value>(&body)
                .ok()
                .filter(|v| is_json && v.is_object())
            else {
                return text(
                    StatusCode::BAD_REQUEST,
                    "send a JSON object with Content-Type: application/json",
                );
            };
            json(
                StatusCode::OK,
                &ui::handle(hub, &p["/ui/".len()..], &value).await,
            )
        }
        (&Method::GET | &Method::POST, p) if p.starts_with("/api/") => json(
            StatusCode::OK,
            &webapi::handle(
                hub,
                &p["/api/".len()..],
                &parts.headers,
                query.as_deref(),
                &body,
            ),
        ),
        (&Method::POST, p) if p.starts_with("/hooks/") => {
            let (status, answer) = hooks::receive(hub, &p["/hooks/".len()..], &body);
            json(
                StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                &answer,
            )
        }
        (&Method::POST, p) if p.starts_with("/upload/") => {
            let ct = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("text/plain");
            match surfaces::receive_upload(hub, &p["/upload/".len()..], ct, &body) {
                Ok(answer) => text(StatusCode::OK, &answer),
                Err(code) => text(StatusCode::NOT_FOUND, code),
            }
        }
        (&Method::GET, p) if p.starts_with("/files/") => {
            file(hub, &p["/files/".len()..], query.as_deref())
        }
        (&Method::GET, p) if p.starts_with("/docs/") => {
            let id = p.rsplit('/').next().unwrap_or_default();
            match pages::canvas(hub, id) {
                Some(page) => html(page),
                None => text(StatusCode::NOT_FOUND, "no such canvas"),
            }
        }
        (&Method::GET, p) if p.starts_with("/archives/") => permalink(p, query.as_deref()),
        _ => text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// A permalink opens the page at that message (or its thread).
fn permalink(path: &str, query: Option<&str>) -> Response<Body> {
    let digits = path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_start_matches('p');
    let ts = if digits.len() > 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        format!(
            "{}.{}",
            &digits[..digits.len() - 6],
            &digits[digits.len() - 6..]
        )
    } else {
        String::new()
    };
    let thread = query_param(query, "thread_ts")
        .filter(|t| t.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let target = match thread {
        Some(t) => format!("/#thread={t}&msg={ts}"),
        None => format!("/#thread={ts}"),
    };
    let mut res = text(StatusCode::FOUND, "");
    if let Ok(v) = HeaderValue::from_str(&target) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn file(hub: &Hub, id: &str, query: Option<&str>) -> Response<Body> {
    let Some((name, content_type, content)) = pages::file(hub, id) else {
        return text(StatusCode::NOT_FOUND, "no such file");
    };
    let download = query_param(query, "download").is_some();
    // Markdown opens as text; HTML opens sandboxed (no script, no fetch).
    let mut res = if content_type == "text/html" && !download {
        respond(StatusCode::OK, "text/html; charset=utf-8", content)
    } else {
        respond(StatusCode::OK, "text/plain; charset=utf-8", content)
    };
    res.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox; default-src 'none'; style-src 'unsafe-inline'"),
    );
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
        .collect();
    let disposition = format!(
        "{}; filename=\"{safe}\"",
        if download { "attachment" } else { "inline" }
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The embedded asset at `path`, for the route table and the tests.
pub fn asset(path: &str) -> Option<(&'static str, &'static str)> {
    ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, ct, body)| (*ct, *body))
}

/// Serves an embedded asset.
pub fn asset_response(path: &str) -> Option<Response<Body>> {
    let (ct, body) = asset(path)?;
    let mut res = respond(StatusCode::OK, "text/plain; charset=utf-8", body);
    if let Ok(v) = HeaderValue::from_str(ct) {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Some(res)
}
