//! The thread is the room: captures from thread replies, votes, edits and
//! deletions, `/wb faq`, the Ask and Answer modals, the *Add to FAQ* shortcut,
//! anonymity and a concurrent burst — all through signed requests against the
//! real server and the fake Slack. Shared helpers here; tests by theme below.

mod answer;
mod edits;
mod forms;
mod scale;
mod shortcut;
mod thread;
mod votes;

use serde_json::{json, Value};

use crate::helpers::*;

/// The root `ts` of the first session of a test (the fake's first post).
pub const ROOT: &str = "1763739000.000100";
/// Teammates replying in the thread.
pub const ANA: &str = "U2147483698";
pub const BO: &str = "U2147483699";

/// A human reply in `thread_ts` of CHANNEL.
pub fn reply_event(ts: &str, thread_ts: &str, user: &str, text: &str) -> Value {
    json!({
        "type": "message", "user": user, "text": text, "ts": ts,
        "thread_ts": thread_ts, "parent_user_id": "U0BOT", "team": TEAM,
        "channel": CHANNEL, "event_ts": ts, "channel_type": "channel",
        "client_msg_id": format!("c-{ts}"),
    })
}

/// Sends a reply by ANA in the first session's thread; asserts the 200.
pub async fn reply(app: &TestApp, event_id: &str, ts: &str, text: &str) {
    let answer = app
        .event(&envelope(event_id, reply_event(ts, ROOT, ANA, text)))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

pub async fn edit(app: &TestApp, event_id: &str, ts: &str, text: &str) {
    let event = json!({
        "type": "message", "subtype": "message_changed", "hidden": true,
        "channel": CHANNEL, "ts": format!("{ts}9"), "event_ts": format!("{ts}9"),
        "channel_type": "channel",
        "message": {
            "type": "message", "user": ANA, "text": text, "ts": ts,
            "thread_ts": ROOT, "team": TEAM,
            "edited": {"user": ANA, "ts": "1763740999.000000"}
        },
        "previous_message": {"type": "message", "user": ANA, "text": "before", "ts": ts, "thread_ts": ROOT}
    });
    assert_eq!(app.event(&envelope(event_id, event)).await.status, 200);
}

pub async fn reaction(
    app: &TestApp,
    event_id: &str,
    added: bool,
    user: &str,
    name: &str,
    ts: &str,
) {
    let event = json!({
        "type": if added { "reaction_added" } else { "reaction_removed" },
        "user": user, "reaction": name,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "item_user": ANA, "event_ts": "1763740300.000600",
    });
    assert_eq!(app.event(&envelope(event_id, event)).await.status, 200);
}

/// `wb export 1 --format json`, parsed.
pub fn export(app: &TestApp) -> Value {
    let out = app.wb(&["export", "1", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}

/// `(timestamp, name)` of every `reactions.add` call so far.
pub async fn reactions_added(app: &TestApp) -> Vec<(String, String)> {
    app.calls("reactions.add")
        .await
        .iter()
        .map(|c| {
            (
                c["timestamp"].as_str().unwrap_or_default().to_string(),
                c["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A `block_actions` payload for a root-message button of the first session.
pub fn button(app: &TestApp, action_id: &str) -> Value {
    let mut payload: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    payload["actions"][0]["action_id"] = json!(action_id);
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    payload
}

/// The view a `views.open` call opened, as Slack echoes it back in a
/// `view_submission` with `values` as the user's input.
pub fn submission(opened: &Value, user: &str, values: Value) -> Value {
    let mut view = opened["view"].clone();
    for (k, v) in [
        ("id", json!("V0QUESTION1")),
        ("team_id", json!(TEAM)),
        ("hash", json!("1763740500.abcdef12")),
        ("root_view_id", json!("V0QUESTION1")),
        ("previous_view_id", Value::Null),
        ("app_id", json!("A123456")),
        ("bot_id", json!("B0BOT")),
        ("external_id", json!("")),
        ("clear_on_close", json!(false)),
        ("notify_on_close", json!(false)),
        ("state", json!({"values": values})),
    ] {
        view[k] = v;
    }
    json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": TEAM},
        "api_app_id": "A123456",
        "token": "XXYYZZ",
        "trigger_id": "12466734323.1395872398.0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "view": view,
        "response_urls": [],
        "is_enterprise_install": false,
        "enterprise": null
    })
}

/// The Ask modal's `state.values` as Slack sends them.
pub fn ask_values(question: &str, audience: &str, anonymous: bool) -> Value {
    let selected: Vec<Value> = if anonymous {
        vec![
            json!({"text": {"type": "plain_text", "text": "Ask anonymously", "emoji": true}, "value": "anonymous"}),
        ]
    } else {
        vec![]
    };
    json!({
        "wb_question": {"value": {"type": "plain_text_input", "value": question}},
        "wb_audience": {"value": {"type": "radio_buttons", "selected_option": {
            "text": {"type": "plain_text", "text": audience, "emoji": true}, "value": audience}}},
        "wb_anonymous": {"value": {"type": "checkboxes", "selected_options": selected}}
    })
}
