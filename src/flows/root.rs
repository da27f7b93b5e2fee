//! A session's root message: what it shows now, and the durable, debounced
//! refresh that keeps it current (`Job::RefreshRoot`, at most one pending per
//! session, rendered when it runs).

use serde_json::{json, Value};

use crate::app::AppState;
use crate::jobs::Job;
use crate::store::outbox::Schedule;
use crate::store::sessions::ROOT_REFRESH_KEY;
use crate::store::{StoreResult, Tx};
use crate::views::root::{root_message, RootReview, RootStatus};

/// How long a refresh waits for more changes to the same session, so a burst
/// of captures (a busy thread) becomes one `chat.update`, not one per reply.
/// A second: about as often as Slack lets an app update messages
/// (`chat.update` is Tier 3, ~50 a minute), and each refresh reads the
/// session's counts, which in a thread of many thousand questions is the
/// bulk of the work a busy thread costs (bench/README.md).
pub const DEBOUNCE_MS: i64 = 1_000;

/// Queues a refresh of session `id`'s root message, due after `delay_ms`,
/// inside the caller's write. While one is pending, this does nothing: the
/// pending one renders the counts when it runs.
pub fn refresh_in(tx: &mut Tx<'_>, session_id: i64, delay_ms: i64) -> StoreResult<()> {
    let key = format!("{ROOT_REFRESH_KEY}{session_id}");
    tx.enqueue_with(
        &Job::RefreshRoot { session_id },
        Schedule {
            delay_ms,
            dedupe_key: Some(&key),
        },
    )?;
    Ok(())
}

/// The `chat.update` body that shows session `id` as it is now; `None` when
/// the session is gone.
pub async fn current(app: &AppState, session_id: i64) -> StoreResult<Option<Value>> {
    let marks = app.store.count_marks();
    app.store
        .read(move |tx| {
            // The session and its drafts count; its questions are counted
            // by state below, from the last refresh's counts when only new
            // questions came since (a busy thread holds many thousands).
            let Some(session) = tx.session(session_id)? else {
                return Ok(None);
            };
            let latest = tx.latest_draft(session_id)?;
            let review = tx.open_review(session_id)?.map(|r| RootReview {
                id: r.id,
                version: r.version,
                scheduled_at: r.scheduled_at,
                ends_at: r.started_at.and(r.ends_at),
            });
            let counts = tx.triage_counts_marked(session_id, &marks)?;
            let status = RootStatus {
                headline: latest.as_ref().and_then(|d| d.fields.headline.clone()),
                subheadline: latest.as_ref().and_then(|d| d.fields.subheadline.clone()),
                drafts: tx.draft_count(session_id)?,
                questions: counts.questions(),
                unresolved: counts.unresolved(),
                coverage: tx.coverage(session_id)?,
                status: session.status,
                review,
                decision: tx.latest_decision(session_id)?,
            };
            let s = &session;
            let mut body = root_message(&s.title, &s.created_by, Some(s.id), &status).to_value();
            body["channel"] = json!(s.channel_id);
            body["ts"] = json!(s.thread_ts);
            Ok(Some(body))
        })
        .await
}

/// A refresh (outbox job `job_id`) whose `chat.update` must wait for its
/// turn (pacing) until `until_ms`: it is replaced by the session's one
/// pending refresh, due then — or by the one already pending, which renders
/// the same counts — so a paced root never piles up refreshes.
pub async fn postpone(
    app: &AppState,
    job_id: i64,
    session_id: i64,
    until_ms: i64,
) -> StoreResult<()> {
    app.store
        .write(move |tx| {
            tx.finish_job(job_id)?;
            let delay = until_ms - tx.now_ms();
            refresh_in(tx, session_id, delay.max(0))
        })
        .await
}
