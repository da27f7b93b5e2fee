//! Saving a press-release draft: from the modal, from a `PR:` reply, or as the
//! first draft of a new session. Every save is a new immutable version, stored
//! with its thread note ("Draft vN by @user", what changed) and the author's
//! private bar-raiser review queued in the same transaction, and a refresh of
//! the root message.

use serde_json::json;

use super::root;
use crate::app::AppState;
use crate::domain::bar_raiser;
use crate::domain::draft::{Draft, DraftFields, DraftSource};
use crate::domain::family::Coverage;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::domain::utc_date;
use crate::jobs::Job;
use crate::store::drafts::DraftOrigin;
use crate::store::{StoreResult, Tx};
use crate::views::draft::{thread_note, Submitted};
use crate::views::review::review_message;

/// What a modal save came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Version(i64),
    /// No such session in the saver's workspace (deleted, or a forged id).
    NoSession,
}

/// The latest version of a session's press release (prefills the modal).
pub async fn latest(app: &AppState, session_id: i64) -> StoreResult<Option<Draft>> {
    app.store.read(move |tx| tx.latest_draft(session_id)).await
}

/// Stores a modal submission by `author` of `tenant` as the next version.
pub async fn save(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    author: &str,
    submitted: Submitted,
) -> StoreResult<Saved> {
    let (tenant, author) = (tenant.clone(), author.to_string());
    let saved = app
        .store
        .write(move |tx| {
            let session = match tx.session(session_id)? {
                Some(s) if tenant.owns_workspace(&s.workspace()) => s,
                _ => return Ok(Saved::NoSession),
            };
            let previous = tx.latest_draft(session.id)?;
            let mut fields = submitted.fields.clone();
            if !submitted.body_in_form {
                // The form had no free-text input: carry the thread draft's text over.
                fields.body = previous.as_ref().and_then(|p| p.fields.body.clone());
            }
            let origin = DraftOrigin {
                session_id: session.id,
                author: &author,
                source: DraftSource::Modal,
                message_ts: None,
            };
            let previous_fields = previous.as_ref().map(|p| &p.fields);
            let version = insert_and_announce(tx, &session, origin, previous_fields, &fields)?;
            tx.touch_session(session.id)?;
            root::refresh_in(tx, session.id, 0)?;
            Ok(Saved::Version(version))
        })
        .await?;
    app.wake_outbox();
    Ok(saved)
}

/// Stores the first draft given with a new session, once, inside the write
/// that stores the session: a replayed start job finds a version already there
/// and does nothing. True when a version was stored.
pub fn save_first_in(
    tx: &mut Tx<'_>,
    session: &Session,
    author: &str,
    fields: &DraftFields,
) -> StoreResult<bool> {
    let fields = fields.clone().normalized();
    if fields.is_empty() || tx.draft_versions(session.id)? > 0 {
        return Ok(false);
    }
    let origin = DraftOrigin {
        session_id: session.id,
        author,
        source: DraftSource::Start,
        message_ts: None,
    };
    insert_and_announce(tx, session, origin, None, &fields)?;
    Ok(true)
}

/// Stores a `PR:` thread reply as the next version (inside the event's
/// write) and queues its thread note and review, like a modal save.
pub fn save_thread_in(
    tx: &mut Tx<'_>,
    session: &Session,
    author: &str,
    message_ts: &str,
    body: &str,
) -> StoreResult<i64> {
    let previous = tx.latest_draft(session.id)?;
    let origin = DraftOrigin {
        session_id: session.id,
        author,
        source: DraftSource::Thread,
        message_ts: Some(message_ts),
    };
    let fields = DraftFields {
        body: Some(body.to_string()),
        ..DraftFields::default()
    };
    let previous_fields = previous.as_ref().map(|p| &p.fields);
    insert_and_announce(tx, session, origin, previous_fields, &fields)
}

fn insert_and_announce(
    tx: &mut Tx<'_>,
    session: &Session,
    origin: DraftOrigin<'_>,
    previous: Option<&DraftFields>,
    fields: &DraftFields,
) -> StoreResult<i64> {
    let version = tx.insert_draft(origin, fields)?;
    let today = utc_date(tx.now());
    let coverage = tx.coverage(session.id)?;
    for job in announce_jobs(
        session,
        version,
        origin.author,
        previous,
        fields,
        today,
        &coverage,
    ) {
        tx.enqueue(&job)?;
    }
    Ok(version)
}

/// The Web API calls a new version owes: the thread note ("Draft vN by
/// @user", what changed since `previous`) and the author's private review.
/// Once the internal FAQ has begun, the review also names its missing
/// families (`faq-coverage`); before that the press release comes first, and
/// `wb review`, the export and the root message say the FAQ is empty.
pub fn announce_jobs(
    session: &Session,
    version: i64,
    author: &str,
    previous: Option<&DraftFields>,
    fields: &DraftFields,
    today: jiff::civil::Date,
    coverage: &Coverage,
) -> Vec<Job> {
    let changes = fields.changes_since(previous);
    let mut note = thread_note(version, author, fields.headline.as_deref(), &changes);
    note["channel"] = json!(session.channel_id);
    note["thread_ts"] = json!(session.thread_ts);
    let mut findings = bar_raiser::review(fields, today);
    if coverage.total() > 0 {
        findings.extend(bar_raiser::faq_coverage(coverage));
    }
    let mut review = review_message(session.id, version, &findings);
    review["channel"] = json!(session.channel_id);
    review["user"] = json!(author);
    review["thread_ts"] = json!(session.thread_ts);
    vec![
        Job::call(&session.workspace(), "chat.postMessage", note),
        Job::call(&session.workspace(), "chat.postEphemeral", review),
    ]
}
