//! Installing wb in many workspaces (issue 15, SPEC §5.4): the install page
//! and its one-time state, the code exchanged with the fake Slack's
//! `oauth.v2.access`, each workspace served with its own token and kept
//! apart from the others, token rotation, uninstall and revocation, purge,
//! and no secret in any log. Shared helpers here; tests by theme below.

mod flow;
mod isolation;
mod isolation_triage;
mod leaks;
mod org;
mod rotation;
mod triage_tokens;
mod uninstall;

use serde_json::{json, Value};

pub use crate::fake_oauth::Workspace;
use crate::helpers::*;

pub const TEAM_A: &str = "TAAAA0001";
pub const TEAM_B: &str = "TBBBB0002";
pub const CHANNEL_A: &str = "CAAAA0001";
pub const CHANNEL_B: &str = "CBBBB0002";
pub const USER_A: &str = "UAAAA0001";
pub const USER_B: &str = "UBBBB0002";

pub fn acme() -> Workspace {
    Workspace::new(TEAM_A, "Acme")
}

pub fn bravo() -> Workspace {
    Workspace::new(TEAM_B, "Bravo")
}

/// The install page as a browser gets it: the answer, the state in its
/// *Add to Slack* link and the state cookie wb set.
pub struct InstallPage {
    pub answer: Answer,
    /// Slack's authorize URL from the page's link.
    pub link: url::Url,
    pub state: String,
    /// The `Set-Cookie` header as sent.
    pub set_cookie: String,
}

impl InstallPage {
    /// The `Cookie` header the browser sends back.
    pub fn cookie(&self) -> String {
        self.set_cookie
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// The `href` of the page's *Add to Slack* link, unescaped.
fn add_link(html: &str) -> url::Url {
    let at = html
        .find("class=\"add\" href=\"")
        .expect("an Add to Slack link");
    let rest = &html[at + "class=\"add\" href=\"".len()..];
    let href = &rest[..rest.find('"').expect("end of href")];
    url::Url::parse(&href.replace("&amp;", "&")).expect("a URL")
}

pub async fn install_page(app: &TestApp) -> InstallPage {
    read_install_page(app.get("/slack/install").await)
}

/// The link, state and cookie of an install page.
pub fn read_install_page(answer: Answer) -> InstallPage {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let link = add_link(&answer.body);
    let state = link
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state in the link");
    let set_cookie = answer
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a state cookie")
        .to_string();
    InstallPage {
        answer,
        link,
        state,
        set_cookie,
    }
}

/// Slack's redirect back to wb, with the browser's cookie when given.
pub async fn redirect(app: &TestApp, query: &[(&str, &str)], cookie: Option<&str>) -> Answer {
    let q = serde_urlencoded::to_string(query).expect("query");
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
    app.get_with(&format!("/slack/oauth_redirect?{q}"), &headers)
        .await
}

/// The fake Slack's OAuth side of `app`.
pub fn oauth(app: &TestApp) -> &FakeOAuth {
    app.oauth.as_ref().expect("started with installs()")
}

/// Installs wb into `ws` the way a browser does; asserts the success page.
pub async fn install(app: &TestApp, ws: &Workspace) -> Answer {
    let page = install_page(app).await;
    let code = oauth(app).code_for(ws);
    let cookie = page.cookie();
    let done = redirect(
        app,
        &[("code", &code), ("state", &page.state)],
        Some(&cookie),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    done
}

/// A signed `/wb` command from `user` of `team` in `channel`.
pub async fn command_in(
    app: &TestApp,
    team: &str,
    channel: &str,
    user: &str,
    text: &str,
) -> Answer {
    let body = serde_urlencoded::to_string([
        ("team_id", team),
        ("team_domain", "example"),
        ("channel_id", channel),
        ("channel_name", "product"),
        ("user_id", user),
        ("user_name", "someone"),
        ("command", "/wb"),
        ("text", text),
        ("api_app_id", "A0WB"),
        ("is_enterprise_install", "false"),
        ("response_url", &format!("{}/response", app.slack.uri())),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ])
    .expect("form");
    app.raw(
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body.into_bytes(),
        Signing::Valid,
    )
    .await
}

/// An Events API envelope of `team` around `event`.
pub fn envelope_in(team: &str, event_id: &str, event: Value) -> Value {
    json!({
        "token": "XXYYZZ", "team_id": team, "api_app_id": "A0WB", "event": event,
        "type": "event_callback", "event_id": event_id, "event_time": 1763740000,
        "authorizations": [{"enterprise_id": null, "team_id": team, "user_id": format!("UB{team}"),
            "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false
    })
}

/// Starts a session from `team` and returns (its number, its root ts).
pub async fn start_session_in(
    app: &TestApp,
    team: &str,
    channel: &str,
    user: &str,
    idea: &str,
) -> (i64, String) {
    let answer = command_in(app, team, channel, user, &format!("pressrelease {idea}")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let found: Option<(i64, String)> = crate::testdb::query_as(
            "SELECT id, thread_ts FROM sessions WHERE team_id = ? AND title = ?",
        )
        .bind(team)
        .bind(idea)
        .fetch_optional(&app.pool)
        .await
        .expect("read");
        if let Some(found) = found {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the session was never stored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A human reply in `thread_ts` of `channel` of `team`.
pub fn reply_in(
    team: &str,
    channel: &str,
    user: &str,
    ts: &str,
    thread_ts: &str,
    text: &str,
) -> Value {
    json!({
        "type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts,
        "team": team, "channel": channel, "event_ts": ts, "channel_type": "channel",
    })
}
