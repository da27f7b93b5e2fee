//! Events API callbacks: each relevant event is translated into one
//! [`flows::events::Event`] and recorded (deduplicated on its `event_id`);
//! the acknowledgement goes back once it is committed. Events wb does not
//! handle are acknowledged untouched (and do not fill the dedupe table).
//!
//! Events are read from their JSON with the few fields wb needs, not through
//! slack-morphism's models: those are stricter than Slack (an org-wide
//! install's envelope has no `team_id`) and drop what they do not model.

pub mod message;

use std::sync::Arc;

use super::json::Json;
use super::registry::EventKind;
use crate::app::AppState;
use crate::domain::tenant::Tenant;
use crate::flows::events::{self, Event, Incoming};
use crate::flows::vote::Reaction;
use crate::store::StoreError;

/// One delivered event of a kind wb handles, with what its envelope says.
#[derive(Debug, Clone)]
pub struct Delivery<'a> {
    pub event_id: String,
    pub tenant: Tenant,
    /// wb's own bot user in this workspace, when the envelope names it.
    pub bot_user: Option<String>,
    pub kind: EventKind,
    /// The envelope's `event` object.
    pub event: &'a Json<'a>,
}

/// Records the event if it can change anything; true when it did.
#[tracing::instrument(skip_all, fields(team = %d.tenant.team_id, event_id = %d.event_id, kind = d.kind.name()))]
pub async fn handle(app: &Arc<AppState>, d: Delivery<'_>) -> Result<bool, StoreError> {
    let Some(event) = translate(&d) else {
        return Ok(false);
    };
    let incoming = Incoming {
        event_id: d.event_id,
        tenant: d.tenant,
        event,
    };
    events::record(app, incoming).await?;
    Ok(true)
}

/// The event as wb understands it, when it can change anything.
fn translate(d: &Delivery<'_>) -> Option<Event> {
    let ev = d.event;
    match d.kind {
        EventKind::Message => message::translate(ev, d.bot_user.as_deref()),
        EventKind::ReactionAdded => reaction(ev).map(Event::ReactionAdded),
        EventKind::ReactionRemoved => reaction(ev).map(Event::ReactionRemoved),
        EventKind::AppHomeOpened => {
            // The Messages tab gets nothing.
            let tab = ev["tab"].as_str();
            (tab.is_none_or(|t| t == "home")).then_some(())?;
            Some(Event::HomeOpened {
                user: text(&ev["user"])?,
            })
        }
        EventKind::AppUninstalled => Some(Event::Uninstalled),
        EventKind::TokensRevoked => {
            // User ids, not tokens (FACTS D11): whose tokens went.
            let count = |k: &str| ev["tokens"][k].as_array().map_or(0, <[_]>::len);
            Some(Event::TokensRevoked {
                bot: count("bot") > 0,
                users: count("oauth"),
            })
        }
    }
}

/// A reaction on a message (reactions on files and the like are not votes).
fn reaction(ev: &Json<'_>) -> Option<Reaction> {
    let item = &ev["item"];
    if item["type"].as_str() != Some("message") {
        return None;
    }
    Some(Reaction {
        user: text(&ev["user"])?,
        name: text(&ev["reaction"])?,
        channel: text(&item["channel"])?,
        ts: text(&item["ts"])?,
    })
}

fn text(v: &Json<'_>) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}
