//! The writer: one thread owns the only connection that writes, and runs every
//! write as a closure on it. Closures queued while a transaction is being
//! committed share the next one (group commit), each inside its own savepoint
//! so one failing closure rolls back only its own writes.
//!
//! Why a thread of our own rather than sqlx's async connection: sqlx runs each
//! *statement* on its connection's worker thread, so a transaction of N
//! statements costs 2N thread hand-offs, and on a small machine those context
//! switches were most of wb's CPU under load (see `bench/README.md`). Here a
//! whole transaction, however many statements, costs one hand-off there and one
//! back. Reads still go through sqlx's pool (`Store::pool`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, Context};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

/// Closures one transaction takes at most.
const MAX_GROUP: usize = 512;
/// Closures waiting for the writer at most; callers beyond wait (back-pressure).
const QUEUE: usize = 4096;
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

const STOPPED: &str = "the database writer has stopped";

/// One queued write: runs on the writer thread, then hears whether its
/// transaction committed.
trait Unit: Send {
    fn run(self: Box<Self>, conn: &Connection) -> Box<dyn Done>;
    fn abort(self: Box<Self>, err: String);
}

trait Done: Send {
    fn finish(self: Box<Self>, committed: Result<(), String>);
}

struct Closure<F, R> {
    f: F,
    reply: oneshot::Sender<anyhow::Result<R>>,
}

struct Ran<R> {
    result: anyhow::Result<R>,
    reply: oneshot::Sender<anyhow::Result<R>>,
}

impl<F, R> Unit for Closure<F, R>
where
    F: FnOnce(&Connection) -> anyhow::Result<R> + Send,
    R: Send + 'static,
{
    fn run(self: Box<Self>, conn: &Connection) -> Box<dyn Done> {
        let Closure { f, reply } = *self;
        let result = match exec(conn, "SAVEPOINT unit") {
            Err(err) => Err(anyhow!(err).context("starting a savepoint")),
            Ok(()) => {
                let outcome = catch_unwind(AssertUnwindSafe(|| f(conn)))
                    .unwrap_or_else(|_| Err(anyhow!("a database write panicked")));
                let end = if outcome.is_ok() {
                    exec(conn, "RELEASE unit")
                } else {
                    exec(conn, "ROLLBACK TO unit").and_then(|()| exec(conn, "RELEASE unit"))
                };
                match end {
                    Ok(()) => outcome,
                    Err(err) => Err(anyhow!(err).context("ending a savepoint")),
                }
            }
        };
        Box::new(Ran { result, reply })
    }

    fn abort(self: Box<Self>, err: String) {
        let _ = self.reply.send(Err(anyhow!(err)));
    }
}

impl<R: Send> Done for Ran<R> {
    fn finish(self: Box<Self>, committed: Result<(), String>) {
        let answer = match committed {
            Ok(()) => self.result,
            Err(err) => Err(anyhow!(err)),
        };
        let _ = self.reply.send(answer);
    }
}

enum Msg {
    Unit(Box<dyn Unit>),
    Stop,
}

/// Handle on the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    sender: mpsc::Sender<Msg>,
    thread: std::sync::Arc<std::sync::Mutex<Option<JoinHandle<()>>>>,
}

/// How often the WAL is checkpointed (when it has grown).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// The thread that checkpoints the WAL in the background (PASSIVE: it never
/// blocks the writer or readers; what it cannot copy yet waits for the next
/// round). The writer thread stops it when it ends.
struct Checkpointer {
    stop: std::sync::Mutex<bool>,
    wake: std::sync::Condvar,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Checkpointer {
    fn start(path: &Path) -> anyhow::Result<std::sync::Arc<Self>> {
        let conn = Connection::open(path)
            .with_context(|| format!("opening {} for checkpoints", path.display()))?;
        conn.busy_timeout(Duration::from_secs(1))?;
        let this = std::sync::Arc::new(Self {
            stop: std::sync::Mutex::new(false),
            wake: std::sync::Condvar::new(),
            thread: std::sync::Mutex::new(None),
        });
        let me = this.clone();
        let handle = std::thread::Builder::new()
            .name("wb-db-checkpoint".into())
            .spawn(move || me.run(conn))
            .context("starting the checkpoint thread")?;
        if let Ok(mut slot) = this.thread.lock() {
            *slot = Some(handle);
        }
        Ok(this)
    }

    fn run(&self, conn: Connection) {
        let Ok(mut stopped) = self.stop.lock() else {
            return;
        };
        loop {
            stopped = match self.wake.wait_timeout(stopped, CHECKPOINT_EVERY) {
                Ok((guard, _)) => guard,
                Err(_) => return,
            };
            let last = *stopped;
            let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            if let Err(err) = result {
                tracing::warn!(%err, "checkpointing the WAL");
            }
            if last {
                return;
            }
        }
    }

    /// Runs a last checkpoint and waits for the thread.
    fn stop(&self) {
        if let Ok(mut stopped) = self.stop.lock() {
            *stopped = true;
        }
        self.wake.notify_all();
        let handle = self.thread.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

/// Opens the writing connection (the database exists: migrations ran).
fn open(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)
        .with_context(|| format!("opening {} for writing", path.display()))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // Checkpoints (copying the WAL into the database file, with two fsyncs)
    // run on a thread of their own, not inside a commit that callers wait for.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA wal_autocheckpoint = 0;",
    )
    .context("setting up the writing connection")?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

impl Writer {
    /// Opens the database file at `path` and starts the writer thread.
    pub fn start(path: &Path) -> anyhow::Result<Self> {
        let conn = open(path)?;
        let checkpoints = Checkpointer::start(path)?;
        let (sender, receiver) = mpsc::channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("wb-db-writer".into())
            .spawn(move || {
                run(conn, receiver);
                checkpoints.stop();
            })
            .context("starting the database writer thread")?;
        Ok(Self {
            sender,
            thread: std::sync::Arc::new(std::sync::Mutex::new(Some(thread))),
        })
    }

    /// Runs `f` on the writer connection inside a transaction and returns its
    /// result once that transaction has committed. If `f` fails, its writes
    /// are rolled back (and only its own).
    pub async fn write<R, F>(&self, f: F) -> anyhow::Result<R>
    where
        F: FnOnce(&Connection) -> anyhow::Result<R> + Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Msg::Unit(Box::new(Closure { f, reply })))
            .await
            .map_err(|_| anyhow!(STOPPED))?;
        answer.await.map_err(|_| anyhow!(STOPPED))?
    }

    /// Commits what is queued, stops the thread and waits for it.
    pub async fn stop(&self) {
        let _ = self.sender.send(Msg::Stop).await;
        let handle = self.thread.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }
}

fn run(conn: Connection, mut receiver: mpsc::Receiver<Msg>) {
    let mut group: Vec<Box<dyn Unit>> = Vec::new();
    let mut stop = false;
    while !stop {
        match receiver.blocking_recv() {
            Some(Msg::Unit(unit)) => group.push(unit),
            Some(Msg::Stop) | None => break,
        }
        while group.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(Msg::Unit(unit)) => group.push(unit),
                Ok(Msg::Stop) => {
                    stop = true;
                    break;
                }
                Err(_) => break,
            }
        }
        commit_group(&conn, &mut group);
    }
    receiver.close();
    // Writes queued after the stop are refused, never dropped unanswered.
    while let Ok(msg) = receiver.try_recv() {
        if let Msg::Unit(unit) = msg {
            unit.abort(STOPPED.into());
        }
    }
    if let Err((_, err)) = conn.close() {
        tracing::warn!(%err, "closing the writing connection");
    }
}

/// Runs one transaction-control statement, parsed once per connection.
fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// Runs `group` in one transaction and tells each unit how it ended.
fn commit_group(conn: &Connection, group: &mut Vec<Box<dyn Unit>>) {
    if let Err(err) = exec(conn, "BEGIN IMMEDIATE") {
        let err = format!("starting a write transaction: {err}");
        tracing::error!(%err);
        for unit in group.drain(..) {
            unit.abort(err.clone());
        }
        return;
    }
    let ran: Vec<Box<dyn Done>> = group.drain(..).map(|unit| unit.run(conn)).collect();
    let committed = exec(conn, "COMMIT").map_err(|err| {
        let _ = exec(conn, "ROLLBACK");
        let err = format!("committing a write transaction: {err}");
        tracing::error!(%err);
        err
    });
    for done in ran {
        done.finish(committed.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> (tempfile::TempDir, Writer) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .expect("schema");
        drop(conn);
        (dir, Writer::start(&path).expect("writer"))
    }

    async fn count(w: &Writer) -> i64 {
        w.write(|c| Ok(c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))?))
            .await
            .expect("count")
    }

    #[tokio::test]
    async fn a_failing_write_rolls_back_only_itself() {
        let (_dir, w) = writer();
        let mut calls = Vec::new();
        for v in [1, 2, 2, 3] {
            let w = w.clone();
            calls.push(tokio::spawn(async move {
                w.write(move |c| {
                    c.execute("INSERT INTO t (v) VALUES (?1)", [v])?;
                    c.execute("INSERT INTO t (v) VALUES (?1)", [v + 100])?;
                    Ok(v)
                })
                .await
            }));
        }
        let mut ok = 0;
        let mut failed = 0;
        for call in calls {
            match call.await.expect("join") {
                Ok(_) => ok += 1,
                Err(_) => failed += 1,
            }
        }
        assert_eq!((ok, failed), (3, 1));
        assert_eq!(count(&w).await, 6);
    }

    #[tokio::test]
    async fn a_panicking_write_is_an_error_and_the_writer_lives_on() {
        let (_dir, w) = writer();
        let got: anyhow::Result<()> = w
            .write(|c| {
                c.execute("INSERT INTO t (v) VALUES (1)", [])?;
                panic!("boom")
            })
            .await;
        assert!(got.is_err());
        w.write(|c| Ok(c.execute("INSERT INTO t (v) VALUES (2)", [])?))
            .await
            .expect("later write");
        assert_eq!(count(&w).await, 1);
    }

    #[tokio::test]
    async fn writes_after_stop_are_refused() {
        let (_dir, w) = writer();
        w.write(|c| Ok(c.execute("INSERT INTO t (v) VALUES (1)", [])?))
            .await
            .expect("write");
        w.stop().await;
        let err = w
            .write(|c| Ok(c.execute("INSERT INTO t (v) VALUES (2)", [])?))
            .await
            .expect_err("stopped");
        assert!(err.to_string().contains("stopped"), "{err}");
    }
}
