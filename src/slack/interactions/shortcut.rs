//! The *Add to FAQ* message shortcut: a message in a session thread opens the
//! Ask modal prefilled with its text (the audience is chosen there); the
//! submission makes that message the question.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::tenant::Tenant;
use crate::flows::notify::tell;
use crate::flows::{ask, session};
use crate::slack::modal;
use crate::views::ask::{ask_modal, AskMetadata};

#[tracing::instrument(skip_all, fields(user = %ev.user.id))]
pub async fn add_to_faq(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionMessageActionEvent,
) {
    let url = Some(ev.response_url.0.as_str());
    let (Some(channel), Some(message)) = (ev.channel.as_ref(), ev.message.as_ref()) else {
        tell(
            app,
            url,
            "I can only add a message from a channel to the FAQ.",
        )
        .await;
        return;
    };
    // A reply names its thread; the root message of a session is its own thread.
    let root = message
        .origin
        .thread_ts
        .as_ref()
        .unwrap_or(&message.origin.ts);
    let session = match session::by_thread(app, tenant, &channel.id.0, &root.0).await {
        Ok(Some(session)) => session,
        Ok(None) => {
            tell(
                app,
                url,
                "That message isn't in a Working Backwards session thread, so there is no FAQ to add it to. \
                 Use *Add to FAQ* on a reply under a session's root message, or start a session with `/wb pressrelease <idea>`.",
            )
            .await;
            return;
        }
        Err(err) => {
            tracing::error!(%err, "could not look up the session of a message");
            tell(
                app,
                url,
                ":warning: I couldn't look that up just now (database error). Please try again.",
            )
            .await;
            return;
        }
    };
    let ts = &message.origin.ts.0;
    if let Ok(Some(id)) = ask::question_of_message(app, tenant, &channel.id.0, ts).await {
        tell(
            app,
            url,
            &format!(
                "That message is already question {id} in the FAQ of session #{}.",
                session.id
            ),
        )
        .await;
        return;
    }
    let meta = AskMetadata {
        session_id: session.id,
        message_ts: Some(ts.clone()),
        author: message.sender.user.as_ref().map(|u| u.0.clone()),
    };
    let view = ask_modal(&meta, &session.title, message.content.text.as_deref());
    modal::open(
        app,
        tenant.workspace(),
        &ev.trigger_id.0,
        view,
        Some(ev.response_url.0.to_string()),
        "Try the shortcut again.",
    );
}
