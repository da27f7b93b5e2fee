//! `oauth.v2.access`: a code from the install redirect, or a refresh token,
//! exchanged for a bot token (FACTS D3–D5). Written by hand rather than with
//! slack-morphism's `oauth2_access`, which sends the code in the URL (and
//! logs that URL at debug level) and cannot refresh: here the code and the
//! tokens travel in a form body, the client credentials in HTTP Basic, and
//! no error or log line ever carries any of them.

use std::time::Instant;

use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;
use serde_json::Value;

use super::{wire, ApiError, SlackApi};
use crate::config::Secret;

/// What is exchanged for a token.
pub enum Grant<'a> {
    /// The `code` of an install redirect, with the redirect URI of the
    /// authorize link (they must match).
    Code {
        code: &'a Secret,
        redirect_uri: &'a str,
    },
    /// A rotating token's refresh token.
    Refresh(&'a Secret),
}

/// Slack's answer: the bot token and what it is for. `Debug` shows no token.
#[derive(Debug, Clone)]
pub struct Access {
    pub access_token: Secret,
    /// Only with token rotation.
    pub refresh_token: Option<Secret>,
    /// Seconds the access token lives (only with token rotation).
    pub expires_in: Option<i64>,
    /// Bot scopes, comma-separated.
    pub scope: String,
    pub bot_user_id: Option<String>,
    pub app_id: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    /// True for an org-wide install (one token for the whole org).
    pub org_install: bool,
    /// The user who authorized the install (absent from a refresh).
    pub installer: Option<String>,
}

fn text(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Access {
    /// Reads Slack's `ok: true` answer.
    fn from_answer(v: &Value) -> Result<Self, ApiError> {
        if v["token_type"].as_str().is_some_and(|t| t != "bot") {
            return Err(ApiError::Permanent("not_a_bot_token".into()));
        }
        let access_token = text(&v["access_token"])
            .map(Secret::new)
            .ok_or_else(|| ApiError::Permanent("oauth_answer_without_token".into()))?;
        Ok(Self {
            access_token,
            refresh_token: text(&v["refresh_token"]).map(Secret::new),
            expires_in: v["expires_in"].as_i64().filter(|s| *s > 0),
            scope: text(&v["scope"]).unwrap_or_default(),
            bot_user_id: text(&v["bot_user_id"]),
            app_id: text(&v["app_id"]),
            team_id: text(&v["team"]["id"]),
            team_name: text(&v["team"]["name"]),
            enterprise_id: text(&v["enterprise"]["id"]),
            enterprise_name: text(&v["enterprise"]["name"]),
            org_install: v["is_enterprise_install"].as_bool() == Some(true),
            installer: text(&v["authed_user"]["id"]),
        })
    }
}

impl SlackApi {
    /// Calls `oauth.v2.access` with the app's credentials.
    #[tracing::instrument(skip_all, fields(grant = grant_name(&grant)))]
    pub async fn oauth_access(
        &self,
        client_id: &str,
        client_secret: &Secret,
        grant: Grant<'_>,
    ) -> Result<Access, ApiError> {
        let started = Instant::now();
        let result = self.exchange(client_id, client_secret, &grant).await;
        self.observe("oauth.v2.access", started, &result);
        let answer = result?;
        Access::from_answer(&answer)
    }

    async fn exchange(
        &self,
        client_id: &str,
        client_secret: &Secret,
        grant: &Grant<'_>,
    ) -> Result<Value, ApiError> {
        let form = match grant {
            Grant::Code { code, redirect_uri } => serde_urlencoded::to_string([
                ("grant_type", "authorization_code"),
                ("code", code.expose()),
                ("redirect_uri", redirect_uri),
            ]),
            Grant::Refresh(token) => serde_urlencoded::to_string([
                ("grant_type", "refresh_token"),
                ("refresh_token", token.expose()),
            ]),
        }
        .map_err(|_| ApiError::Permanent("invalid_form_data".into()))?;
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{client_id}:{}", client_secret.expose()));
        let request = http::Request::post(format!("{}/oauth.v2.access", self.api_url))
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::AUTHORIZATION, format!("Basic {basic}"))
            .body(Full::new(Bytes::from(form)))
            .map_err(|_| ApiError::Permanent("invalid_arguments".into()))?;
        wire::send(&self.http, "oauth.v2.access", request).await
    }

    /// `auth.test` with `token`: whose token it is (`team_id`,
    /// `enterprise_id`, `user_id`).
    pub async fn auth_test(&self, token: &Secret) -> Result<Value, ApiError> {
        self.call_with(token, "auth.test", &serde_json::json!({}))
            .await
    }
}

fn grant_name(grant: &Grant<'_>) -> &'static str {
    match grant {
        Grant::Code { .. } => "authorization_code",
        Grant::Refresh(_) => "refresh_token",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_install_answer_is_read_with_its_org_and_installer() {
        let answer = json!({
            "ok": true, "app_id": "A1", "authed_user": {"id": "U1"},
            "scope": "commands,chat:write", "token_type": "bot",
            "access_token": "xoxe.xoxb-1-abc", "refresh_token": "xoxe-1-def", "expires_in": 43200,
            "bot_user_id": "UB", "team": {"id": "T1", "name": "Acme"},
            "enterprise": {"id": "E1", "name": "Acme Org"}, "is_enterprise_install": false
        });
        let got = Access::from_answer(&answer).expect("read");
        assert_eq!(got.access_token.expose(), "xoxe.xoxb-1-abc");
        assert_eq!(
            got.refresh_token.as_ref().map(Secret::expose),
            Some("xoxe-1-def")
        );
        assert_eq!(got.expires_in, Some(43200));
        assert_eq!(
            (got.team_id.as_deref(), got.enterprise_id.as_deref()),
            (Some("T1"), Some("E1"))
        );
        assert_eq!(got.installer.as_deref(), Some("U1"));
        let shown = format!("{got:?}");
        assert!(!shown.contains("xoxe"), "{shown}");
    }

    #[test]
    fn a_refresh_answer_has_no_installer_and_an_org_install_no_team() {
        let refresh = json!({"ok": true, "access_token": "xoxe.xoxb-2", "refresh_token": "xoxe-2",
            "expires_in": 2, "token_type": "bot", "team": null, "enterprise": {"id": "E1"},
            "is_enterprise_install": true});
        let got = Access::from_answer(&refresh).expect("read");
        assert!(got.installer.is_none() && got.team_id.is_none() && got.org_install);
        let user_only = json!({"ok": true, "access_token": "xoxp-1", "token_type": "user"});
        assert!(Access::from_answer(&user_only).is_err());
        assert!(Access::from_answer(&json!({"ok": true})).is_err());
    }
}
