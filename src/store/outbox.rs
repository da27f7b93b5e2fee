//! The durable outbox: Web API actions written (as JSON) in the same
//! transaction as the content they are about, before they are attempted.
//! Due times are unix milliseconds.

use serde::Serialize;

use super::db::{args, Tx};
use super::error::StoreResult;

/// A job taken from the outbox for one attempt.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub job: String,
    pub attempts: i64,
    pub created_at: String,
}

/// What one claim took, and when to look again.
#[derive(Debug, Default)]
pub struct Claimed {
    pub jobs: Vec<OutboxRow>,
    /// When the next pending job is due (unix ms; leased jobs count at their
    /// lease's end), when fewer jobs than asked for were due.
    pub next_due_ms: Option<i64>,
}

/// When a queued job may run, and what makes it one of a kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Schedule<'a> {
    /// Milliseconds from now (0: at once).
    pub delay_ms: i64,
    /// While a pending job has this key, queuing another with it does nothing.
    pub dedupe_key: Option<&'a str>,
}

/// How long a claimed job stays invisible to other claims while it runs.
const LEASE_MS: i64 = 120_000;

impl Tx<'_> {
    /// Queues a job to run now, so it exists exactly when the content it is
    /// about is committed.
    pub fn enqueue<J: Serialize>(&mut self, job: &J) -> StoreResult<i64> {
        self.enqueue_with(job, Schedule::default())
    }

    /// Queues a job to run at `schedule`; with a dedupe key already pending,
    /// nothing is queued (0 is returned).
    pub fn enqueue_with<J: Serialize>(
        &mut self,
        job: &J,
        schedule: Schedule<'_>,
    ) -> StoreResult<i64> {
        let text = serde_json::to_string(job)?;
        let now = self.now_text();
        let due = self.now_ms() + schedule.delay_ms.max(0);
        Ok(self
            .row(
                "INSERT INTO outbox (job, created_at, due_at_ms, dedupe_key) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL DO NOTHING
                 RETURNING id",
                args![&text, &now, due, schedule.dedupe_key],
                |r| r.int("id"),
            )?
            .unwrap_or(0))
    }

    /// Retires the pending job with `dedupe_key`, if any (a scheduled job
    /// that was replaced or called off); true when there was one. A job
    /// already claimed has lost its key and runs: its runner must check that
    /// it is still wanted.
    pub fn cancel_pending(&mut self, dedupe_key: &str) -> StoreResult<bool> {
        let now = self.now_text();
        let done = self.exec(
            "UPDATE outbox SET state = 'done', finished_at = $1, dedupe_key = NULL
              WHERE dedupe_key = $2 AND state = 'pending'",
            args![&now, dedupe_key],
        )?;
        Ok(done > 0)
    }

    /// Takes up to `limit` due jobs, longest due first, and leases them (one
    /// statement). The order is the `outbox_due` index's (state, due_at_ms,
    /// rowid), so a large backlog is never sorted. A claimed job loses its
    /// dedupe key: a change made while it runs queues the next one. When fewer
    /// than `limit` were due, also says when the next pending job is due.
    pub fn claim_due_jobs(&mut self, worker: &str, limit: i64) -> StoreResult<Claimed> {
        let now = self.now_ms();
        let mut jobs = self.rows(
            "UPDATE outbox SET attempts = attempts + 1, due_at_ms = $1, dedupe_key = NULL,
                    claimed_by = $2
              WHERE id IN (SELECT id FROM outbox
                            WHERE state = 'pending' AND due_at_ms <= $3
                            ORDER BY due_at_ms, id LIMIT $4)
              RETURNING id, job, attempts, created_at",
            args![now + LEASE_MS, worker, now, limit],
            |r| {
                Ok(OutboxRow {
                    id: r.int("id")?,
                    job: r.text("job")?,
                    attempts: r.int("attempts")?,
                    created_at: r.text("created_at")?,
                })
            },
        )?;
        jobs.sort_by_key(|j| j.id);
        let next_due_ms = if (jobs.len() as i64) < limit {
            self.row(
                "SELECT MIN(due_at_ms) AS due FROM outbox WHERE state = 'pending'",
                &[],
                |r| r.opt_int("due"),
            )?
            .flatten()
        } else {
            None
        };
        Ok(Claimed { jobs, next_due_ms })
    }

    /// Marks a job done.
    pub fn finish_job(&mut self, id: i64) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE outbox SET state = 'done', finished_at = $1, last_error = NULL, claimed_by = NULL
              WHERE id = $2",
            args![&now, id],
        )?;
        Ok(())
    }

    /// Replaces a job's payload (it made durable progress, e.g. joined the
    /// channel) and makes it due again now.
    pub fn progress_job<J: Serialize>(&mut self, id: i64, job: &J) -> StoreResult<()> {
        let text = serde_json::to_string(job)?;
        let now = self.now_ms();
        self.exec(
            "UPDATE outbox SET job = $1, due_at_ms = $2, claimed_by = NULL WHERE id = $3",
            args![&text, now, id],
        )?;
        Ok(())
    }

    /// Makes a job due again `delay_ms` from now, keeping why it failed.
    pub fn retry_job(&mut self, id: i64, delay_ms: i64, error: &str) -> StoreResult<()> {
        let at = self.now_ms() + delay_ms.max(0);
        self.exec(
            "UPDATE outbox SET due_at_ms = $1, last_error = $2, claimed_by = NULL WHERE id = $3",
            args![at, error, id],
        )?;
        Ok(())
    }

    /// Gives up on a job for good.
    pub fn fail_job(&mut self, id: i64, error: &str) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE outbox SET state = 'failed', last_error = $1, finished_at = $2, claimed_by = NULL
              WHERE id = $3",
            args![error, &now, id],
        )?;
        Ok(())
    }

    /// At start-up of the only process, no job can be running: leases left
    /// by a stopped process end now (jobs scheduled for later stay put).
    pub fn release_leases(&mut self) -> StoreResult<usize> {
        let now = self.now_ms();
        self.exec(
            "UPDATE outbox SET due_at_ms = $1, claimed_by = NULL
              WHERE state = 'pending' AND claimed_by IS NOT NULL",
            args![now],
        )
    }

    /// Jobs not yet done or failed.
    pub fn pending_jobs(&mut self) -> StoreResult<i64> {
        self.int("SELECT COUNT(*) FROM outbox WHERE state = 'pending'", &[])
    }
}
