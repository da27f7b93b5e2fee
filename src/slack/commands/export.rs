//! `/wb export [ID] [md|html|canvas]`: built by the export issue.

use std::sync::Arc;

use slack_morphism::prelude::SlackCommandEvent;

use crate::app::AppState;
use crate::domain::command::ExportTarget;
use crate::slack::CommandReply;

pub async fn handle(
    _state: &Arc<AppState>,
    _ev: &SlackCommandEvent,
    _session_id: Option<i64>,
    _target: ExportTarget,
) -> CommandReply {
    CommandReply::ephemeral("Export from the command line for now: `wb export <ID> --format json`.")
}
