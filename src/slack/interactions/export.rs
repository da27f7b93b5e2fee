//! The *Export* button on a session's root message: the same export as
//! `/wb export` (Markdown), queued in the outbox; the confirmation comes later
//! through the interaction's response_url.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::session::Session;
use crate::flows::export;
use crate::flows::notify::tell;
use crate::jobs::ExportFormat;

pub async fn from_button(
    app: &Arc<AppState>,
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
    let response_url = ev.response_url.as_ref().map(|u| u.0.as_str());
    let queued = export::queue(
        app,
        session,
        ExportFormat::Markdown,
        &user,
        &channel,
        response_url,
    );
    if let Err(err) = queued.await {
        tracing::error!(%err, session = session.id, "could not queue an export");
        tell(
            app,
            response_url,
            ":warning: I couldn't start the export just now (database error). Please try again.",
        )
        .await;
    }
}
