//! The durable outbox: Web API actions written before they are attempted.

use rusqlite::params;

use super::{Conn, Store};

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
    /// When the next pending job is due (unix seconds; leased jobs count at
    /// their lease's end), when fewer jobs than asked for were due.
    pub next_due: Option<i64>,
}

/// How long a claimed job stays invisible to other claims while it runs.
const LEASE_SECS: i64 = 120;

impl Store {
    /// Queues a job (JSON) to run now, inside the caller's write, so the job
    /// exists exactly when the content it is about is committed.
    pub fn enqueue_in(conn: &Conn, job: &str, now: &str, now_unix: i64) -> rusqlite::Result<i64> {
        conn.prepare_cached(
            "INSERT INTO outbox (job, created_at, next_attempt_at) VALUES (?1, ?2, ?3)",
        )?
        .insert(params![job, now, now_unix])
    }

    /// Takes up to `limit` due jobs, longest due first, and leases them (one
    /// statement). The order is the `outbox_due` index's (state,
    /// next_attempt_at, rowid), so a large backlog is never sorted. When fewer
    /// than `limit` were due, also says when the next pending job is due.
    pub async fn claim_due_jobs(&self, now_unix: i64, limit: i64) -> anyhow::Result<Claimed> {
        self.write(move |conn| {
            let mut statement = conn.prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?1
                  WHERE id IN (SELECT id FROM outbox
                                WHERE state = 'pending' AND next_attempt_at <= ?2
                                ORDER BY next_attempt_at, id LIMIT ?3)
                  RETURNING id, job, attempts, created_at",
            )?;
            let rows =
                statement.query_map(params![now_unix + LEASE_SECS, now_unix, limit], |row| {
                    Ok(OutboxRow {
                        id: row.get("id")?,
                        job: row.get("job")?,
                        attempts: row.get("attempts")?,
                        created_at: row.get("created_at")?,
                    })
                })?;
            let mut jobs = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            jobs.sort_by_key(|j| j.id);
            let next_due = if (jobs.len() as i64) < limit {
                conn.prepare_cached(
                    "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'",
                )?
                .query_row([], |row| row.get(0))?
            } else {
                None
            };
            Ok(Claimed { jobs, next_due })
        })
        .await
    }

    /// Marks a job done, inside the caller's write.
    pub fn finish_job_in(conn: &Conn, id: i64, now: &str) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "UPDATE outbox SET state = 'done', finished_at = ?1, last_error = NULL WHERE id = ?2",
        )?
        .execute(params![now, id])?;
        Ok(())
    }

    pub async fn finish_job(&self, id: i64, now: &str) -> anyhow::Result<()> {
        let now = now.to_string();
        self.write(move |conn| Ok(Self::finish_job_in(conn, id, &now)?))
            .await
    }

    /// Replaces a job's payload (it made progress, e.g. joined the channel) and
    /// makes it due again at `at_unix`.
    pub async fn update_job(&self, id: i64, job: &str, at_unix: i64) -> anyhow::Result<()> {
        let job = job.to_string();
        self.write(move |conn| {
            conn.prepare_cached("UPDATE outbox SET job = ?1, next_attempt_at = ?2 WHERE id = ?3")?
                .execute(params![job, at_unix, id])?;
            Ok(())
        })
        .await
    }

    pub async fn retry_job_at(&self, id: i64, at_unix: i64, error: &str) -> anyhow::Result<()> {
        let error = error.to_string();
        self.write(move |conn| {
            conn.prepare_cached(
                "UPDATE outbox SET next_attempt_at = ?1, last_error = ?2 WHERE id = ?3",
            )?
            .execute(params![at_unix, error, id])?;
            Ok(())
        })
        .await
    }

    pub async fn fail_job(&self, id: i64, error: &str, now: &str) -> anyhow::Result<()> {
        let (error, now) = (error.to_string(), now.to_string());
        self.write(move |conn| {
            conn.prepare_cached(
                "UPDATE outbox SET state = 'failed', last_error = ?1, finished_at = ?2 WHERE id = ?3",
            )?
            .execute(params![error, now, id])?;
            Ok(())
        })
        .await
    }

    /// At start-up no job can be running: leases left by a stopped process end now.
    pub async fn release_leases(&self, now_unix: i64) -> anyhow::Result<usize> {
        self.write(move |conn| {
            Ok(conn
                .prepare_cached(
                    "UPDATE outbox SET next_attempt_at = ?1 WHERE state = 'pending' AND next_attempt_at > ?1",
                )?
                .execute(params![now_unix])?)
        })
        .await
    }

    /// Jobs not yet done or failed.
    pub async fn pending_jobs(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
            .fetch_one(self.pool())
            .await
    }
}
