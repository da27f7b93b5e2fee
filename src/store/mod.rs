//! The only place with SQL. [`Store`] opens the database and runs closures on
//! a [`Tx`]: [`Store::write`] in the writer's transaction, [`Store::read`] on a
//! reader's snapshot. Each query is written once, as a method of [`Tx`] in the
//! file of its table family, so it serves reads and writes alike; every
//! function returns [`StoreError`], and no driver type leaves this module.
//!
//! Transactions belong to the use cases (`crate::flows`): one use case, one
//! `write` closure holding all its changes and the outbox jobs they owe.

pub mod db;
pub mod decisions;
pub mod docset;
pub mod drafts;
pub mod entries;
pub mod error;
pub mod events;
pub mod files;
pub mod installs;
pub mod outbox;
pub mod portfolio;
pub mod purge;
pub mod questions;
pub mod reminders;
pub mod reviews;
pub mod sessions;
pub mod sqlite;
pub mod triage;
pub mod users;

pub use db::Tx;
pub use error::{StoreError, StoreResult};

use crate::clock::Clock;

/// Handle on the database; cheap to clone.
///
/// SQLite: every write is a closure run by one writer thread on the only
/// writing connection ([`sqlite::writer`]): writers queue in order inside the
/// process instead of meeting SQLite's busy handler, whose sleeps (up to
/// 100 ms each) would show up as latency spikes, and writes queued together
/// commit together. Reads run on reader threads ([`sqlite::readers`]).
#[derive(Clone, Debug)]
pub struct Store {
    writer: sqlite::writer::Writer,
    readers: sqlite::readers::Readers,
}

impl Store {
    /// Opens the database named by `database_url` (creating it if missing),
    /// applies pending migrations, and stamps transactions with `clock`.
    pub async fn open(database_url: &str, clock: Clock) -> StoreResult<Self> {
        sqlite::migrate(database_url).await?;
        let (writer, readers) = sqlite::open(database_url, &clock)?;
        Ok(Self { writer, readers })
    }

    /// Runs `f` in a write transaction (shared with other writes queued
    /// meanwhile) and returns its result once committed. If another write of
    /// the group fails, `f` runs again in a transaction of its own, so it
    /// **must be repeatable**: SQL and pure logic only, never a network call.
    pub async fn write<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: Fn(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        self.writer.write(f).await
    }

    /// Runs `f` on a consistent snapshot of the database (no writes).
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        self.readers.read(f).await
    }

    /// The writer thread's liveness and latency figures (metrics, readiness).
    pub fn writer_probe(&self) -> std::sync::Arc<crate::metrics::WriterProbe> {
        self.writer.probe()
    }

    /// True when the database answers a trivial query.
    pub async fn healthy(&self) -> bool {
        self.read(|tx| tx.int("SELECT 1", &[])).await.is_ok()
    }

    /// Commits what is queued and stops the threads.
    pub async fn close(&self) {
        self.writer.stop().await;
        self.readers.stop().await;
    }
}
