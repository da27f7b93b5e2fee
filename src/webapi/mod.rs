//! The Web API client: slack-morphism's hyper client over a connector that
//! speaks https (real Slack) and plain http (a local fake via `SLACK_API_URL`).
//! Failures are classified here once, so the outbox knows what to retry. Only
//! the methods in [`scopes::METHODS`] can be called. Every call names the
//! workspace it is for and goes out with that workspace's token
//! ([`tokens`]); `oauth.v2.access` is [`oauth`].

mod answer;
mod body;
pub mod oauth;
mod outcome;
pub mod scopes;
pub mod tokens;
pub mod users;
mod wire;

use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::Value;
use slack_morphism::errors::*;
use slack_morphism::prelude::*;
use url::Url;

pub use body::JsonBody;
pub use oauth::{Access, Grant};
pub use outcome::outcome;
pub use tokens::{Fixed, Fresh, NoTokens, Tokens, NOT_INSTALLED};

use crate::config::Secret;
use crate::domain::tenant::Workspace;
use crate::metrics::Metrics;

pub type Connector = SlackClientHyperConnector<HttpsConnector<HttpConnector>>;

/// Longest we wait for one Web API call before treating it as a transient failure.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// A JSON body's first allocation: a root message with its tag fits.
const BODY_CAPACITY: usize = 4096;

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
pub(crate) const TRANSIENT_CODES: &[&str] = &[
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

/// Slack Web API access: every call names the workspace it is for, and goes
/// out with that workspace's token ([`Tokens`]).
pub struct SlackApi {
    client: std::sync::Arc<SlackClient<Connector>>,
    tokens: Arc<dyn Tokens>,
    metrics: Arc<Metrics>,
    /// `SLACK_API_URL`, for the calls made without slack-morphism.
    api_url: String,
    http: wire::Http,
}

impl std::fmt::Debug for SlackApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackApi").finish_non_exhaustive()
    }
}

/// An https connector that also speaks plain http (a local fake Slack).
fn connector(http2: bool) -> HttpsConnector<HttpConnector> {
    let builder = hyper_rustls::HttpsConnectorBuilder::new();
    let builder = match builder.with_native_roots() {
        Ok(b) => b,
        Err(err) => {
            tracing::warn!(%err, "no native TLS roots found; only plain-http Slack URLs will work");
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(rustls_empty_config())
        }
    };
    let builder = builder.https_or_http().enable_http1();
    if http2 {
        builder.enable_http2().build()
    } else {
        builder.build()
    }
}

impl SlackApi {
    /// `api_url` is `SLACK_API_URL` (no trailing slash); `tokens` says which
    /// token each call goes out with.
    pub fn new(api_url: &str, tokens: Arc<dyn Tokens>) -> anyhow::Result<Self> {
        let connector_ =
            SlackClientHyperConnector::with_connector(connector(true)).with_slack_api_url(api_url);
        let http =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector(false));
        Ok(Self {
            client: std::sync::Arc::new(SlackClient::new(connector_)),
            tokens,
            metrics: Arc::new(Metrics::default()),
            api_url: api_url.to_string(),
            http,
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

    /// POSTs a JSON body to `method` (e.g. `chat.postMessage`) for work of
    /// `ws`, and returns Slack's answer. A rotating token that Slack calls
    /// expired is refreshed and the call made once more.
    #[tracing::instrument(skip(self, ws, body), fields(team = %ws.team_id))]
    pub async fn call<B: JsonBody + ?Sized>(
        &self,
        ws: &Workspace,
        method: &str,
        body: &B,
    ) -> Result<Value, ApiError> {
        check_known(method)?;
        let token = self.tokens.token(self, ws).await?;
        let first = self.call_with(&token, method, body).await;
        match self.after_expiry(ws, &token, first).await {
            Retry::Done(result) => result,
            Retry::With(fresh) => self.call_with(&fresh, method, body).await,
        }
    }

    /// A Web API call with an explicit token (`auth.test` of a token).
    async fn call_with<B: JsonBody + ?Sized>(
        &self,
        token: &Secret,
        method: &str,
        body: &B,
    ) -> Result<Value, ApiError> {
        check_known(method)?;
        let started = Instant::now();
        // Sized for a root message (about 2.3 KB) so it is written without
        // growing the buffer several times on the way.
        let mut bytes = Vec::with_capacity(BODY_CAPACITY);
        let result = match body.write_json(&mut bytes) {
            Ok(()) => match wire::post_json(format!("{}/{method}", self.api_url), token, bytes) {
                Ok(request) => wire::send(&self.http, method, request).await,
                Err(err) => Err(err),
            },
            Err(_) => Err(ApiError::Permanent("invalid_arguments".into())),
        };
        self.observe(scopes::static_name(method), started, &result);
        result
    }

    /// GETs `method` with query parameters (for read methods that take no
    /// JSON body), for work of `ws`.
    #[tracing::instrument(skip(self, ws, params), fields(team = %ws.team_id))]
    pub async fn get(
        &self,
        ws: &Workspace,
        method: &str,
        params: &[(&str, String)],
    ) -> Result<Value, ApiError> {
        check_known(method)?;
        let token = self.tokens.token(self, ws).await?;
        let first = self.get_with(&token, method, params).await;
        match self.after_expiry(ws, &token, first).await {
            Retry::Done(result) => result,
            Retry::With(fresh) => self.get_with(&fresh, method, params).await,
        }
    }

    async fn get_with(
        &self,
        token: &Secret,
        method: &str,
        params: &[(&str, String)],
    ) -> Result<Value, ApiError> {
        let started = Instant::now();
        let result = match serde_urlencoded::to_string(params) {
            Ok(query) => match wire::get(format!("{}/{method}?{query}", self.api_url), token) {
                Ok(request) => wire::send(&self.http, method, request).await,
                Err(err) => Err(err),
            },
            Err(_) => Err(ApiError::Permanent("invalid_arguments".into())),
        };
        self.observe(scopes::static_name(method), started, &result);
        result
    }

    /// After a first attempt: Slack said `token_expired` and a fresh token
    /// is at hand → once more with it; anything else stands.
    async fn after_expiry(
        &self,
        ws: &Workspace,
        token: &Secret,
        first: Result<Value, ApiError>,
    ) -> Retry {
        let expired = matches!(&first, Err(e) if e.code() == Some("token_expired"));
        if !expired {
            return Retry::Done(first);
        }
        match self.tokens.refresh(self, ws, Some(token)).await {
            Ok(Some(fresh)) => {
                tracing::info!(team = %ws.team_id, "token expired; refreshed, calling again");
                Retry::With(fresh.token)
            }
            Ok(None) => Retry::Done(first),
            Err(err) => {
                tracing::warn!(team = %ws.team_id, error = %err, "token expired and could not be refreshed");
                Retry::Done(first)
            }
        }
    }

    /// Refreshes `ws`'s rotating token ahead of its expiry (the durable
    /// refresh timer); `None` when it does not rotate.
    pub async fn refresh_token(&self, ws: &Workspace) -> Result<Option<Fresh>, ApiError> {
        self.tokens.refresh(self, ws, None).await
    }

    /// POSTs raw bytes to the `upload_url` that `files.getUploadURLExternal`
    /// returned (step 2 of Slack's file upload; Slack answers with plain text).
    #[tracing::instrument(skip_all, fields(bytes = content.len()))]
    pub async fn upload(
        &self,
        ws: &Workspace,
        upload_url: &str,
        content_type: &str,
        content: &[u8],
    ) -> Result<(), ApiError> {
        let url =
            Url::parse(upload_url).map_err(|_| ApiError::Permanent("invalid_upload_url".into()))?;
        let token = self.tokens.token(self, ws).await?;
        let token = SlackApiToken::new(SlackApiTokenValue(token.expose().to_string()));
        let span = tracing::Span::current();
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: Some(&token),
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

/// What to do after a first attempt.
enum Retry {
    Done(Result<Value, ApiError>),
    With(Secret),
}

fn rustls_empty_config() -> rustls::ClientConfig {
    rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

#[cfg(test)]
mod tests;
