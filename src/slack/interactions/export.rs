//! The *Export* button: built by the export issue.

use std::sync::Arc;

use slack_morphism::prelude::*;

use super::tell;
use crate::app::AppState;
use crate::domain::session::Session;

pub async fn from_button(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    _session: &Session,
) {
    tell(
        state,
        ev.response_url.as_ref(),
        "Export from the command line for now: `wb export <ID> --format json`.",
    )
    .await;
}
