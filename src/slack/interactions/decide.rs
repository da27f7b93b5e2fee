//! The *Decide* button (root message, comments post, ended reading copy)
//! and the decision form's submission. Only the session's creator and its
//! current reviewers may: anyone else is told so and nothing is stored.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::decision::{self, Access, Decide, Decided};
use crate::flows::notify::tell;
use crate::slack::meeting::refusal;
use crate::slack::modal::{self, private_metadata, state_values, submission_key};
use crate::slack::InteractionReply;
use crate::views::meeting::decide::{decide_modal, read_decision, BLOCK_OUTCOME, BLOCK_RATIONALE};
use crate::views::meeting::schedule::MeetingMeta;

/// Opens the decision form, or says why not.
pub async fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.to_string());
    let user = ev
        .user
        .as_ref()
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    match decision::access(app, tenant, session.id, &user).await {
        Ok(Access::Allowed {
            session,
            version,
            current,
        }) => modal::open(
            app,
            tenant.workspace(),
            &ev.trigger_id.0,
            decide_modal(&session, version, current.as_ref()),
            response_url,
            "Or type `/wb decide` in the channel.",
        ),
        Ok(Access::Refused { session }) => {
            tell(app, response_url.as_deref(), &refusal(&session)).await
        }
        Ok(Access::NoSession) => {
            tell(
                app,
                response_url.as_deref(),
                ":warning: That session no longer exists.",
            )
            .await
        }
        Err(err) => {
            tracing::error!(session = session.id, %err, "could not check who may decide");
            tell(
                app,
                response_url.as_deref(),
                ":warning: I couldn't open the decision form (database error). Please try again.",
            )
            .await;
        }
    }
}

#[tracing::instrument(skip_all, fields(team = %ev.team.id, user = %ev.user.id))]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = private_metadata(&ev.view).and_then(|m| MeetingMeta::parse(&m)) else {
        return InteractionReply::error(
            BLOCK_RATIONALE,
            "This form lost track of its session; copy your text, close it and click Decide again.",
        );
    };
    let submitted = match read_decision(&state_values(&ev.view)) {
        Ok(d) => d,
        Err((block, message)) => return InteractionReply::error(block, message),
    };
    let asked = Decide {
        tenant: tenant.clone(),
        session_id: meta.session_id,
        user_id: ev.user.id.to_string(),
        outcome: submitted.outcome,
        rationale: submitted.rationale,
        next_steps: submitted.next_steps,
        view_key: submission_key(&ev.view),
    };
    match decision::decide(app, asked).await {
        Ok(Decided::Recorded { outcome, version }) => {
            tracing::info!(session = meta.session_id, outcome = outcome.as_str(), ?version, "decision recorded");
            InteractionReply::Empty
        }
        Ok(Decided::Duplicate) => InteractionReply::Empty,
        Ok(Decided::Refused) => InteractionReply::error(
            BLOCK_OUTCOME,
            "Only the session's creator and the reviewers of its current review may decide. Nothing was recorded.",
        ),
        Ok(Decided::NoSession) => InteractionReply::error(
            BLOCK_OUTCOME,
            format!("Session #{} doesn't exist in this workspace (any more).", meta.session_id),
        ),
        Err(err) => {
            tracing::error!(session = meta.session_id, %err, "could not record a decision");
            InteractionReply::error(
                BLOCK_RATIONALE,
                "I couldn't record the decision just now (database error). Your text is still here: press Record decision again.",
            )
        }
    }
}
