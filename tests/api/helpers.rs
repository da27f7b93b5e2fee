//! `spawn_app()`: the real server on port 0, a temp SQLite file (or a fresh
//! PostgreSQL database, see `testdb`), and a local fake Slack (wiremock) as
//! SLACK_API_URL; plus requests signed exactly as Slack signs (`requests`)
//! and waits for the background work (`waits`).

mod requests;
mod waits;

pub use requests::*;

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
