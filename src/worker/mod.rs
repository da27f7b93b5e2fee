//! The outbox worker: takes due jobs from the database (and the fresh ones a
//! use case hands it in memory, already claimed: `app::handoff`), runs them
//! with bounded concurrency (`run`), and records each outcome — done,
//! progress, a retry (honouring `Retry-After`), or a failure for good, which
//! queues the notice the job owes its user. Jobs survive a restart because
//! they live in the database, not in memory. It sits above the use cases: a
//! job's follow-up writes go through them. Slack calls wait for their turn ([`pace`]);
//! every attempt runs in a `job` span and is counted in the metrics.

mod channel;
mod export;
mod finish;
mod handed;
mod home;
mod names;
mod pace;
mod posts;
mod purge;
mod recover;
mod remind;
mod run;
mod start;
mod tag;
mod then;
mod timers;
mod tokens;
mod turns;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, OwnedSemaphorePermit};
use tracing::Instrument;

use crate::app::AppState;
use crate::domain::tenant::Workspace;
use crate::flows;
use crate::jobs::{self, Attempt, Failure, Job};
use crate::metrics::JobResult;
use crate::store::outbox::{Claimed, OutboxRow};
use crate::store::Dialect;
use crate::store::{StoreError, StoreResult, Tx};
use crate::webapi::{ApiError, NOT_INSTALLED};

/// Jobs running at once.
const CONCURRENCY: usize = crate::app::handoff::PLACES;
/// Attempts before a job is given up (about five minutes of backoff in all).
pub const MAX_ATTEMPTS: i64 = 10;
/// Longest pause between two attempts.
const MAX_BACKOFF_SECS: i64 = 60;
/// Longest the worker sleeps without looking at the table.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Longest pause between two tries at recording a job's outcome (about
/// 30 s of tries in all).
const PERSIST_PATIENCE: Duration = Duration::from_secs(13);
/// How often this replica renews its leases and looks for those of replicas
/// that died (PostgreSQL).
const REAP_EVERY: Duration = Duration::from_secs(5);

/// Milliseconds to wait before attempt `attempts + 1` after `failure`, with
/// `jitter` in [0, 1) spreading retries that failed together: doubling from
/// 1 s up to a minute, each within ±25 % (so the total stays about five
/// minutes); after a 429, `Retry-After` plus up to one more second.
pub fn backoff_ms(attempts: i64, failure: &Failure, jitter: f64) -> i64 {
    let jitter = jitter.clamp(0.0, 1.0);
    match failure.api_error() {
        Some(ApiError::RateLimited {
            retry_after: Some(d),
        }) => {
            let hint = i64::try_from(d.as_millis())
                .unwrap_or(i64::MAX / 4)
                .max(1_000);
            hint + (jitter * 1_000.0) as i64
        }
        _ => {
            let exp = 1_i64 << attempts.clamp(1, 7).saturating_sub(1);
            let base = exp.min(MAX_BACKOFF_SECS) * 1_000;
            (base as f64 * (0.75 + 0.5 * jitter)) as i64
        }
    }
}

/// What the worker's attempts share.
#[derive(Default)]
struct Shared {
    /// Searches for posts of jobs in doubt, shared by the jobs of one conversation.
    scans: Arc<recover::Scans>,
    /// Finished jobs waiting to be recorded together.
    finishes: finish::Finishes,
    /// One root refresh per session at a time.
    roots: Arc<turns::RootTurns>,
}

/// Runs until `shutdown` turns true, then waits (bounded) for running jobs.
pub async fn run_worker(app: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    if let Err(err) = app.store.write(|tx| tx.release_leases()).await {
        tracing::error!(%err, "could not release outbox leases");
    }
    if app.store.dialect() == Dialect::Postgres {
        // Other replicas run jobs this one queued: back-pressure asks the
        // database which starts are still waiting.
        tokio::spawn(sync_backlog(app.clone(), shutdown.clone()));
    }
    let permits = app.handoff.permits();
    let shared = Arc::new(Shared::default());
    let handed = tokio::spawn(handed::run(app.clone(), app.handoff.open(), shared.clone()));
    let group = (CONCURRENCY / 4) as u32;
    let mut backlog = false;
    let worker: Arc<str> = app.store.replica().into();
    let mut reaped = std::time::Instant::now();
    loop {
        app.health.worker.beat();
        if reaped.elapsed() >= REAP_EVERY {
            reaped = std::time::Instant::now();
            let me = worker.clone();
            let looked = app
                .store
                .write(move |tx| {
                    tx.renew_leases(&me)?;
                    tx.release_dead_leases()
                })
                .await;
            match looked {
                Ok(0) => {}
                Ok(n) => tracing::info!(jobs = n, "took over the jobs of a replica that is gone"),
                Err(err) => tracing::warn!(%err, "could not look for leases of dead replicas"),
            }
        }
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
            .write({
                let worker = worker.clone();
                move |tx| tx.claim_due_jobs(&worker, free)
            })
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
            spawn_attempt(&app, row, permit, &shared);
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
    // Let running jobs finish (bounded), handed ones included (those in line
    // first get their places); unfinished ones are resumed at the next start.
    app.handoff.close();
    let drained = tokio::time::timeout(Duration::from_secs(10), async {
        let _ = handed.await;
        app.handoff.line_empty().await;
        permits.acquire_many(CONCURRENCY as u32).await
    })
    .await;
    if drained.is_err() {
        tracing::warn!("outbox jobs still running at shutdown; they resume at the next start");
    }
}

/// Runs one attempt of the job in `row` on a task of its own, holding its
/// place at the worker (`permit`) until it ends.
fn spawn_attempt(
    app: &Arc<AppState>,
    row: OutboxRow,
    permit: OwnedSemaphorePermit,
    shared: &Arc<Shared>,
) {
    let (app, shared) = (app.clone(), shared.clone());
    // Boxed: an attempt's future is kilobytes (the deepest job's calls), and
    // a task moves its future several times on the way in and its stage
    // when it ends; a box is moved as one pointer (bench/README.md, ninth
    // round).
    tokio::spawn(Box::pin(async move {
        attempt(&app, row, &shared).await;
        // A busy worker still shows life between loop turns.
        app.health.worker.beat();
        drop(permit);
    }));
}

/// Every 250 ms while starts wait here: forgets those any replica attempted.
async fn sync_backlog(app: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        if let Some((from, to)) = app.backlog.waiting_range() {
            match app
                .store
                .read(move |tx| tx.unattempted_jobs_between(from, to))
                .await
            {
                Ok(ids) => app.backlog.attempted_elsewhere((from, to), &ids),
                Err(err) => tracing::debug!(%err, "could not read the outbox for back-pressure"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn attempt(app: &AppState, mut row: OutboxRow, shared: &Shared) {
    let id = row.id;
    // A job handed over in memory comes as its write had it.
    let parsed = match row.written.take::<Job>() {
        Some(job) => Ok(job),
        None => serde_json::from_str(&row.job),
    };
    let job: Job = match parsed {
        Ok(job) => job,
        Err(err) => {
            tracing::error!(job = id, %err, "unreadable outbox job");
            let error = format!("unreadable: {err}");
            let _ = app.store.write(move |tx| tx.fail_job(id, &error)).await;
            return;
        }
    };
    let method = job.method();
    let span = tracing::info_span!("job", job = id, method, channel = tracing::field::Empty);
    if let Some(channel) = pace::target(&job).and_then(|(_, c)| c) {
        span.record("channel", channel);
    }
    let this = recover::JobRun {
        id,
        created_at: row.created_at,
        in_doubt_since_ms: row.in_doubt_since_ms,
        scans: shared.scans.clone(),
        roots: shared.roots.clone(),
        workspace: Workspace::default(),
    };
    record(app, this, job, row.attempts, &shared.finishes)
        .instrument(span)
        .await;
}

/// The workspace whose token a job's calls go out with: the one it names,
/// else its session's (an export, a root refresh, a reminder queued before
/// reminders named theirs); none for a job that calls nobody (or of a
/// session that is gone).
async fn workspace_of(app: &AppState, job: &Job) -> Result<Workspace, Failure> {
    if let Some(ws) = job.workspace() {
        return Ok(ws);
    }
    let session = match job {
        Job::Export(export) => export.session_id,
        Job::RefreshRoot { session_id }
        | Job::Remind { session_id, .. }
        | Job::ReminderZone { session_id, .. } => *session_id,
        _ => return Ok(Workspace::default()),
    };
    Ok(flows::session::workspace_of(app, session).await?)
}

/// Records a job's outcome, again while the database is away (a restart, a
/// failover: seconds), so the job does not sit out its lease (minutes)
/// because its outcome was lost.
async fn persist<F>(app: &AppState, f: F) -> StoreResult<()>
where
    F: Fn(&mut Tx<'_>) -> StoreResult<()> + Clone + Send + 'static,
{
    let mut delay = Duration::from_millis(200);
    loop {
        match app.store.write(f.clone()).await {
            Err(StoreError::Unavailable(err)) if delay <= PERSIST_PATIENCE => {
                tracing::warn!(%err, "recording an outbox result: the database is away, trying again");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other,
        }
    }
}

/// Runs one attempt of `job` and records its outcome.
async fn record(
    app: &AppState,
    mut this: recover::JobRun,
    job: Job,
    attempts: i64,
    finishes: &finish::Finishes,
) {
    let id = this.id;
    let label = job.label();
    let method = job.method();
    let outcome = match workspace_of(app, &job).await {
        Ok(ws) => {
            this.workspace = ws;
            run::run(app, &this, &job).await
        }
        Err(failure) => Attempt::Failed(failure),
    };
    if matches!(job, Job::StartSession { .. }) {
        app.backlog.attempted(id, app.clock.unix_ms());
    }
    let finished = matches!(outcome, Attempt::Done | Attempt::Finished);
    if finished {
        app.metrics.job(method, JobResult::Ok);
    }
    let result = match outcome {
        Attempt::Done => finishes.finish(app, id).await,
        Attempt::Finished => Ok(()),
        Attempt::Progress(next) => persist(app, move |tx| tx.progress_job(id, &next)).await,
        Attempt::Wait { until_ms } => pace::defer(app, id, &job, until_ms).await,
        Attempt::Failed(failure) => {
            if let Failure::Slack(ApiError::RateLimited { retry_after }) = &failure {
                pace::rate_limited(app, id, &this.workspace.team_id, &job, *retry_after);
            }
            let error = failure.to_string();
            if failure.is_permanent() || attempts >= MAX_ATTEMPTS {
                app.metrics.job(method, JobResult::Failed);
                match &failure {
                    Failure::Storage(_) => {
                        tracing::error!(job = id, job_kind = %label, attempts, %error, "giving up on a job: the database kept failing")
                    }
                    Failure::Slack(err) if err.code() == Some(NOT_INSTALLED) => {
                        tracing::warn!(job = id, job_kind = %label, team = %this.workspace.team_id, "dropping a job: its workspace has no token (wb was uninstalled there)")
                    }
                    _ => {
                        tracing::warn!(job = id, job_kind = %label, attempts, %error, "giving up on a Slack action")
                    }
                }
                let notice = jobs::failure_notice(&job, &this.workspace, &failure);
                persist(app, move |tx| {
                    if let Some(notice) = &notice {
                        tx.enqueue(notice)?;
                    }
                    tx.fail_job(id, &error)
                })
                .await
            } else {
                app.metrics.job(method, JobResult::Retried);
                let wait_ms = backoff_ms(attempts, &failure, fastrand::f64());
                let wait = wait_ms as f64 / 1000.0;
                let doubt = failure.leaves_doubt();
                match &failure {
                    Failure::Storage(_) => {
                        tracing::warn!(job = id, job_kind = %label, attempts, wait, %error, "retrying a job after a database failure")
                    }
                    _ => {
                        tracing::info!(job = id, job_kind = %label, attempts, wait, %error, "retrying a Slack action")
                    }
                }
                persist(app, move |tx| tx.retry_job(id, wait_ms, &error, doubt)).await
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
        // The middle of the jitter range is the plain doubling.
        let got: Vec<i64> = (1..=9).map(|a| backoff_ms(a, &t, 0.5)).collect();
        assert_eq!(
            got,
            vec![1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
        assert_eq!(backoff_ms(4, &t, 0.0), 6_000);
        assert_eq!(backoff_ms(4, &t, 1.0), 10_000);
        let limited = Failure::Slack(ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(30)),
        });
        assert_eq!(backoff_ms(1, &limited, 0.0), 30_000);
        assert_eq!(backoff_ms(1, &limited, 0.999), 30_999);
        let no_hint = Failure::Slack(ApiError::RateLimited { retry_after: None });
        assert_eq!(backoff_ms(3, &no_hint, 0.5), 4_000);
    }

    #[test]
    fn retries_that_failed_together_spread_out() {
        let t = Failure::Slack(ApiError::Transient("503".into()));
        let waits: std::collections::BTreeSet<i64> = (0..50)
            .map(|_| backoff_ms(5, &t, fastrand::f64()))
            .collect();
        assert!(waits.len() > 10, "{waits:?}");
        assert!(
            waits.iter().all(|w| (12_000..=20_000).contains(w)),
            "{waits:?}"
        );
    }
}
