//! The only place with SQL. One file per table family; every function takes the
//! [`Store`] and returns domain values.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub mod batch;
pub mod docset;
pub mod drafts;
pub mod entries;
pub mod events;
pub mod outbox;
pub mod permalinks;
pub mod questions;
pub mod sessions;
pub mod users;

/// Embedded migrations from `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Handle on the database; cheap to clone.
///
/// Reads use a pool of connections (WAL readers never wait for the writer).
/// Every write goes through a pool of exactly one connection: writers queue
/// in order inside the process instead of meeting SQLite's busy handler,
/// whose sleeps (up to 100 ms each) would show up as latency spikes.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    writer: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) the SQLite database: WAL, foreign keys, busy timeout.
    pub async fn connect(database_url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(database_url)
            .with_context(|| "DATABASE_URL is not a valid SQLite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await
            .with_context(|| "could not open the database named by DATABASE_URL")?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .with_context(|| "could not open the database named by DATABASE_URL")?;
        Ok(Self { pool, writer })
    }

    /// Connects and applies pending migrations.
    pub async fn open(database_url: &str) -> anyhow::Result<Self> {
        let store = Self::connect(database_url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        MIGRATOR
            .run(&self.writer)
            .await
            .context("applying database migrations")
    }

    /// True when the database answers a trivial query.
    pub async fn healthy(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    /// The readers' pool (tests also use it to arrange data).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The single writer connection, for one-statement writes.
    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// A write transaction that takes the write lock up front, so concurrent
    /// writers wait on the busy timeout instead of failing on a lock upgrade.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.writer.begin_with("BEGIN IMMEDIATE").await
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}
