//! The three Slack routes: each reads its body's shape (a form, a JSON
//! envelope, an interaction payload), records the ids on the request's span,
//! and hands the payload to `slack::inbound`; the outcome becomes the status.

use std::sync::Arc;

use http::{Response, StatusCode};
use serde_json::Value;

use super::{json, json_bytes, refuse, text, Body};
use crate::app::AppState;
use crate::slack::command_fields::CommandFields;
use crate::slack::inbound::{self, Outcome};
use crate::slack::log_ids;

pub(super) async fn on_command(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    let fields = CommandFields::from_form(body);
    // Slack's ssl_check pings carry none of a command's fields.
    if fields.ssl_check.as_deref() == Some("1") {
        return text(StatusCode::OK, "");
    }
    log_ids::record(
        fields.team_id.as_deref(),
        fields.channel_id.as_deref(),
        fields.user_id.as_deref(),
    );
    answer(inbound::command(state, fields).await)
}

pub(super) async fn on_event(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    // Read without the messages' `blocks`, which wb never looks at.
    let value = match crate::slack::json::parse(body) {
        Ok(v) if v.is_object() => v,
        _ => return refuse(StatusCode::BAD_REQUEST, "malformed JSON body"),
    };
    log_ids::record_payload(&value);
    match value["type"].as_str() {
        Some("url_verification") => match value["challenge"].as_str() {
            Some(challenge) => json(StatusCode::OK, &serde_json::json!({"challenge": challenge})),
            None => refuse(
                StatusCode::BAD_REQUEST,
                "url_verification without a challenge",
            ),
        },
        Some("event_callback") => answer(inbound::event_callback(state, &value).await),
        Some("app_rate_limited") => {
            // Slack stopped delivering this workspace's events for a minute.
            tracing::warn!(
                team = value["team_id"].as_str().unwrap_or("-"),
                minute = value["minute_rate_limited"].as_i64().unwrap_or_default(),
                "Slack is rate limiting the events it sends (over 30,000 an hour)"
            );
            text(StatusCode::OK, "")
        }
        Some(_) => {
            tracing::debug!("ignored an envelope type");
            text(StatusCode::OK, "")
        }
        None => refuse(StatusCode::BAD_REQUEST, "event without a type"),
    }
}

pub(super) async fn on_interaction(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    let fields: Vec<(String, String)> = match serde_urlencoded::from_bytes(body) {
        Ok(f) => f,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "malformed form body"),
    };
    let Some((_, payload)) = fields.into_iter().find(|(k, _)| k == "payload") else {
        return refuse(StatusCode::BAD_REQUEST, "missing payload field");
    };
    match serde_json::from_str::<Value>(&payload) {
        Ok(value) => {
            log_ids::record_payload(&value);
            answer(inbound::interaction(state, value).await)
        }
        Err(_) => refuse(StatusCode::BAD_REQUEST, "payload is not a JSON object"),
    }
}

/// The HTTP answer to a handled payload.
fn answer(outcome: Outcome) -> Response<Body> {
    match outcome {
        Outcome::Ack(Some(body)) => json(StatusCode::OK, &body),
        Outcome::Replied(reply) => json_bytes(StatusCode::OK, reply.to_bytes()),
        Outcome::Ack(None) => text(StatusCode::OK, ""),
        Outcome::Refused(reason) => refuse(StatusCode::BAD_REQUEST, &reason),
        // A 5xx on purpose: Slack retries, and the event_id dedupe keeps it
        // once. 503: the database is away (a restart, a failover), not broken.
        Outcome::Failed => text(StatusCode::SERVICE_UNAVAILABLE, "could not store the event"),
    }
}
