//! A fresh job handed straight to the outbox worker. A use case that queues
//! a job the worker has room for right now (a new session's root message)
//! takes one of the worker's places before its write ([`Handoff::slot`]),
//! writes the job already claimed by this process — leased exactly as a
//! claim would have leased it — and, once that write has committed, hands
//! the job's row over in memory ([`Slot::hand`]). The worker starts it at
//! once: no claim statement, no wait for the worker's next look at the
//! table.
//!
//! Nothing rests on the hand-over alone: the job is in the database before
//! it happens. If this process dies with the job handed but unfinished, its
//! lease is given up like any claimed job's (at the next start on SQLite,
//! by another replica on PostgreSQL) and the job runs again, in doubt.
//!
//! When every place is taken, a job may still be handed to wait in line for
//! the next free place ([`LINE`] of them at most): under a burst that is most
//! jobs, and each would otherwise be written pending, then claimed back with
//! a statement of its own and parsed from its JSON (bench/README.md, seventh
//! round). A job in line is claimed like a running one; the worker runs it
//! before it stops. When the line is full too, or the worker is not running
//! (offline commands, shutdown), there is no slot and the job is queued as
//! pending, for the worker's next claim.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use crate::store::outbox::OutboxRow;

/// Jobs the outbox worker runs at once. Each waits for Slack and then for
/// its group commit, so this bounds how fast the outbox can post (16 capped
/// a burst's drain at ~8,000 posts/s); Slack's rates are kept by pacing, not
/// by it. 64 drained faster still but raised the peak RSS past 50 MB.
pub const PLACES: usize = 32;

/// Handed jobs that may wait for a place at once.
pub const LINE: usize = 2 * PLACES;

/// Where a handed job stands: in one of the worker's places, or in line for
/// one (each holds its permit until the job has run, or has got a place).
pub enum Seat {
    Place(OwnedSemaphorePermit),
    Line(OwnedSemaphorePermit),
}

/// A job handed to the worker, with its seat there.
pub struct Handed {
    pub row: OutboxRow,
    pub seat: Seat,
}

/// The worker's places (jobs running at once), its line and its hand-over
/// queue.
pub struct Handoff {
    permits: Arc<Semaphore>,
    line: Arc<Semaphore>,
    line_seats: usize,
    sender: Mutex<Option<mpsc::UnboundedSender<Handed>>>,
}

impl std::fmt::Debug for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handoff")
            .field("free", &self.permits.available_permits())
            .finish_non_exhaustive()
    }
}

/// One of the worker's places, taken before a write that queues a job.
/// Dropped unused (the write failed), it is free again.
pub struct Slot {
    seat: Seat,
    sender: mpsc::UnboundedSender<Handed>,
}

impl Handoff {
    /// A worker of `places` jobs at once; nothing is handed over until the
    /// worker [`opens`](Handoff::open) its queue.
    pub fn new(places: usize) -> Self {
        Self::with_line(places, LINE)
    }

    /// A worker of `places` jobs at once and `line` more waiting.
    pub fn with_line(places: usize, line: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(places)),
            line: Arc::new(Semaphore::new(line)),
            line_seats: line,
            sender: Mutex::new(None),
        }
    }

    /// The worker's places, which its own claims take too.
    pub fn permits(&self) -> Arc<Semaphore> {
        self.permits.clone()
    }

    /// The seats in line for a place (all free once every job handed to
    /// wait has got its place).
    #[cfg(test)]
    pub fn line(&self) -> Arc<Semaphore> {
        self.line.clone()
    }

    /// Returns once no handed job waits in line any more (each has its
    /// place); after [`close`](Handoff::close), none comes again.
    pub async fn line_empty(&self) {
        if let Ok(seats) = self.line.acquire_many(self.line_seats as u32).await {
            drop(seats);
        }
    }

    /// Called by the worker when it starts: jobs are handed to it from now on.
    pub fn open(&self) -> mpsc::UnboundedReceiver<Handed> {
        let (sender, receiver) = mpsc::unbounded_channel();
        if let Ok(mut slot) = self.sender.lock() {
            *slot = Some(sender);
        }
        receiver
    }

    /// Called by the worker when it stops: no job is handed over any more
    /// (slots taken before still hand theirs, which the worker still runs).
    pub fn close(&self) {
        if let Ok(mut slot) = self.sender.lock() {
            *slot = None;
        }
    }

    /// A place at the worker, or else a seat in line for one, if it runs
    /// and one is free now.
    pub fn slot(&self) -> Option<Slot> {
        let sender = self.sender.lock().ok()?.as_ref()?.clone();
        let seat = match self.permits.clone().try_acquire_owned() {
            Ok(place) => Seat::Place(place),
            Err(_) => Seat::Line(self.line.clone().try_acquire_owned().ok()?),
        };
        Some(Slot { seat, sender })
    }
}

impl Slot {
    /// Hands the job written as `row` (claimed by this process) to the
    /// worker. Call it only after the write committed.
    pub fn hand(self, row: OutboxRow) {
        let id = row.id;
        let handed = Handed {
            row,
            seat: self.seat,
        };
        if self.sender.send(handed).is_err() {
            // The worker is gone (shutdown): the job stays claimed in the
            // table and runs again after the next start.
            tracing::debug!(
                job = id,
                "outbox worker stopped before a job was handed over"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> OutboxRow {
        OutboxRow {
            id,
            job: String::new(),
            attempts: 1,
            created_at: String::new(),
            in_doubt_since_ms: None,
            written: Default::default(),
        }
    }

    #[tokio::test]
    async fn no_slot_until_the_worker_opens_nor_after_it_closes() {
        let handoff = Handoff::new(2);
        assert!(handoff.slot().is_none(), "no worker yet");
        let mut queue = handoff.open();
        let slot = handoff.slot().expect("a free place");
        handoff.close();
        assert!(handoff.slot().is_none(), "closed");
        // A slot taken before the close still hands its job over.
        slot.hand(row(7));
        let handed = queue.recv().await.expect("handed");
        assert_eq!(handed.row.id, 7);
        assert!(queue.recv().await.is_none(), "no sender left");
    }

    fn place(handed: &Handed) -> bool {
        matches!(handed.seat, Seat::Place(_))
    }

    #[tokio::test]
    async fn slots_take_the_workers_places_and_give_them_back() {
        let handoff = Handoff::with_line(2, 0);
        let mut queue = handoff.open();
        let a = handoff.slot().expect("first place");
        let b = handoff.slot().expect("second place");
        assert!(handoff.slot().is_none(), "the worker is full");
        drop(a); // its write failed: the place is free again
        assert!(handoff.slot().is_some());
        b.hand(row(1));
        let handed = queue.recv().await.expect("handed");
        assert_eq!(
            handoff.permits().available_permits(),
            1,
            "held while it runs"
        );
        drop(handed);
        assert_eq!(handoff.permits().available_permits(), 2);
    }

    #[tokio::test]
    async fn with_every_place_taken_a_job_waits_in_line_until_the_line_is_full() {
        let handoff = Handoff::with_line(1, 2);
        let mut queue = handoff.open();
        let seats: Vec<Slot> = (0..3).filter_map(|_| handoff.slot()).collect();
        assert_eq!(seats.len(), 3, "one place, two in line");
        assert!(
            handoff.slot().is_none(),
            "place and line full: queued as pending"
        );
        for (i, slot) in seats.into_iter().enumerate() {
            slot.hand(row(i as i64));
        }
        let mut handed = Vec::new();
        for _ in 0..3 {
            handed.push(queue.recv().await.expect("handed"));
        }
        let kinds: Vec<bool> = handed.iter().map(place).collect();
        assert_eq!(kinds, [true, false, false]);
        assert_eq!(handoff.line().available_permits(), 0);
        handed.truncate(1);
        assert_eq!(
            handoff.line().available_permits(),
            2,
            "the line is free again"
        );
        assert_eq!(
            handoff.permits().available_permits(),
            0,
            "the place is held"
        );
    }
}
