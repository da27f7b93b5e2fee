//! Jobs written already claimed, for the worker's hand-over in memory
//! (`app::handoff`): a use case that holds places at the worker asks its
//! write to queue the jobs due at once claimed by this process
//! ([`Tx::hand_jobs_to`]), and hands the rows over once the write has
//! committed ([`Tx::take_handed`]). A job due later, or one with a dedupe
//! key, is queued pending as always. The write also tells whether it queued
//! any pending job ([`Tx::queued_pending`]), so the worker is woken only
//! when there is something for its next claim.
//!
//! All of it belongs to one queued write: the writer clears it after each
//! ([`Tx::end_unit`]), so a write that failed half-way never leaves its
//! wish to the next one of the same transaction.

use serde::Serialize;

use super::db::{args, Tx};
use super::error::StoreResult;
use super::outbox::{OutboxRow, LEASE_MS};
use super::queueing::{Queueing, Written};

impl Tx<'_> {
    /// Jobs this write queues from now on that are due at once and have no
    /// dedupe key are written claimed by `worker`, up to `places` of them
    /// (the places the caller holds at the worker).
    pub fn hand_jobs_to(&mut self, worker: &str, places: usize) {
        self.queueing.hand_to = Some((worker.to_string(), places));
        self.queueing.handed.clear();
    }

    /// The rows written claimed so far by this write (for the hand-over
    /// after the commit); none are handed twice.
    pub fn take_handed(&mut self) -> Vec<OutboxRow> {
        std::mem::take(&mut self.queueing.handed)
    }

    /// True when this write queued a job for the worker's next claim.
    pub fn queued_pending(&self) -> bool {
        self.queueing.pending
    }

    /// Forgets what the finished write asked for (the writer calls it after
    /// every queued write).
    pub(crate) fn end_unit(&mut self) {
        self.queueing = Queueing::default();
    }

    /// True when the next job due at once may be written claimed.
    pub(super) fn may_hand(&self) -> bool {
        matches!(&self.queueing.hand_to, Some((_, places)) if self.queueing.handed.len() < *places)
    }

    /// Queues `job` claimed by the worker named in [`Tx::hand_jobs_to`] and
    /// keeps its row for the hand-over.
    pub(super) fn enqueue_handed<J: Serialize + Clone + Send + Sync + 'static>(
        &mut self,
        job: &J,
    ) -> StoreResult<i64> {
        let Some((worker, _)) = self.queueing.hand_to.clone() else {
            return self.enqueue(job);
        };
        let row = self.enqueue_claimed(job, &worker)?;
        let id = row.id;
        self.queueing.handed.push(row);
        Ok(id)
    }

    /// Queues a job already claimed by `worker` for its first attempt (and
    /// leased as [`Tx::claim_due_jobs`] would), for a job handed to the
    /// worker in memory (`app::handoff`). Jobs with a dedupe key go through
    /// [`Tx::enqueue_with`]. Returns the row as a claim would.
    pub fn enqueue_claimed<J: Serialize + Clone + Send + Sync + 'static>(
        &mut self,
        job: &J,
        worker: &str,
    ) -> StoreResult<OutboxRow> {
        let text = serde_json::to_string(job)?;
        let created_at = self.now_text();
        let lease_end = self.now_ms() + LEASE_MS;
        let id = self.insert(
            "INSERT INTO outbox (job, created_at, due_at_ms, attempts, claimed_by)
             VALUES ($1, $2, $3, 1, $4)",
            args![&text, &created_at, lease_end, worker],
        )?;
        Ok(OutboxRow {
            id,
            job: text,
            attempts: 1,
            created_at,
            in_doubt_since_ms: None,
            written: Written::new(job.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outbox::Schedule;

    /// An in-memory database with wb's SQLite schema.
    fn schema() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("migrations")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for file in files {
            let sql = std::fs::read_to_string(&file).expect("migration");
            conn.execute_batch(&sql).expect("migrates");
        }
        conn
    }

    fn claimed_by(conn: &rusqlite::Connection, id: i64) -> Option<String> {
        conn.query_row("SELECT claimed_by FROM outbox WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("row")
    }

    #[test]
    fn only_jobs_due_at_once_without_a_key_are_handed_and_only_as_many_as_asked() {
        let conn = schema();
        let mut tx = Tx::sqlite(&conn, jiff::Timestamp::now());
        tx.hand_jobs_to("replica-a", 1);
        let later = Schedule {
            delay_ms: 500,
            dedupe_key: None,
        };
        let keyed = Schedule {
            delay_ms: 0,
            dedupe_key: Some("root:1"),
        };
        let delayed = tx.enqueue_with(&"later", later).expect("queued");
        let with_key = tx.enqueue_with(&"keyed", keyed).expect("queued");
        assert!(tx.queued_pending(), "a job due later is pending");
        let first = tx.enqueue(&"first").expect("queued");
        let second = tx.enqueue(&"second").expect("queued");
        let handed = tx.take_handed();
        assert_eq!(handed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![first]);
        assert_eq!(handed[0].attempts, 1);
        // The handed row keeps the job as written, so the worker need not
        // parse it back; asked for as another type, it is not there.
        assert_eq!(handed[0].written.clone().take::<String>(), None);
        assert_eq!(handed[0].written.clone().take::<&str>(), Some("first"));
        assert_eq!(handed[0].job, "\"first\"");
        assert_eq!(claimed_by(&conn, first).as_deref(), Some("replica-a"));
        for pending in [delayed, with_key, second] {
            assert_eq!(claimed_by(&conn, pending), None, "job {pending}");
        }
        assert!(tx.take_handed().is_empty(), "nothing is handed twice");
    }

    #[test]
    fn what_a_write_asked_ends_with_it() {
        let conn = schema();
        let mut tx = Tx::sqlite(&conn, jiff::Timestamp::now());
        // A write asks for a hand-over and fails before taking its rows.
        tx.hand_jobs_to("replica-a", 4);
        let orphan = tx.enqueue(&"of the failed write").expect("queued");
        assert_eq!(claimed_by(&conn, orphan).as_deref(), Some("replica-a"));
        tx.end_unit();
        // The next write of the same transaction asked for nothing.
        assert!(!tx.queued_pending());
        let next = tx.enqueue(&"of the next write").expect("queued");
        assert_eq!(claimed_by(&conn, next), None);
        assert!(tx.take_handed().is_empty());
        assert!(tx.queued_pending());
    }
}
