//! Events API callbacks. Each event is handled inside one write transaction that
//! also records its `event_id`, so a Slack retry (even after a restart) is stored
//! once, and the acknowledgement is sent only after the capture is committed.

mod home;
pub(crate) mod message;
mod reaction;

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::now_rfc3339;
use crate::domain::session::Session;
use crate::slack::root;
use crate::store::events;

/// What handling an event inside the transaction produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Handled {
    /// Outbox jobs were queued in the transaction: wake the worker after commit.
    pub queued_jobs: bool,
    /// The capture changed this session's counts: refresh its root message
    /// once the transaction is committed.
    pub refresh: Option<Session>,
}

#[tracing::instrument(skip_all, fields(team = %cb.team_id, event_id = %cb.event_id))]
pub async fn handle(state: &Arc<AppState>, cb: SlackPushEventCallback) -> anyhow::Result<()> {
    if !is_relevant(&cb.event) {
        return Ok(());
    }
    let mut tx = state.store.begin_write().await?;
    if !events::claim(&mut tx, &cb.event_id.0, &now_rfc3339()).await? {
        tracing::debug!("duplicate event ignored");
        return Ok(());
    }
    let handled = match &cb.event {
        SlackEventCallbackBody::Message(msg) => message::handle(state, &mut tx, &cb, msg).await?,
        SlackEventCallbackBody::ReactionAdded(r) => reaction::added(state, &mut tx, r).await?,
        SlackEventCallbackBody::ReactionRemoved(r) => reaction::removed(state, &mut tx, r).await?,
        SlackEventCallbackBody::AppHomeOpened(ev) => {
            home::opened(state, &mut tx, &cb.team_id.0, ev).await?
        }
        _ => Handled::default(),
    };
    tx.commit().await?;
    if handled.queued_jobs {
        state.wake_outbox();
    }
    if let Some(session) = handled.refresh {
        root::refresh_soon(state, session);
    }
    Ok(())
}

/// Only these events can change anything; the rest are acknowledged untouched
/// (and do not fill the dedupe table).
fn is_relevant(event: &SlackEventCallbackBody) -> bool {
    match event {
        SlackEventCallbackBody::Message(msg) => message::is_relevant(msg),
        SlackEventCallbackBody::ReactionAdded(_)
        | SlackEventCallbackBody::ReactionRemoved(_)
        | SlackEventCallbackBody::AppHomeOpened(_) => true,
        _ => false,
    }
}
