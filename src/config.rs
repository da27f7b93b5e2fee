//! The only reader of the environment: every setting of the README's
//! reference, each with its `--flag` twin. Secrets are wrapped so they never
//! reach a log line. The settings of installing wb in many workspaces are
//! checked in [`install`].

mod db;
mod install;

pub use db::{redacted_database_url, validate_database_url, DbArgs, DbTuning};

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

pub use install::{decode_key, InstallConfig, Keys, KEY_BYTES};

/// A value that must never be printed: `Debug` and `Display` say `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it (HMAC key, token header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A configuration problem, reported as one line naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    pub(crate) fn new(variable: &'static str, problem: impl Into<String>) -> Self {
        Self {
            variable,
            problem: problem.into(),
        }
    }
}

/// `WB_BACKLOG_BOUND_MS`'s default.
pub const DEFAULT_BACKLOG_BOUND: Duration = Duration::from_secs(2);

/// Settings of the two long-running modes (`serve`, `socket`).
#[derive(Debug, Clone, Args)]
pub struct SlackArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Verifies every HTTP request from Slack (Basic Information → App Credentials).
    #[arg(
        long = "signing-secret",
        env = "SLACK_SIGNING_SECRET",
        hide_env_values = true
    )]
    pub signing_secret: Option<String>,
    /// `xoxb-` bot token (OAuth & Permissions → Bot User OAuth Token).
    #[arg(long = "bot-token", env = "SLACK_BOT_TOKEN", hide_env_values = true)]
    pub bot_token: Option<String>,
    /// `xapp-` app-level token with `connections:write`, for Socket Mode.
    #[arg(long = "app-token", env = "SLACK_APP_TOKEN", hide_env_values = true)]
    pub app_token: Option<String>,
    /// Address `wb serve` listens on.
    #[arg(long = "listen", env = "WB_LISTEN", default_value = "0.0.0.0:3000")]
    pub listen: String,
    /// Web API base URL (point it at a local fake Slack in tests).
    #[arg(
        long = "slack-api-url",
        env = "SLACK_API_URL",
        default_value = "https://slack.com/api"
    )]
    pub slack_api_url: String,
    /// A second address serving only `/healthz`, `/readyz` and `/metrics`
    /// (in `wb serve` and `wb socket`); empty or unset: none.
    #[arg(long = "admin-listen", env = "WB_ADMIN_LISTEN")]
    pub admin_listen: Option<String>,
    /// `on` spaces Slack calls to Slack's rates (per channel, per method);
    /// `off` sends them as fast as the outbox runs.
    #[arg(long = "slack-pacing", env = "WB_SLACK_PACING", default_value = "on")]
    pub slack_pacing: String,
    /// Milliseconds the outbox may fall behind (the oldest new session not
    /// yet posted) before new sessions are held, up to 1.5 s each; 0: never.
    #[arg(
        long = "backlog-bound-ms",
        env = "WB_BACKLOG_BOUND_MS",
        default_value = "2000"
    )]
    pub backlog_bound_ms: String,
    /// The app's Client ID: wb installs into workspaces from `/slack/install`
    /// (then SLACK_BOT_TOKEN is optional).
    #[arg(long = "client-id", env = "SLACK_CLIENT_ID")]
    pub client_id: Option<String>,
    /// The app's Client Secret (Basic Information → App Credentials).
    #[arg(
        long = "client-secret",
        env = "SLACK_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<String>,
    /// The https base URL Slack redirects installers to (`…/slack/oauth_redirect`).
    #[arg(long = "public-url", env = "WB_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// 32 random bytes in base64: the key installed workspaces' tokens are
    /// encrypted with.
    #[arg(
        long = "encryption-key",
        env = "WB_ENCRYPTION_KEY",
        hide_env_values = true
    )]
    pub encryption_key: Option<String>,
    /// Earlier encryption keys (comma-separated), still accepted while
    /// tokens are re-encrypted under WB_ENCRYPTION_KEY.
    #[arg(
        long = "encryption-key-previous",
        env = "WB_ENCRYPTION_KEY_PREVIOUS",
        hide_env_values = true
    )]
    pub encryption_key_previous: Option<String>,
    /// `true`: a workspace that uninstalls wb also loses its sessions.
    #[arg(long = "purge-on-uninstall", env = "WB_PURGE_ON_UNINSTALL")]
    pub purge_on_uninstall: Option<String>,
}

/// Log line format (`WB_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, with the fields of the spans it happened in.
    Json,
}

impl LogFormat {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(ConfigError::new(
                "WB_LOG_FORMAT",
                format!("`{other}` is not a log format; use text or json"),
            )),
        }
    }
}

/// An address setting: empty means unset.
fn optional_addr(
    variable: &'static str,
    raw: Option<&str>,
) -> Result<Option<SocketAddr>, ConfigError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse::<SocketAddr>().map(Some).map_err(|_| {
            ConfigError::new(
                variable,
                format!("`{v}` is not an address like 127.0.0.1:9090"),
            )
        }),
    }
}

/// Which transport the configuration is validated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Http,
    Socket,
}

/// Validated configuration of a running bot.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// `WB_PG_*`: pool size and timeouts of the PostgreSQL backend.
    pub db_tuning: DbTuning,
    pub signing_secret: Secret,
    /// `SLACK_BOT_TOKEN`: the only token in single-token mode; with OAuth,
    /// the token of its own workspace (installs win for theirs).
    pub bot_token: Option<Secret>,
    pub app_token: Option<Secret>,
    pub listen: SocketAddr,
    pub slack_api_url: String,
    /// `WB_ADMIN_LISTEN`: where the operations routes are served apart.
    pub admin_listen: Option<SocketAddr>,
    /// `WB_SLACK_PACING`: space Slack calls to Slack's rates.
    pub pacing: bool,
    /// OAuth install settings; `None`: single-token mode.
    pub install: Option<InstallConfig>,
    /// `WB_ENCRYPTION_KEY` (and previous keys): seals installed tokens.
    pub keys: Option<Keys>,
    /// `WB_PURGE_ON_UNINSTALL`: an uninstall also deletes the workspace's data.
    pub purge_on_uninstall: bool,
    /// `WB_BACKLOG_BOUND_MS`: how far behind the outbox may fall before new
    /// sessions are held (zero: never).
    pub backlog_bound: Duration,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redacted_database_url(&self.database_url))
            .field("db_tuning", &self.db_tuning)
            .field("signing_secret", &self.signing_secret)
            .field("bot_token", &self.bot_token)
            .field("app_token", &self.app_token)
            .field("listen", &self.listen)
            .field("slack_api_url", &self.slack_api_url)
            .field("admin_listen", &self.admin_listen)
            .field("pacing", &self.pacing)
            .field("install", &self.install)
            .field("keys", &self.keys)
            .field("purge_on_uninstall", &self.purge_on_uninstall)
            .field("backlog_bound", &self.backlog_bound)
            .finish()
    }
}

impl Config {
    /// A configuration in single-token mode (tests, the playground): every
    /// install setting off.
    pub fn single_token(
        database_url: String,
        signing_secret: Secret,
        bot_token: Secret,
        slack_api_url: String,
    ) -> Self {
        Self {
            database_url,
            db_tuning: DbTuning::default(),
            signing_secret,
            bot_token: Some(bot_token),
            app_token: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            slack_api_url,
            admin_listen: None,
            pacing: true,
            install: None,
            keys: None,
            purge_on_uninstall: false,
            backlog_bound: DEFAULT_BACKLOG_BOUND,
        }
    }
}

impl Config {
    /// Checks every value the mode needs; the error names the first bad one.
    pub fn from_args(args: SlackArgs, mode: Mode) -> Result<Self, ConfigError> {
        let database_url = validate_database_url(&args.db.database_url)?;
        let db_tuning = args.db.tuning()?;
        let installs = install::validate(install::RawInstall {
            client_id: args.client_id,
            client_secret: args.client_secret,
            public_url: args.public_url,
            encryption_key: args.encryption_key,
            previous_keys: args.encryption_key_previous,
            purge_on_uninstall: args.purge_on_uninstall,
        })?;
        let bot_token = match (installs.install.is_some(), args.bot_token) {
            // With OAuth, each workspace's token comes from its install.
            (true, token) => token.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
            (false, token) => Some(required(
                "SLACK_BOT_TOKEN",
                token,
                "set it to the app's Bot User OAuth Token (xoxb-…, Slack app settings → OAuth & Permissions), or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install wb from /slack/install",
            )?),
        };
        if bot_token.as_ref().is_some_and(|t| !t.starts_with("xoxb-")) {
            return Err(ConfigError::new(
                "SLACK_BOT_TOKEN",
                "must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)",
            ));
        }
        let signing_secret = match mode {
            Mode::Http => required(
                "SLACK_SIGNING_SECRET",
                args.signing_secret,
                "set it to the app's Signing Secret (Slack app settings → Basic Information → App Credentials)",
            )?,
            // Socket Mode frames are authenticated by the websocket; the secret is optional.
            Mode::Socket => args.signing_secret.unwrap_or_default(),
        };
        let app_token = match mode {
            Mode::Socket => {
                let token = required(
                    "SLACK_APP_TOKEN",
                    args.app_token,
                    "set it to an app-level token (xapp-…) with connections:write (Basic Information → App-Level Tokens)",
                )?;
                if !token.starts_with("xapp-") {
                    return Err(ConfigError::new(
                        "SLACK_APP_TOKEN",
                        "must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)",
                    ));
                }
                Some(Secret::new(token))
            }
            Mode::Http => args.app_token.filter(|t| !t.is_empty()).map(Secret::new),
        };
        let listen = args.listen.parse::<SocketAddr>().map_err(|_| {
            ConfigError::new(
                "WB_LISTEN",
                format!("`{}` is not an address like 0.0.0.0:3000", args.listen),
            )
        })?;
        let slack_api_url = validate_api_url(&args.slack_api_url)?;
        let admin_listen = optional_addr("WB_ADMIN_LISTEN", args.admin_listen.as_deref())?;
        let pacing = match args.slack_pacing.trim().to_ascii_lowercase().as_str() {
            "on" | "true" | "1" | "" => true,
            "off" | "false" | "0" => false,
            other => {
                return Err(ConfigError::new(
                    "WB_SLACK_PACING",
                    format!("`{other}` is neither on nor off"),
                ))
            }
        };
        let backlog_bound = match args.backlog_bound_ms.trim().parse::<u64>() {
            Ok(ms) if ms <= 600_000 => Duration::from_millis(ms),
            _ => {
                return Err(ConfigError::new(
                    "WB_BACKLOG_BOUND_MS",
                    format!(
                        "`{}` is not a number of milliseconds from 0 (off) to 600000",
                        args.backlog_bound_ms.trim()
                    ),
                ))
            }
        };
        Ok(Self {
            database_url,
            db_tuning,
            signing_secret: Secret::new(signing_secret),
            bot_token: bot_token.map(Secret::new),
            app_token,
            listen,
            slack_api_url,
            admin_listen,
            pacing,
            install: installs.install,
            keys: installs.keys,
            purge_on_uninstall: installs.purge_on_uninstall,
            backlog_bound,
        })
    }
}

fn required(
    variable: &'static str,
    value: Option<String>,
    hint: &str,
) -> Result<String, ConfigError> {
    match value.map(|v| v.trim().to_string()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ConfigError::new(variable, format!("missing; {hint}"))),
    }
}

fn validate_api_url(raw: &str) -> Result<String, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    match url::Url::parse(trimmed) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError::new(
            "SLACK_API_URL",
            format!("`{raw}` is not an http(s) URL like https://slack.com/api"),
        )),
    }
}

#[cfg(test)]
mod tests;
