//! Silent reading's buttons — *Comment* (the comment form) and *End reading*
//! — and the comment form's submission: stored verbatim, hidden until
//! reading ends (the author is told privately), or posted at once as a late
//! comment.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::review::{Phase, MAX_TEXT_CHARS};
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::notify::tell;
use crate::flows::review::comment::{self as comments, CommentOutcome, NewComment};
use crate::flows::review::reading;
use crate::flows::review::review_of;
use crate::slack::meeting::end_words;
use crate::slack::modal::{self, private_metadata, state_values, submission_key};
use crate::slack::InteractionReply;
use crate::views::meeting::comment::{comment_modal, read_comment, BLOCK_COMMENT, BLOCK_SECTION};
use crate::views::meeting::reading::review_of_value;
use crate::views::meeting::schedule::MeetingMeta;
use crate::views::meeting::slack_time_of;

fn review_id(action: &SlackInteractionActionInfo) -> Option<i64> {
    action.value.as_deref().and_then(review_of_value)
}

/// *Comment*: the comment form for the button's review.
pub async fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
    action: &SlackInteractionActionInfo,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.to_string());
    let found = review_of(app, tenant, session.id, review_id(action)).await;
    let review = match found {
        Ok(Some(r)) => r,
        Ok(None) => {
            tell(
                app,
                response_url.as_deref(),
                ":warning: I can't find that review any more.",
            )
            .await;
            return;
        }
        Err(err) => {
            tracing::error!(session = session.id, %err, "could not read a review");
            tell(
                app,
                response_url.as_deref(),
                ":warning: I couldn't open the comment form (database error). Please try again.",
            )
            .await;
            return;
        }
    };
    match review.phase() {
        Phase::Reading | Phase::Ended => modal::open(
            app,
            tenant.workspace(),
            &ev.trigger_id.0,
            comment_modal(session, &review),
            response_url,
            "Please click Comment again in a moment.",
        ),
        Phase::Scheduled => {
            let text = format!(
                "Silent reading of review #{} starts {}: comment then.",
                review.id,
                slack_time_of(&review.scheduled_at)
            );
            tell(app, response_url.as_deref(), &text).await;
        }
        Phase::Canceled => {
            let text = format!(
                "Review #{} was replaced or cancelled before reading started.",
                review.id
            );
            tell(app, response_url.as_deref(), &text).await;
        }
    }
}

/// *End reading*: for the session's creator, the review's creator and its
/// reviewers; anyone else is told why not.
pub async fn end(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
    action: &SlackInteractionActionInfo,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.as_str());
    let user = ev
        .user
        .as_ref()
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    let ended = reading::end_by(app, tenant, session.id, review_id(action), &user).await;
    let text = match ended {
        Ok(outcome) => end_words(session.id, &outcome),
        Err(err) => {
            tracing::error!(session = session.id, %err, "could not end reading");
            ":warning: I couldn't end reading just now (database error). Please try again.".into()
        }
    };
    tell(app, response_url, &text).await;
}

#[tracing::instrument(skip_all, fields(team = %ev.team.id, user = %ev.user.id))]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let meta = private_metadata(&ev.view).and_then(|m| MeetingMeta::parse(&m));
    let Some(review_id) = meta.and_then(|m| m.review_id) else {
        return InteractionReply::error(
            BLOCK_COMMENT,
            "This form lost track of its review; copy your comment, close it and click Comment again.",
        );
    };
    let (section, text) = match read_comment(&state_values(&ev.view)) {
        Ok(c) => c,
        Err((block, message)) => return InteractionReply::error(block, message),
    };
    if text.chars().count() > MAX_TEXT_CHARS {
        return InteractionReply::error(
            BLOCK_COMMENT,
            format!("That comment is over {MAX_TEXT_CHARS} characters; split it in two."),
        );
    }
    let comment = NewComment {
        tenant: tenant.clone(),
        review_id,
        user_id: ev.user.id.to_string(),
        section,
        text,
        view_key: submission_key(&ev.view),
    };
    match comments::comment(app, comment).await {
        Ok(CommentOutcome::Saved | CommentOutcome::Late | CommentOutcome::Duplicate) => {
            InteractionReply::Empty
        }
        Ok(CommentOutcome::Retired) => InteractionReply::error(
            BLOCK_COMMENT,
            "This review was replaced before reading started, so the comment was not saved. Copy it for the next review.",
        ),
        Ok(CommentOutcome::NotStarted { scheduled_at }) => InteractionReply::error(
            BLOCK_SECTION,
            format!(
                "Silent reading starts {}; the comment was not saved yet.",
                crate::export::human_time(&scheduled_at)
            ),
        ),
        Ok(CommentOutcome::NoReview) => InteractionReply::error(
            BLOCK_COMMENT,
            "That review doesn't exist in this workspace (any more); the comment was not saved.",
        ),
        Err(err) => {
            tracing::error!(review = review_id, %err, "could not store a comment");
            InteractionReply::error(
                BLOCK_COMMENT,
                "I couldn't save the comment just now (database error). Your text is still here: press Save comment again.",
            )
        }
    }
}
