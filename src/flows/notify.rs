//! Queuing what the outbox owes outside a larger write: a single job, or an
//! ephemeral word to a user through an interaction's `response_url`.

use crate::app::AppState;
use crate::jobs::Job;
use crate::store::StoreResult;

/// Queues `job` (committed before this returns) and wakes the worker.
pub async fn enqueue(app: &AppState, job: Job) -> StoreResult<()> {
    app.store.write(move |tx| tx.enqueue(&job)).await?;
    app.wake_outbox();
    Ok(())
}

/// Tells a user `text` ephemerally through `response_url` (queued, so it is
/// retried like everything else). Without a URL, or when it cannot be queued,
/// the failure is logged: there is no other way to reach the user.
pub async fn tell(app: &AppState, response_url: Option<&str>, text: &str) {
    let Some(url) = response_url else {
        tracing::warn!("no response_url to tell the user something");
        return;
    };
    if let Err(err) = enqueue(app, Job::respond_ephemeral(url, text)).await {
        tracing::error!(%err, "could not queue a reply to the user");
    }
}
