//! The outbox worker: takes due jobs from the database, runs them with bounded
//! concurrency, and schedules retries (honouring `Retry-After`). Jobs survive a
//! restart because they live in the database, not in memory.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};

use super::api::ApiError;
use super::jobs::{self, Attempt, Job};
use crate::app::AppState;
use crate::domain::now_rfc3339;
use crate::store::outbox::Claimed;

/// Jobs running at once.
const CONCURRENCY: usize = 16;
/// Attempts before a job is given up (about five minutes of backoff in all).
pub const MAX_ATTEMPTS: i64 = 10;
/// Longest pause between two attempts.
const MAX_BACKOFF_SECS: i64 = 60;
/// Longest the worker sleeps without looking at the table.
const IDLE_POLL: Duration = Duration::from_secs(5);

/// Seconds to wait before attempt `attempts + 1` after `err`.
pub fn backoff_secs(attempts: i64, err: &ApiError) -> i64 {
    let exp = 1_i64 << attempts.clamp(1, 7).saturating_sub(1);
    let base = exp.min(MAX_BACKOFF_SECS);
    match err {
        ApiError::RateLimited {
            retry_after: Some(d),
        } => (d.as_secs() as i64).max(1),
        _ => base,
    }
}

fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Runs until `shutdown` turns true, then waits (bounded) for running jobs.
pub async fn run_worker(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    if let Err(err) = state.store.release_leases(now_unix()).await {
        tracing::error!(%err, "could not release outbox leases");
    }
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let group = (CONCURRENCY / 4) as u32;
    let mut backlog = false;
    loop {
        if *shutdown.borrow() {
            break;
        }
        if backlog {
            // More jobs are due: claim in groups rather than one job per
            // finished one. Wait briefly for a quarter of the workers to be free.
            tokio::select! {
                _ = permits.acquire_many(group) => {}
                _ = tokio::time::sleep(Duration::from_millis(5)) => {}
                _ = shutdown.changed() => {}
            }
        }
        let free = permits.available_permits() as i64;
        if free == 0 {
            tokio::select! {
                _ = permits.acquire() => {}
                _ = shutdown.changed() => {}
            }
            continue;
        }
        let claimed = match state.store.claim_due_jobs(now_unix(), free).await {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::error!(error = format!("{err:#}"), "could not read the outbox");
                Claimed::default()
            }
        };
        backlog = claimed.jobs.len() as i64 == free;
        for row in claimed.jobs {
            let Ok(permit) = permits.clone().acquire_owned().await else {
                break;
            };
            let state = state.clone();
            tokio::spawn(async move {
                attempt(&state, row.id, &row.job, row.attempts).await;
                drop(permit);
            });
        }
        if !backlog {
            // Everything due is running: sleep until a job is queued (or made
            // due again), the next one is due, or shutdown.
            let wait = claimed
                .next_due
                .map(|at| Duration::from_secs((at - now_unix()).clamp(0, 5) as u64))
                .unwrap_or(IDLE_POLL)
                .clamp(Duration::from_millis(50), IDLE_POLL);
            tokio::select! {
                _ = state.outbox_wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
    // Let running jobs finish (bounded); unfinished ones are resumed at the next start.
    let drained = tokio::time::timeout(
        Duration::from_secs(10),
        permits.acquire_many(CONCURRENCY as u32),
    )
    .await;
    if drained.is_err() {
        tracing::warn!("outbox jobs still running at shutdown; they resume at the next start");
    }
}

async fn attempt(state: &AppState, id: i64, raw: &str, attempts: i64) {
    let job: Job = match serde_json::from_str(raw) {
        Ok(job) => job,
        Err(err) => {
            tracing::error!(job = id, %err, "unreadable outbox job");
            let _ = state
                .store
                .fail_job(id, &format!("unreadable: {err}"), &now_rfc3339())
                .await;
            return;
        }
    };
    let label = job.label();
    let outcome = jobs::run(state, id, &job).await;
    let finished = matches!(outcome, Attempt::Done | Attempt::Finished);
    let result = match outcome {
        Attempt::Done => state.store.finish_job(id, &now_rfc3339()).await,
        Attempt::Finished => Ok(()),
        Attempt::Progress(next) => match serde_json::to_string(&next) {
            Ok(text) => state.store.update_job(id, &text, now_unix()).await,
            Err(err) => {
                tracing::error!(job = id, %err, "could not serialise job progress");
                Ok(())
            }
        },
        Attempt::Failed(err) => {
            let permanent = matches!(err, ApiError::Permanent(_));
            if permanent || attempts >= MAX_ATTEMPTS {
                tracing::warn!(job = id, job_kind = %label, attempts, error = %err, "giving up on a Slack action");
                if let Some(notice) = jobs::failure_notice(&job, &err) {
                    if let Err(e) = state.enqueue(&notice).await {
                        tracing::error!(job = id, %e, "could not queue the failure notice");
                    }
                }
                state
                    .store
                    .fail_job(id, &err.to_string(), &now_rfc3339())
                    .await
            } else {
                let wait = backoff_secs(attempts, &err);
                tracing::info!(job = id, job_kind = %label, attempts, wait, error = %err, "retrying a Slack action");
                state
                    .store
                    .retry_job_at(id, now_unix() + wait, &err.to_string())
                    .await
            }
        }
    };
    match result {
        // A job made due again (progress) or rescheduled: the worker looks at
        // its due time. A finished job needs no wake-up.
        Ok(()) if !finished => state.outbox_wake.notify_one(),
        Ok(()) => {}
        Err(err) => tracing::error!(
            job = id,
            error = format!("{err:#}"),
            "could not record an outbox result; the job will run again"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_honours_retry_after() {
        let t = ApiError::Transient("503".into());
        let got: Vec<i64> = (1..=9).map(|a| backoff_secs(a, &t)).collect();
        assert_eq!(got, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        let limited = ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(30)),
        };
        assert_eq!(backoff_secs(1, &limited), 30);
        let no_hint = ApiError::RateLimited { retry_after: None };
        assert_eq!(backoff_secs(3, &no_hint), 4);
    }
}
