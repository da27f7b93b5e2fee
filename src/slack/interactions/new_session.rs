//! The "new session" modal of `/wb pressrelease` without an idea. Its submission
//! starts the session exactly as `/wb pressrelease <idea>` does, carrying the
//! optional first draft, which is stored as version 1 once the session exists.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::session::Title;
use crate::domain::tenant::Tenant;
use crate::flows::session::{self, Start};
use crate::slack::modal::{private_metadata, state_values};
use crate::slack::InteractionReply;
use crate::views::draft::{parse_fields, BLOCK_HEADLINE};
use crate::views::new_session::{parse_idea, NewSessionMeta, BLOCK_IDEA};

#[tracing::instrument(skip_all, fields(team = %ev.team.id, user = %ev.user.id))]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = private_metadata(&ev.view)
        .as_deref()
        .and_then(NewSessionMeta::decode)
    else {
        return InteractionReply::error(
            BLOCK_IDEA,
            "This form lost track of its channel. Close it and type `/wb pressrelease <idea>` in the channel.",
        );
    };
    let values = state_values(&ev.view);
    let title = match Title::parse(&parse_idea(&values)) {
        Ok(t) => t,
        Err(err) => {
            return InteractionReply::error(
                BLOCK_IDEA,
                format!("{err}: say what the product is in a few words."),
            )
        }
    };
    let draft = parse_fields(&values).fields;
    if !draft.is_empty() && draft.headline.is_none() {
        return InteractionReply::error(
            BLOCK_HEADLINE,
            "A first draft needs a headline (or leave every draft field empty).",
        );
    }
    let start = Start {
        team_id: ev.team.id.to_string(),
        enterprise_id: tenant.enterprise_id.clone(),
        channel_id: meta.channel_id,
        user_id: ev.user.id.to_string(),
        title,
        response_url: meta.response_url,
        first_draft: Some(draft),
    };
    match session::start(app, start).await {
        Ok(_) => InteractionReply::Empty,
        Err(err) => {
            tracing::error!(%err, "could not queue a new session");
            InteractionReply::error(
                BLOCK_IDEA,
                "I couldn't save that just now (database error). Press Start again.",
            )
        }
    }
}
