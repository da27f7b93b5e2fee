//! The *Draft press release* button and its modal: built by the drafting issue.

use std::sync::Arc;

use slack_morphism::prelude::*;

use super::tell;
use crate::app::AppState;
use crate::domain::session::Session;
use crate::slack::InteractionReply;

pub async fn open(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    _session: &Session,
) {
    tell(
        state,
        ev.response_url.as_ref(),
        "Drafting in a form is not available yet: reply `PR: …` in the thread.",
    )
    .await;
}

pub async fn submit(
    _state: &Arc<AppState>,
    _ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    InteractionReply::Empty
}
