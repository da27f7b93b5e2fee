//! Apps installed across an Enterprise Grid org get payloads without a
//! workspace where slack-morphism's models want one: no envelope `team_id`,
//! `authorizations[].team_id: null`, `"team": null`. They are handled like any
//! other, and what is stored keeps the workspace and the org.

use serde_json::{json, Value};

use super::*;
use crate::faq::{export, reactions_added};

const ORG: &str = "E0ACME001";
const ORG_USER: &str = "W0ORGUSER1";

#[tokio::test]
async fn an_org_wide_event_without_a_team_id_is_captured() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let envelope = fixture_in_thread("event_org_wide_reply.json", &root);
    assert!(envelope.get("team_id").is_none());
    assert_eq!(envelope["authorizations"][0]["team_id"], Value::Null);

    deliver(&app, &envelope).await;
    // A retry of the same delivery is stored once.
    deliver(&app, &envelope).await;
    app.settle().await;

    let doc = export(&app);
    let faq = doc["faq"].as_array().expect("faq");
    assert_eq!(faq.len(), 1, "{faq:?}");
    assert_eq!(faq[0]["audience"], "internal");
    assert_eq!(faq[0]["question"], "who owns support in the other regions?");
    assert_eq!(faq[0]["asked_by"], ORG_USER);
    assert_eq!(
        reactions_added(&app).await,
        vec![("1763740200.000600".to_string(), "lock".to_string())]
    );
}

#[tokio::test]
async fn an_org_wide_button_with_a_null_team_opens_its_modal() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let mut payload: Value =
        serde_json::from_str(&fixture("block_actions_org_wide.json")).expect("fixture");
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    assert_eq!(payload["team"], Value::Null);

    let answer = app.interaction(&payload).await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    let opened = app.wait_for_calls("views.open", 1).await;
    assert_eq!(opened[0]["trigger_id"], payload["trigger_id"]);
    assert_eq!(opened[0]["view"]["callback_id"], "wb_draft");
    assert!(app.calls("response_url").await.is_empty(), "no error told");
}

#[tokio::test]
async fn sessions_started_org_wide_keep_their_workspace_and_org() {
    let app = spawn_app().await;
    let mut form: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&app.command_body("pressrelease Org-wide idea"))
            .expect("form");
    form.push(("enterprise_id".into(), ORG.into()));
    form.push(("enterprise_name".into(), "Acme Corp".into()));
    form.retain(|(k, _)| k != "is_enterprise_install");
    form.push(("is_enterprise_install".into(), "true".into()));
    let body = serde_urlencoded::to_string(&form)
        .expect("form")
        .into_bytes();
    let answer = app
        .raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);

    let submission: Value =
        serde_json::from_str(&fixture("view_submission_org_wide.json")).expect("fixture");
    let answer = app.interaction(&submission).await;
    assert_eq!((answer.status, answer.body.as_str()), (200, ""));

    app.wait_for_calls("chat.postMessage", 2).await;
    app.settle().await;
    let stored = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM sessions WHERE team_id = '{TEAM}' AND enterprise_id = '{ORG}'"
        ),
    )
    .await;
    assert_eq!(stored, 2);
}

#[tokio::test]
async fn a_workspace_install_stores_no_org() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let plain = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM sessions WHERE team_id = '{TEAM}' AND enterprise_id IS NULL"
        ),
    )
    .await;
    assert_eq!(plain, 1);
}

#[tokio::test]
async fn a_payload_naming_no_workspace_is_refused_with_a_reason_and_not_retried() {
    let app = spawn_app().await;
    let mut envelope: Value =
        serde_json::from_str(&fixture("event_org_wide_reply.json")).expect("fixture");
    envelope
        .as_object_mut()
        .map(|e| e.remove("context_team_id"));
    for key in ["team", "user_team", "source_team", "user_profile"] {
        envelope["event"].as_object_mut().map(|e| e.remove(key));
    }

    let answer = app.event(&envelope).await;

    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.body.contains("names no workspace"),
        "{}",
        answer.body
    );
    assert_eq!(
        answer
            .headers
            .get("x-slack-no-retry")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM processed_events").await,
        0
    );
}
