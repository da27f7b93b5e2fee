//! Events API callbacks: each relevant event is translated into one
//! [`flows::events::Event`] and recorded (deduplicated on its `event_id`);
//! the acknowledgement goes back once it is committed. Events wb does not
//! handle are acknowledged untouched (and do not fill the dedupe table).

mod message;

use std::sync::Arc;

use slack_morphism::prelude::*;

use super::registry::EventKind;
use crate::app::AppState;
use crate::flows::events::{self, Event, Incoming};
use crate::flows::vote::Reaction;
use crate::store::StoreError;

#[tracing::instrument(skip_all, fields(team = %cb.team_id, event_id = %cb.event_id))]
pub async fn handle(app: &Arc<AppState>, cb: SlackPushEventCallback) -> Result<(), StoreError> {
    let Some(event) = translate(&cb.event) else {
        return Ok(());
    };
    let incoming = Incoming {
        event_id: cb.event_id.0.clone(),
        team_id: cb.team_id.0.clone(),
        event,
    };
    events::record(app, incoming).await
}

/// The event as wb understands it, when it can change anything.
fn translate(body: &SlackEventCallbackBody) -> Option<Event> {
    match (EventKind::of(body)?, body) {
        (EventKind::Message, SlackEventCallbackBody::Message(msg)) => message::translate(msg),
        (EventKind::ReactionAdded, SlackEventCallbackBody::ReactionAdded(r)) => {
            reaction(&r.user, &r.reaction, &r.item).map(Event::ReactionAdded)
        }
        (EventKind::ReactionRemoved, SlackEventCallbackBody::ReactionRemoved(r)) => {
            reaction(&r.user, &r.reaction, &r.item).map(Event::ReactionRemoved)
        }
        (EventKind::AppHomeOpened, SlackEventCallbackBody::AppHomeOpened(ev)) => {
            // The Messages tab gets nothing.
            (ev.tab.as_deref().is_none_or(|t| t == "home")).then(|| Event::HomeOpened {
                user: ev.user.0.clone(),
            })
        }
        _ => None,
    }
}

/// A reaction on a message (reactions on files and the like are not votes).
fn reaction(
    user: &SlackUserId,
    name: &SlackReactionName,
    item: &SlackReactionsItem,
) -> Option<Reaction> {
    let SlackReactionsItem::Message(message) = item else {
        return None;
    };
    Some(Reaction {
        user: user.0.clone(),
        name: name.0.clone(),
        channel: message.origin.channel.as_ref()?.0.clone(),
        ts: message.origin.ts.0.clone(),
    })
}
