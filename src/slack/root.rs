//! Keeps a session's root message current (headline, sub-headline, counts).

use serde_json::json;

use super::jobs::Job;
use super::views::root::{root_message, RootStatus};
use crate::app::AppState;
use crate::domain::session::Session;

/// Reads the session's status and queues a `chat.update` of its root message.
/// Call it after the change is committed; the update is retried by the outbox.
pub async fn refresh(state: &AppState, session: &Session) -> anyhow::Result<()> {
    let latest = state.store.latest_draft(session.id).await?;
    let counts = state.store.session_summary(session.id).await?;
    let (drafts, questions) = counts.map(|c| (c.drafts, c.questions)).unwrap_or((0, 0));
    let status = RootStatus {
        headline: latest.as_ref().and_then(|d| d.fields.headline.clone()),
        subheadline: latest.as_ref().and_then(|d| d.fields.subheadline.clone()),
        drafts,
        questions,
    };
    let mut body = root_message(
        &session.title,
        &session.created_by,
        Some(session.id),
        &status,
    );
    body["channel"] = json!(session.channel_id);
    body["ts"] = json!(session.thread_ts);
    state.enqueue(&Job::call("chat.update", body)).await?;
    Ok(())
}
