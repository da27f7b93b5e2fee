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
    // App Home reads the team's sessions before the write: reads go through
    // the readers' pool, the write closure only writes.
    let home_job = match &cb.event {
        SlackEventCallbackBody::AppHomeOpened(ev) => home::job(state, &cb.team_id.0, ev).await?,
        _ => None,
    };
    let now = now_rfc3339();
    let st = state.clone();
    // Shared, so the payload is freed here rather than on the writer thread.
    let cb = Arc::new(cb);
    let event = cb.clone();
    let handled = state
        .store
        .write(move |tx| {
            let cb = &*event;
            if !events::claim(tx, &cb.event_id.0, &now)? {
                tracing::debug!(event_id = %cb.event_id, "duplicate event ignored");
                return Ok(Handled::default());
            }
            Ok(match &cb.event {
                SlackEventCallbackBody::Message(msg) => message::handle(&st, tx, cb, msg)?,
                SlackEventCallbackBody::ReactionAdded(r) => reaction::added(tx, r)?,
                SlackEventCallbackBody::ReactionRemoved(r) => reaction::removed(tx, r)?,
                _ => match &home_job {
                    Some(job) => {
                        AppState::enqueue_in(tx, job)?;
                        Handled {
                            queued_jobs: true,
                            refresh: None,
                        }
                    }
                    None => Handled::default(),
                },
            })
        })
        .await?;
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
