//! The fake Slack's OAuth side, stateful like the real one:
//! `oauth.v2.access` exchanges the codes a test hands out (one workspace per
//! code, once each) and refresh tokens (each used once, a new pair issued),
//! and `auth.test` says whose a token is. Every token it issues names its
//! workspace, so a test can tell which token a call went out with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "1111.2222";
pub const CLIENT_SECRET: &str = "c1ient-s3cret-0fde4ab1";

/// A workspace the fake can install wb into.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub team: String,
    pub name: String,
    pub enterprise: Option<String>,
    pub installer: String,
    /// Seconds an access token lives (token rotation); `None`: no rotation.
    pub expires_in: Option<i64>,
    /// An org-wide install of the org `enterprise` (Slack names no team).
    pub org_wide: bool,
}

impl Workspace {
    pub fn new(team: &str, name: &str) -> Self {
        Self {
            team: team.into(),
            name: name.into(),
            enterprise: None,
            installer: "U0INSTALLER".into(),
            expires_in: None,
            org_wide: false,
        }
    }

    /// An org-wide install of org `enterprise` (tokens are the org's).
    pub fn org(enterprise: &str, name: &str) -> Self {
        Self {
            team: enterprise.into(),
            name: name.into(),
            enterprise: Some(enterprise.into()),
            org_wide: true,
            ..Self::new(enterprise, name)
        }
    }

    pub fn rotating(mut self, expires_in: i64) -> Self {
        self.expires_in = Some(expires_in);
        self
    }
}

#[derive(Default)]
struct State {
    /// code → workspace, while unused.
    codes: HashMap<String, Workspace>,
    /// refresh token → workspace, while unused.
    refresh: HashMap<String, Workspace>,
    /// access token → team.
    tokens: HashMap<String, String>,
    /// Access tokens in the order they were issued: (team, token).
    history: Vec<(String, String)>,
    issued: u64,
    /// Every grant asked for: (grant_type, Basic credentials right).
    grants: Vec<(String, bool)>,
    /// Answer the next code exchange with this error.
    fail_next: Option<String>,
}

/// The fake's OAuth state, shared with the test.
#[derive(Clone, Default)]
pub struct FakeOAuth(Arc<Mutex<State>>);

impl FakeOAuth {
    /// Mounts `oauth.v2.access` and `auth.test` on `slack`.
    pub async fn mount(slack: &MockServer) -> Self {
        let fake = Self::default();
        Mock::given(method("POST"))
            .and(path("/api/oauth.v2.access"))
            .respond_with(Access(fake.clone()))
            .mount(slack)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/auth.test"))
            .respond_with(AuthTest(fake.clone()))
            .mount(slack)
            .await;
        fake
    }

    /// A code Slack would hand the installer of `ws`.
    pub fn code_for(&self, ws: &Workspace) -> String {
        let mut s = self.0.lock().expect("lock");
        s.issued += 1;
        let code = format!("code-{}-{}", ws.team, s.issued);
        s.codes.insert(code.clone(), ws.clone());
        code
    }

    /// Makes the static token's owner known to `auth.test`.
    pub fn knows_token(&self, token: &str, team: &str) {
        let mut s = self.0.lock().expect("lock");
        s.tokens.insert(token.into(), team.into());
    }

    /// The next code exchange answers `ok: false` with `error`.
    pub fn fail_next(&self, error: &str) {
        self.0.lock().expect("lock").fail_next = Some(error.into());
    }

    /// The grant types asked for so far, and whether each came with the
    /// right Basic credentials.
    pub fn grants(&self) -> Vec<(String, bool)> {
        self.0.lock().expect("lock").grants.clone()
    }

    /// Every token issued so far (access and refresh), for leak checks.
    pub fn issued_tokens(&self) -> Vec<String> {
        let s = self.0.lock().expect("lock");
        s.tokens.keys().chain(s.refresh.keys()).cloned().collect()
    }

    /// The access tokens issued for `team`, oldest first.
    pub fn access_tokens(&self, team: &str) -> Vec<String> {
        let s = self.0.lock().expect("lock");
        s.history
            .iter()
            .filter(|(t, _)| t == team)
            .map(|(_, token)| token.clone())
            .collect()
    }

    /// The team whose token `token` is.
    pub fn team_of(&self, token: &str) -> Option<String> {
        self.0.lock().expect("lock").tokens.get(token).cloned()
    }

    fn issue(s: &mut State, ws: &Workspace) -> Value {
        s.issued += 1;
        let n = s.issued;
        let rotating = ws.expires_in.is_some();
        let access = if rotating {
            format!("xoxe.xoxb-{}-{n}-access", ws.team)
        } else {
            format!("xoxb-{}-{n}-access", ws.team)
        };
        s.tokens.insert(access.clone(), ws.team.clone());
        s.history.push((ws.team.clone(), access.clone()));
        let mut answer = json!({
            "ok": true, "app_id": "A0WB", "scope": wb::slack::registry::bot_scopes().join(","),
            "token_type": "bot", "access_token": access, "bot_user_id": format!("UB{}", ws.team),
            "team": if ws.org_wide { Value::Null } else { json!({"id": ws.team, "name": ws.name}) },
            "enterprise": ws.enterprise.as_ref().map(|e| json!({"id": e, "name": ws.name})),
            "is_enterprise_install": ws.org_wide,
        });
        if let Some(secs) = ws.expires_in {
            let refresh = format!("xoxe-1-{}-{n}-refresh", ws.team);
            s.refresh.insert(refresh.clone(), ws.clone());
            answer["refresh_token"] = json!(refresh);
            answer["expires_in"] = json!(secs);
        }
        answer
    }
}

fn error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": code}))
}

fn basic_ok(request: &Request) -> bool {
    use base64::Engine;
    let want =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(format!("Basic {want}").as_str())
}

struct Access(FakeOAuth);

impl Respond for Access {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> =
            serde_urlencoded::from_bytes(&request.body).unwrap_or_default();
        let grant = form.get("grant_type").cloned().unwrap_or_default();
        let mut s = self.0 .0.lock().expect("lock");
        let credentials = basic_ok(request);
        s.grants.push((grant.clone(), credentials));
        if !credentials {
            return error("invalid_client_id");
        }
        match grant.as_str() {
            "authorization_code" => {
                if let Some(code) = s.fail_next.take() {
                    return error(&code);
                }
                let code = form.get("code").cloned().unwrap_or_default();
                let Some(ws) = s.codes.remove(&code) else {
                    return error("invalid_code");
                };
                if form.get("redirect_uri").map(String::as_str)
                    != Some("https://wb.test/slack/oauth_redirect")
                {
                    return error("bad_redirect_uri");
                }
                let mut answer = FakeOAuth::issue(&mut s, &ws);
                answer["authed_user"] = json!({"id": ws.installer});
                ResponseTemplate::new(200).set_body_json(answer)
            }
            "refresh_token" => {
                let token = form.get("refresh_token").cloned().unwrap_or_default();
                // A refresh token is revoked once used (FACTS D5).
                let Some(ws) = s.refresh.remove(&token) else {
                    return error("invalid_refresh_token");
                };
                ResponseTemplate::new(200).set_body_json(FakeOAuth::issue(&mut s, &ws))
            }
            _ => error("invalid_grant_type"),
        }
    }
}

struct AuthTest(FakeOAuth);

impl Respond for AuthTest {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .to_string();
        match self.0.team_of(&token) {
            Some(team) => ResponseTemplate::new(200).set_body_json(json!({
                "ok": true, "team_id": team, "user_id": format!("UB{team}"), "bot_id": "B0WB"
            })),
            None => error("invalid_auth"),
        }
    }
}
