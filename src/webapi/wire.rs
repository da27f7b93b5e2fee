//! The calls wb makes over its own keep-alive hyper client: every Web API
//! method it calls with a token, and `oauth.v2.access`. One request goes
//! out, and Slack's answer is read and sorted ([`ApiError`]) here, once:
//! 429 with its `Retry-After`, a 5xx / 408 / timeout / broken connection as
//! "no answer we can trust", `ok: false` by its error code.
//!
//! Why not slack-morphism's generic `http_post`: per call it parsed the
//! method's URL (with IDNA), built a rate-control context and a span, and
//! read the answer twice; a tenth of the CPU of posting a root message
//! (`bench/README.md`). Its client still runs Socket Mode, file uploads and
//! `response_url` posts. No error made here carries a token or a body: the
//! texts name the method and what went wrong at most.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::Value;

use super::{ApiError, CALL_TIMEOUT, TRANSIENT_CODES};
use crate::config::Secret;

/// wb's own HTTP client (keep-alive pool, https or plain http).
pub(super) type Http =
    hyper_util::client::legacy::Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

const JSON: &str = "application/json; charset=utf-8";

/// `Authorization: Bearer …` for `token`, marked sensitive (never shown by
/// `Debug` of the request).
fn bearer(token: &Secret) -> Result<HeaderValue, ApiError> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
        .map_err(|_| ApiError::Permanent("invalid_auth".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// A JSON POST of `body` to `url` (`SLACK_API_URL/method`) with `token`.
pub(super) fn post_json(
    url: String,
    token: &Secret,
    body: Vec<u8>,
) -> Result<Request<Full<Bytes>>, ApiError> {
    Request::post(url)
        .header(CONTENT_TYPE, JSON)
        .header(AUTHORIZATION, bearer(token)?)
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| ApiError::Permanent("invalid_arguments".into()))
}

/// A GET of `url` (with its query) with `token`.
pub(super) fn get(url: String, token: &Secret) -> Result<Request<Full<Bytes>>, ApiError> {
    Request::get(url)
        .header(AUTHORIZATION, bearer(token)?)
        .body(Full::new(Bytes::new()))
        .map_err(|_| ApiError::Permanent("invalid_arguments".into()))
}

/// Sends `request` (a call of `method`) and reads Slack's answer, all within
/// [`CALL_TIMEOUT`].
pub(super) async fn send(
    http: &Http,
    method: &str,
    request: Request<Full<Bytes>>,
) -> Result<Value, ApiError> {
    let exchange = async {
        // A connection that failed or broke: the call may or may not have
        // reached Slack. hyper's error text names no header and no body.
        let response = http
            .request(request)
            .await
            .map_err(|err| ApiError::Unknown(format!("{method}: {err}")))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|_| ApiError::Unknown(format!("{method}: the answer broke off")))?
            .to_bytes();
        Ok((status, retry_after, body))
    };
    match tokio::time::timeout(CALL_TIMEOUT, exchange).await {
        Err(_) => Err(ApiError::Unknown(format!("{method} timed out"))),
        Ok(Err(err)) => Err(err),
        Ok(Ok((status, retry_after, body))) => read_answer(method, status, retry_after, &body),
    }
}

/// Sorts Slack's answer to `method`: its JSON when `ok`, else why not.
pub(super) fn read_answer(
    method: &str,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<Value, ApiError> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(ApiError::RateLimited { retry_after });
    }
    if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        return Err(ApiError::Unknown(format!("HTTP {status}")));
    }
    if !status.is_success() {
        return Err(ApiError::Permanent(format!("http_{}", status.as_u16())));
    }
    let answer: Value = super::answer::parse(body)
        .map_err(|_| ApiError::Unknown(format!("{method} answered no JSON")))?;
    if answer["ok"].as_bool() == Some(true) {
        return Ok(answer);
    }
    // Only a plain code is kept: an answer never puts text of its own into
    // a log line or a metric label.
    let code = answer["error"]
        .as_str()
        .filter(|c| {
            !c.is_empty()
                && c.len() <= 64
                && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        })
        .unwrap_or("unknown_error")
        .to_string();
    Err(if TRANSIENT_CODES.contains(&code.as_str()) {
        ApiError::Transient(code)
    } else {
        ApiError::Permanent(code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_sorted_by_what_to_do() {
        let ok = StatusCode::OK;
        let read = |status: StatusCode, body: &str| {
            read_answer("chat.postMessage", status, None, body.as_bytes())
        };
        let cases: &[(StatusCode, &str, Result<&str, ApiError>)] = &[
            (ok, r#"{"ok":true,"ts":"1.2"}"#, Ok("1.2")),
            (
                ok,
                r#"{"ok":false,"error":"not_in_channel"}"#,
                Err(ApiError::Permanent("not_in_channel".into())),
            ),
            (
                ok,
                r#"{"ok":false,"error":"internal_error"}"#,
                Err(ApiError::Transient("internal_error".into())),
            ),
            (
                ok,
                r#"{"ok":false,"error":"ratelimited"}"#,
                Err(ApiError::Transient("ratelimited".into())),
            ),
            (
                ok,
                r#"{"ok":false,"error":"no such thing: <x>"}"#,
                Err(ApiError::Permanent("unknown_error".into())),
            ),
            (
                ok,
                r#"{"ok":false}"#,
                Err(ApiError::Permanent("unknown_error".into())),
            ),
            (
                ok,
                "<html>",
                Err(ApiError::Unknown(
                    "chat.postMessage answered no JSON".into(),
                )),
            ),
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "",
                Err(ApiError::Unknown("HTTP 503 Service Unavailable".into())),
            ),
            (
                StatusCode::REQUEST_TIMEOUT,
                "",
                Err(ApiError::Unknown("HTTP 408 Request Timeout".into())),
            ),
            (
                StatusCode::NOT_FOUND,
                "",
                Err(ApiError::Permanent("http_404".into())),
            ),
        ];
        for (status, body, want) in cases {
            let got = read(*status, body);
            match want {
                Ok(ts) => assert_eq!(
                    got.ok()
                        .and_then(|v| v["ts"].as_str().map(str::to_string))
                        .as_deref(),
                    Some(*ts),
                    "{body}"
                ),
                Err(e) => assert_eq!(got.err().as_ref(), Some(e), "{status} {body}"),
            }
        }
        let limited = read_answer(
            "chat.postMessage",
            StatusCode::TOO_MANY_REQUESTS,
            Some(Duration::from_secs(7)),
            b"",
        );
        assert_eq!(
            limited.err(),
            Some(ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            })
        );
    }

    #[test]
    fn the_token_travels_only_in_a_sensitive_header() {
        let token = Secret::new("xoxb-very-secret");
        let request = post_json(
            "http://127.0.0.1:9/api/chat.postMessage".into(),
            &token,
            b"{}".to_vec(),
        )
        .expect("a request");
        let auth = request.headers().get(AUTHORIZATION).expect("auth header");
        assert!(auth.is_sensitive());
        assert!(!format!("{request:?}").contains("very-secret"));
        assert_eq!(
            request.headers().get(CONTENT_TYPE).map(|v| v.as_bytes()),
            Some(JSON.as_bytes())
        );
    }
}
