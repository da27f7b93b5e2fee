//! Events API callbacks, as one use case: each event is handled inside one
//! write that also records its `event_id`, so a Slack retry (even after a
//! restart, even on another replica) is stored once, and the caller
//! acknowledges only after the capture is committed.

use super::capture::{self, Deletion, Edit, Reply};
use super::{home, vote};
use crate::app::AppState;
use crate::store::StoreResult;

/// One event as wb understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Reply(Reply),
    Edit(Edit),
    Deletion(Deletion),
    ReactionAdded(vote::Reaction),
    ReactionRemoved(vote::Reaction),
    HomeOpened { user: String },
}

/// An event and its envelope's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub event_id: String,
    pub team_id: String,
    pub event: Event,
}

/// Records an event once; returns when it is committed.
#[tracing::instrument(skip_all, fields(team = %incoming.team_id, event_id = %incoming.event_id))]
pub async fn record(app: &AppState, incoming: Incoming) -> StoreResult<()> {
    let queued = app
        .store
        .write(move |tx| {
            if !tx.claim_event(&incoming.event_id)? {
                tracing::debug!(event_id = %incoming.event_id, "duplicate event ignored");
                return Ok(false);
            }
            match &incoming.event {
                Event::Reply(reply) => capture::reply_in(tx, reply),
                Event::Edit(edit) => capture::edit_in(tx, edit),
                Event::Deletion(deletion) => capture::delete_in(tx, deletion),
                Event::ReactionAdded(r) => vote::added_in(tx, r).map(|()| false),
                Event::ReactionRemoved(r) => vote::removed_in(tx, r).map(|()| false),
                Event::HomeOpened { user } => home::publish_in(tx, &incoming.team_id, user),
            }
        })
        .await?;
    if queued {
        app.wake_outbox();
    }
    Ok(())
}
