//! Comments on a review: stored verbatim, shown to nobody during silent
//! reading (the author is told privately), and posted at once, as late
//! comments, after it.

use serde_json::json;

use super::session_in;
use crate::app::AppState;
use crate::domain::review::{CommentSection, Phase};
use crate::domain::tenant::Tenant;
use crate::jobs::Job;
use crate::store::StoreResult;
use crate::views::meeting::comment::comment_saved;
use crate::views::meeting::comments::late_comment_messages;

/// A comment from the comment form.
#[derive(Debug, Clone)]
pub struct NewComment {
    /// Who comments: the review's session must be theirs.
    pub tenant: Tenant,
    pub review_id: i64,
    pub user_id: String,
    pub section: CommentSection,
    pub text: String,
    pub view_key: Option<String>,
}

/// What a comment came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentOutcome {
    /// Stored, hidden until reading ends; the author is told privately.
    Saved,
    /// Reading had ended: stored and posted at once as a late comment.
    Late,
    Duplicate,
    /// The review was replaced or cancelled before reading started.
    Retired,
    /// Reading has not started yet.
    NotStarted {
        scheduled_at: String,
    },
    NoReview,
}

/// Stores a comment verbatim: hidden during reading (the author gets a
/// private "saved"), posted at once after it.
pub async fn comment(app: &AppState, c: NewComment) -> StoreResult<CommentOutcome> {
    let outcome = app
        .store
        .write(move |tx| {
            let Some(review) = tx.review(c.review_id)? else {
                return Ok(CommentOutcome::NoReview);
            };
            let Some(session) = session_in(tx, &c.tenant, review.session_id)? else {
                return Ok(CommentOutcome::NoReview);
            };
            let late = match review.phase() {
                Phase::Reading => false,
                Phase::Ended => true,
                Phase::Canceled => return Ok(CommentOutcome::Retired),
                Phase::Scheduled => {
                    return Ok(CommentOutcome::NotStarted {
                        scheduled_at: review.scheduled_at,
                    })
                }
            };
            if let Some(key) = &c.view_key {
                if !tx.claim_submission(key)? {
                    return Ok(CommentOutcome::Duplicate);
                }
            }
            let id = tx.insert_comment(review.id, c.section, &c.text, &c.user_id, late)?;
            tx.touch_session(session.id)?;
            if late {
                let Some(stored) = tx.review_comment(id)? else {
                    return Ok(CommentOutcome::NoReview);
                };
                tx.enqueue(&Job::posts(
                    &session.workspace(),
                    &session.channel_id,
                    &session.thread_ts,
                    late_comment_messages(&review, &stored),
                    None,
                ))?;
                return Ok(CommentOutcome::Late);
            }
            tx.enqueue(&Job::call(
                &session.workspace(),
                "chat.postEphemeral",
                json!({
                    "channel": session.channel_id,
                    "thread_ts": session.thread_ts,
                    "user": c.user_id,
                    "text": comment_saved(c.section, review.ends_at.as_deref()),
                }),
            ))?;
            Ok(CommentOutcome::Saved)
        })
        .await?;
    app.wake_outbox();
    Ok(outcome)
}
