//! The SQLite backend: one writer thread (`writer`), a few reader threads
//! (`readers`), and migrations from `migrations/sqlite/` applied at open.

mod checkpoint;
pub mod readers;
pub mod writer;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrate;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::Connection;

use super::error::{StoreError, StoreResult};
use super::queue::Writer;
use crate::clock::Clock;

/// Embedded migrations.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Reader threads (and read-only connections) per process.
const READERS: usize = 4;

/// The SQLite database file named by `database_url` (`sqlite://path.db`).
pub fn path_of(database_url: &str) -> StoreResult<PathBuf> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| StoreError::Internal(format!("not a SQLite URL: {e}")))?;
    Ok(options.get_filename().to_path_buf())
}

/// Creates the database if missing (WAL mode) and applies pending migrations.
/// A database migrated by a newer wb is refused, naming both versions.
pub async fn migrate(database_url: &str) -> StoreResult<()> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| StoreError::Internal(format!("not a SQLite URL: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot open the database: {e}")))?;
    let result = async {
        check_not_newer(&mut conn).await?;
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| StoreError::Internal(format!("applying migrations: {e}")))
    }
    .await;
    let _ = conn.close().await;
    result
}

/// The highest migration this build knows.
pub fn latest_known() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

async fn check_not_newer(conn: &mut sqlx::SqliteConnection) -> StoreResult<()> {
    conn.ping().await?;
    conn.ensure_migrations_table()
        .await
        .map_err(|e| StoreError::Internal(format!("reading applied migrations: {e}")))?;
    let applied = conn
        .list_applied_migrations()
        .await
        .map_err(|e| StoreError::Internal(format!("reading applied migrations: {e}")))?;
    let newest = applied.iter().map(|m| m.version).max().unwrap_or(0);
    let known = latest_known();
    if newest > known {
        return Err(StoreError::Internal(format!(
            "the database's schema is version {newest}, newer than this wb knows (version {known}); run the newer wb, or restore a backup"
        )));
    }
    Ok(())
}

/// Opens the writer and the readers on an existing, migrated database.
pub fn open(database_url: &str, clock: &Clock) -> StoreResult<(Writer, readers::Readers)> {
    let path = path_of(database_url)?;
    let writer = writer::start(&path, clock.clone())?;
    let readers = readers::Readers::start(&path, READERS, clock.clone())?;
    Ok((writer, readers))
}
