//! "Add to Slack" (SPEC §5.4, FACTS D1–D4, D8): the install page, whose link
//! carries a fresh one-time `state` (also set in an HttpOnly cookie), and
//! the redirect Slack sends the installer back to. The redirect's state is
//! checked — present, made by wb, unused, under ten minutes old, and the
//! browser's own — before anything goes to Slack; then the code is
//! exchanged (`oauth.v2.access`) and the installation recorded. Answers are
//! [`Page`]s; the HTTP edge owns headers. No code, state or token is ever
//! logged.

use url::Url;

use super::registry::bot_scopes;
use crate::app::AppState;
use crate::config::{InstallConfig, Secret};
use crate::domain::install::STATE_TTL_MS;
use crate::flows::install::{self, InstallError};
use crate::views::install::{denied_page, error_page, install_page, installed_page};
use crate::webapi::{ApiError, Grant};

/// The cookie holding the browser's state.
pub const STATE_COOKIE: &str = "wb_oauth_state";

/// A page to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub status: u16,
    pub html: String,
    /// A `Set-Cookie` value, when the state cookie is set or cleared.
    pub set_cookie: Option<String>,
    /// Why a request was refused, for the refusal log (never a secret).
    pub refusal: Option<String>,
}

impl Page {
    fn ok(html: String) -> Self {
        Self {
            status: 200,
            html,
            set_cookie: None,
            refusal: None,
        }
    }

    fn refused(status: u16, title: &str, what: &str, reason: &str, again: &str) -> Self {
        Self {
            status,
            html: error_page(title, what, again),
            set_cookie: None,
            refusal: Some(reason.to_string()),
        }
    }

    fn with_cookie(mut self, cookie: String) -> Self {
        self.set_cookie = Some(cookie);
        self
    }
}

fn not_configured() -> Page {
    Page::refused(
        404,
        "Installing is not set up",
        "This wb serves one workspace with its own token; it has no install link (SLACK_CLIENT_ID is not set).",
        "installs are not configured",
        "/slack/install",
    )
}

/// The state cookie: HttpOnly, SameSite=Lax (it must come back on Slack's
/// top-level redirect), Secure when wb is reached over https, only for the
/// redirect's path, ten minutes.
fn state_cookie(config: &InstallConfig, value: &str, max_age_secs: i64) -> String {
    let secure = if config.secure_cookie() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{STATE_COOKIE}={value}; Path={}; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}",
        config.redirect_path()
    )
}

/// Slack's authorize URL: next to `SLACK_API_URL`'s `/api`
/// (`https://slack.com/oauth/v2/authorize`).
fn authorize_url(
    api_url: &str,
    client_id: &str,
    scopes: &[&str],
    redirect_uri: &str,
    state: &str,
) -> Option<String> {
    let base = api_url.strip_suffix("/api").unwrap_or(api_url);
    let mut url = Url::parse(&format!("{base}/oauth/v2/authorize")).ok()?;
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("scope", &scopes.join(","))
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state);
    Some(url.into())
}

/// `GET /slack/install`.
pub async fn install(app: &AppState) -> Page {
    let Some(config) = &app.config.install else {
        return not_configured();
    };
    let state = match install::begin(app).await {
        Ok(state) => state,
        Err(err) => {
            tracing::error!(%err, "could not make an install link");
            return Page::refused(
                500,
                "Something went wrong",
                "wb could not make an install link just now. Please reload the page.",
                "could not store a state",
                &config.install_url(),
            );
        }
    };
    let scopes = bot_scopes();
    let url = authorize_url(
        &app.config.slack_api_url,
        &config.client_id,
        &scopes,
        &config.redirect_uri(),
        state.expose(),
    );
    let Some(url) = url else {
        return Page::refused(
            500,
            "Something went wrong",
            "SLACK_API_URL does not make an authorize URL.",
            "bad authorize URL",
            &config.install_url(),
        );
    };
    let cookie = state_cookie(config, state.expose(), STATE_TTL_MS / 1000);
    Page::ok(install_page(&url, &scopes)).with_cookie(cookie)
}

/// The state cookie's value in a `Cookie` header.
pub fn state_from_cookies(header: Option<&str>) -> Option<&str> {
    header?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == STATE_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty())
}

/// `GET /slack/oauth_redirect?code=…&state=…` (or `?error=…`).
pub async fn redirect(app: &AppState, query: &[(String, String)], cookie: Option<&str>) -> Page {
    let Some(config) = &app.config.install else {
        return not_configured();
    };
    // The state is spent whatever happens: the cookie goes with it.
    let clear = state_cookie(config, "", 0);
    let again = config.install_url();
    let refused = |status, title: &str, what: &str, reason: &str| {
        Page::refused(status, title, what, reason, &again).with_cookie(clear.clone())
    };
    let field = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(error) = field("error") {
        if error == "access_denied" {
            tracing::info!("the installer cancelled on Slack's page");
            return Page::ok(denied_page(&again)).with_cookie(clear);
        }
        let shown: String = error.chars().take(80).collect();
        return refused(
            400,
            "Slack did not install wb",
            &format!("Slack said: {shown}."),
            "Slack redirected with an error",
        );
    }
    match install::check_state(app, field("state"), cookie).await {
        Ok(Ok(())) => {}
        Ok(Err(problem)) => {
            tracing::warn!(reason = problem.code(), "refused an install redirect");
            return refused(
                400,
                "This install link does not work",
                problem.words(),
                problem.code(),
            );
        }
        Err(err) => {
            tracing::error!(%err, "could not check an install state");
            return refused(
                500,
                "Something went wrong",
                "wb could not check this install link just now.",
                "could not read states",
            );
        }
    }
    let Some(code) = field("code").filter(|c| !c.trim().is_empty()) else {
        return refused(
            400,
            "This install link does not work",
            "Slack's redirect carries no code.",
            "missing code",
        );
    };
    let code = Secret::new(code.trim());
    let redirect_uri = config.redirect_uri();
    let grant = Grant::Code {
        code: &code,
        redirect_uri: &redirect_uri,
    };
    let access = match app
        .slack
        .oauth_access(&config.client_id, &config.client_secret, grant)
        .await
    {
        Ok(access) => access,
        Err(err) => {
            let (status, title, what, reason) = exchange_failed(&err);
            return refused(status, title, &what, reason);
        }
    };
    match install::record(app, &access).await {
        Ok(installed) => {
            let name = installed
                .team_name
                .clone()
                .or(installed.enterprise_name.clone())
                .unwrap_or_else(|| "your workspace".into());
            Page::ok(installed_page(&name, installed.team_id.as_deref())).with_cookie(clear)
        }
        Err(err) => {
            tracing::error!(%err, "could not store an installation");
            let status = if matches!(err, InstallError::NoWorkspace) {
                400
            } else {
                500
            };
            refused(
                status,
                "Something went wrong",
                "Slack installed wb, but wb could not store the installation. Please try again.",
                "could not store the installation",
            )
        }
    }
}

/// What to say when `oauth.v2.access` failed (Slack's error named):
/// status, title, words, and the reason for the refusal log.
fn exchange_failed(err: &ApiError) -> (u16, &'static str, String, &'static str) {
    match err {
        ApiError::Permanent(code) => {
            tracing::warn!(error = %code, "oauth.v2.access refused the install");
            (
                400,
                "Slack did not install wb",
                format!("Slack answered `{code}`."),
                "oauth.v2.access refused",
            )
        }
        other => {
            tracing::warn!(error = %other, "oauth.v2.access failed");
            (
                502,
                "Slack did not answer",
                "Slack could not be reached to finish the install. Please try again.".into(),
                "oauth.v2.access failed",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_sits_next_to_the_api_and_carries_everything() {
        let url = authorize_url(
            "https://slack.com/api",
            "1.2",
            &["chat:write", "commands"],
            "https://wb.example.com/slack/oauth_redirect",
            "st&te",
        )
        .expect("url");
        assert_eq!(
            url,
            "https://slack.com/oauth/v2/authorize?client_id=1.2&scope=chat%3Awrite%2Ccommands\
&redirect_uri=https%3A%2F%2Fwb.example.com%2Fslack%2Foauth_redirect&state=st%26te"
        );
    }

    fn config(public_url: &str) -> InstallConfig {
        InstallConfig {
            client_id: "1.2".into(),
            client_secret: Secret::new("s"),
            public_url: public_url.into(),
        }
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_https() {
        let c = state_cookie(&config("https://wb.example.com"), "abc", 600);
        assert_eq!(
            c,
            "wb_oauth_state=abc; Path=/slack/oauth_redirect; Max-Age=600; HttpOnly; SameSite=Lax; Secure"
        );
        let plain = state_cookie(&config("http://localhost:3000/wb"), "abc", 600);
        assert!(!plain.contains("Secure"), "{plain}");
        assert!(plain.contains("Path=/wb/slack/oauth_redirect"), "{plain}");
        assert_eq!(
            state_from_cookies(Some("a=1; wb_oauth_state=xyz ; b=2")),
            Some("xyz")
        );
        assert_eq!(state_from_cookies(Some("wb_oauth_state=")), None);
        assert_eq!(state_from_cookies(None), None);
    }
}
