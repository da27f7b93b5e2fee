//! `spawn_app()`: the real server on port 0, a temp SQLite file (or a fresh
//! PostgreSQL database, see `testdb`), and a local fake Slack (wiremock) as
//! SLACK_API_URL; plus requests signed exactly as Slack signs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use crate::fake_oauth::FakeOAuth;
pub use crate::fake_slack::{History, Hook, Log, PostMessage};
use wb::app::AppState;
use wb::clock::Clock;
use wb::config::{Config, InstallConfig, Keys, Mode, Secret};
use wb::startup::Running;

pub const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
pub const BOT_TOKEN: &str = "xoxb-test-token-0000";
pub const TEAM: &str = "T0001";
pub const CHANNEL: &str = "C2147483705";
pub const USER: &str = "U2147483697";
/// WB_ENCRYPTION_KEY of the tests that install wb (base64 of 32 bytes).
pub const ENCRYPTION_KEY: &str = "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=";
/// WB_PUBLIC_URL of the tests that install wb.
pub const PUBLIC_URL: &str = "https://wb.test";

/// A running wb and its fake Slack.
pub struct TestApp {
    pub addr: std::net::SocketAddr,
    /// The admin server's address, when `Options::admin` asked for one.
    pub admin: Option<std::net::SocketAddr>,
    pub slack: MockServer,
    pub db_url: String,
    pub state: Arc<AppState>,
    pub dir: Arc<tempfile::TempDir>,
    /// A connection pool of the test's own on wb's database, to arrange and
    /// inspect rows directly.
    pub pool: crate::testdb::Pool,
    /// Drops the test's PostgreSQL database at the end (not at `stop`).
    drop_db: crate::testdb::DropDb,
    /// The fake's OAuth side, when wb runs with installs (`Options::oauth`).
    pub oauth: Option<FakeOAuth>,
    running: Running,
}

/// Mounts `conversations.history` / `conversations.replies` over `log`.
pub async fn mount_history(slack: &MockServer, log: Log) {
    for m in ["conversations.history", "conversations.replies"] {
        Mock::given(method("GET"))
            .and(path(format!("/api/{m}")))
            .respond_with(History(log.clone()))
            .mount(slack)
            .await;
    }
}

pub fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
}

pub fn slack_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": code}))
}

/// Mounts the usual happy answers of the Web API methods wb calls.
pub async fn mount_defaults(slack: &MockServer) {
    let posts = PostMessage::new();
    mount_history(slack, posts.log.clone()).await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(posts)
        .mount(slack)
        .await;
    for m in [
        "chat.update",
        "chat.postEphemeral",
        "reactions.add",
        "conversations.join",
        "views.open",
        "views.update",
    ] {
        Mock::given(method("POST"))
            .and(path(format!("/api/{m}")))
            .respond_with(ok())
            .mount(slack)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/response"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(slack)
        .await;
}

pub struct Options {
    pub defaults: bool,
    pub clock: Option<Clock>,
    pub db_dir: Option<Arc<tempfile::TempDir>>,
    /// Also serve the operations routes on a second address (WB_ADMIN_LISTEN).
    pub admin: bool,
    /// WB_SLACK_PACING (on by default, as in production).
    pub pacing: bool,
    /// Installs (SLACK_CLIENT_ID, …, WB_ENCRYPTION_KEY), with the fake
    /// answering `oauth.v2.access` and `auth.test`.
    pub oauth: bool,
    /// SLACK_BOT_TOKEN set (the default; off for installs only).
    pub bot_token: bool,
    /// WB_PURGE_ON_UNINSTALL.
    pub purge_on_uninstall: bool,
    /// WB_BACKLOG_BOUND_MS.
    pub backlog_bound: std::time::Duration,
    /// SQLite even when the suite runs on PostgreSQL (a SQLite deployment
    /// to move).
    pub sqlite: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            defaults: true,
            clock: None,
            db_dir: None,
            admin: false,
            pacing: true,
            oauth: false,
            bot_token: true,
            purge_on_uninstall: false,
            backlog_bound: wb::config::DEFAULT_BACKLOG_BOUND,
            sqlite: false,
        }
    }
}

/// `Options` for installs: OAuth on, no static token.
pub fn installs() -> Options {
    Options {
        oauth: true,
        bot_token: false,
        ..Options::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// A fake Slack with nothing mounted: the test mounts what it needs first.
pub async fn spawn_app_bare() -> TestApp {
    spawn_app_with(Options {
        defaults: false,
        ..Options::default()
    })
    .await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let slack = MockServer::start().await;
    if options.defaults {
        mount_defaults(&slack).await;
    }
    let oauth = if options.oauth {
        Some(FakeOAuth::mount(&slack).await)
    } else {
        None
    };
    let mut app = start(slack, options).await;
    app.oauth = oauth;
    app
}

/// Starts wb against an existing fake Slack (e.g. a restart on the same DB).
pub async fn start(slack: MockServer, options: Options) -> TestApp {
    let dir = options
        .db_dir
        .unwrap_or_else(|| Arc::new(tempfile::tempdir().expect("temp dir")));
    let (db_url, drop_db) = if options.sqlite {
        let url = format!("sqlite://{}", dir.path().join("wb.db").display());
        (url, crate::testdb::DropDb::none())
    } else {
        let url = crate::testdb::db_url(dir.path());
        (url, crate::testdb::DropDb::of(dir.path()))
    };
    let config = Config {
        database_url: db_url.clone(),
        db_tuning: Default::default(),
        signing_secret: Secret::new(SECRET),
        bot_token: options.bot_token.then(|| Secret::new(BOT_TOKEN)),
        app_token: None,
        listen: "127.0.0.1:0".parse().expect("addr"),
        slack_api_url: format!("{}/api", slack.uri()),
        admin_listen: options.admin.then(|| "127.0.0.1:0".parse().expect("addr")),
        pacing: options.pacing,
        install: options.oauth.then(|| InstallConfig {
            client_id: crate::fake_oauth::CLIENT_ID.into(),
            client_secret: Secret::new(crate::fake_oauth::CLIENT_SECRET),
            public_url: PUBLIC_URL.into(),
        }),
        keys: options.oauth.then(|| Keys {
            current: wb::config::decode_key(ENCRYPTION_KEY).expect("key"),
            previous: Vec::new(),
        }),
        purge_on_uninstall: options.purge_on_uninstall,
        backlog_bound: options.backlog_bound,
    };
    let clock = options.clock.unwrap_or_else(Clock::system);
    let running = wb::startup::start(config, Mode::Http, clock)
        .await
        .expect("wb starts");
    let addr = running.addr.expect("listening");
    let admin = running.admin_addr;
    let state = running.state.clone();
    let pool = crate::testdb::connect(&db_url).await.expect("test pool");
    TestApp {
        addr,
        admin,
        slack,
        db_url,
        state,
        dir,
        pool,
        drop_db,
        oauth: None,
        running,
    }
}

/// What the server answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    #[allow(dead_code)]
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// How a test signs a request.
#[derive(Clone, Copy, Debug)]
pub enum Signing<'a> {
    Valid,
    At(i64),
    Secret(&'a str),
    Missing,
    Garbage,
    /// These exact headers, e.g. a captured request replayed later.
    Exact {
        ts: &'a str,
        sig: &'a str,
    },
}

/// Sends a request to a wb listening on `addr`, signed as `signing` says.
pub async fn raw_to(
    addr: std::net::SocketAddr,
    verb: &str,
    p: &str,
    content_type: &str,
    body: Vec<u8>,
    signing: Signing<'_>,
) -> Answer {
    let mut builder = http::Request::builder()
        .method(verb)
        .uri(format!("http://{addr}{p}"))
        .header("content-type", content_type);
    let (secret, ts) = match signing {
        Signing::Valid => (Some(SECRET), now()),
        Signing::At(ts) => (Some(SECRET), ts),
        Signing::Secret(s) => (Some(s), now()),
        Signing::Missing => (None, now()),
        Signing::Garbage | Signing::Exact { .. } => (None, now()),
    };
    if let Some(secret) = secret {
        let ts = ts.to_string();
        let sig = wb::http::signature::sign(secret, &ts, &body);
        builder = builder
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig);
    } else if let Signing::Exact { ts, sig } = signing {
        builder = builder
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig);
    } else if matches!(signing, Signing::Garbage) {
        builder = builder
            .header("x-slack-request-timestamp", now().to_string())
            .header("x-slack-signature", "v0=deadbeef");
    }
    let req = builder.body(Full::new(Bytes::from(body))).expect("request");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let res = tokio::time::timeout(Duration::from_secs(15), client.request(req))
        .await
        .expect("server answered in time")
        .expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// A GET on a wb listening on `addr`, with extra headers.
pub async fn get_to(addr: std::net::SocketAddr, p: &str, headers: &[(&str, &str)]) -> Answer {
    let mut builder = http::Request::builder()
        .method("GET")
        .uri(format!("http://{addr}{p}"));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let req = builder.body(Full::new(Bytes::new())).expect("request");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let res = tokio::time::timeout(Duration::from_secs(15), client.request(req))
        .await
        .expect("server answered in time")
        .expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// A signed `/wb` command body from USER in CHANNEL.
pub fn command_form(text: &str, response_url: &str) -> Vec<u8> {
    serde_urlencoded::to_string([
        ("token", "gIkuvaNzQIHg97ATvDxqgjtO"),
        ("team_id", TEAM),
        ("team_domain", "example"),
        ("channel_id", CHANNEL),
        ("channel_name", "product"),
        ("user_id", USER),
        ("user_name", "steve"),
        ("command", "/wb"),
        ("text", text),
        ("api_app_id", "A123456"),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ])
    .expect("form")
    .into_bytes()
}

/// The value of one series (`name{labels}`, exactly as exported) in a
/// Prometheus text exposition.
pub fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

impl TestApp {
    /// A plain GET on wb serve's address (no signature).
    pub async fn get(&self, p: &str) -> Answer {
        raw_to(
            self.addr,
            "GET",
            p,
            "text/plain",
            Vec::new(),
            Signing::Missing,
        )
        .await
    }

    /// A GET on wb serve's address with extra headers (a browser's cookie).
    pub async fn get_with(&self, p: &str, headers: &[(&str, &str)]) -> Answer {
        get_to(self.addr, p, headers).await
    }

    /// The bearer token of every request the fake received for `method`.
    pub async fn tokens_of(&self, slack_method: &str) -> Vec<String> {
        let wanted = format!("/api/{slack_method}");
        self.slack
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == wanted)
            .map(|r| {
                r.headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    /// A plain GET on the admin address (`Options::admin`).
    pub async fn admin_get(&self, p: &str) -> Answer {
        let admin = self
            .admin
            .expect("started with Options { admin: true, .. }");
        raw_to(admin, "GET", p, "text/plain", Vec::new(), Signing::Missing).await
    }

    pub async fn raw(
        &self,
        verb: &str,
        p: &str,
        content_type: &str,
        body: Vec<u8>,
        signing: Signing<'_>,
    ) -> Answer {
        raw_to(self.addr, verb, p, content_type, body, signing).await
    }

    /// A `/wb` slash command from USER in CHANNEL, signed.
    pub async fn command(&self, text: &str) -> Answer {
        self.command_signed(text, Signing::Valid).await
    }

    pub fn command_body(&self, text: &str) -> Vec<u8> {
        command_form(text, &format!("{}/response", self.slack.uri()))
    }

    pub async fn command_signed(&self, text: &str, signing: Signing<'_>) -> Answer {
        let body = self.command_body(text);
        self.raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            signing,
        )
        .await
    }

    pub async fn event(&self, payload: &Value) -> Answer {
        self.raw(
            "POST",
            "/slack/events",
            "application/json",
            payload.to_string().into_bytes(),
            Signing::Valid,
        )
        .await
    }

    pub async fn interaction(&self, payload: &Value) -> Answer {
        let body = serde_urlencoded::to_string([("payload", payload.to_string())])
            .expect("form")
            .into_bytes();
        self.raw(
            "POST",
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await
    }

    /// Requests the fake Slack received for `method` (e.g. "chat.postMessage"), bodies as JSON.
    pub async fn calls(&self, slack_method: &str) -> Vec<Value> {
        let wanted = format!("/api/{slack_method}");
        self.slack
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| {
                r.url.path() == wanted
                    || (slack_method == "response_url" && r.url.path() == "/response")
            })
            .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
            .collect()
    }

    /// Waits (up to 15 s) until the fake received at least `n` calls of `method`.
    pub async fn wait_for_calls(&self, slack_method: &str, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let calls = self.calls(slack_method).await;
            if calls.len() >= n {
                return calls;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!(
                    "expected {n} {slack_method} call(s), got {}: {calls:?}",
                    calls.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until the outbox has nothing pending.
    pub async fn settle(&self) {
        let start = Instant::now();
        while self
            .state
            .store
            .read(|tx| tx.pending_jobs())
            .await
            .unwrap_or(1)
            > 0
        {
            if start.elapsed() > Duration::from_secs(20) {
                let pending: Vec<(String, Option<String>)> = crate::testdb::query_as(
                    "SELECT job, last_error FROM outbox WHERE state = 'pending'",
                )
                .fetch_all(&self.pool)
                .await
                .unwrap_or_default();
                panic!("outbox did not drain: {pending:?}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until no job is due or running (timers due later, such as a
    /// token's refresh, may wait).
    pub async fn settle_due(&self) {
        let start = Instant::now();
        loop {
            let now = self.state.clock.unix_ms();
            let busy: i64 = crate::testdb::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND (claimed_by IS NOT NULL OR due_at_ms <= ?)",
            )
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .unwrap_or(1);
            if busy == 0 {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "due jobs did not drain"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Starts a session through `/wb pressrelease` and returns its root `ts`.
    pub async fn start_session(&self, idea: &str) -> String {
        let before = self.calls("chat.postMessage").await.len();
        let answer = self.command(&format!("pressrelease {idea}")).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        self.wait_for_calls("chat.postMessage", before + 1).await;
        self.settle().await;
        let sessions = self
            .state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("sessions");
        sessions
            .iter()
            .rev()
            .find(|s| s.session.title == idea.trim())
            .map(|s| s.session.thread_ts.clone())
            .expect("session stored")
    }

    /// Runs the `wb` binary against this app's database.
    pub fn wb(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &self.db_url)
            .current_dir(self.dir.path())
            .output()
            .expect("run wb")
    }

    /// Stops the server and the worker (as a deploy would).
    pub async fn stop(self) -> (MockServer, Arc<tempfile::TempDir>) {
        self.pool.close().await;
        self.running.stop().await;
        self.drop_db.disarm();
        (self.slack, self.dir)
    }
}

/// An Events API envelope around `event`.
pub fn envelope(event_id: &str, event: Value) -> Value {
    json!({
        "token": "XXYYZZ",
        "team_id": TEAM,
        "api_app_id": "A123456",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1763740000,
        "authorizations": [{"enterprise_id": null, "team_id": TEAM, "user_id": "U0BOT", "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false
    })
}

/// A shared fixture from ../shared/slack/fixtures.
pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The single integer `sql` returns on the app's database (a count).
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    crate::testdb::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}
