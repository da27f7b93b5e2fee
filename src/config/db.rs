//! The database settings every subcommand shares: `DATABASE_URL` and the
//! PostgreSQL backend's pool size and timeouts.

use std::time::Duration;

use clap::Args;

use super::ConfigError;

/// Settings shared by every subcommand (the database).
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// `sqlite://path.db` (created if missing) or `postgres://user@host/db`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://wb.db"
    )]
    pub database_url: String,
    /// PostgreSQL: reader connections per process (the writer has one more).
    #[arg(long = "pg-pool-size", env = "WB_PG_POOL_SIZE", default_value_t = 4)]
    pub pg_pool_size: usize,
    /// PostgreSQL: longest a statement may run, in milliseconds (0: no limit).
    #[arg(
        long = "pg-statement-timeout-ms",
        env = "WB_PG_STATEMENT_TIMEOUT_MS",
        default_value_t = 5_000
    )]
    pub pg_statement_timeout_ms: u64,
    /// PostgreSQL: longest a connection attempt may take, in milliseconds.
    #[arg(
        long = "pg-connect-timeout-ms",
        env = "WB_PG_CONNECT_TIMEOUT_MS",
        default_value_t = 2_000
    )]
    pub pg_connect_timeout_ms: u64,
}

impl DbArgs {
    /// The PostgreSQL knobs, checked: each bad value names its variable.
    pub fn tuning(&self) -> Result<DbTuning, ConfigError> {
        if !(1..=64).contains(&self.pg_pool_size) {
            return Err(ConfigError::new(
                "WB_PG_POOL_SIZE",
                format!("{} is not between 1 and 64", self.pg_pool_size),
            ));
        }
        if !(100..=600_000).contains(&self.pg_connect_timeout_ms) {
            return Err(ConfigError::new(
                "WB_PG_CONNECT_TIMEOUT_MS",
                format!(
                    "{} is not between 100 and 600000",
                    self.pg_connect_timeout_ms
                ),
            ));
        }
        Ok(DbTuning {
            pool_size: self.pg_pool_size,
            statement_timeout: Duration::from_millis(self.pg_statement_timeout_ms),
            connect_timeout: Duration::from_millis(self.pg_connect_timeout_ms),
        })
    }
}

/// How wb uses a PostgreSQL server (SQLite ignores these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbTuning {
    /// Reader connections (and threads) per process; the writer has its own.
    pub pool_size: usize,
    /// How long one statement may run before the server cancels it: a
    /// request never waits on the database past Slack's patience for long.
    pub statement_timeout: Duration,
    /// How long connecting may take, when the URL does not say: while the
    /// server is away, a request fails (503) well inside Slack's 3 s.
    pub connect_timeout: Duration,
}

impl Default for DbTuning {
    fn default() -> Self {
        Self {
            pool_size: 4,
            statement_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(2),
        }
    }
}

/// Accepts `sqlite://…` / `sqlite:…` and `postgres://…` / `postgresql://…`
/// (the store reads the rest of a PostgreSQL URL when it connects).
pub fn validate_database_url(raw: &str) -> Result<String, ConfigError> {
    let url = raw.trim();
    if url.starts_with("sqlite:") && (url.contains(":memory:") || url.contains("mode=memory")) {
        Err(ConfigError::new(
            "DATABASE_URL",
            "an in-memory database would lose everything at exit (and wb's writer and readers would not share it); use a file like sqlite://wb.db",
        ))
    } else if (url.starts_with("sqlite:") && url.len() > "sqlite:".len())
        || ((url.starts_with("postgres://") || url.starts_with("postgresql://"))
            && url.len() > "postgres://".len())
    {
        Ok(url.to_string())
    } else {
        Err(ConfigError::new(
            "DATABASE_URL",
            format!("`{url}` is not a database URL like sqlite://wb.db"),
        ))
    }
}

/// A database URL fit for a log line or a message: a PostgreSQL URL's
/// password is replaced by `[redacted]`.
pub fn redacted_database_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("[redacted]"));
            u.to_string()
        }
        _ => raw.to_string(),
    }
}
