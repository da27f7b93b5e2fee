//! The *Review* button on the root message and the review form's
//! submission: when (empty = now), reading minutes (1–120) and reviewers,
//! checked field by field (`response_action: errors`), then scheduled
//! through the use case.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::review;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::notify::tell;
use crate::flows::review::{self as flow, ScheduleOutcome, ScheduleReview};
use crate::slack::modal::{self, private_metadata, state_values, submission_key};
use crate::slack::InteractionReply;
use crate::views::meeting::schedule::{
    read_review, review_modal, MeetingMeta, ReviewForm, BLOCK_MINUTES, BLOCK_REVIEWERS, BLOCK_WHEN,
};

/// Opens the review form.
pub async fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.to_string());
    let form = match flow::form(app, tenant, session.id).await {
        Ok(Some(form)) => form,
        Ok(None) => {
            tell(
                app,
                response_url.as_deref(),
                ":warning: That session no longer exists.",
            )
            .await;
            return;
        }
        Err(err) => {
            tracing::error!(session = session.id, %err, "could not read the review form's data");
            tell(
                app,
                response_url.as_deref(),
                ":warning: I couldn't open the review form (database error). Please try again.",
            )
            .await;
            return;
        }
    };
    let view = review_modal(&ReviewForm {
        session: &form.session,
        version: form.version,
        open: form.open.as_ref(),
        reviewers: &form.reviewers,
    });
    modal::open(
        app,
        tenant.workspace(),
        &ev.trigger_id.0,
        view,
        response_url,
        "Or type `/wb review` in the channel.",
    );
}

#[tracing::instrument(skip_all, fields(team = %ev.team.id, user = %ev.user.id))]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = private_metadata(&ev.view).and_then(|m| MeetingMeta::parse(&m)) else {
        return InteractionReply::error(
            BLOCK_WHEN,
            "This form lost track of its session; close it and click Review again.",
        );
    };
    let form = read_review(&state_values(&ev.view));
    let minutes = match review::reading_minutes(form.minutes.as_deref()) {
        Ok(m) => m,
        Err(err) => return InteractionReply::error(BLOCK_MINUTES, err.to_string()),
    };
    let starts = match review::start_time(form.when, app.clock.now()) {
        Ok(at) => at,
        Err(err) => return InteractionReply::error(BLOCK_WHEN, err.to_string()),
    };
    let reviewers = match review::reviewers(&form.reviewers) {
        Ok(r) => r,
        Err(err) => return InteractionReply::error(BLOCK_REVIEWERS, err.to_string()),
    };
    let asked = ScheduleReview {
        tenant: tenant.clone(),
        session_id: meta.session_id,
        user_id: ev.user.id.to_string(),
        view_key: submission_key(&ev.view),
        starts,
        minutes,
        reviewers,
    };
    match flow::schedule(app, asked).await {
        Ok(ScheduleOutcome::Scheduled {
            review_id,
            version,
            replaced,
        }) => {
            tracing::info!(
                session = meta.session_id,
                review = review_id,
                ?version,
                ?replaced,
                "review scheduled"
            );
            InteractionReply::Empty
        }
        Ok(ScheduleOutcome::Duplicate) => InteractionReply::Empty,
        Ok(ScheduleOutcome::NoSession) => InteractionReply::error(
            BLOCK_WHEN,
            format!(
                "Session #{} doesn't exist in this workspace (any more).",
                meta.session_id
            ),
        ),
        Err(err) => {
            tracing::error!(session = meta.session_id, %err, "could not schedule a review");
            InteractionReply::error(
                BLOCK_WHEN,
                "I couldn't save the review just now (database error). Please press Schedule again.",
            )
        }
    }
}
