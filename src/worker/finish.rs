//! Finished jobs recorded together: an attempt that is done waits for its
//! `done` to be committed (it keeps its place at the worker until then, so
//! shutdown still waits for it), but the first of several finishing at about
//! the same time gathers the others for a moment — until [`BATCH`] are
//! waiting or [`GATHER`] has passed — and records them all in one write.
//! Under load that is one writer round trip for many jobs instead of one
//! each; at a steady trickle (a few hundred jobs a second) it is one
//! transaction for several instead of one per job.
//!
//! Nothing is promised earlier than before: a job counts as done only once
//! its batch has committed. If the process dies in between, the job is
//! still claimed in the table and runs again, in doubt, like any job whose
//! outcome was lost.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::{oneshot, Notify};

use super::persist;
use crate::app::AppState;
use crate::store::{StoreError, StoreResult};

/// Jobs recorded in one write at most before the gatherer stops waiting.
const BATCH: usize = crate::app::handoff::PLACES / 4;
/// Longest the first finished job waits for others.
const GATHER: Duration = Duration::from_millis(10);

type Waiting = Vec<(i64, oneshot::Sender<StoreResult<()>>)>;

/// Jobs done, waiting for their batch to be written.
#[derive(Default)]
pub(super) struct Finishes {
    waiting: Mutex<Waiting>,
    full: Notify,
}

impl Finishes {
    /// Records job `id` as done; returns once that is committed.
    pub(super) async fn finish(&self, app: &AppState, id: i64) -> StoreResult<()> {
        let (reply, answer) = oneshot::channel();
        let first = {
            let Ok(mut waiting) = self.waiting.lock() else {
                return persist(app, move |tx| tx.finish_job(id)).await;
            };
            waiting.push((id, reply));
            if waiting.len() >= BATCH {
                self.full.notify_one();
            }
            waiting.len() == 1
        };
        if first {
            tokio::select! {
                _ = self.full.notified() => {}
                _ = tokio::time::sleep(GATHER) => {}
            }
            self.write_batch(app).await;
        }
        answer
            .await
            .unwrap_or_else(|_| Err(StoreError::internal("a finished job's batch was lost")))
    }

    /// Writes every job waiting now as done and tells each how it went.
    async fn write_batch(&self, app: &AppState) {
        let batch: Waiting = match self.waiting.lock() {
            Ok(mut waiting) => std::mem::take(&mut *waiting),
            Err(_) => return,
        };
        let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
        let result = persist(app, move |tx| {
            for id in &ids {
                tx.finish_job(*id)?;
            }
            Ok(())
        })
        .await;
        for (_, reply) in batch {
            let _ = reply.send(result.clone());
        }
    }
}
