//! Keeps a session's root message current (headline, sub-headline, counts).

use std::collections::HashSet;
use std::sync::{Arc, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::json;

use super::jobs::Job;
use super::views::root::{root_message, RootStatus};
use crate::app::AppState;
use crate::domain::draft::Draft;
use crate::domain::session::Session;
use crate::store::{Conn, Store};

/// The `chat.update` showing a session's current status on its root message.
fn update_job(session: &Session, latest: Option<&Draft>, drafts: i64, questions: i64) -> Job {
    let status = RootStatus {
        headline: latest.and_then(|d| d.fields.headline.clone()),
        subheadline: latest.and_then(|d| d.fields.subheadline.clone()),
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
    Job::call("chat.update", body)
}

/// Queues the root message's update inside the caller's write, reading the
/// status there: for a session just stored, whose counts are tiny.
pub fn refresh_in(conn: &Conn, session: &Session) -> anyhow::Result<()> {
    let latest = Store::latest_draft_in(conn, session.id)?;
    let (drafts, questions) = Store::session_counts_in(conn, session.id)?;
    let job = update_job(session, latest.as_ref(), drafts, questions);
    AppState::enqueue_in(conn, &job)?;
    Ok(())
}

/// Reads the session's status (through the readers' pool: counting a busy
/// thread's questions must not hold up the writer) and queues a `chat.update`
/// of its root message. Call it after the change is committed; the update is
/// retried by the outbox.
pub async fn refresh(state: &AppState, session: &Session) -> anyhow::Result<()> {
    let latest = state.store.latest_draft(session.id).await?;
    let counts = state.store.session_summary(session.id).await?;
    let (drafts, questions) = counts.map(|c| (c.drafts, c.questions)).unwrap_or((0, 0));
    state
        .enqueue(&update_job(session, latest.as_ref(), drafts, questions))
        .await
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
