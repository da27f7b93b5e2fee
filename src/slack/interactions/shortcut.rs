//! The *Add to FAQ* message shortcut: built by the FAQ issue.

use std::sync::Arc;

use slack_morphism::prelude::*;

use super::tell;
use crate::app::AppState;

pub async fn add_to_faq(state: &Arc<AppState>, ev: &SlackInteractionMessageActionEvent) {
    tell(
        state,
        Some(&ev.response_url),
        "Adding messages to the FAQ is not available yet.",
    )
    .await;
}
