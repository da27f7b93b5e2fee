//! The durable refresh timer of a rotating token: due before the token
//! expires, claimed once (across replicas, by the outbox's claims), it asks
//! the client to refresh — which does nothing when another call or replica
//! already did — and queues the next one from the stored expiry.

use crate::app::AppState;
use crate::domain::tenant::InstallKey;
use crate::flows;
use crate::jobs::Attempt;

pub async fn run(app: &AppState, job_id: i64, install: &InstallKey) -> Attempt {
    match app.slack.refresh_token(&install.workspace()).await {
        Ok(Some(fresh)) => {
            tracing::debug!(install = %install.stored(), expires_at_ms = fresh.expires_at_ms, "token fresh");
        }
        // Uninstalled meanwhile, or no longer rotating: nothing to refresh.
        Ok(None) => return Attempt::Done,
        Err(err) => return Attempt::Failed(err.into()),
    }
    match flows::install::token_refreshed(app, job_id, install.clone()).await {
        Ok(()) => Attempt::Finished,
        Err(err) => Attempt::Failed(err.into()),
    }
}
