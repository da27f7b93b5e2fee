//! The PostgreSQL writer: as with SQLite (`sqlite/writer.rs`), one thread owns
//! the process's writing connection and runs every write closure on it;
//! closures queued while a transaction commits share the next one (group
//! commit: one round trip for `COMMIT` and one WAL flush for many writes).
//! A failing closure aborts PostgreSQL's transaction, so the group is rolled
//! back and each closure runs again alone, as with SQLite.
//!
//! Other replicas write to the same database at the same time; the queries
//! that must not race with them (claims of outbox jobs, session numbers) say
//! so in their own SQL (`FOR UPDATE SKIP LOCKED`, a sequence).

use std::time::Instant;

use tokio::sync::mpsc;

use super::conn::{PgConn, Settings};
use crate::clock::Clock;
use crate::metrics::WriterProbe;
use crate::store::db::Tx;
use crate::store::error::{StoreError, StoreResult};
use crate::store::queue::{stopped, Msg, Unit, Writer};

/// Closures one transaction takes at most.
const MAX_GROUP: usize = 256;

/// Connects and starts the writer thread; each transaction is stamped with
/// `clock`'s time.
pub fn start(settings: Settings, clock: Clock) -> StoreResult<Writer> {
    let conn = PgConn::open(settings)?;
    Writer::spawn("wb-pg-writer", move |receiver, probe| {
        run(conn, receiver, &clock, probe)
    })
}

fn run(mut conn: PgConn, mut receiver: mpsc::Receiver<Msg>, clock: &Clock, probe: &WriterProbe) {
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
        let (started, size) = (Instant::now(), group.len());
        commit_group(&mut conn, &mut group, clock);
        probe.committed(started.elapsed(), size);
    }
    receiver.close();
    while let Ok(msg) = receiver.try_recv() {
        if let Msg::Unit(unit) = msg {
            unit.finish(Err(stopped()));
        }
    }
}

/// `BEGIN`, once more on a fresh connection if the server dropped the old
/// one since its last use (a restart): the first write after it succeeds.
pub(super) fn begin(conn: &mut PgConn, sql: &str) -> StoreResult<()> {
    match conn.batch(sql) {
        Err(StoreError::Unavailable(_)) => conn.batch(sql),
        other => other,
    }
}

fn commit_group(conn: &mut PgConn, group: &mut Vec<Box<dyn Unit>>, clock: &Clock) {
    if let Err(err) = begin(conn, "BEGIN") {
        tracing::error!(%err, "starting a write transaction");
        for unit in group.drain(..) {
            unit.finish(Err(err.clone()));
        }
        return;
    }
    let now = clock.now();
    let mut all_ok = true;
    {
        let mut tx = Tx::postgres(conn, now);
        for unit in group.iter_mut() {
            // After a failure the transaction is aborted: the rest would fail too.
            all_ok = all_ok && unit.run(&mut tx);
        }
    }
    if all_ok {
        let committed = commit(conn);
        for unit in group.drain(..) {
            unit.finish(committed.clone());
        }
        return;
    }
    rollback(conn);
    if group.len() == 1 {
        for unit in group.drain(..) {
            unit.finish(Ok(()));
        }
        return;
    }
    for mut unit in group.drain(..) {
        if let Err(err) = begin(conn, "BEGIN") {
            unit.finish(Err(err));
            continue;
        }
        let ok = unit.run(&mut Tx::postgres(conn, now));
        if ok {
            let committed = commit(conn);
            unit.finish(committed);
        } else {
            rollback(conn);
            unit.finish(Ok(()));
        }
    }
}

fn commit(conn: &mut PgConn) -> StoreResult<()> {
    conn.batch("COMMIT").map_err(|err| {
        rollback(conn);
        tracing::error!(%err, "committing a write transaction");
        err
    })
}

fn rollback(conn: &mut PgConn) {
    if let Err(err) = conn.batch("ROLLBACK") {
        tracing::warn!(%err, "rolling back a write transaction");
    }
}
