//! The only place with SQL. One file per table family; every function takes the
//! [`Store`] (reads, sqlx) or the writer's connection (`…_in`, rusqlite) and
//! returns domain values.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub mod docset;
pub mod drafts;
pub mod entries;
pub mod events;
pub mod outbox;
pub mod permalinks;
pub mod questions;
pub mod sessions;
pub mod users;
pub mod writer;

/// Embedded migrations from `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Handle on the database; cheap to clone.
///
/// Reads use sqlx's pool of connections (WAL readers never wait for the
/// writer). Every write is a closure run by [`Store::write`] on the one writing
/// connection ([`writer`]): writers queue in order inside the process instead
/// of meeting SQLite's busy handler, whose sleeps (up to 100 ms each) would show
/// up as latency spikes, and writes queued together commit together.
///
/// Functions named `…_in` take the writer's `&Connection` and run inside the
/// caller's [`Store::write`] closure, so several of them commit atomically.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    writer: writer::Writer,
}

/// The connection a `…_in` function writes through (inside [`Store::write`]).
pub type Conn = rusqlite::Connection;

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
        let path = options.get_filename().to_path_buf();
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .with_context(|| "could not open the database named by DATABASE_URL")?;
        let writer = writer::Writer::start(&path)?;
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
            .run(&self.pool)
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

    /// Runs `f` on the writing connection in a transaction (shared with other
    /// writes queued meanwhile) and returns its result once committed. If
    /// another write of the group fails, `f` runs again in a transaction of
    /// its own, so it must be repeatable: SQL and pure logic only, never a
    /// network call. It runs on the writer thread.
    pub async fn write<R, F>(&self, f: F) -> anyhow::Result<R>
    where
        F: Fn(&Conn) -> anyhow::Result<R> + Send + 'static,
        R: Send + 'static,
    {
        self.writer.write(f).await
    }

    pub async fn close(&self) {
        self.writer.stop().await;
        self.pool.close().await;
    }
}
