//! Events API callbacks, as one use case: each event is handled inside one
//! write that also records its `event_id`, so a Slack retry (even after a
//! restart, even on another replica) is stored once, and the caller
//! acknowledges only after the capture is committed.
//!
//! A reply in a thread is also kept once by its message: its write finds
//! the message stored already (`capture::reply_in`) and changes nothing.
//! With one writer (SQLite), which orders every write after the last, that
//! check is the whole of it and a reply's `event_id` is not recorded: a
//! row, an index entry and a page of the log less on the busiest write.
//! Replicas (PostgreSQL) may take the same retry at once, before either
//! has committed, so there every event's id is recorded first.

use super::capture::{self, Deletion, Edit, Reply};
use super::{home, install, vote};
use crate::app::AppState;
use crate::domain::tenant::Tenant;
use crate::store::{Dialect, StoreResult};

/// One event as wb understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Reply(Reply),
    Edit(Edit),
    Deletion(Deletion),
    ReactionAdded(vote::Reaction),
    ReactionRemoved(vote::Reaction),
    HomeOpened {
        user: String,
    },
    /// The app was uninstalled from the workspace (or org).
    Uninstalled,
    /// Tokens were revoked: the bot's (`bot`), and users' (wb keeps none).
    TokensRevoked {
        bot: bool,
        users: usize,
    },
}

/// An event and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub event_id: String,
    pub tenant: Tenant,
    pub event: Event,
}

/// Records an event once; returns when it is committed. Only what belongs to
/// the event's workspace (its installation) is looked at or changed.
#[tracing::instrument(skip_all, fields(team = %incoming.tenant.team_id, event_id = %incoming.event_id))]
pub async fn record(app: &AppState, incoming: Incoming) -> StoreResult<()> {
    let purge = app.config.purge_on_uninstall;
    // A reply's confirmation reaction goes straight to the worker when it
    // has room (`AppState::write_handing`).
    app.write_handing(move |tx| {
        let by_message =
            matches!(incoming.event, Event::Reply(_)) && tx.dialect() == Dialect::Sqlite;
        if !by_message && !tx.claim_event(&incoming.event_id)? {
            tracing::debug!(event_id = %incoming.event_id, "duplicate event ignored");
            return Ok(());
        }
        let tenant = &incoming.tenant;
        match &incoming.event {
            Event::Reply(reply) => capture::reply_in(tx, tenant, reply),
            Event::Edit(edit) => capture::edit_in(tx, tenant, edit),
            Event::Deletion(deletion) => capture::delete_in(tx, tenant, deletion),
            Event::ReactionAdded(r) => vote::added_in(tx, tenant, r),
            Event::ReactionRemoved(r) => vote::removed_in(tx, tenant, r),
            Event::HomeOpened { user } => home::publish_in(tx, &tenant.workspace(), user),
            Event::Uninstalled => install::uninstalled_in(tx, tenant, purge),
            Event::TokensRevoked { bot, users } => install::revoked_in(tx, tenant, *bot, *users),
        }
    })
    .await
}
