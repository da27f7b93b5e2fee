//! What both transports (`wb serve`'s HTTP edge and `wb socket`) do with a
//! payload Slack sent (signature and size already checked): say whose it is
//! ([`tenant`]), make it parseable where slack-morphism's models are stricter
//! than Slack ([`lenient`]), hand it to its handler, and say how to answer
//! ([`Outcome`]). A refusal's reason never quotes the payload.

use std::sync::Arc;

use serde_json::Value;
use slack_morphism::prelude::SlackInteractionEvent;

use super::command_fields::CommandFields;
use super::events::{self, Delivery};
use super::json::Json;
use super::registry::EventKind;
use super::{commands, interactions, lenient, tenant, CommandReply};
use crate::app::AppState;
use crate::domain::tenant::Tenant;

/// How to answer a payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Handled, or deliberately ignored: acknowledge, with this JSON body.
    Ack(Option<Value>),
    /// A slash command handled: acknowledge with its reply.
    Replied(CommandReply),
    /// It can never be handled as sent: refuse (400) for this reason, which
    /// quotes nothing from the payload.
    Refused(String),
    /// It could not be stored just now: fail (503), so Slack delivers it again
    /// (the `event_id` dedupe keeps it once).
    Failed,
}

/// Interaction payload types wb understands; others are acknowledged and ignored.
pub const INTERACTION_TYPES: [&str; 6] = [
    "block_actions",
    "view_submission",
    "view_closed",
    "message_action",
    "shortcut",
    "block_suggestion",
];

/// An Events API `event_callback` envelope.
pub async fn event_callback(app: &Arc<AppState>, envelope: &Json<'_>) -> Outcome {
    let Some(event_id) = envelope["event_id"].as_str().filter(|s| !s.is_empty()) else {
        return Outcome::Refused("malformed event_callback: no event_id".into());
    };
    let event_id = event_id.to_string();
    if !envelope["event"].is_object() {
        return Outcome::Refused("malformed event_callback: no event object".into());
    }
    let Some(kind) = envelope["event"]["type"]
        .as_str()
        .and_then(EventKind::from_type)
    else {
        tracing::debug!(event_id, "ignored an event type");
        return Outcome::Ack(None);
    };
    // An org's uninstall or revocation may name the org alone.
    let org_level = matches!(kind, EventKind::AppUninstalled | EventKind::TokensRevoked);
    let found = tenant::of_event(envelope)
        .or_else(|| org_level.then(|| tenant::org_of_event(envelope)).flatten());
    let Some(tenant) = found else {
        return Outcome::Refused(format!(
            "malformed event_callback: the {} event names no workspace (no team_id, context_team_id, event team or user_team)",
            kind.name()
        ));
    };
    let delivery = Delivery {
        event_id,
        bot_user: tenant::bot_user_of_event(envelope),
        tenant,
        kind,
        event: &envelope["event"],
    };
    match events::handle(app, delivery).await {
        Ok(_) => Outcome::Ack(None),
        Err(err) => {
            tracing::error!(%err, "could not store an event");
            Outcome::Failed
        }
    }
}

/// An interaction payload (the JSON of the form's `payload` field).
pub async fn interaction(app: &Arc<AppState>, mut payload: Value) -> Outcome {
    if !payload.is_object() {
        return Outcome::Refused("payload is not a JSON object".into());
    }
    let Some(kind) = INTERACTION_TYPES
        .into_iter()
        .find(|k| payload["type"].as_str() == Some(k))
    else {
        tracing::debug!("ignored an interaction type");
        return Outcome::Ack(None);
    };
    let Some(tenant) = tenant::of_interaction(&payload) else {
        return Outcome::Refused(format!(
            "malformed {kind} payload: it names no workspace (no team, user.team_id or view.team_id)"
        ));
    };
    lenient::interaction_for_models(&mut payload, &tenant);
    let event: SlackInteractionEvent = match serde_json::from_value(payload) {
        Ok(ev) => ev,
        Err(err) => {
            return Outcome::Refused(format!(
                "malformed {kind} payload: {}",
                lenient::reason(&err)
            ))
        }
    };
    Outcome::Ack(interactions::handle(app, &tenant, event).await.to_json())
}

/// A slash command's fields (form fields over HTTP, a JSON object over the socket).
pub async fn command(app: &Arc<AppState>, fields: CommandFields<'_>) -> Outcome {
    let command = match fields.command() {
        Ok(command) => command,
        Err(reason) => return Outcome::Refused(format!("malformed slash command: {reason}")),
    };
    let tenant = fields
        .tenant()
        .unwrap_or_else(|| Tenant::team(command.team_id));
    Outcome::Replied(commands::handle(app, &tenant, command).await)
}
