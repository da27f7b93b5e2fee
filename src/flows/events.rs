//! Events API callbacks, as one use case: each event is handled inside one
//! write that also records its `event_id`, so a Slack retry (even after a
//! restart, even on another replica) is stored once, and the caller
//! acknowledges only after the capture is committed.

use super::capture::{self, Deletion, Edit, Reply};
use super::{home, install, vote};
use crate::app::AppState;
use crate::domain::tenant::Tenant;
use crate::store::StoreResult;

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
    // A place at the worker, if it has one now: the confirmation reaction a
    // reply owes is then written claimed and handed over once committed
    // (`app::handoff`), with no claim of it from the table.
    let slot = app.handoff.slot();
    let claimer: Option<String> = slot.as_ref().map(|_| app.store.replica().to_string());
    let (handed, pending) = app
        .store
        .write(move |tx| {
            if let Some(worker) = &claimer {
                tx.hand_jobs_to(worker, 1);
            }
            if !tx.claim_event(&incoming.event_id)? {
                tracing::debug!(event_id = %incoming.event_id, "duplicate event ignored");
                return Ok((Vec::new(), false));
            }
            let tenant = &incoming.tenant;
            match &incoming.event {
                Event::Reply(reply) => capture::reply_in(tx, tenant, reply).map(drop),
                Event::Edit(edit) => capture::edit_in(tx, tenant, edit).map(drop),
                Event::Deletion(deletion) => capture::delete_in(tx, tenant, deletion).map(drop),
                Event::ReactionAdded(r) => vote::added_in(tx, tenant, r),
                Event::ReactionRemoved(r) => vote::removed_in(tx, tenant, r),
                Event::HomeOpened { user } => {
                    home::publish_in(tx, &tenant.workspace(), user).map(drop)
                }
                Event::Uninstalled => install::uninstalled_in(tx, tenant, purge).map(drop),
                Event::TokensRevoked { bot, users } => {
                    install::revoked_in(tx, tenant, *bot, *users).map(drop)
                }
            }?;
            Ok((tx.take_handed(), tx.queued_pending()))
        })
        .await?;
    if let (Some(slot), Some(row)) = (slot, handed.into_iter().next()) {
        slot.hand(row);
    }
    if pending {
        app.wake_outbox();
    }
    Ok(())
}
