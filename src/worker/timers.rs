//! Durable timers: the start and end of a review's silent reading and the
//! reminders before it are outbox jobs with a due time, claimed once when
//! due (at start-up too, when wb was down at that time). Each runs its use
//! case, which finishes the job in the same write as its effects, so a
//! timer that runs again after a crash does nothing twice.

use crate::app::AppState;
use crate::flows::review::reading;
use crate::jobs::{Attempt, Job};

pub async fn run(app: &AppState, id: i64, job: &Job) -> Attempt {
    let done = match *job {
        Job::ReviewStart { review_id, due_ms } => {
            tracing::info!(
                review = review_id,
                late_ms = app.clock.unix_ms() - due_ms,
                "silent reading starts"
            );
            reading::begin(app, id, review_id, due_ms).await
        }
        Job::ReviewEnd { review_id, .. } => reading::time_up(app, id, review_id).await,
        Job::ReviewNudge {
            review_id, hours, ..
        } => reading::nudge(app, id, review_id, hours).await,
        _ => return Attempt::Done,
    };
    match done {
        Ok(()) => Attempt::Finished,
        Err(err) => Attempt::Failed(err.into()),
    }
}
