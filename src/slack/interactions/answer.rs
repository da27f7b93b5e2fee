//! The *Answer questions* button and its modal: pick one of the session's
//! questions (unanswered first, most votes first), write the answer.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::faq::MAX_TEXT_CHARS;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::answer::{self, Answered};
use crate::flows::notify::tell;
use crate::slack::modal::{self, private_metadata, state_values};
use crate::slack::InteractionReply;
use crate::views::answer::{
    answer_modal, read_metadata, read_submission, AnswerMetadata, BLOCK_ANSWER, BLOCK_PICK,
};
use crate::views::limits;

#[tracing::instrument(skip_all, fields(session = session.id))]
pub async fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.to_string());
    let url = response_url.as_deref();
    let (questions, counts) = match answer::to_answer(app, session.id, limits::OPTIONS as i64).await
    {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(%err, "could not read the questions to answer");
            tell(
                app,
                url,
                ":warning: I couldn't read the questions just now (database error). Please try again.",
            )
            .await;
            return;
        }
    };
    if questions.is_empty() {
        let text = format!(
            "Session #{} has no questions yet. Ask one in its thread (end it with `?`) or with *Ask a question*.",
            session.id
        );
        tell(app, url, &text).await;
        return;
    }
    if counts.unanswered == 0 {
        let text = format!(
            "Every question in session #{} already has an answer. The form lists them in case you want to replace one.",
            session.id
        );
        tell(app, url, &text).await;
    }
    let view = answer_modal(
        AnswerMetadata {
            session_id: session.id,
        },
        &session.title,
        &questions,
        counts.unanswered,
    );
    modal::open(
        app,
        tenant.workspace(),
        &ev.trigger_id.0,
        view,
        response_url.clone(),
        "Click *Answer questions* again.",
    );
}

#[tracing::instrument(skip_all, fields(user = %ev.user.id))]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = private_metadata(&ev.view).and_then(|m| read_metadata(&m)) else {
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
    let saved = answer::answer(
        app,
        tenant,
        meta.session_id,
        submission.question_id,
        &submission.answer,
        &ev.user.id.0,
    );
    match saved.await {
        Ok(Answered::Saved) => InteractionReply::Empty,
        Ok(Answered::Gone) => InteractionReply::error(
            BLOCK_PICK,
            "That question was deleted meanwhile; pick another one.",
        ),
        Ok(Answered::Merged { into }) => InteractionReply::error(
            BLOCK_PICK,
            format!("That question was merged into #{into} meanwhile: answer #{into} instead."),
        ),
        Err(err) => {
            tracing::error!(%err, "could not store an answer");
            InteractionReply::error(
                BLOCK_ANSWER,
                "I couldn't save the answer just now (database error). Please submit again.",
            )
        }
    }
}
