//! The *Export* button on a session's root message: the same export as
//! `/wb export` (Markdown), queued in the outbox; the confirmation comes later
//! through the interaction's response_url.

use std::sync::Arc;

use slack_morphism::prelude::*;

use super::tell;
use crate::app::AppState;
use crate::domain::session::Session;
use crate::slack::export_job::{ExportFormat, ExportJob};
use crate::slack::jobs::Job;

pub async fn from_button(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let user = ev
        .user
        .as_ref()
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    let channel = ev
        .channel
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_else(|| session.channel_id.clone());
    let job = ExportJob::new(
        session,
        ExportFormat::Markdown,
        &user,
        &channel,
        ev.response_url.as_ref().map(|u| u.0.as_str()),
    );
    if let Err(err) = state.enqueue(&Job::Export(job)).await {
        tracing::error!(
            error = format!("{err:#}"),
            session = session.id,
            "could not queue an export"
        );
        tell(
            state,
            ev.response_url.as_ref(),
            ":warning: I couldn't start the export just now (database error). Please try again.",
        )
        .await;
    }
}
