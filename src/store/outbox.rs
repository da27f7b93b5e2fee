//! The durable outbox: Web API actions written (as JSON) in the same
//! transaction as the content they are about, before they are attempted.
//! Due times are unix milliseconds.

use serde::Serialize;

use super::db::{args, Dialect, Tx};
use super::error::StoreResult;

pub use super::queueing::OutboxRow;

/// What one claim took, and when to look again.
#[derive(Debug, Default)]
pub struct Claimed {
    pub jobs: Vec<OutboxRow>,
    /// When the next pending job is due (unix ms; leased jobs count at their
    /// lease's end), when fewer jobs than asked for were due.
    pub next_due_ms: Option<i64>,
}

/// The outbox at a glance (see [`Tx::outbox_figures`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxFigures {
    /// Not yet done or failed, including the two below.
    pub pending: i64,
    /// Claimed by the worker: being attempted now.
    pub running: i64,
    /// Due later: timers, retries in backoff, paced posts.
    pub scheduled: i64,
    /// Given up for good.
    pub failed: i64,
    /// How long the longest-waiting due job has been due (0: none waits).
    pub oldest_due_age_ms: i64,
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
pub(super) const LEASE_MS: i64 = 120_000;

/// Claims due jobs: $1 the lease's end, $2 the worker, $3 now, $4 how many.
const CLAIM_SQLITE: &str =
    "UPDATE outbox SET attempts = attempts + 1, due_at_ms = $1, dedupe_key = NULL,
        claimed_by = $2,
        in_doubt_since_ms = CASE WHEN claimed_by IS NULL THEN in_doubt_since_ms ELSE $3 END
  WHERE id IN (SELECT id FROM outbox
                WHERE state = 'pending' AND due_at_ms <= $3
                ORDER BY due_at_ms, id LIMIT $4)
  RETURNING id, job, attempts, created_at, in_doubt_since_ms";

/// The same on PostgreSQL, where other replicas claim at the same time: a
/// row another transaction holds is skipped, and the pick is a CTE, which
/// PostgreSQL runs exactly once (a `LIMIT` subquery under `IN` may be run
/// again for each row and pick more than asked).
const CLAIM_POSTGRES: &str = "WITH picked AS (
        SELECT id FROM outbox
         WHERE state = 'pending' AND due_at_ms <= $3
         ORDER BY due_at_ms, id LIMIT $4
           FOR UPDATE SKIP LOCKED)
  UPDATE outbox SET attempts = attempts + 1, due_at_ms = $1, dedupe_key = NULL,
         claimed_by = $2,
         in_doubt_since_ms = CASE WHEN claimed_by IS NULL THEN in_doubt_since_ms ELSE $3 END
    FROM picked
   WHERE outbox.id = picked.id
  RETURNING outbox.id AS id, job, attempts, created_at, in_doubt_since_ms";

impl Tx<'_> {
    /// Queues a job to run now, so it exists exactly when the content it is
    /// about is committed.
    pub fn enqueue<J: Serialize + Clone + Send + Sync + 'static>(
        &mut self,
        job: &J,
    ) -> StoreResult<i64> {
        self.enqueue_with(job, Schedule::default())
    }

    /// Queues a job to run at `schedule`; with a dedupe key already pending,
    /// nothing is queued (0 is returned).
    pub fn enqueue_with<J: Serialize + Clone + Send + Sync + 'static>(
        &mut self,
        job: &J,
        schedule: Schedule<'_>,
    ) -> StoreResult<i64> {
        if let Some(key) = schedule.dedupe_key {
            // Most often one is pending already (a busy thread's root
            // refresh): one index probe instead of writing the job's JSON
            // and attempting the insert. (The insert still does nothing on
            // a conflict, e.g. with another replica's.)
            let pending = self.row(
                "SELECT id FROM outbox
                  WHERE dedupe_key = $1 AND state = 'pending' AND dedupe_key IS NOT NULL",
                args![key],
                |r| r.int("id"),
            )?;
            if pending.is_some() {
                return Ok(0);
            }
        }
        if schedule.delay_ms <= 0 && schedule.dedupe_key.is_none() && self.may_hand() {
            return self.enqueue_handed(job);
        }
        let text = serde_json::to_string(job)?;
        let now = self.now_text();
        let due = self.now_ms() + schedule.delay_ms.max(0);
        let id = self
            .insert_id(
                "INSERT INTO outbox (job, created_at, due_at_ms, dedupe_key) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL DO NOTHING",
                args![&text, &now, due, schedule.dedupe_key],
            )?
            .unwrap_or(0);
        if id > 0 {
            self.queueing.pending = true;
        }
        Ok(id)
    }

    /// Takes up to `limit` due jobs, longest due first, and leases them (one
    /// statement). The order is the `outbox_due` index's (pending jobs by
    /// due time, then id), so a large backlog is never sorted. A claimed job loses its
    /// dedupe key: a change made while it runs queues the next one. A job
    /// still leased by another runner (whose lease ran out) is in doubt. When
    /// fewer than `limit` were due, also says when the next pending job is due.
    pub fn claim_due_jobs(&mut self, worker: &str, limit: i64) -> StoreResult<Claimed> {
        let now = self.now_ms();
        let mut jobs = self.rows(
            match self.dialect() {
                Dialect::Sqlite => CLAIM_SQLITE,
                Dialect::Postgres => CLAIM_POSTGRES,
            },
            args![now + LEASE_MS, worker, now, limit],
            |r| {
                Ok(OutboxRow {
                    id: r.int("id")?,
                    job: r.text("job")?,
                    attempts: r.int("attempts")?,
                    created_at: r.text("created_at")?,
                    in_doubt_since_ms: r.opt_int("in_doubt_since_ms")?,
                    written: Default::default(),
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

    /// Replaces a job's payload (it made durable progress, e.g. recorded a
    /// post's `ts` or posted one message of several: what it did is known)
    /// and makes it due again now. The next step starts with a fresh count
    /// of attempts: a long sequence of steps is not given up on for having
    /// had many.
    pub fn progress_job<J: Serialize>(&mut self, id: i64, job: &J) -> StoreResult<()> {
        let text = serde_json::to_string(job)?;
        let now = self.now_ms();
        self.exec(
            "UPDATE outbox SET job = $1, due_at_ms = $2, claimed_by = NULL,
                    in_doubt_since_ms = NULL, attempts = 0
              WHERE id = $3",
            args![&text, now, id],
        )?;
        Ok(())
    }

    /// Makes a job due again `delay_ms` from now, keeping why it failed and
    /// whether the failed attempt may have made its call anyway.
    pub fn retry_job(
        &mut self,
        id: i64,
        delay_ms: i64,
        error: &str,
        in_doubt: bool,
    ) -> StoreResult<()> {
        let now = self.now_ms();
        let at = now + delay_ms.max(0);
        let doubt = in_doubt.then_some(now);
        self.exec(
            "UPDATE outbox SET due_at_ms = $1, last_error = $2, claimed_by = NULL,
                    in_doubt_since_ms = $3
              WHERE id = $4",
            args![at, error, doubt, id],
        )?;
        Ok(())
    }

    /// Puts a claimed job back without attempting it (pacing: Slack's rate
    /// for its channel or method is used up), due at `due_ms`. The claim's
    /// attempt is given back, so waiting never uses up the job's retries.
    pub fn defer_job(&mut self, id: i64, due_ms: i64) -> StoreResult<()> {
        self.exec(
            "UPDATE outbox SET due_at_ms = $1, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
                    claimed_by = NULL
              WHERE id = $2 AND state = 'pending'",
            args![due_ms, id],
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

    /// At start-up: SQLite has one process, so no job can be running and
    /// every lease left by a stopped process ends now (jobs scheduled for
    /// later stay put). PostgreSQL may have other replicas running jobs: only
    /// the leases of dead ones end ([`Tx::release_dead_leases`]). Those jobs
    /// were cut off mid-attempt, so they are in doubt.
    pub fn release_leases(&mut self) -> StoreResult<usize> {
        if self.dialect() == Dialect::Postgres {
            return self.release_dead_leases();
        }
        let now = self.now_ms();
        self.exec(
            "UPDATE outbox SET due_at_ms = $1, claimed_by = NULL, in_doubt_since_ms = $1
              WHERE state = 'pending' AND claimed_by IS NOT NULL",
            args![now],
        )
    }

    /// PostgreSQL: ends the leases of replicas that are gone. A replica's
    /// writer connection holds an advisory lock named by its worker id (see
    /// `pg::conn`) for as long as the process lives; when it dies, even by
    /// SIGKILL, the server drops its connection and the lock, and its jobs
    /// are claimable again (in doubt) at the next look, without waiting for
    /// their leases to run out. SQLite: nothing to do (one process).
    pub fn release_dead_leases(&mut self) -> StoreResult<usize> {
        if self.dialect() == Dialect::Sqlite {
            return Ok(0);
        }
        let now = self.now_ms();
        self.exec(
            "UPDATE outbox SET due_at_ms = $1, claimed_by = NULL, in_doubt_since_ms = $1
              WHERE state = 'pending' AND claimed_by IS NOT NULL
                AND claimed_by NOT IN (
                    SELECT CAST(((CAST(l.classid AS BIGINT) << 32) | CAST(l.objid AS BIGINT)) AS TEXT)
                      FROM pg_locks l
                     WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
                       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
            args![now],
        )
    }

    /// PostgreSQL: extends the leases `worker` holds (the jobs it is
    /// running), so an attempt that runs long is not taken over while its
    /// replica lives. SQLite: nothing to do (one process; its leases end at
    /// its next start).
    pub fn renew_leases(&mut self, worker: &str) -> StoreResult<usize> {
        if self.dialect() == Dialect::Sqlite {
            return Ok(0);
        }
        let until = self.now_ms() + LEASE_MS;
        self.exec(
            "UPDATE outbox SET due_at_ms = $1 WHERE state = 'pending' AND claimed_by = $2",
            args![until, worker],
        )
    }

    /// Calls off the pending job with `dedupe_key` (a timer whose review was
    /// replaced, a reminder changed or turned off): it is marked done, with
    /// "canceled" as the reason, and kept as history. A job already claimed is
    /// not touched; its runner checks that it still matters. The number of
    /// jobs called off.
    pub fn cancel_pending(&mut self, dedupe_key: &str) -> StoreResult<usize> {
        let now = self.now_text();
        self.exec(
            "UPDATE outbox SET state = 'done', finished_at = $1, last_error = 'canceled', dedupe_key = NULL
              WHERE state = 'pending' AND dedupe_key = $2 AND claimed_by IS NULL",
            args![&now, dedupe_key],
        )
    }

    /// The pending jobs not being run now: (id, job JSON). For purging a
    /// workspace's jobs, which only the job data names.
    pub fn idle_pending_jobs(&mut self) -> StoreResult<Vec<(i64, String)>> {
        self.rows(
            "SELECT id, job FROM outbox WHERE state = 'pending' AND claimed_by IS NULL ORDER BY id",
            &[],
            |r| Ok((r.int("id")?, r.text("job")?)),
        )
    }

    /// Of the jobs with ids in `from..=to`, those no runner (of any
    /// replica) has finished an attempt of: due and never attempted, or
    /// being attempted now. In id order.
    pub fn unattempted_jobs_between(&mut self, from: i64, to: i64) -> StoreResult<Vec<i64>> {
        let now = self.now_ms();
        self.rows(
            "SELECT id FROM outbox
              WHERE id >= $1 AND id <= $2 AND state = 'pending'
                AND (claimed_by IS NOT NULL OR (attempts = 0 AND due_at_ms <= $3))
              ORDER BY id",
            args![from, to, now],
            |r| r.int("id"),
        )
    }

    /// Jobs not yet done or failed.
    pub fn pending_jobs(&mut self) -> StoreResult<i64> {
        self.int("SELECT COUNT(*) FROM outbox WHERE state = 'pending'", &[])
    }

    /// The outbox at a glance, for `GET /metrics`: pending jobs (running and
    /// due later counted apart), failed jobs, and since when the
    /// longest-waiting due job has been due.
    pub fn outbox_figures(&mut self) -> StoreResult<OutboxFigures> {
        let now = self.now_ms();
        let mut figures = self
            .row(
                "SELECT COUNT(*) AS pending,
                        COALESCE(SUM(CASE WHEN claimed_by IS NOT NULL THEN 1 ELSE 0 END), 0) AS running,
                        COALESCE(SUM(CASE WHEN claimed_by IS NULL AND due_at_ms > $1 THEN 1 ELSE 0 END), 0)
                            AS scheduled,
                        MIN(CASE WHEN claimed_by IS NULL AND due_at_ms <= $2 THEN due_at_ms END) AS oldest_due
                   FROM outbox WHERE state = 'pending'",
                args![now, now],
                |r| {
                    Ok(OutboxFigures {
                        pending: r.int("pending")?,
                        running: r.int("running")?,
                        scheduled: r.int("scheduled")?,
                        oldest_due_age_ms: r.opt_int("oldest_due")?.map_or(0, |due| (now - due).max(0)),
                        failed: 0,
                    })
                },
            )?
            .unwrap_or_default();
        figures.failed = self.int("SELECT COUNT(*) FROM outbox WHERE state = 'failed'", &[])?;
        Ok(figures)
    }
}
