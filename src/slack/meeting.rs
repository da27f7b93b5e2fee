//! Words the review meeting's handlers share (a command and a button can
//! do the same thing): what ending reading came to, and why someone may not
//! decide.

use crate::domain::session::Session;
use crate::flows::review::reading::EndOutcome;
use crate::views::meeting::{mention, slack_time_of};

/// What the user is told after asking to end reading (button or command).
pub fn end_words(session_id: i64, outcome: &EndOutcome) -> String {
    match outcome {
        EndOutcome::Ended { review_id } => format!(
            ":white_check_mark: Silent reading of review #{review_id} has ended: I'm posting the comments in the thread of session #{session_id}."
        ),
        EndOutcome::NotStarted { review_id, scheduled_at } => format!(
            "Review #{review_id} has not started yet (reading starts {}). To call it off: `/wb review cancel {session_id}`.",
            slack_time_of(scheduled_at)
        ),
        EndOutcome::NotReading => format!(
            "No silent reading is open in session #{session_id}, so there is nothing to end."
        ),
        EndOutcome::Refused { review_id } => format!(
            ":no_entry: Only the session's creator, whoever scheduled review #{review_id} and its reviewers may end its reading. Nothing changed."
        ),
        EndOutcome::NoSession => format!(":warning: There is no session #{session_id} in this workspace."),
    }
}

/// Why someone may not decide.
pub fn refusal(session: &Session) -> String {
    format!(
        ":no_entry: Only the session's creator ({}) and the reviewers of its current review may decide on session #{}. Nothing was recorded.",
        mention(&session.created_by),
        session.id
    )
}
