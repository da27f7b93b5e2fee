//! The process ends in a decision (issue 11, SPEC §5.1): status, the review
//! form, durable reading timers, silent reading and its comments, decisions
//! and the Home tab portfolio — through signed requests against the real
//! server and the fake Slack. Shared helpers here; tests by theme below.

mod comments;
mod copy;
mod decide;
mod home;
mod status;
mod timers;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::faq::ROOT;
use crate::helpers::*;

/// Reviewers, the director who decides, and someone with no part in it.
pub const ANA: &str = "U0ANA";
pub const BO: &str = "U0BO";
pub const DANA: &str = "U0DANA";
pub const STRANGER: &str = "U0STRANGER";
pub const PERMALINK: &str = "https://acme.slack.com/archives/C2147483705/p1763739000000100";

/// What the meeting needs from the fake Slack besides the defaults: a
/// canvas, thread links, the Home tab, and the file upload (the canvas's
/// fallback).
pub async fn mount_meeting(app: &TestApp) {
    Mock::given(method("POST"))
        .and(path("/api/canvases.create"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ok": true, "canvas_id": "F0CANVAS1"})),
        )
        .mount(&app.slack)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/chat.getPermalink"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "channel": CHANNEL, "permalink": PERMALINK})),
        )
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/views.publish"))
        .respond_with(ok())
        .mount(&app.slack)
        .await;
}

/// A `block_actions` click on `action_id` by `user`, on the message `ts`
/// (the root message: ROOT), with the button's `value`.
pub fn press(app: &TestApp, action_id: &str, user: &str, value: &str, ts: &str) -> Value {
    let mut payload = crate::faq::button(app, action_id);
    payload["user"]["id"] = json!(user);
    payload["actions"][0]["value"] = json!(value);
    payload["container"]["message_ts"] = json!(ts);
    payload["message"]["ts"] = json!(ts);
    payload
}

/// Clicks `action_id` on the root message of session 1 as `user` and
/// returns the modal it opened.
pub async fn open_form(app: &TestApp, action_id: &str, user: &str) -> Value {
    let before = app.calls("views.open").await.len();
    let answer = app
        .interaction(&press(app, action_id, user, "1", ROOT))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let opened = app.wait_for_calls("views.open", before + 1).await;
    opened[before].clone()
}

/// The opened modal submitted by `user` with `values`, as view `view_id`.
pub fn submit(opened: &Value, user: &str, values: Value, view_id: &str) -> Value {
    let mut payload = crate::faq::submission(opened, user, values);
    payload["view"]["id"] = json!(view_id);
    payload["view"]["root_view_id"] = json!(view_id);
    payload
}

/// The review form's `state.values`.
pub fn review_values(when: Option<i64>, minutes: &str, reviewers: &[&str]) -> Value {
    let mut when_value = json!({"type": "datetimepicker"});
    if let Some(at) = when {
        when_value["selected_date_time"] = json!(at);
    }
    json!({
        "wb_review_when": {"value": when_value},
        "wb_review_minutes": {"value": {"type": "number_input", "value": minutes}},
        "wb_review_reviewers": {"value": {"type": "multi_users_select", "selected_users": reviewers}},
    })
}

pub fn comment_values(section: &str, text: &str) -> Value {
    json!({
        "wb_comment_section": {"value": {"type": "static_select", "selected_option": {
            "text": {"type": "plain_text", "text": section}, "value": section}}},
        "wb_comment_text": {"value": {"type": "plain_text_input", "value": text}},
    })
}

pub fn decide_values(outcome: &str, rationale: &str, next_steps: &str) -> Value {
    json!({
        "wb_decide_outcome": {"value": {"type": "radio_buttons", "selected_option": {
            "text": {"type": "plain_text", "text": outcome}, "value": outcome}}},
        "wb_decide_rationale": {"value": {"type": "plain_text_input", "value": rationale}},
        "wb_decide_next_steps": {"value": {"type": "plain_text_input", "value": next_steps}},
    })
}

/// Schedules a review of session 1 through the *Review* button and form;
/// the acknowledgement's JSON (`null` when empty).
pub async fn schedule(
    app: &TestApp,
    when: Option<i64>,
    minutes: &str,
    reviewers: &[&str],
    view_id: &str,
) -> Value {
    let view = open_form(app, "wb_review", USER).await;
    let values = review_values(when, minutes, reviewers);
    let answer = app.interaction(&submit(&view, USER, values, view_id)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    if answer.body.is_empty() {
        Value::Null
    } else {
        answer.json()
    }
}

/// A `/wb` command from `user` (instead of USER), signed at `at` (unix s).
pub async fn command_as(app: &TestApp, user: &str, text: &str, at: Option<i64>) -> Answer {
    let body = serde_urlencoded::to_string([
        ("team_id", TEAM),
        ("channel_id", CHANNEL),
        ("user_id", user),
        ("command", "/wb"),
        ("text", text),
        ("response_url", &format!("{}/response", app.slack.uri())),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ])
    .expect("form")
    .into_bytes();
    let signing = at.map_or(Signing::Valid, Signing::At);
    app.raw(
        "POST",
        "/slack/commands",
        "application/x-www-form-urlencoded",
        body,
        signing,
    )
    .await
}

/// An interaction signed at `at` (unix s): for tests that moved the clock.
pub async fn interaction_at(app: &TestApp, payload: &Value, at: i64) -> Answer {
    let body = serde_urlencoded::to_string([("payload", payload.to_string())])
        .expect("form")
        .into_bytes();
    app.raw(
        "POST",
        "/slack/interactions",
        "application/x-www-form-urlencoded",
        body,
        Signing::At(at),
    )
    .await
}

/// Waits (up to 20 s) for `check`.
pub async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until every job due by the app's clock has run, and every job
/// running has finished (timers due later stay pending, so `settle` would
/// wait for them). A job whose attempt failed and whose retry comes within
/// a few seconds is still owed: on a loaded machine a call to the fake
/// Slack can fail once, and its retry (about a second later) is what posts.
pub async fn settle_due(app: &TestApp) {
    // A failed call is retried about a second later: wait for it too.
    app.settle_due_within(3_000).await;
}

/// Every thread post (`chat.postMessage`) whose JSON contains `needle`.
pub async fn posts_with(app: &TestApp, needle: &str) -> Vec<Value> {
    app.calls("chat.postMessage")
        .await
        .into_iter()
        .filter(|p| p.to_string().contains(needle))
        .collect()
}

/// Waits for a thread post containing `needle`; returns it.
pub async fn wait_for_post(app: &TestApp, needle: &str) -> Value {
    let start = Instant::now();
    loop {
        if let Some(p) = posts_with(app, needle).await.into_iter().next() {
            return p;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no post containing {needle:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The texts of a message's blocks (and its fallback), joined.
pub fn text_of(message: &Value) -> String {
    let mut out = vec![message["text"].as_str().unwrap_or_default().to_string()];
    for b in message["blocks"].as_array().into_iter().flatten() {
        if let Some(t) = b["text"]["text"].as_str() {
            out.push(t.to_string());
        }
        for e in b["elements"].as_array().into_iter().flatten() {
            if let Some(t) = e["text"].as_str().or_else(|| e["text"]["text"].as_str()) {
                out.push(t.to_string());
            }
        }
    }
    out.join("\n")
}

/// Asserts that, after `from` in the pretty JSON `raw`, the `keys` come in
/// this order with nothing else between them (`serde_json::Value` sorts
/// keys, so order is checked on the text).
pub fn assert_key_order(raw: &str, from: &str, keys: &[&str]) {
    let start = raw.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let object = &raw[start + from.len()..];
    let open = object
        .find('{')
        .unwrap_or_else(|| panic!("no object after {from}"));
    let body = &object[open + 1..];
    let indent = body
        .lines()
        .nth(1)
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(0);
    let found: Vec<String> = body
        .lines()
        .skip(1)
        .take_while(|l| {
            !(l.trim_start().starts_with('}') && l.len() - l.trim_start().len() < indent)
        })
        .filter(|l| l.len() - l.trim_start().len() == indent)
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix('"')?
                .split('"')
                .next()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(found, keys, "keys after {from}");
}

/// The session's status as stored.
pub async fn status(app: &TestApp) -> String {
    crate::testdb::query_scalar("SELECT status FROM sessions WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .expect("session 1")
}

/// The ephemeral replies sent through `response_url`, as text.
pub async fn told(app: &TestApp) -> Vec<String> {
    app.calls("response_url")
        .await
        .iter()
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Starts session 1 with a draft (v1) and the meeting's fake Slack mounted.
pub async fn session_with_draft(app: &TestApp) {
    mount_meeting(app).await;
    app.start_session("Smart fridge camera").await;
    crate::faq::reply(
        app,
        "EvDraft1",
        "1763740100.000100",
        "PR: FridgeCam shows what is inside your fridge.",
    )
    .await;
    // Not `settle`: with a hand-moved clock, the root's debounced refresh
    // waits for the clock to move.
    settle_due(app).await;
}

/// wb without pacing: these tests wait for the jobs due now (`settle_due`),
/// and pacing would move a burst of thread posts a second or two later
/// (pacing has tests of its own).
pub async fn spawn_unpaced() -> TestApp {
    spawn_app_with(Options {
        pacing: false,
        ..Options::default()
    })
    .await
}
