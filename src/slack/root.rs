//! Keeps a session's root message current (headline, sub-headline, counts).

use std::collections::HashSet;
use std::sync::{Arc, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::json;

use super::jobs::Job;
use super::views::root::{root_message, RootStatus};
use crate::app::AppState;
use crate::domain::session::Session;
use crate::store::{Conn, Store};

/// Reads the session's status and queues a `chat.update` of its root message,
/// inside the caller's write (so it shows what that write stored).
pub fn refresh_in(conn: &Conn, session: &Session) -> anyhow::Result<()> {
    let latest = Store::latest_draft_in(conn, session.id)?;
    let (drafts, questions) = Store::session_counts_in(conn, session.id)?;
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
    AppState::enqueue_in(conn, &Job::call("chat.update", body))?;
    Ok(())
}

/// [`refresh_in`] in a write of its own. Call it after the change is
/// committed; the update is retried by the outbox.
pub async fn refresh(state: &AppState, session: &Session) -> anyhow::Result<()> {
    let session = session.clone();
    state
        .store
        .write(move |conn| refresh_in(conn, &session))
        .await?;
    state.wake_outbox();
    Ok(())
}

/// How long a refresh waits for more changes to the same session, so a burst
/// of captures (a busy thread) becomes one `chat.update`, not one per reply.
const REFRESH_DEBOUNCE: Duration = Duration::from_millis(300);

fn scheduled(state: &AppState) -> MutexGuard<'_, HashSet<i64>> {
    // The set holds no invariant a panic could break.
    state
        .root_refreshes
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// [`refresh`] shortly, coalescing the calls made meanwhile for the same
/// session. Call it after the change is committed. The counts are read when
/// the refresh runs, so a change committed before then is shown; a change
/// committed after it schedules the next one.
pub fn refresh_soon(state: &Arc<AppState>, session: Session) {
    let key = session.id;
    if !scheduled(state).insert(key) {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(REFRESH_DEBOUNCE).await;
        scheduled(&state).remove(&key);
        if let Err(err) = refresh(&state, &session).await {
            tracing::warn!(
                session = session.id,
                error = format!("{err:#}"),
                "could not queue the root message update"
            );
        }
    });
}
