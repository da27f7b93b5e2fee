//! The *Draft press release* button and its modal. Opening shows the canonical
//! sections prefilled with the latest version; a submission becomes a new
//! immutable version, then the root message is refreshed, the thread gets
//! "Draft vN by @user" with what changed, and the author privately gets the
//! bar-raiser's review. Everything is stored before anything is sent.

use std::sync::Arc;

use serde_json::{json, Value};
use slack_morphism::prelude::*;

use super::{tell, view_private_metadata};
use crate::app::AppState;
use crate::domain::bar_raiser;
use crate::domain::draft::{DraftFields, DraftSource};
use crate::domain::now_rfc3339;
use crate::domain::session::Session;
use crate::slack::api::ApiError;
use crate::slack::jobs::{explain, Job};
use crate::slack::views::draft::{
    draft_modal, parse_fields, session_id_from_metadata, thread_note, Submitted, BLOCK_HEADLINE,
};
use crate::slack::views::review::review_message;
use crate::slack::InteractionReply;
use crate::store::drafts::DraftOrigin;
use crate::store::{Conn, Store};

/// Opens the modal. `views.open` is called right away in a task of its own:
/// the trigger_id dies 3 s after the click, and the click must be acked first.
pub async fn open(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let state = state.clone();
    let session = session.clone();
    let trigger = ev.trigger_id.0.clone();
    let response_url = ev.response_url.clone();
    tokio::spawn(async move {
        let latest = match state.store.latest_draft(session.id).await {
            Ok(d) => d,
            Err(err) => {
                tracing::error!(session = session.id, %err, "could not read the latest draft");
                tell(
                    &state,
                    response_url.as_ref(),
                    ":warning: I couldn't read the latest draft (database error). Please try again.",
                )
                .await;
                return;
            }
        };
        let view = draft_modal(&session, latest.as_ref());
        let body = json!({"trigger_id": trigger, "view": view});
        if let Err(err) = state.slack.call("views.open", &body).await {
            tracing::warn!(session = session.id, %err, "views.open failed for the draft modal");
            let text = format!(
                ":warning: I couldn't open the press-release form: {} Click *Draft press release* again, or reply `PR: …` in the thread.",
                why_not_opened(&err)
            );
            tell(&state, response_url.as_ref(), &text).await;
        }
    });
}

/// Words for a failed `views.open`.
pub(crate) fn why_not_opened(err: &ApiError) -> String {
    match err.code() {
        Some("trigger_expired") | Some("expired_trigger_id") | Some("trigger_exchanged") => {
            "Slack's 3-second window to open it passed.".to_string()
        }
        _ => explain(err),
    }
}

/// Today's date (UTC) by the app's clock: decides whether a launch date has passed.
pub(crate) fn today(state: &AppState) -> jiff::civil::Date {
    let now =
        jiff::Timestamp::from_second(state.now_unix()).unwrap_or_else(|_| jiff::Timestamp::now());
    crate::domain::utc_date(now)
}

/// A view's `state.values` as Slack sent them.
pub(crate) fn state_values(view: &SlackStatefulView) -> Value {
    serde_json::to_value(view)
        .ok()
        .and_then(|v| v.get("state").and_then(|s| s.get("values")).cloned())
        .unwrap_or(Value::Null)
}

#[tracing::instrument(skip_all, fields(team = %ev.team.id, user = %ev.user.id))]
pub async fn submit(
    state: &Arc<AppState>,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let author = ev.user.id.to_string();
    let Some(session_id) = view_private_metadata(&ev.view)
        .as_deref()
        .and_then(session_id_from_metadata)
    else {
        return InteractionReply::error(
            BLOCK_HEADLINE,
            "This form lost track of its session, so it can't be saved. Copy your text, then click Draft press release on the session's message.",
        );
    };
    let submitted = parse_fields(&state_values(&ev.view));
    if submitted.fields.headline.is_none() {
        return InteractionReply::error(
            BLOCK_HEADLINE,
            "Add a headline: the product's name in words the customer understands.",
        );
    }
    let team = ev.team.id.to_string();
    let session = match state.store.session(session_id).await {
        Ok(Some(s)) if s.team_id == team => s,
        Ok(_) => {
            return InteractionReply::error(
                BLOCK_HEADLINE,
                format!("Session #{session_id} doesn't exist (any more), so this draft can't be saved. Copy your text before closing."),
            )
        }
        Err(err) => {
            tracing::error!(session = session_id, %err, "could not read the session");
            return not_saved();
        }
    };
    match save_version(state, &session, &author, submitted).await {
        Ok(version) => {
            tracing::info!(session = session.id, version, "draft saved from the modal");
            InteractionReply::Empty
        }
        Err(err) => {
            tracing::error!(
                session = session.id,
                error = format!("{err:#}"),
                "could not save a draft"
            );
            not_saved()
        }
    }
}

fn not_saved() -> InteractionReply {
    InteractionReply::error(
        BLOCK_HEADLINE,
        "I couldn't save the draft just now (database error). Your text is still here: press Save draft again.",
    )
}

/// Stores a modal submission as the next version, with its thread note and
/// review queued in the same transaction; then refreshes the root message.
pub(crate) async fn save_version(
    state: &AppState,
    session: &Session,
    author: &str,
    submitted: Submitted,
) -> anyhow::Result<i64> {
    let now = now_rfc3339();
    let today = today(state);
    let stored = session.clone();
    let author = author.to_string();
    let version = state
        .store
        .write(move |tx| {
            let previous = Store::latest_draft_in(tx, stored.id)?;
            let mut fields = submitted.fields.clone();
            if !submitted.body_in_form {
                // The form had no free-text input: carry the thread draft's text over.
                fields.body = previous.as_ref().and_then(|p| p.fields.body.clone());
            }
            let origin = DraftOrigin {
                session_id: stored.id,
                author: &author,
                source: DraftSource::Modal,
                message_ts: None,
                now: &now,
            };
            let previous_fields = previous.as_ref().map(|p| &p.fields);
            let version =
                insert_and_announce_in(tx, &stored, origin, previous_fields, &fields, today)?;
            Store::touch_session_in(tx, stored.id, &now)?;
            Ok(version)
        })
        .await?;
    state.wake_outbox();
    refresh_root(state, session).await;
    Ok(version)
}

/// Stores the first draft given with a new session, once, inside the write
/// that stores the session: a replayed start job finds a version already there
/// and does nothing. True when a version was stored.
pub(crate) fn save_first_draft_in(
    tx: &Conn,
    session: &Session,
    author: &str,
    fields: &DraftFields,
    today: jiff::civil::Date,
) -> anyhow::Result<bool> {
    let fields = fields.clone().normalized();
    if fields.is_empty() || Store::draft_versions_in(tx, session.id)? > 0 {
        return Ok(false);
    }
    let now = now_rfc3339();
    let origin = DraftOrigin {
        session_id: session.id,
        author,
        source: DraftSource::Start,
        message_ts: None,
        now: &now,
    };
    insert_and_announce_in(tx, session, origin, None, &fields, today)?;
    Ok(true)
}

/// Stores a `PR:` thread reply as the next version (inside the event's
/// transaction) and queues its thread note and review, like a modal save.
pub(crate) fn save_thread_draft_in(
    state: &AppState,
    tx: &Conn,
    session: &Session,
    author: &str,
    message_ts: &str,
    now: &str,
    body: &str,
) -> anyhow::Result<i64> {
    let previous = Store::latest_draft_in(tx, session.id)?;
    let origin = DraftOrigin {
        session_id: session.id,
        author,
        source: DraftSource::Thread,
        message_ts: Some(message_ts),
        now,
    };
    let fields = DraftFields {
        body: Some(body.to_string()),
        ..DraftFields::default()
    };
    let previous_fields = previous.as_ref().map(|p| &p.fields);
    insert_and_announce_in(tx, session, origin, previous_fields, &fields, today(state))
}

fn insert_and_announce_in(
    tx: &Conn,
    session: &Session,
    origin: DraftOrigin<'_>,
    previous: Option<&DraftFields>,
    fields: &DraftFields,
    today: jiff::civil::Date,
) -> anyhow::Result<i64> {
    let version = Store::insert_draft_in(tx, origin, fields)?;
    for job in announce_jobs(session, version, origin.author, previous, fields, today) {
        AppState::enqueue_in(tx, &job)?;
    }
    Ok(version)
}

/// The Web API calls a new version owes: the thread note ("Draft vN by
/// @user", what changed since `previous`) and the author's private review.
/// Queue them in the transaction that stores the version, then call
/// [`refresh_root`] after commit. (Usable for `PR:` thread drafts too.)
pub fn announce_jobs(
    session: &Session,
    version: i64,
    author: &str,
    previous: Option<&DraftFields>,
    fields: &DraftFields,
    today: jiff::civil::Date,
) -> Vec<Job> {
    let changes = fields.changes_since(previous);
    let mut note = thread_note(version, author, fields.headline.as_deref(), &changes);
    note["channel"] = json!(session.channel_id);
    note["thread_ts"] = json!(session.thread_ts);
    let findings = bar_raiser::review(fields, today);
    let mut review = review_message(session.id, version, &findings);
    review["channel"] = json!(session.channel_id);
    review["user"] = json!(author);
    review["thread_ts"] = json!(session.thread_ts);
    vec![
        Job::call("chat.postMessage", note),
        Job::call("chat.postEphemeral", review),
    ]
}

/// Queues the root message's `chat.update` (retried by the outbox); a failure
/// to queue it is logged loudly, the draft itself is already safe.
pub async fn refresh_root(state: &AppState, session: &Session) {
    if let Err(err) = crate::slack::root::refresh(state, session).await {
        tracing::error!(
            session = session.id,
            error = format!("{err:#}"),
            "could not queue the root message update"
        );
    }
}
