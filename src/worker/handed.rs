//! The jobs use cases hand to the worker in memory (`app::handoff`): each
//! already claimed in the table, with its place at the worker or its seat in
//! line for one.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{spawn_attempt, Shared};
use crate::app::handoff::{Handed, Seat};
use crate::app::AppState;

/// Starts the jobs use cases hand over in memory (already claimed, each with
/// its place at the worker or its seat in line for one), until the hand-over
/// closes and the last slot taken before has handed its job. A job in line
/// waits for a place on a task of its own, so jobs behind it that have
/// places start at once.
pub(super) async fn run(
    app: Arc<AppState>,
    mut queue: mpsc::UnboundedReceiver<Handed>,
    shared: Arc<Shared>,
) {
    let permits = app.handoff.permits();
    while let Some(Handed { row, seat }) = queue.recv().await {
        match seat {
            Seat::Place(permit) => spawn_attempt(&app, row, permit, &shared),
            Seat::Line(waiting) => {
                let (app, shared, permits) = (app.clone(), shared.clone(), permits.clone());
                tokio::spawn(async move {
                    // The worker's semaphore is never closed.
                    if let Ok(permit) = permits.acquire_owned().await {
                        drop(waiting);
                        spawn_attempt(&app, row, permit, &shared);
                    }
                });
            }
        }
    }
}
