//! The *Ask a question* button and the Ask modal's submission (the modal is
//! also opened by `/wb faq` without text and by the *Add to FAQ* shortcut,
//! whose metadata names the thread message that becomes the question).

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::faq::{QuestionSource, MAX_TEXT_CHARS};
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::ask::{self, Ask};
use crate::slack::modal::{self, private_metadata, state_values};
use crate::slack::InteractionReply;
use crate::views::ask::{ask_modal, read_metadata, read_submission, AskMetadata, BLOCK_QUESTION};

/// The button on the root message.
pub fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let meta = AskMetadata {
        session_id: session.id,
        ..AskMetadata::default()
    };
    modal::open(
        app,
        tenant.workspace(),
        &ev.trigger_id.0,
        ask_modal(&meta, &session.title, None),
        ev.response_url.as_ref().map(|u| u.0.to_string()),
        "Or ask in the thread: end your reply with `?`.",
    );
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = private_metadata(&ev.view).and_then(|m| read_metadata(&m)) else {
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
    // From the shortcut, the asker is the message's author.
    let asker = meta.author.clone().unwrap_or_else(|| ev.user.id.0.clone());
    let asked = Ask {
        session_id: meta.session_id,
        audience: submission.audience,
        question: submission.question,
        asked_by: (!submission.anonymous).then_some(asker),
        source: match meta.message_ts {
            Some(_) => QuestionSource::Shortcut,
            None => QuestionSource::Modal,
        },
        message_ts: meta.message_ts,
        response_url: None,
    };
    match ask::ask(app, tenant, asked).await {
        Ok(Some(_)) => InteractionReply::Empty,
        Ok(None) => InteractionReply::error(
            BLOCK_QUESTION,
            "That session no longer exists, so the question was not saved.",
        ),
        Err(err) => {
            tracing::error!(%err, "could not store a question");
            InteractionReply::error(
                BLOCK_QUESTION,
                "I couldn't save the question just now (database error). Please submit again.",
            )
        }
    }
}
