//! The outbox worker: takes due jobs from the database, runs them with bounded
//! concurrency (`run`), and records each outcome — done, progress, a retry
//! (honouring `Retry-After`), or a failure for good, which queues the notice
//! the job owes its user. Jobs survive a restart because they live in the
//! database, not in memory. It sits above the use cases: a job's follow-up
//! writes go through them.

mod channel;
mod export;
mod names;
mod remind;
mod run;
mod start;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};

use crate::app::AppState;
use crate::jobs::{self, Attempt, Failure, Job};
use crate::store::outbox::Claimed;
use crate::webapi::ApiError;

/// Jobs running at once.
const CONCURRENCY: usize = 16;
/// Attempts before a job is given up (about five minutes of backoff in all).
pub const MAX_ATTEMPTS: i64 = 10;
/// Longest pause between two attempts.
const MAX_BACKOFF_SECS: i64 = 60;
/// Longest the worker sleeps without looking at the table.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Who holds this process's leases.
const WORKER: &str = "wb";

/// Seconds to wait before attempt `attempts + 1` after `failure`.
pub fn backoff_secs(attempts: i64, failure: &Failure) -> i64 {
    let exp = 1_i64 << attempts.clamp(1, 7).saturating_sub(1);
    let base = exp.min(MAX_BACKOFF_SECS);
    match failure {
        Failure::Slack(ApiError::RateLimited {
            retry_after: Some(d),
        }) => (d.as_secs() as i64).max(1),
        _ => base,
    }
}

/// Runs until `shutdown` turns true, then waits (bounded) for running jobs.
pub async fn run_worker(app: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    if let Err(err) = app.store.write(|tx| tx.release_leases()).await {
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
        let claimed = match app
            .store
            .write(move |tx| tx.claim_due_jobs(WORKER, free))
            .await
        {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::error!(%err, "could not read the outbox");
                Claimed::default()
            }
        };
        backlog = claimed.jobs.len() as i64 == free;
        for row in claimed.jobs {
            let Ok(permit) = permits.clone().acquire_owned().await else {
                break;
            };
            let app = app.clone();
            tokio::spawn(async move {
                attempt(&app, row.id, &row.job, row.attempts).await;
                drop(permit);
            });
        }
        if !backlog {
            // Everything due is running: sleep until a job is queued (or made
            // due again), the next one is due, or shutdown.
            let wait = claimed
                .next_due_ms
                .map(|at| Duration::from_millis((at - app.clock.unix_ms()).clamp(0, 5_000) as u64))
                .unwrap_or(IDLE_POLL)
                .clamp(Duration::from_millis(20), IDLE_POLL);
            tokio::select! {
                _ = app.outbox_wake.notified() => {}
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

async fn attempt(app: &AppState, id: i64, raw: &str, attempts: i64) {
    let job: Job = match serde_json::from_str(raw) {
        Ok(job) => job,
        Err(err) => {
            tracing::error!(job = id, %err, "unreadable outbox job");
            let error = format!("unreadable: {err}");
            let _ = app.store.write(move |tx| tx.fail_job(id, &error)).await;
            return;
        }
    };
    let label = job.label();
    let outcome = run::run(app, id, &job).await;
    let finished = matches!(outcome, Attempt::Done | Attempt::Finished);
    let result = match outcome {
        Attempt::Done => app.store.write(move |tx| tx.finish_job(id)).await,
        Attempt::Finished => Ok(()),
        Attempt::Progress(next) => app.store.write(move |tx| tx.progress_job(id, &next)).await,
        Attempt::Failed(failure) => {
            let error = failure.to_string();
            if failure.is_permanent() || attempts >= MAX_ATTEMPTS {
                match &failure {
                    Failure::Slack(_) => {
                        tracing::warn!(job = id, job_kind = %label, attempts, %error, "giving up on a Slack action")
                    }
                    Failure::Storage(_) => {
                        tracing::error!(job = id, job_kind = %label, attempts, %error, "giving up on a job: the database kept failing")
                    }
                }
                let notice = jobs::failure_notice(&job, &failure);
                app.store
                    .write(move |tx| {
                        if let Some(notice) = &notice {
                            tx.enqueue(notice)?;
                        }
                        tx.fail_job(id, &error)
                    })
                    .await
            } else {
                let wait = backoff_secs(attempts, &failure);
                match &failure {
                    Failure::Slack(_) => {
                        tracing::info!(job = id, job_kind = %label, attempts, wait, %error, "retrying a Slack action")
                    }
                    Failure::Storage(_) => {
                        tracing::warn!(job = id, job_kind = %label, attempts, wait, %error, "retrying a job after a database failure")
                    }
                }
                app.store
                    .write(move |tx| tx.retry_job(id, wait * 1000, &error))
                    .await
            }
        }
    };
    match result {
        // A job made due again (progress), rescheduled, or failed with a
        // notice: the worker looks at the table again. A finished job needs
        // no wake-up.
        Ok(()) if !finished => app.wake_outbox(),
        Ok(()) => {}
        Err(err) => tracing::error!(
            job = id,
            %err,
            "could not record an outbox result; the job will run again"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_honours_retry_after() {
        let t = Failure::Slack(ApiError::Transient("503".into()));
        let got: Vec<i64> = (1..=9).map(|a| backoff_secs(a, &t)).collect();
        assert_eq!(got, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        let limited = Failure::Slack(ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(30)),
        });
        assert_eq!(backoff_secs(1, &limited), 30);
        let no_hint = Failure::Slack(ApiError::RateLimited { retry_after: None });
        assert_eq!(backoff_secs(3, &no_hint), 4);
    }
}
