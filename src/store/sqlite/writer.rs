//! The writer: one thread owns the only connection that writes, and runs every
//! write as a closure on it. Closures queued while a transaction is being
//! committed share the next one (group commit). If one of them fails, that
//! transaction is rolled back and each closure of the group runs again in a
//! transaction of its own, so a failing closure never takes another's writes
//! with it. (Savepoints per closure would do the same, but they copy every
//! page a closure first touches: a tenth of the writer's time under load.)
//!
//! Why a thread of our own rather than sqlx's async connection: sqlx runs each
//! *statement* on its connection's worker thread, so a transaction of N
//! statements costs 2N thread hand-offs, and on a small machine those context
//! switches were most of wb's CPU under load (see `bench/README.md`). Here a
//! whole transaction, however many statements, costs one hand-off there and one
//! back. Reads still go through sqlx's pool (`Store::pool`).

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::mpsc;

use super::checkpoint::{
    checkpoint, Checkpointer, WAL_MAX_FRAMES, WAL_RESTART_FRAMES, WAL_SMALL_REST,
};
use super::statements::Statements;
use crate::clock::Clock;
use crate::metrics::WriterProbe;
use crate::store::db::Tx;
use crate::store::error::{StoreError, StoreResult};
use crate::store::queue::{stopped, Msg, Unit, Writer};

/// Closures one transaction takes at most.
const MAX_GROUP: usize = 512;
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// Opens the writing connection (the database exists: migrations ran).
fn open(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // Checkpoints (copying the WAL into the database file, with two fsyncs)
    // run on a thread of their own, not inside a commit that callers wait for.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;",
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Opens the database file at `path` and starts the writer thread; each
/// transaction is stamped with `clock`'s time.
pub fn start(path: &Path, clock: Clock) -> StoreResult<Writer> {
    let conn = open(path)?;
    let checkpoints = Checkpointer::start(path)?;
    Writer::spawn("wb-db-writer", move |receiver, probe| {
        run(conn, receiver, &checkpoints, &clock, probe);
        checkpoints.stop();
    })
}

fn run(
    conn: Connection,
    mut receiver: mpsc::Receiver<Msg>,
    checkpoints: &Checkpointer,
    clock: &Clock,
    probe: &WriterProbe,
) {
    let mut group: Vec<Box<dyn Unit>> = Vec::new();
    let mut statements = Statements::default();
    let mut stop = false;
    while !stop {
        let first = match receiver.blocking_recv() {
            Some(Msg::Unit(unit)) => unit,
            Some(Msg::Stop) | None => break,
        };
        let started = Instant::now();
        let (size, stopping) = commit_group(
            &conn,
            &mut statements,
            &mut group,
            first,
            &mut receiver,
            clock.now(),
        );
        stop = stopping;
        probe.committed(started.elapsed(), size);
        checkpoints.commits.fetch_add(1, Ordering::Relaxed);
        let frames = checkpoints.wal_frames.load(Ordering::Relaxed);
        let behind = checkpoints.wal_behind.load(Ordering::Relaxed);
        if (frames > WAL_RESTART_FRAMES && behind < WAL_SMALL_REST) || frames > WAL_MAX_FRAMES {
            // Between transactions: copy what the background has not yet, so
            // the next transaction starts the log over.
            if let Err(err) = checkpoint(&conn) {
                tracing::warn!(%err, "checkpointing the WAL");
            }
            tracing::debug!(frames, behind, "WAL checkpointed by the writer");
            checkpoints.wal_frames.store(0, Ordering::Relaxed);
        }
    }
    drop(statements);
    receiver.close();
    // Writes queued after the stop are refused, never dropped unanswered.
    while let Ok(msg) = receiver.try_recv() {
        if let Msg::Unit(unit) = msg {
            unit.finish(Err(stopped()));
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

/// Runs `first` and every unit queued behind it — taken one by one while
/// the transaction runs, so writes that arrive meanwhile join it rather than
/// wait for the next — in one transaction (at most [`MAX_GROUP`] units), and
/// tells each how it ended. If a unit fails, no more are taken, the group is
/// rolled back and each unit runs again alone. Returns the group's size and
/// whether a stop was received.
fn commit_group<'c>(
    conn: &'c Connection,
    statements: &mut Statements<'c>,
    group: &mut Vec<Box<dyn Unit>>,
    first: Box<dyn Unit>,
    receiver: &mut mpsc::Receiver<Msg>,
    now: jiff::Timestamp,
) -> (usize, bool) {
    if let Err(err) = exec(conn, "BEGIN IMMEDIATE") {
        let err = StoreError::from(err);
        tracing::error!(%err, "starting a write transaction");
        first.finish(Err(err));
        return (1, false);
    }
    let mut tx = Tx::sqlite_with(conn, std::mem::take(statements), now);
    let ended = run_group(conn, &mut tx, group, first, receiver);
    *statements = tx.into_statements();
    ended
}

/// [`commit_group`] once its transaction has begun.
fn run_group(
    conn: &Connection,
    tx: &mut Tx<'_>,
    group: &mut Vec<Box<dyn Unit>>,
    first: Box<dyn Unit>,
    receiver: &mut mpsc::Receiver<Msg>,
) -> (usize, bool) {
    let (mut all_ok, mut stop) = (true, false);
    let mut next = Some(first);
    while let Some(mut unit) = next.take() {
        all_ok &= unit.run(tx);
        group.push(unit);
        if !all_ok || group.len() >= MAX_GROUP {
            break;
        }
        match receiver.try_recv() {
            Ok(Msg::Unit(unit)) => next = Some(unit),
            Ok(Msg::Stop) => stop = true,
            Err(_) => {}
        }
    }
    let size = group.len();
    if all_ok {
        let committed = commit(conn);
        for unit in group.drain(..) {
            unit.finish(committed.clone());
        }
        return (size, stop);
    }
    rollback(conn);
    if group.len() == 1 {
        for unit in group.drain(..) {
            unit.finish(Ok(()));
        }
        return (size, stop);
    }
    for mut unit in group.drain(..) {
        if let Err(err) = exec(conn, "BEGIN IMMEDIATE") {
            unit.finish(Err(err.into()));
            continue;
        }
        if unit.run(tx) {
            let committed = commit(conn);
            unit.finish(committed);
        } else {
            rollback(conn);
            // Its own error, kept by `run`.
            unit.finish(Ok(()));
        }
    }
    (size, stop)
}

fn commit(conn: &Connection) -> StoreResult<()> {
    exec(conn, "COMMIT").map_err(|err| {
        rollback(conn);
        let err = StoreError::from(err);
        tracing::error!(%err, "committing a write transaction");
        err
    })
}

fn rollback(conn: &Connection) {
    if let Err(err) = exec(conn, "ROLLBACK") {
        tracing::error!(%err, "rolling back a write transaction");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::args;

    fn writer() -> (tempfile::TempDir, Writer) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .expect("schema");
        drop(conn);
        (dir, start(&path, Clock::system()).expect("writer"))
    }

    async fn count(w: &Writer) -> i64 {
        w.write(|tx| tx.int("SELECT COUNT(*) FROM t", &[]))
            .await
            .expect("count")
    }

    #[tokio::test]
    async fn a_failing_write_rolls_back_only_itself() {
        let (_dir, w) = writer();
        // Hold the writer, so the four writes below queue up and share one
        // group: the failing one makes the group roll back and run again.
        let blocker = {
            let w = w.clone();
            tokio::spawn(async move {
                w.write(|_| {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    Ok(())
                })
                .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let mut calls = Vec::new();
        for v in [1, 2, 2, 3] {
            let w = w.clone();
            calls.push(tokio::spawn(async move {
                w.write(move |tx| {
                    tx.exec("INSERT INTO t (v) VALUES ($1)", args![v])?;
                    tx.exec("INSERT INTO t (v) VALUES ($1)", args![v + 100])?;
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
        blocker.await.expect("join").expect("blocker");
        assert_eq!((ok, failed), (3, 1));
        // Each successful write applied exactly once, the failed one not at all.
        assert_eq!(count(&w).await, 6);
    }

    #[tokio::test]
    async fn a_panicking_write_is_an_error_and_the_writer_lives_on() {
        let (_dir, w) = writer();
        let got: StoreResult<()> = w
            .write(|tx| {
                tx.exec("INSERT INTO t (v) VALUES (1)", &[])?;
                panic!("boom")
            })
            .await;
        assert!(got.is_err());
        w.write(|tx| tx.exec("INSERT INTO t (v) VALUES (2)", &[]))
            .await
            .expect("later write");
        assert_eq!(count(&w).await, 1);
    }

    #[tokio::test]
    async fn writes_after_stop_are_refused() {
        let (_dir, w) = writer();
        w.write(|tx| tx.exec("INSERT INTO t (v) VALUES (1)", &[]))
            .await
            .expect("write");
        w.stop().await;
        let err = w
            .write(|tx| tx.exec("INSERT INTO t (v) VALUES (2)", &[]))
            .await
            .expect_err("stopped");
        assert!(err.to_string().contains("stopped"), "{err}");
    }
}
