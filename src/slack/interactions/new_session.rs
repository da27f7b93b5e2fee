//! The "new session" modal of `/wb pressrelease` without an idea: built by the drafting issue.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::slack::InteractionReply;

pub async fn submit(
    _state: &Arc<AppState>,
    _ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    InteractionReply::Empty
}
