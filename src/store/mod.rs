//! The only place with SQL. [`Store`] opens the database and runs closures on
//! a [`Tx`]: [`Store::write`] in the writer's transaction, [`Store::read`] on a
//! reader's snapshot. Each query is written once, as a method of [`Tx`] in the
//! file of its table family, so it serves reads and writes alike; every
//! function returns [`StoreError`], and no driver type leaves this module.
//!
//! Transactions belong to the use cases (`crate::flows`): one use case, one
//! `write` closure holding all its changes and the outbox jobs they owe.

pub mod arg;
pub mod copy;
pub mod counts;
pub mod db;
pub mod decisions;
pub mod docset;
pub mod drafts;
pub mod entries;
pub mod error;
pub mod events;
pub mod files;
pub mod handover;
pub mod installs;
pub mod outbox;
pub mod pg;
pub mod portfolio;
pub mod purge;
pub mod questions;
mod queue;
mod queueing;
pub mod reminders;
pub mod reviews;
pub mod sessions;
pub mod sqlite;
pub mod triage;
pub mod users;

pub use db::{Dialect, Tx};
pub use error::{StoreError, StoreResult};

use crate::clock::Clock;
use crate::config::DbTuning;

/// Handle on the database; cheap to clone.
///
/// SQLite: every write is a closure run by one writer thread on the only
/// writing connection ([`sqlite::writer`]): writers queue in order inside the
/// process instead of meeting SQLite's busy handler, whose sleeps (up to
/// 100 ms each) would show up as latency spikes, and writes queued together
/// commit together. Reads run on reader threads ([`sqlite::readers`]).
/// PostgreSQL ([`pg`]): the same shape, one writer thread and a few reader
/// threads, each with its own connection; other processes may share the
/// database.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    /// Who holds this process's outbox leases ([`Store::replica`]).
    replica: std::sync::Arc<str>,
    /// Question counts last read per session (see [`counts`]).
    marks: std::sync::Arc<counts::Marks>,
}

#[derive(Clone, Debug)]
enum Backend {
    Sqlite {
        writer: queue::Writer,
        readers: sqlite::readers::Readers,
    },
    Pg {
        writer: queue::Writer,
        readers: pg::readers::Readers,
    },
}

impl Store {
    /// Opens the database named by `database_url` (creating a SQLite file if
    /// missing), applies pending migrations, and stamps transactions with
    /// `clock`.
    pub async fn open(database_url: &str, clock: Clock) -> StoreResult<Self> {
        Self::open_with(database_url, clock, DbTuning::default()).await
    }

    /// [`Store::open`] with the PostgreSQL backend's knobs.
    pub async fn open_with(
        database_url: &str,
        clock: Clock,
        options: DbTuning,
    ) -> StoreResult<Self> {
        if pg::is_postgres_url(database_url) {
            let settings = pg::settings(database_url, &options)?;
            pg::migrate(&settings).await?;
            // Positive, so its text is the same number `pg_locks` shows.
            let replica = fastrand::i64(1..i64::MAX);
            let (writer, readers) = pg::open(settings, &options, &clock, replica).await?;
            Ok(Self {
                backend: Backend::Pg { writer, readers },
                replica: replica.to_string().into(),
                marks: Default::default(),
            })
        } else {
            sqlite::migrate(database_url).await?;
            let (writer, readers) = sqlite::open(database_url, &clock)?;
            Ok(Self {
                backend: Backend::Sqlite { writer, readers },
                replica: "wb".into(),
                marks: Default::default(),
            })
        }
    }

    /// This process's name on the outbox leases it holds: unique per process
    /// on PostgreSQL, where replicas share the outbox.
    pub fn replica(&self) -> &str {
        &self.replica
    }

    /// The SQL the database speaks.
    /// Where a session's question counts are read again from (see [`counts`]).
    pub fn count_marks(&self) -> std::sync::Arc<counts::Marks> {
        self.marks.clone()
    }

    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite { .. } => Dialect::Sqlite,
            Backend::Pg { .. } => Dialect::Postgres,
        }
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
        match &self.backend {
            Backend::Sqlite { writer, .. } => writer.write(f).await,
            Backend::Pg { writer, .. } => writer.write(f).await,
        }
    }

    /// Runs `f` on a consistent snapshot of the database (no writes).
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite { readers, .. } => readers.read(f).await,
            Backend::Pg { readers, .. } => readers.read(f).await,
        }
    }

    /// The writer thread's liveness and latency figures (metrics, readiness).
    pub fn writer_probe(&self) -> std::sync::Arc<crate::metrics::WriterProbe> {
        match &self.backend {
            Backend::Sqlite { writer, .. } => writer.probe(),
            Backend::Pg { writer, .. } => writer.probe(),
        }
    }

    /// True when the database answers a trivial query (within 2 s: a server
    /// that does not answer is as bad as one that refuses).
    pub async fn healthy(&self) -> bool {
        let probe = self.read(|tx| tx.int("SELECT 1", &[]));
        matches!(
            tokio::time::timeout(std::time::Duration::from_secs(2), probe).await,
            Ok(Ok(_))
        )
    }

    /// Commits what is queued and stops the threads.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { writer, readers } => {
                writer.stop().await;
                readers.stop().await;
            }
            Backend::Pg { writer, readers } => {
                writer.stop().await;
                readers.stop().await;
            }
        }
    }
}

/// A store on a fresh SQLite file for unit tests; keep the directory alive
/// as long as the store.
#[cfg(test)]
pub(crate) async fn test_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::open(&url, Clock::system()).await.expect("store");
    (dir, store)
}
