//! The worker's side of pacing (`crate::pacing`): before a Slack call a job
//! asks for its turn; when it must wait, the job goes back into the outbox,
//! due at its turn, and its worker slot is free for other channels' jobs. A
//! 429 blocks the job's channel or method in the pacer until `Retry-After`.

use std::time::Duration;

use crate::app::AppState;
use crate::flows;
use crate::jobs::{Attempt, Job};
use crate::pacing::{Call, Gate};
use crate::store::StoreResult;
use crate::webapi::scopes::static_name;

/// A job's place in line: the same across its postponements.
pub fn ticket(id: i64) -> String {
    format!("job:{id}")
}

/// Asks for the turn of a `method` call of `team` into `channel`: `None` to
/// call now, or the [`Attempt::Wait`] to return.
pub fn gate(
    app: &AppState,
    team: &str,
    ticket: &str,
    method: &str,
    channel: Option<&str>,
) -> Option<Attempt> {
    let call = Call {
        ticket,
        method,
        channel,
        team,
    };
    let label = static_name(method);
    match app.pacer.admit(&call, app.clock.unix_ms()) {
        Gate::Go { waited_ms, paced } => {
            if paced {
                let waited = Duration::from_millis(waited_ms.max(0) as u64);
                app.metrics.pacing_delay(label, waited);
            }
            None
        }
        Gate::Wait { until_ms, limit } => {
            app.metrics.paced(label, limit.label());
            tracing::debug!(
                method,
                limit = limit.label(),
                wait_ms = until_ms - app.clock.unix_ms(),
                "waiting for Slack's rate"
            );
            Some(Attempt::Wait { until_ms })
        }
    }
}

/// The Web API method and channel a job's (first) call goes to, when the job
/// says so without a database read.
pub fn target(job: &Job) -> Option<(&str, Option<&str>)> {
    match job {
        Job::Call { method, body, .. } => Some((method.as_str(), body["channel"].as_str())),
        Job::StartSession { channel_id, .. } => Some(("chat.postMessage", Some(channel_id))),
        Job::RefreshRoot { .. } => Some(("chat.update", None)),
        Job::Posts { channel, .. } => Some(("chat.postMessage", Some(channel))),
        Job::PublishHome { .. } => Some(("views.publish", None)),
        Job::ReminderZone { .. } => Some(("users.info", None)),
        Job::Respond { .. }
        | Job::RefreshToken { .. }
        | Job::Purge { .. }
        | Job::Export(_)
        | Job::ReviewStart { .. }
        | Job::ReviewEnd { .. }
        | Job::ReviewNudge { .. }
        | Job::Remind { .. } => None,
    }
}

/// Puts job `id` back in the outbox, due at `until_ms`, without counting an
/// attempt. A root refresh is replaced by the session's pending one instead.
pub async fn defer(app: &AppState, id: i64, job: &Job, until_ms: i64) -> StoreResult<()> {
    match job {
        Job::RefreshRoot { session_id } => {
            flows::root::postpone(app, id, *session_id, until_ms).await
        }
        _ => app.store.write(move |tx| tx.defer_job(id, until_ms)).await,
    }
}

/// Slack answered 429 to job `id` of `team`: nothing more into its channel
/// (or with its method, in that workspace) until `retry_after` has passed.
pub fn rate_limited(app: &AppState, id: i64, team: &str, job: &Job, retry_after: Option<Duration>) {
    let Some((method, channel)) = target(job) else {
        return;
    };
    let wait = retry_after.unwrap_or(Duration::from_secs(1));
    let until = app.clock.unix_ms() + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX / 4);
    let ticket = ticket(id);
    app.pacer.rate_limited(
        &Call {
            ticket: &ticket,
            method,
            channel,
            team,
        },
        until,
    );
}
