//! The *Draft press release* button and its modal. Opening shows the canonical
//! sections prefilled with the latest version; a submission becomes a new
//! immutable version (the draft use case queues the thread note, the review
//! and the root refresh).

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::draft::{self, Saved};
use crate::flows::notify::tell;
use crate::slack::modal::{self, private_metadata, state_values};
use crate::slack::InteractionReply;
use crate::views::draft::{draft_modal, parse_fields, session_id_from_metadata, BLOCK_HEADLINE};

const FALLBACK: &str = "Click *Draft press release* again, or reply `PR: …` in the thread.";

/// Opens the modal, prefilled with the latest version.
pub async fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.to_string());
    let latest = match draft::latest(app, session.id).await {
        Ok(d) => d,
        Err(err) => {
            tracing::error!(session = session.id, %err, "could not read the latest draft");
            tell(
                app,
                response_url.as_deref(),
                ":warning: I couldn't read the latest draft (database error). Please try again.",
            )
            .await;
            return;
        }
    };
    let view = draft_modal(session, latest.as_ref());
    modal::open(
        app,
        tenant.workspace(),
        &ev.trigger_id.0,
        view,
        response_url,
        FALLBACK,
    );
}

#[tracing::instrument(skip_all, fields(team = %ev.team.id, user = %ev.user.id))]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(session_id) = private_metadata(&ev.view)
        .as_deref()
        .and_then(session_id_from_metadata)
    else {
        return InteractionReply::error(
            BLOCK_HEADLINE,
            "This form lost track of its session, so it can't be saved. Copy your text, then click Draft press release on the session's message.",
        );
    };
    let submitted = parse_fields(&state_values(&ev.view));
    if submitted.fields.headline.is_none() {
        return InteractionReply::error(
            BLOCK_HEADLINE,
            "Add a headline: the product's name in words the customer understands.",
        );
    }
    let author = ev.user.id.to_string();
    match draft::save(app, tenant, session_id, &author, submitted).await {
        Ok(Saved::Version(version)) => {
            tracing::info!(session = session_id, version, "draft saved from the modal");
            InteractionReply::Empty
        }
        Ok(Saved::NoSession) => InteractionReply::error(
            BLOCK_HEADLINE,
            format!("Session #{session_id} doesn't exist (any more), so this draft can't be saved. Copy your text before closing."),
        ),
        Err(err) => {
            tracing::error!(session = session_id, %err, "could not save a draft");
            InteractionReply::error(
                BLOCK_HEADLINE,
                "I couldn't save the draft just now (database error). Your text is still here: press Save draft again.",
            )
        }
    }
}
