//! The durable outbox: Web API actions written before they are attempted.

use sqlx::{Row, Sqlite, Transaction};

use super::Store;

/// A job taken from the outbox for one attempt.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub job: String,
    pub attempts: i64,
    pub created_at: String,
}

/// How long a claimed job stays invisible to other claims while it runs.
const LEASE_SECS: i64 = 120;

impl Store {
    /// Queues a job (JSON) to run now, inside the caller's transaction, so the
    /// job exists exactly when the content it is about is committed.
    pub async fn enqueue_in(
        tx: &mut Transaction<'_, Sqlite>,
        job: &str,
        now: &str,
        now_unix: i64,
    ) -> sqlx::Result<i64> {
        let row = sqlx::query(
            "INSERT INTO outbox (job, created_at, next_attempt_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(job)
        .bind(now)
        .bind(now_unix)
        .fetch_one(&mut **tx)
        .await?;
        row.try_get("id")
    }

    /// Queues a job in a transaction of its own.
    pub async fn enqueue(&self, job: &str, now: &str, now_unix: i64) -> sqlx::Result<i64> {
        let mut tx = self.begin_write().await?;
        let id = Self::enqueue_in(&mut tx, job, now, now_unix).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes up to `limit` due jobs, oldest first, and leases them (one statement).
    pub async fn claim_due_jobs(&self, now_unix: i64, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?
              WHERE id IN (SELECT id FROM outbox
                            WHERE state = 'pending' AND next_attempt_at <= ?
                            ORDER BY id LIMIT ?)
              RETURNING id, job, attempts, created_at",
        )
        .bind(now_unix + LEASE_SECS)
        .bind(now_unix)
        .bind(limit)
        .fetch_all(self.writer())
        .await?;
        let mut jobs = rows
            .iter()
            .map(|row| {
                Ok(OutboxRow {
                    id: row.try_get("id")?,
                    job: row.try_get("job")?,
                    attempts: row.try_get("attempts")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    pub async fn finish_job(&self, id: i64, now: &str) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE outbox SET state = 'done', finished_at = ?, last_error = NULL WHERE id = ?",
        )
        .bind(now)
        .bind(id)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Replaces a job's payload (it made progress, e.g. joined the channel) and
    /// makes it due again at `at_unix`.
    pub async fn update_job(&self, id: i64, job: &str, at_unix: i64) -> sqlx::Result<()> {
        sqlx::query("UPDATE outbox SET job = ?, next_attempt_at = ? WHERE id = ?")
            .bind(job)
            .bind(at_unix)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn retry_job_at(&self, id: i64, at_unix: i64, error: &str) -> sqlx::Result<()> {
        sqlx::query("UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?")
            .bind(at_unix)
            .bind(error)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn fail_job(&self, id: i64, error: &str, now: &str) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ? WHERE id = ?",
        )
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// At start-up no job can be running: leases left by a stopped process end now.
    pub async fn release_leases(&self, now_unix: i64) -> sqlx::Result<u64> {
        let result = sqlx::query(
            "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?",
        )
        .bind(now_unix)
        .bind(now_unix)
        .execute(self.writer())
        .await?;
        Ok(result.rows_affected())
    }

    /// Jobs not yet done or failed.
    pub async fn pending_jobs(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
            .fetch_one(self.pool())
            .await
    }

    /// When the next pending job is due (unix seconds), if any.
    pub async fn next_due(&self) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'")
            .fetch_one(self.pool())
            .await
    }
}
