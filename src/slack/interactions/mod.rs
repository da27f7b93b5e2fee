//! Interactivity: buttons (block_actions), modal submissions (view_submission)
//! and message shortcuts, each id routed to its own handler through the
//! registry's enums.

mod answer;
mod ask;
mod comment;
mod decide;
mod draft;
mod export;
mod new_session;
mod review;
mod shortcut;
mod triage;

use std::sync::Arc;

use slack_morphism::prelude::*;

use super::modal::callback_id;
use super::registry::{Action, Shortcut, View, ViewAction};
use super::InteractionReply;
use crate::app::AppState;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::notify::tell;
use crate::flows::session;

#[tracing::instrument(skip_all)]
pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    event: SlackInteractionEvent,
) -> InteractionReply {
    match event {
        SlackInteractionEvent::BlockActions(ev) => {
            for action in ev.actions.clone().unwrap_or_default() {
                on_action(app, tenant, &ev, &action).await;
            }
            InteractionReply::Empty
        }
        SlackInteractionEvent::ViewSubmission(ev) => {
            let callback = callback_id(&ev.view).unwrap_or_default();
            match View::from_callback_id(&callback) {
                Some(View::NewSession) => new_session::submit(app, tenant, &ev).await,
                Some(View::Draft) => draft::submit(app, tenant, &ev).await,
                Some(View::Ask) => ask::submit(app, tenant, &ev).await,
                Some(View::Answer) => answer::submit(app, tenant, &ev).await,
                Some(View::Review) => review::submit(app, tenant, &ev).await,
                Some(View::Comment) => comment::submit(app, tenant, &ev).await,
                Some(View::Decide) => decide::submit(app, tenant, &ev).await,
                Some(View::TriageEdit) => triage::submit_edit(app, tenant, &ev).await,
                None => {
                    tracing::debug!(callback, "ignored a view submission");
                    InteractionReply::Empty
                }
            }
        }
        SlackInteractionEvent::MessageAction(ev) => {
            match Shortcut::from_callback_id(&ev.callback_id.0) {
                Some(Shortcut::AddToFaq) => shortcut::add_to_faq(app, tenant, &ev).await,
                None => tracing::debug!(callback = %ev.callback_id, "ignored a message shortcut"),
            }
            InteractionReply::Empty
        }
        _ => InteractionReply::Empty,
    }
}

async fn on_action(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    action: &SlackInteractionActionInfo,
) {
    if let Some(kind) = ViewAction::from_id(&action.action_id.0) {
        return triage::on_view_action(app, tenant, ev, action, kind).await;
    }
    let Some(kind) = Action::from_id(&action.action_id.0) else {
        tracing::debug!(action = %action.action_id, "ignored an action");
        return;
    };
    let response_url = ev.response_url.as_ref().map(|u| u.0.as_str());
    let session = match session_of(app, tenant, ev, action).await {
        Some(session) => session,
        None => {
            tell(
                app,
                response_url,
                ":warning: I can't find the session behind this button any more.",
            )
            .await;
            return;
        }
    };
    match kind {
        Action::DraftPressRelease => draft::open(app, tenant, ev, &session).await,
        Action::Ask => ask::open(app, tenant, ev, &session),
        Action::Answer => answer::open(app, tenant, ev, &session).await,
        Action::Export => export::from_button(app, ev, &session).await,
        Action::Review => review::open(app, tenant, ev, &session).await,
        Action::Comment => comment::open(app, tenant, ev, &session, action).await,
        Action::EndReading => comment::end(app, tenant, ev, &session, action).await,
        Action::Decide => decide::open(app, tenant, ev, &session).await,
        Action::Triage => triage::open(app, tenant, ev, &session).await,
    }
}

/// The session a root-message button belongs to (of the clicker's
/// installation only).
async fn session_of(
    app: &AppState,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    action: &SlackInteractionActionInfo,
) -> Option<Session> {
    let (channel, ts) = match &ev.container {
        SlackInteractionActionContainer::Message(c) => (
            c.channel_id
                .as_ref()
                .map(|c| c.0.clone())
                .or_else(|| ev.channel.as_ref().map(|c| c.id.0.clone())),
            Some(c.message_ts.0.clone()),
        ),
        _ => (None, None),
    };
    let found = session::of_button(
        app,
        tenant,
        channel.as_deref(),
        ts.as_deref(),
        action.value.as_deref(),
    )
    .await;
    match found {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(%err, "could not look up the session of a button");
            None
        }
    }
}
