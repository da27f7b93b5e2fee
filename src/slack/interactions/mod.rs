//! Interactivity: buttons (block_actions), modal submissions (view_submission)
//! and message shortcuts, each id routed to its own handler in one place.

mod answer;
pub(crate) mod ask;
pub(crate) mod draft;
mod export;
mod new_session;
mod shortcut;

use std::sync::Arc;

use serde_json::Value;
use slack_morphism::prelude::*;

use super::ids::*;
use super::jobs::Job;
use super::InteractionReply;
use crate::app::AppState;
use crate::domain::session::Session;

#[tracing::instrument(skip_all)]
pub async fn handle(state: &Arc<AppState>, event: SlackInteractionEvent) -> InteractionReply {
    match event {
        SlackInteractionEvent::BlockActions(ev) => {
            for action in ev.actions.clone().unwrap_or_default() {
                on_action(state, &ev, &action).await;
            }
            InteractionReply::Empty
        }
        SlackInteractionEvent::ViewSubmission(ev) => {
            let callback = view_callback_id(&ev.view).unwrap_or_default();
            match callback.as_str() {
                VIEW_NEW_SESSION => new_session::submit(state, &ev).await,
                VIEW_DRAFT => draft::submit(state, &ev).await,
                VIEW_ASK => ask::submit(state, &ev).await,
                VIEW_ANSWER => answer::submit(state, &ev).await,
                other => {
                    tracing::debug!(callback = other, "ignored a view submission");
                    InteractionReply::Empty
                }
            }
        }
        SlackInteractionEvent::MessageAction(ev) => {
            match ev.callback_id.0.as_str() {
                SHORTCUT_ADD_TO_FAQ => shortcut::add_to_faq(state, &ev).await,
                other => tracing::debug!(callback = other, "ignored a message shortcut"),
            }
            InteractionReply::Empty
        }
        _ => InteractionReply::Empty,
    }
}

async fn on_action(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    action: &SlackInteractionActionInfo,
) {
    let id = action.action_id.0.as_str();
    if !ROOT_ACTIONS.contains(&id) {
        tracing::debug!(action = id, "ignored an action");
        return;
    }
    let Some(session) = session_of_action(state, ev, action).await else {
        tell(
            state,
            ev.response_url.as_ref(),
            ":warning: I can't find the session behind this button any more.",
        )
        .await;
        return;
    };
    match id {
        ACTION_DRAFT_PR => draft::open(state, ev, &session).await,
        ACTION_ASK => ask::open(state, ev, &session).await,
        ACTION_ANSWER => answer::open(state, ev, &session).await,
        _ => export::from_button(state, ev, &session).await,
    }
}

/// The session a root-message button belongs to: the message it sits on, or the
/// session number carried in the button's value.
pub async fn session_of_action(
    state: &Arc<AppState>,
    ev: &SlackInteractionBlockActionsEvent,
    action: &SlackInteractionActionInfo,
) -> Option<Session> {
    if let SlackInteractionActionContainer::Message(container) = &ev.container {
        let channel = container
            .channel_id
            .as_ref()
            .map(|c| c.0.clone())
            .or_else(|| ev.channel.as_ref().map(|c| c.id.0.clone()));
        if let Some(channel) = channel {
            if let Ok(Some(session)) = state
                .store
                .session_by_thread(&channel, &container.message_ts.0)
                .await
            {
                return Some(session);
            }
        }
    }
    let id: i64 = action.value.as_deref()?.trim().parse().ok()?;
    state.store.session(id).await.ok().flatten()
}

/// A view's `callback_id`, read from its JSON (works for every view type).
pub fn view_callback_id(view: &SlackStatefulView) -> Option<String> {
    let value = serde_json::to_value(view).ok()?;
    value
        .get("callback_id")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// A view's `private_metadata`.
pub fn view_private_metadata(view: &SlackStatefulView) -> Option<String> {
    let value = serde_json::to_value(view).ok()?;
    value
        .get("private_metadata")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Tells the user something ephemerally through the interaction's `response_url`
/// (queued in the outbox, so it is retried like everything else).
pub async fn tell(state: &Arc<AppState>, response_url: Option<&SlackResponseUrl>, text: &str) {
    let Some(url) = response_url else {
        tracing::warn!("no response_url to tell the user: {text}");
        return;
    };
    if let Err(err) = state
        .enqueue(&Job::respond_ephemeral(url.0.as_str(), text))
        .await
    {
        tracing::error!(
            error = format!("{err:#}"),
            "could not queue a reply to the user"
        );
    }
}
