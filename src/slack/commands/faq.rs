//! `/wb faq <question>`: built by the FAQ issue.

use std::sync::Arc;

use slack_morphism::prelude::SlackCommandEvent;

use crate::app::AppState;
use crate::slack::CommandReply;

pub async fn handle(
    _state: &Arc<AppState>,
    _ev: &SlackCommandEvent,
    _question: Option<String>,
) -> CommandReply {
    CommandReply::ephemeral(
        "Ask in a session's thread: end your reply with `?` and I'll add it to the FAQ.",
    )
}
