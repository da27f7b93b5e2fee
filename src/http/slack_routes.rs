//! The three Slack routes: each reads its body's shape (a form, a JSON
//! envelope, an interaction payload), records the ids on the request's span,
//! and hands the payload to `slack::inbound`; the outcome becomes the status.

use std::sync::Arc;

use http::{Response, StatusCode};
use serde_json::{Map, Value};

use super::{json, refuse, text, Body};
use crate::app::AppState;
use crate::slack::inbound::{self, Outcome};
use crate::slack::log_ids;

pub(super) async fn on_command(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    let Some(fields) = form_fields(body) else {
        return refuse(StatusCode::BAD_REQUEST, "malformed form body");
    };
    // Slack's ssl_check pings carry none of a command's fields.
    if fields.get("ssl_check").and_then(Value::as_str) == Some("1") {
        return text(StatusCode::OK, "");
    }
    let field = |name: &str| fields.get(name).and_then(Value::as_str);
    log_ids::record(field("team_id"), field("channel_id"), field("user_id"));
    answer(inbound::command(state, Value::Object(fields)).await)
}

pub(super) async fn on_event(state: &Arc<AppState>, body: &[u8]) -> Response<Body> {
    // Read without the messages' `blocks`, which wb never looks at.
    let value: Value = match super::lean_json::parse(body) {
        Ok(v @ Value::Object(_)) => v,
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
        Some("event_callback") => answer(inbound::event_callback(state, value).await),
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

/// A form's fields as the JSON object a command is read from (the last of a
/// repeated field wins), in one pass; `None` when it is no form.
fn form_fields(body: &[u8]) -> Option<Map<String, Value>> {
    serde_urlencoded::from_bytes(body).ok()
}

/// The HTTP answer to a handled payload.
fn answer(outcome: Outcome) -> Response<Body> {
    match outcome {
        Outcome::Ack(Some(body)) => json(StatusCode::OK, &body),
        Outcome::Ack(None) => text(StatusCode::OK, ""),
        Outcome::Refused(reason) => refuse(StatusCode::BAD_REQUEST, &reason),
        // A 5xx on purpose: Slack retries, and the event_id dedupe keeps it
        // once. 503: the database is away (a restart, a failover), not broken.
        Outcome::Failed => text(StatusCode::SERVICE_UNAVAILABLE, "could not store the event"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_form_becomes_an_object_of_strings_and_the_last_repeat_wins() {
        let cases: &[(&str, Option<Value>)] = &[
            (
                "team_id=T1&text=pr%20Idea+one&is_enterprise_install=false",
                Some(
                    json!({"team_id": "T1", "text": "pr Idea one", "is_enterprise_install": "false"}),
                ),
            ),
            ("a=1&a=2", Some(json!({"a": "2"}))),
            ("", Some(json!({}))),
            ("empty=&flag", Some(json!({"empty": "", "flag": ""}))),
            ("bad=%FF%FE", Some(json!({"bad": "\u{FFFD}\u{FFFD}"}))),
        ];
        for (body, want) in cases {
            assert_eq!(
                form_fields(body.as_bytes()).map(Value::Object),
                *want,
                "{body}"
            );
        }
    }
}
