//! The *Ask a question* button, `/wb faq` without text and the *Add to FAQ*
//! shortcut open the Ask modal; its submission stores the question and, unless
//! it is already a thread message (shortcut), posts it in the session thread.
//!
//! Anonymous questions: the asker's id is not stored, not put in any outbox job
//! (so a failed post is not reported to anyone) and not logged.

use std::sync::Arc;

use serde_json::{json, Value};
use slack_morphism::prelude::*;

use super::view_private_metadata;
use crate::app::AppState;
use crate::domain::docset::Audience;
use crate::domain::faq::{QuestionSource, MAX_TEXT_CHARS};
use crate::domain::now_rfc3339;
use crate::domain::session::Session;
use crate::slack::events::message::{entry_reaction, question_reaction, react};
use crate::slack::jobs::{explain, Job, Notify, Then};
use crate::slack::views::ask::{
    ask_modal, question_post, read_metadata, read_submission, AskMetadata, AskSubmission,
    BLOCK_QUESTION,
};
use crate::slack::{root, InteractionReply};
use crate::store::entries::Captured;
use crate::store::questions::NewQuestion;
use crate::store::{Conn, Store};

/// The button on the root message.
pub async fn open(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    open_for(
        state,
        &ev.trigger_id.0,
        ev.response_url.as_ref().map(|u| u.0.to_string()),
        session,
    );
}

/// Opens the Ask modal for `session` (from the button or `/wb faq`).
pub(crate) fn open_for(
    state: &Arc<AppState>,
    trigger_id: &str,
    response_url: Option<String>,
    session: &Session,
) {
    let meta = AskMetadata {
        session_id: session.id,
        ..AskMetadata::default()
    };
    open_modal(
        state,
        trigger_id,
        ask_modal(&meta, &session.title, None),
        response_url,
    );
}

/// Calls `views.open` right away in its own task: the trigger expires after
/// three seconds, so it cannot wait in the outbox. A failure is told through
/// `response_url`, when there is one.
pub(crate) fn open_modal(
    state: &Arc<AppState>,
    trigger_id: &str,
    view: Value,
    response_url: Option<String>,
) {
    let state = state.clone();
    let body = json!({"trigger_id": trigger_id, "view": view});
    tokio::spawn(async move {
        let Err(err) = state.slack.call("views.open", &body).await else {
            return;
        };
        tracing::warn!(error = %err, "could not open a modal");
        let Some(url) = response_url else {
            return;
        };
        let why = match err.code() {
            Some("expired_trigger_id" | "exchanged_trigger_id" | "trigger_expired") => {
                "Slack took too long to open it; please click again.".to_string()
            }
            _ => explain(&err),
        };
        let text = format!(":warning: I couldn't open the form: {why}");
        if let Err(err) = state.enqueue(&Job::respond_ephemeral(&url, &text)).await {
            tracing::error!(
                error = format!("{err:#}"),
                "could not queue a reply to the user"
            );
        }
    });
}

/// `view.state.values` as JSON (Slack's shape, whatever the element types).
pub(super) fn state_values(view: &SlackStatefulView) -> Value {
    view.state_params
        .state
        .as_ref()
        .and_then(|s| serde_json::to_value(&s.values).ok())
        .unwrap_or(Value::Null)
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    state: &Arc<AppState>,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = view_private_metadata(&ev.view).and_then(|m| read_metadata(&m)) else {
        return InteractionReply::error(
            BLOCK_QUESTION,
            "This form lost track of its session; close it and open it again.",
        );
    };
    let submission = match read_submission(&state_values(&ev.view)) {
        Ok(s) => s,
        Err((block, message)) => return InteractionReply::error(block, message),
    };
    if submission.question.chars().count() > MAX_TEXT_CHARS {
        return InteractionReply::error(BLOCK_QUESTION, "That question is too long.");
    }
    match save(state, &meta, &submission, &ev.user.id.0).await {
        Ok(Some(session)) => {
            state.wake_outbox();
            root::refresh_soon(state, session);
            InteractionReply::Empty
        }
        Ok(None) => InteractionReply::error(
            BLOCK_QUESTION,
            "That session no longer exists, so the question was not saved.",
        ),
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "could not store a question");
            InteractionReply::error(
                BLOCK_QUESTION,
                "I couldn't save the question just now (database error). Please submit again.",
            )
        }
    }
}

/// Stores the question and queues what announces it, in one transaction.
/// `None` when the session is gone.
async fn save(
    state: &Arc<AppState>,
    meta: &AskMetadata,
    submission: &AskSubmission,
    submitter: &str,
) -> anyhow::Result<Option<Session>> {
    let meta = meta.clone();
    let submission = submission.clone();
    let submitter = submitter.to_string();
    state
        .store
        .write(move |tx| {
            let (meta, submission, submitter) = (&meta, &submission, submitter.as_str());
            let Some(session) = Store::session_in(tx, meta.session_id)? else {
                return Ok(None);
            };
            let now = now_rfc3339();
            // From the shortcut, the asker is the message's author.
            let asker = meta.author.as_deref().unwrap_or(submitter);
            let asked_by = (!submission.anonymous).then_some(asker);
            let audience = submission.audience;
            match &meta.message_ts {
                Some(ts) => {
                    promote(tx, &session, ts, submission, asked_by, &now)?;
                }
                None => {
                    let new = NewQuestion {
                        session_id: session.id,
                        audience,
                        question: &submission.question,
                        asked_by,
                        source: QuestionSource::Modal,
                        message_ts: None,
                        now: &now,
                    };
                    let id = Store::insert_question_in(tx, new)?;
                    let job =
                        post_question_job(&session, id, audience, &submission.question, asked_by);
                    let job = match asked_by {
                        Some(user) => job.with_notify(Notify {
                            user_id: user.to_string(),
                            channel_id: session.channel_id.clone(),
                            thread_ts: Some(session.thread_ts.clone()),
                            response_url: None,
                            what: "post your question in the thread (it is saved in the FAQ)"
                                .into(),
                        }),
                        None => job,
                    };
                    AppState::enqueue_in(tx, &job)?;
                }
            }
            Store::touch_session_in(tx, session.id, &now)?;
            Ok(Some(session))
        })
        .await
}

/// The bot's thread post of question `id`; once posted, a 👍 on it votes.
pub(crate) fn post_question_job(
    session: &Session,
    id: i64,
    audience: Audience,
    question: &str,
    asked_by: Option<&str>,
) -> Job {
    Job::call(
        "chat.postMessage",
        json!({
            "channel": session.channel_id,
            "thread_ts": session.thread_ts,
            "text": question_post(audience, question, asked_by),
            "unfurl_links": false,
            "unfurl_media": false,
        }),
    )
    .with_then(Then::QuestionMessage { question_id: id })
}

/// The shortcut's message `ts` becomes the question: a question already
/// stored for it is updated, a story or discussion entry is retired in its
/// favour; the message gets the question reaction instead of a new post.
fn promote(
    tx: &Conn,
    session: &Session,
    ts: &str,
    submission: &AskSubmission,
    asked_by: Option<&str>,
    now: &str,
) -> anyhow::Result<()> {
    let audience = submission.audience;
    let existing = Store::captured_by_message_in(tx, &session.channel_id, ts)?;
    let old_reaction = match existing.map(|(_, c)| c) {
        Some(Captured::Question {
            id, audience: old, ..
        }) => {
            Store::update_question_in(tx, id, audience, &submission.question, now)?;
            react(
                tx,
                &session.channel_id,
                ts,
                Some(question_reaction(old)),
                Some(question_reaction(audience)),
            )?;
            return Ok(());
        }
        Some(Captured::Entry { id, kind, .. }) => {
            Store::delete_entry_in(tx, id, now)?;
            entry_reaction(kind)
        }
        // A `PR:` draft stays a draft; the message is also a question now.
        Some(Captured::Draft { .. }) | None => None,
    };
    let new = NewQuestion {
        session_id: session.id,
        audience,
        question: &submission.question,
        asked_by,
        source: QuestionSource::Shortcut,
        message_ts: Some(ts),
        now,
    };
    Store::insert_question_in(tx, new)?;
    react(
        tx,
        &session.channel_id,
        ts,
        old_reaction,
        Some(question_reaction(audience)),
    )?;
    Ok(())
}
