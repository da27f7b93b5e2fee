//! FAQ triage (issue 12) through signed requests against the real server and
//! the fake Slack: states and owners, merging duplicates with their votes,
//! coverage by family, the Triage modal within Slack's limits, reminders.
//! Shared helpers here; tests by theme below.

mod coverage;
mod limits;
mod merge;
mod modal;
mod remind;
mod remind_now;
mod states;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

pub use crate::faq::{export, reaction, reply, ANA, BO, ROOT};
use crate::helpers::*;

/// The id Slack gives the Triage modal, and the *Edit* view pushed over it.
pub const LIST_VIEW: &str = "V0TRIAGE01";
pub const EDIT_VIEW: &str = "V0TREDIT01";

/// Mounts what triage calls beyond the defaults: `views.push`,
/// `views.publish`, and `users.info` answering with time zone `tz`.
pub async fn mount_triage(app: &TestApp, tz: &str) {
    for m in ["views.push", "views.publish"] {
        Mock::given(method("POST"))
            .and(path(format!("/api/{m}")))
            .respond_with(ok())
            .mount(&app.slack)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/api/users.info"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "user": {"id": USER, "name": "steve", "tz": tz, "tz_offset": 3600,
                     "profile": {"display_name": "Steve"}}
        })))
        .mount(&app.slack)
        .await;
}

/// The *Triage* button on the first session's root message.
pub fn triage_button(app: &TestApp) -> Value {
    crate::faq::button(app, "wb_triage")
}

/// A view as Slack echoes it back in an interaction: `opened` (a
/// `views.open`/`views.update`/`views.push` body) with ids, hash and state.
fn echoed(opened: &Value, id: &str, values: Value, previous: Option<&str>) -> Value {
    let mut view = opened["view"].clone();
    for (k, v) in [
        ("id", json!(id)),
        ("team_id", json!(TEAM)),
        ("hash", json!("1763740500.abcdef12")),
        ("root_view_id", json!(LIST_VIEW)),
        (
            "previous_view_id",
            previous.map_or(Value::Null, |p| json!(p)),
        ),
        ("app_id", json!("A123456")),
        ("bot_id", json!("B0BOT")),
        ("state", json!({"values": values})),
    ] {
        view[k] = v;
    }
    view
}

/// A click inside the Triage modal `list` (a `views.open`/`views.update` body).
pub fn in_list(list: &Value, action: Value) -> Value {
    json!({
        "type": "block_actions",
        "user": {"id": USER, "username": "steve", "name": "steve", "team_id": TEAM},
        "api_app_id": "A123456",
        "token": "XXYYZZ",
        "container": {"type": "view", "view_id": LIST_VIEW},
        "trigger_id": "12466734323.1395872398.5a5b5c5d5e5f",
        "team": {"id": TEAM, "domain": "example"},
        "enterprise": null,
        "is_enterprise_install": false,
        "view": echoed(list, LIST_VIEW, json!({}), None),
        "actions": [action],
    })
}

/// A button of the Triage modal: *Edit*, *Un-merge*, a page.
pub fn list_button(action_id: &str, value: &str) -> Value {
    json!({
        "type": "button", "action_id": action_id, "block_id": "wb_any",
        "text": {"type": "plain_text", "text": "x", "emoji": true},
        "value": value, "action_ts": "1763740600.000100"
    })
}

/// The filter select of the Triage modal, set to `filter`.
pub fn filter_select(filter: &str) -> Value {
    json!({
        "type": "static_select", "action_id": "wb_triage_filter", "block_id": "wb_triage_filter",
        "selected_option": {"text": {"type": "plain_text", "text": filter, "emoji": true}, "value": filter},
        "placeholder": {"type": "plain_text", "text": "Show"},
        "action_ts": "1763740600.000200"
    })
}

/// The *Edit* view `pushed` (a `views.push` body) submitted by `user`.
pub fn edit_submission(pushed: &Value, user: &str, values: Value) -> Value {
    json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": TEAM},
        "api_app_id": "A123456",
        "token": "XXYYZZ",
        "trigger_id": "12466734323.1395872398.0f1e2d3c4b5a",
        "view": echoed(pushed, EDIT_VIEW, values, Some(LIST_VIEW)),
        "response_urls": [],
        "is_enterprise_install": false,
        "enterprise": null
    })
}

/// The *Edit* view's `state.values`: `None` leaves a field untouched.
pub fn edit_values(
    state: Option<&str>,
    owner: Option<&str>,
    family: Option<&str>,
    merge_into: Option<i64>,
) -> Value {
    let option =
        |v: &str| json!({"text": {"type": "plain_text", "text": v, "emoji": true}, "value": v});
    let mut values = json!({
        "wb_tr_state": {"value": {"type": "radio_buttons", "selected_option": state.map(option)}},
        "wb_tr_owner": {"value": {"type": "users_select", "selected_user": owner}},
        "wb_tr_merge_id": {"value": {"type": "plain_text_input", "value": null}},
    });
    if let Some(f) = family {
        values["wb_tr_family"] =
            json!({"value": {"type": "radio_buttons", "selected_option": option(f)}});
    }
    if let Some(id) = merge_into {
        values["wb_tr_merge"] = json!({"value": {"type": "static_select",
            "selected_option": option(&id.to_string())}});
    }
    values
}

/// Opens the Triage modal with the button; the `views.open` body.
pub async fn open_triage(app: &TestApp) -> Value {
    let before = app.calls("views.open").await.len();
    let answer = app.interaction(&triage_button(app)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    app.wait_for_calls("views.open", before + 1).await[before].clone()
}

/// Clicks *Edit* on question `id` in `list`; the pushed view's body.
pub async fn open_edit(app: &TestApp, list: &Value, id: i64) -> Value {
    let before = app.calls("views.push").await.len();
    let answer = app
        .interaction(&in_list(
            list,
            list_button("wb_triage_edit", &id.to_string()),
        ))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    app.wait_for_calls("views.push", before + 1).await[before].clone()
}

/// Waits for the `n`th `views.update` and returns it.
pub async fn nth_update(app: &TestApp, n: usize) -> Value {
    app.wait_for_calls("views.update", n).await[n - 1].clone()
}

/// Saves an edit of question `id` (opened from `list`) and waits until the
/// modal under it is shown again; the update's body.
pub async fn save_edit(app: &TestApp, list: &Value, id: i64, user: &str, values: Value) -> Value {
    let pushed = open_edit(app, list, id).await;
    let updates = app.calls("views.update").await.len();
    let answer = app
        .interaction(&edit_submission(&pushed, user, values))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body, "", "the edit view closes: {}", answer.body);
    let update = nth_update(app, updates + 1).await;
    assert_eq!(update["view_id"], LIST_VIEW);
    app.settle().await;
    update
}

/// The JSON export's entry of question `id`.
pub fn faq_entry(doc: &Value, id: i64) -> Value {
    doc["faq"]
        .as_array()
        .and_then(|f| f.iter().find(|q| q["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no question {id} in {doc}"))
}

/// The ids of the questions a Triage modal lists, in order.
pub fn listed(view: &Value) -> Vec<i64> {
    view["view"]["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["block_id"].as_str()?.strip_prefix("wb_tq_")?.parse().ok())
        .collect()
}

/// Posts in the session's thread (not the root message, not ephemerals).
pub async fn thread_posts(app: &TestApp) -> Vec<String> {
    app.calls("chat.postMessage")
        .await
        .iter()
        .filter(|c| c["thread_ts"] == ROOT)
        .filter_map(|c| c["text"].as_str().map(str::to_string))
        .collect()
}

/// A digest is the bot's thread post opening with the alarm clock.
async fn digests(app: &TestApp) -> Vec<String> {
    thread_posts(app)
        .await
        .into_iter()
        .filter(|t| t.starts_with(":alarm_clock:"))
        .collect()
}

async fn wait_for_digests(app: &TestApp, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let found = digests(app).await;
        if found.len() >= n {
            return found;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "expected {n} digest(s), got {found:?}"
        );
        app.state.wake_outbox();
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
