//! Purging an installation's data after an uninstall
//! (`WB_PURGE_ON_UNINSTALL`): a batch of sessions per attempt, recorded as
//! progress, so a large workspace never holds the writer for long and a
//! restart goes on where it stopped.

use crate::app::AppState;
use crate::domain::tenant::InstallKey;
use crate::flows::install::{purge_batch, PURGE_BATCH};
use crate::jobs::{Attempt, Job};

pub async fn run(app: &AppState, scope: &InstallKey, deleted: i64) -> Attempt {
    match purge_batch(&app.store, scope, PURGE_BATCH).await {
        Ok(0) => {
            tracing::info!(install = %scope.stored(), sessions = deleted, "workspace data purged");
            Attempt::Done
        }
        Ok(n) => Attempt::Progress(Job::Purge {
            scope: scope.clone(),
            deleted: deleted + n as i64,
        }),
        Err(err) => Attempt::Failed(err.into()),
    }
}
