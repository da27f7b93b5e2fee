//! The PostgreSQL backend: one writer thread (`writer`), a small pool of
//! reader threads (`readers`), on the synchronous `postgres` crate, and the
//! migrations of `migrations/postgres/` (the same numbers and meaning as
//! `migrations/sqlite/`) applied at open, under an advisory lock so replicas
//! starting together apply them once.

pub mod conn;
mod migrations;
pub mod readers;
pub mod writer;

use std::str::FromStr;

pub use conn::Settings;
pub use migrations::latest_known;

use super::error::{StoreError, StoreResult};
use super::queue::Writer;
use crate::clock::Clock;
use crate::config::DbTuning;

/// True for the URLs this backend serves.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Reads `database_url` (never echoed: it may hold a password).
pub fn settings(database_url: &str, options: &DbTuning) -> StoreResult<Settings> {
    let mut config = postgres::Config::from_str(database_url)
        .map_err(|e| StoreError::Internal(format!("not a valid PostgreSQL URL ({e})")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(options.connect_timeout);
    }
    if config.get_application_name().is_none() {
        config.application_name("wb");
    }
    Ok(Settings {
        config,
        statement_timeout: options.statement_timeout,
        liveness_lock: None,
    })
}

/// Applies pending migrations (refusing a schema from a newer wb).
pub async fn migrate(settings: &Settings) -> StoreResult<()> {
    let settings = settings.clone();
    tokio::task::spawn_blocking(move || migrations::run(settings))
        .await
        .map_err(|e| StoreError::internal(format!("migrating: {e}")))?
}

/// Opens the writer and the readers on a migrated database. The writer's
/// connection holds the advisory lock `replica` (this process's worker id,
/// a positive number) for as long as the process lives.
pub async fn open(
    mut settings: Settings,
    options: &DbTuning,
    clock: &Clock,
    replica: i64,
) -> StoreResult<(Writer, readers::Readers)> {
    let readers = readers::Readers::start(&settings, options.pool_size, clock.clone())?;
    settings.liveness_lock = Some(replica);
    let clock = clock.clone();
    let writer = tokio::task::spawn_blocking(move || writer::start(settings, clock))
        .await
        .map_err(|e| StoreError::internal(format!("starting the writer: {e}")))??;
    Ok((writer, readers))
}
