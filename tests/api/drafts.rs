//! Press-release drafting: the modal, versions, the root message, the thread
//! note, the bar-raiser's private review, `/wb pressrelease` without an idea
//! and `wb review`.
//! Shared helpers here; tests by theme below.

mod modal;
mod versions;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::Mock;

use crate::helpers::*;

/// A click on *Draft press release* on the root message `root_ts`.
fn click_draft(app: &TestApp, root_ts: &str, session_id: i64) -> Value {
    let mut payload: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    payload["container"]["message_ts"] = json!(root_ts);
    payload["message"]["ts"] = json!(root_ts);
    payload["actions"][0]["value"] = json!(session_id.to_string());
    payload["trigger_id"] = json!(format!("trigger-{root_ts}"));
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    payload
}

/// A `view_submission` of `view` (as wb opened it) with these inputs, in the
/// shape Slack sends: text inputs carry `value`, the datepicker `selected_date`.
fn submission(view: &Value, inputs: &[(&str, &str)]) -> Value {
    let mut values = serde_json::Map::new();
    for (block, text) in inputs {
        let state = if *block == "wb_pr_launch_date" {
            json!({"value": {"type": "datepicker", "selected_date": text}})
        } else {
            json!({"value": {"type": "plain_text_input", "value": text}})
        };
        values.insert(block.to_string(), state);
    }
    let mut view = view.clone();
    view["id"] = json!("V0PKB1ZFV");
    view["team_id"] = json!(TEAM);
    view["hash"] = json!("1763740500.abcdef12");
    view["app_id"] = json!("A123456");
    view["bot_id"] = json!("B0BOT");
    view["root_view_id"] = json!("V0PKB1ZFV");
    view["state"] = json!({ "values": values });
    json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": USER, "username": "steve", "name": "steve", "team_id": TEAM},
        "api_app_id": "A123456",
        "token": "XXYYZZ",
        "trigger_id": "12466734323.1395872398.0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "view": view,
        "response_urls": [],
        "is_enterprise_install": false,
    })
}

/// Clicks the button and returns the view the fake Slack received in `views.open`.
async fn open_modal(app: &TestApp, root_ts: &str, session_id: i64) -> Value {
    let before = app.calls("views.open").await.len();
    let answer = app
        .interaction(&click_draft(app, root_ts, session_id))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let opened = app.wait_for_calls("views.open", before + 1).await;
    let call = &opened[before];
    assert_eq!(call["trigger_id"], format!("trigger-{root_ts}"));
    call["view"].clone()
}

fn inputs(view: &Value) -> Vec<Value> {
    view["blocks"]
        .as_array()
        .map(|b| b.iter().filter(|b| b["type"] == "input").cloned().collect())
        .unwrap_or_default()
}

const FULL_DRAFT: [(&str, &str); 11] = [
    ("wb_pr_headline", "Acme Fridge Cam shows you what is in your fridge while you shop"),
    ("wb_pr_subheadline", "Home cooks see their fridge from the store and stop buying food twice."),
    ("wb_pr_dateline_city", "Seattle"),
    ("wb_pr_launch_date", "2099-03-01"),
    ("wb_pr_summary", "A camera clips inside the fridge door and sends a photo to your phone each time it closes."),
    ("wb_pr_problem", "A family of four throws away 30% of the food it buys."),
    ("wb_pr_solution", "Open the app in the store and see the shelves as they were when the door last closed."),
    ("wb_pr_leader_quote", "“We kept buying milk we already had,” said Jane Doe, head of Acme Home."),
    ("wb_pr_getting_started", "Clip it to the door, scan the code on the box, and it is ready in 5 minutes."),
    ("wb_pr_customer_quote", "“Our bin is half as full,” said Sam, a parent of three in Leeds."),
    ("wb_pr_call_to_action", "Order it for $49 at acme.example/fridge from March 1."),
];
