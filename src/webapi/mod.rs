//! The Web API client: slack-morphism's hyper client over a connector that
//! speaks https (real Slack) and plain http (a local fake via `SLACK_API_URL`).
//! Failures are classified here once, so the outbox knows what to retry. Only
//! the methods in [`scopes::METHODS`] can be called.

pub mod scopes;
pub mod users;

use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::Value;
use slack_morphism::errors::*;
use slack_morphism::prelude::*;
use url::Url;

use crate::config::Secret;
use crate::metrics::Metrics;

pub type Connector = SlackClientHyperConnector<HttpsConnector<HttpConnector>>;

/// Longest we wait for one Web API call before treating it as a transient failure.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a Web API call did not succeed, sorted by what to do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// 429: wait at least `retry_after`.
    #[error("rate limited by Slack (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    /// Slack answered with one of its own transient error codes: the call
    /// did not happen, and may succeed later.
    #[error("transient Slack failure: {0}")]
    Transient(String),
    /// No answer we can trust (a timeout, a broken connection, a 5xx): the
    /// call may or may not have happened. Retried like a transient failure,
    /// but a non-idempotent call first finds out whether it did.
    #[error("no answer from Slack: {0}")]
    Unknown(String),
    /// An error code Slack will answer again (`channel_not_found`, `invalid_auth`…).
    #[error("Slack answered `{0}`")]
    Permanent(String),
}

impl ApiError {
    /// The Slack error code, for permanent errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Permanent(code) => Some(code),
            _ => None,
        }
    }

    /// True when the call may have happened despite the error.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, ApiError::Unknown(_))
    }
}

/// Slack error codes that mean "try again later" rather than "this will never work".
const TRANSIENT_CODES: &[&str] = &[
    "ratelimited",
    "rate_limited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
];

fn classify(err: SlackClientError) -> ApiError {
    match err {
        SlackClientError::RateLimitError(e) => ApiError::RateLimited {
            retry_after: e.retry_after,
        },
        SlackClientError::ApiError(e) => {
            if TRANSIENT_CODES.contains(&e.code.as_str()) {
                ApiError::Transient(e.code)
            } else {
                ApiError::Permanent(e.code)
            }
        }
        SlackClientError::HttpError(e) => {
            let status = e.status_code;
            if status.is_server_error() || status.as_u16() == 408 {
                ApiError::Unknown(format!("HTTP {status}"))
            } else {
                ApiError::Permanent(format!("http_{}", status.as_u16()))
            }
        }
        other => ApiError::Unknown(other.to_string()),
    }
}

/// How a call ended, as the `outcome` label of `wb_slack_api_calls_total`:
/// `ok`, `ratelimited`, `5xx`, `timeout`, `network`, or the class of Slack's
/// error code (`error_auth`, `error_channel`, `error_request`, `error_http`,
/// `error_transient`, `error_other`). A closed set: codes never become labels.
pub fn outcome<T>(result: &Result<T, ApiError>) -> &'static str {
    let code = match result {
        Ok(_) => return "ok",
        Err(ApiError::RateLimited { .. }) => return "ratelimited",
        Err(ApiError::Unknown(text)) => {
            return if text.starts_with("HTTP 5") {
                "5xx"
            } else if text.ends_with("timed out") {
                "timeout"
            } else {
                "network"
            }
        }
        Err(ApiError::Transient(code)) => {
            return if code == "ratelimited" || code == "rate_limited" {
                "ratelimited"
            } else {
                "error_transient"
            }
        }
        Err(ApiError::Permanent(code)) => code.as_str(),
    };
    match code {
        "not_authed"
        | "invalid_auth"
        | "account_inactive"
        | "token_revoked"
        | "token_expired"
        | "no_permission"
        | "missing_scope"
        | "not_allowed_token_type"
        | "ekm_access_denied"
        | "team_access_not_granted"
        | "org_login_required" => "error_auth",
        "channel_not_found"
        | "not_in_channel"
        | "is_archived"
        | "channel_is_archived"
        | "message_not_found"
        | "thread_not_found"
        | "cant_update_message"
        | "restricted_action"
        | "user_not_in_channel"
        | "user_not_found" => "error_channel",
        "invalid_arguments"
        | "invalid_arg_name"
        | "invalid_array_arg"
        | "invalid_blocks"
        | "invalid_blocks_format"
        | "msg_too_long"
        | "no_text"
        | "too_many_attachments"
        | "invalid_form_data"
        | "invalid_json"
        | "json_not_object"
        | "invalid_charset"
        | "invalid_post_type"
        | "missing_post_type"
        | "invalid_name"
        | "view_too_large"
        | "method_not_in_scope_table"
        | "invalid_upload_url"
        | "invalid_response_url" => "error_request",
        code if code.starts_with("http_") => "error_http",
        _ => "error_other",
    }
}

/// Slack Web API access with the bot token.
pub struct SlackApi {
    client: std::sync::Arc<SlackClient<Connector>>,
    token: SlackApiToken,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for SlackApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackApi").finish_non_exhaustive()
    }
}

impl SlackApi {
    /// `api_url` is `SLACK_API_URL` (no trailing slash).
    pub fn new(api_url: &str, bot_token: &Secret) -> anyhow::Result<Self> {
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let builder = match builder.with_native_roots() {
            Ok(b) => b,
            Err(err) => {
                tracing::warn!(%err, "no native TLS roots found; only plain-http Slack URLs will work");
                hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(rustls_empty_config())
            }
        };
        let https = builder
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .build();
        let connector =
            SlackClientHyperConnector::with_connector(https).with_slack_api_url(api_url);
        Ok(Self {
            client: std::sync::Arc::new(SlackClient::new(connector)),
            token: SlackApiToken::new(SlackApiTokenValue(bot_token.expose().to_string())),
            metrics: Arc::new(Metrics::default()),
        })
    }

    /// Counts every call into `metrics` (`wb_slack_api_calls_total`).
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    fn observe<T>(&self, method: &'static str, started: Instant, result: &Result<T, ApiError>) {
        self.metrics
            .slack_call(method, outcome(result), started.elapsed());
    }

    /// The shared client (Socket Mode's listener runs on it too).
    pub fn client(&self) -> std::sync::Arc<SlackClient<Connector>> {
        self.client.clone()
    }

    pub fn token(&self) -> &SlackApiToken {
        &self.token
    }

    /// POSTs a JSON body to `method` (e.g. `chat.postMessage`) and returns Slack's answer.
    #[tracing::instrument(skip(self, body))]
    pub async fn call(&self, method: &str, body: &Value) -> Result<Value, ApiError> {
        check_known(method)?;
        let started = Instant::now();
        let session = self.client.open_session(&self.token);
        let fut = session
            .http_session_api
            .http_post::<Value, Value>(method, body, None);
        let result = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(classify(err)),
            Err(_) => Err(ApiError::Unknown(format!("{method} timed out"))),
        };
        self.observe(scopes::static_name(method), started, &result);
        result
    }

    /// GETs `method` with query parameters (for read methods that take no JSON body).
    #[tracing::instrument(skip(self, params))]
    pub async fn get(&self, method: &str, params: &[(&str, String)]) -> Result<Value, ApiError> {
        check_known(method)?;
        let started = Instant::now();
        let session = self.client.open_session(&self.token);
        let pairs: Vec<(&str, Option<&String>)> =
            params.iter().map(|(k, v)| (*k, Some(v))).collect();
        let fut = session
            .http_session_api
            .http_get::<Value, _, &String>(method, &pairs, None);
        let result = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(classify(err)),
            Err(_) => Err(ApiError::Unknown(format!("{method} timed out"))),
        };
        self.observe(scopes::static_name(method), started, &result);
        result
    }

    /// POSTs raw bytes to the `upload_url` that `files.getUploadURLExternal`
    /// returned (step 2 of Slack's file upload; Slack answers with plain text).
    #[tracing::instrument(skip_all, fields(bytes = content.len()))]
    pub async fn upload(
        &self,
        upload_url: &str,
        content_type: &str,
        content: &[u8],
    ) -> Result<(), ApiError> {
        let url =
            Url::parse(upload_url).map_err(|_| ApiError::Permanent("invalid_upload_url".into()))?;
        let span = tracing::Span::current();
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: Some(&self.token),
            tracing_span: &span,
            is_sensitive_url: true,
        };
        let fut = self
            .client
            .http_api
            .connector
            .http_post_uri_binary::<Value>(url, content_type.to_string(), content, context);
        let started = Instant::now();
        let result = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => Err(classify(err)),
            Err(_) => Err(ApiError::Unknown("file upload timed out".into())),
        };
        self.observe("file_upload", started, &result);
        result
    }

    /// Posts a message to an interaction's `response_url` (ephemeral by default).
    #[tracing::instrument(skip_all)]
    pub async fn respond(&self, response_url: &str, body: &Value) -> Result<(), ApiError> {
        let url = Url::parse(response_url)
            .map_err(|_| ApiError::Permanent("invalid_response_url".into()))?;
        let span = tracing::Span::current();
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: None,
            tracing_span: &span,
            is_sensitive_url: true,
        };
        let fut = self
            .client
            .http_api
            .connector
            .http_post_uri::<Value, Value>(url, body, context);
        let started = Instant::now();
        let result = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => Err(classify(err)),
            Err(_) => Err(ApiError::Unknown("response_url timed out".into())),
        };
        self.observe("response_url", started, &result);
        result
    }
}

/// A method outside [`scopes::METHODS`] is a bug: refuse it before Slack
/// answers `missing_scope` in production.
fn check_known(method: &str) -> Result<(), ApiError> {
    if scopes::known(method) {
        Ok(())
    } else {
        tracing::error!(
            method,
            "a Web API method missing from webapi::scopes::METHODS"
        );
        Err(ApiError::Permanent("method_not_in_scope_table".into()))
    }
}

fn rustls_empty_config() -> rustls::ClientConfig {
    rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_errors_are_sorted_by_what_to_do() {
        let api = |code: &str| SlackClientError::ApiError(SlackClientApiError::new(code.into()));
        assert_eq!(
            classify(api("not_in_channel")),
            ApiError::Permanent("not_in_channel".into())
        );
        assert_eq!(
            classify(api("channel_not_found")).code(),
            Some("channel_not_found")
        );
        assert!(matches!(
            classify(api("internal_error")),
            ApiError::Transient(_)
        ));
        assert!(matches!(
            classify(api("ratelimited")),
            ApiError::Transient(_)
        ));
        let http = |status: u16| {
            SlackClientError::HttpError(SlackClientHttpError::new(
                http::StatusCode::from_u16(status).expect("status"),
            ))
        };
        assert!(classify(http(503)).outcome_unknown());
        assert!(!classify(api("internal_error")).outcome_unknown());
        assert_eq!(classify(http(404)), ApiError::Permanent("http_404".into()));
        let outcome_of = |e: ApiError| outcome::<()>(&Err(e));
        assert_eq!(outcome_of(classify(http(503))), "5xx");
        assert_eq!(outcome_of(classify(api("not_in_channel"))), "error_channel");
        assert_eq!(outcome_of(classify(api("invalid_auth"))), "error_auth");
        assert_eq!(outcome_of(classify(api("invalid_blocks"))), "error_request");
        assert_eq!(outcome_of(classify(api("ratelimited"))), "ratelimited");
        assert_eq!(
            outcome_of(classify(api("internal_error"))),
            "error_transient"
        );
        assert_eq!(outcome_of(classify(http(404))), "error_http");
        assert_eq!(outcome_of(classify(api("some_new_code"))), "error_other");
        assert_eq!(
            outcome_of(ApiError::Unknown("chat.update timed out".into())),
            "timeout"
        );
        assert_eq!(outcome::<()>(&Ok(())), "ok");
        let limited = SlackClientError::RateLimitError(
            SlackRateLimitError::new().with_retry_after(Duration::from_secs(7)),
        );
        assert_eq!(
            classify(limited),
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
        );
    }
}
