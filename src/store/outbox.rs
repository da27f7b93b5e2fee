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

/// Rows per multi-row INSERT (3 bound values each, far below SQLite's limit).
const BATCH_ROWS: usize = 200;

/// Group commit of jobs queued outside a transaction (slash commands,
/// notices): concurrent callers share one transaction.
pub type Enqueuer = super::batch::Batcher<String>;

/// Group commit of finished jobs.
pub type Finisher = super::batch::Batcher<i64>;

/// Starts the outbox's two group-commit tasks.
pub fn spawn_batchers(store: &Store) -> (Enqueuer, Finisher) {
    let s = store.clone();
    let enqueuer = Enqueuer::spawn(move |jobs: Vec<String>| {
        let s = s.clone();
        async move {
            let now = jiff::Timestamp::now();
            s.enqueue_many(&jobs, &crate::domain::format_rfc3339(now), now.as_second())
                .await
                .map_err(|e| e.to_string())
        }
    });
    let s = store.clone();
    let finisher = Finisher::spawn(move |ids: Vec<i64>| {
        let s = s.clone();
        async move {
            s.finish_jobs(&ids, &crate::domain::now_rfc3339())
                .await
                .map_err(|e| e.to_string())
        }
    });
    (enqueuer, finisher)
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

    /// Queues many jobs (JSON) in one transaction and one statement per
    /// [`BATCH_ROWS`] rows (the commit behind [`Enqueuer`]).
    pub async fn enqueue_many(
        &self,
        jobs: &[String],
        now: &str,
        now_unix: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        for chunk in jobs.chunks(BATCH_ROWS) {
            let mut insert =
                sqlx::QueryBuilder::new("INSERT INTO outbox (job, created_at, next_attempt_at) ");
            insert.push_values(chunk, |mut row, job| {
                row.push_bind(job).push_bind(now).push_bind(now_unix);
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// Takes up to `limit` due jobs, longest due first, and leases them (one
    /// statement). The order is the `outbox_due` index's (state,
    /// next_attempt_at, rowid), so a large backlog is never sorted.
    pub async fn claim_due_jobs(&self, now_unix: i64, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?
              WHERE id IN (SELECT id FROM outbox
                            WHERE state = 'pending' AND next_attempt_at <= ?
                            ORDER BY next_attempt_at, id LIMIT ?)
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

    /// Marks jobs done, in one statement per [`BATCH_ROWS`] ids.
    pub async fn finish_jobs(&self, ids: &[i64], now: &str) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        for chunk in ids.chunks(BATCH_ROWS) {
            let mut update = sqlx::QueryBuilder::new(
                "UPDATE outbox SET state = 'done', last_error = NULL, finished_at = ",
            );
            update.push_bind(now).push(" WHERE id IN (");
            let mut list = update.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            update.push(")");
            update.build().execute(&mut *tx).await?;
        }
        tx.commit().await
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
