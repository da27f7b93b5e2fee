//! The *Answer questions* button and its modal: pick one of the session's
//! questions (unanswered first, most votes first), write the answer; the
//! answer is stored with who and when (earlier answers stay as history) and
//! posted in the thread, quoting the question.

use std::sync::Arc;

use serde_json::json;
use slack_morphism::prelude::*;

use super::ask::{open_modal, state_values};
use super::{tell, view_private_metadata};
use crate::app::AppState;
use crate::domain::faq::MAX_TEXT_CHARS;
use crate::domain::now_rfc3339;
use crate::domain::session::Session;
use crate::slack::jobs::{Job, Notify};
use crate::slack::views::answer::{
    answer_modal, answer_post, read_metadata, read_submission, AnswerMetadata, AnswerSubmission,
    BLOCK_ANSWER, BLOCK_PICK,
};
use crate::slack::views::limits;
use crate::slack::InteractionReply;
use crate::store::Store;

#[tracing::instrument(skip_all, fields(session = session.id))]
pub async fn open(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let listed = state
        .store
        .questions_to_answer(session.id, limits::OPTIONS as i64)
        .await;
    let counts = state.store.question_counts(session.id).await;
    let (questions, counts) = match (listed, counts) {
        (Ok(q), Ok(c)) => (q, c),
        (Err(err), _) | (_, Err(err)) => {
            tracing::error!(error = %err, "could not read the questions to answer");
            tell(
                state,
                ev.response_url.as_ref(),
                ":warning: I couldn't read the questions just now (database error). Please try again.",
            )
            .await;
            return;
        }
    };
    if questions.is_empty() {
        tell(
            state,
            ev.response_url.as_ref(),
            &format!(
                "Session #{} has no questions yet. Ask one in its thread (end it with `?`) or with *Ask a question*.",
                session.id
            ),
        )
        .await;
        return;
    }
    if counts.unanswered == 0 {
        tell(
            state,
            ev.response_url.as_ref(),
            &format!(
                "Every question in session #{} already has an answer. The form lists them in case you want to replace one.",
                session.id
            ),
        )
        .await;
    }
    let view = answer_modal(
        AnswerMetadata {
            session_id: session.id,
        },
        &session.title,
        &questions,
        counts.unanswered,
    );
    open_modal(
        state,
        &ev.trigger_id.0,
        view,
        ev.response_url.as_ref().map(|u| u.0.to_string()),
    );
}

#[tracing::instrument(skip_all, fields(user = %ev.user.id))]
pub async fn submit(
    state: &Arc<AppState>,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = view_private_metadata(&ev.view).and_then(|m| read_metadata(&m)) else {
        return InteractionReply::error(
            BLOCK_PICK,
            "This form lost track of its session; close it and open it again.",
        );
    };
    let submission = match read_submission(&state_values(&ev.view)) {
        Ok(s) => s,
        Err((block, message)) => return InteractionReply::error(block, message),
    };
    if submission.answer.chars().count() > MAX_TEXT_CHARS {
        return InteractionReply::error(BLOCK_ANSWER, "That answer is too long.");
    }
    match save(state, meta, &submission, &ev.user.id.0).await {
        Ok(true) => {
            state.wake_outbox();
            InteractionReply::Empty
        }
        Ok(false) => InteractionReply::error(
            BLOCK_PICK,
            "That question was deleted meanwhile; pick another one.",
        ),
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "could not store an answer");
            InteractionReply::error(
                BLOCK_ANSWER,
                "I couldn't save the answer just now (database error). Please submit again.",
            )
        }
    }
}

/// Stores the answer and queues its thread post; false when the question is
/// gone or belongs to another session.
async fn save(
    state: &Arc<AppState>,
    meta: AnswerMetadata,
    submission: &AnswerSubmission,
    user: &str,
) -> anyhow::Result<bool> {
    let submission = submission.clone();
    let user = user.to_string();
    state
        .store
        .write(move |tx| {
            let (submission, user) = (&submission, user.as_str());
            let question = match Store::question_in(tx, submission.question_id)? {
                Some(q) if q.session_id == meta.session_id => q,
                _ => return Ok(false),
            };
            let Some(session) = Store::session_in(tx, question.session_id)? else {
                return Ok(false);
            };
            let now = now_rfc3339();
            Store::insert_answer_in(tx, question.id, &submission.answer, user, &now)?;
            let job = Job::call(
                "chat.postMessage",
                json!({
                    "channel": session.channel_id,
                    "thread_ts": session.thread_ts,
                    "text": answer_post(&question.question, &submission.answer, user),
                    "unfurl_links": false,
                    "unfurl_media": false,
                }),
            )
            .with_notify(Notify {
                user_id: user.to_string(),
                channel_id: session.channel_id.clone(),
                thread_ts: Some(session.thread_ts.clone()),
                response_url: None,
                what: "post your answer in the thread (it is saved in the FAQ)".into(),
            });
            AppState::enqueue_in(tx, &job)?;
            Store::touch_session_in(tx, session.id, &now)?;
            Ok(true)
        })
        .await
}
