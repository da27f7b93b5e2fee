//! The *Add to FAQ* message shortcut: a thread message becomes a question;
//! outside a session thread it explains.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

fn shortcut(app: &TestApp, thread_ts: &str) -> Value {
    let mut payload: Value =
        serde_json::from_str(&fixture("message_action.json")).expect("fixture");
    payload["message"]["thread_ts"] = json!(thread_ts);
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    payload
}

#[tokio::test]
async fn the_shortcut_turns_a_thread_message_into_a_question_of_the_chosen_audience() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let ts = "1763740050.000250";
    reply(&app, "EvBattery", ts, "Battery life matters a lot").await;
    assert_eq!(
        export(&app)["discussion"][0]["text"],
        "Battery life matters a lot"
    );

    assert_eq!(app.interaction(&shortcut(&app, ROOT)).await.status, 200);
    let opened = app.wait_for_calls("views.open", 1).await;
    assert_eq!(
        opened[0]["trigger_id"],
        "13345224609.8534564800.6f8ab1f53e13d0cd15f96106292d5536"
    );
    let view = &opened[0]["view"];
    assert_eq!(view["callback_id"], "wb_ask_modal");
    assert_eq!(
        view["blocks"][2]["element"]["initial_value"],
        "Battery life matters a lot"
    );
    let submit = submission(
        &opened[0],
        BO,
        ask_values("How long does the battery last?", "internal", false),
    );
    assert_eq!(app.interaction(&submit).await.status, 200);

    let doc = export(&app);
    assert_eq!(doc["discussion"], json!([]), "the message moved to the FAQ");
    assert_eq!(doc["faq"][0]["question"], "How long does the battery last?");
    assert_eq!(doc["faq"][0]["audience"], "internal");
    assert_eq!(
        doc["faq"][0]["asked_by"], ANA,
        "the message's author asked it"
    );
    let (source, message_ts): (String, Option<String>) =
        crate::testdb::query_as("SELECT source, message_ts FROM questions")
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!(
        (source.as_str(), message_ts.as_deref()),
        ("shortcut", Some(ts))
    );
    app.wait_for_calls("reactions.add", 1).await;
    assert_eq!(
        reactions_added(&app).await,
        vec![(ts.to_string(), "lock".to_string())]
    );
    assert_eq!(
        app.calls("chat.postMessage").await.len(),
        1,
        "no second post of it"
    );
    // The original message now collects votes.
    reaction(&app, "EvShortVote", true, BO, "+1", ts).await;
    assert_eq!(export(&app)["faq"][0]["votes"], 1);
    // Asking again for the same message says it is already there.
    app.interaction(&shortcut(&app, ROOT)).await;
    let told = app.wait_for_calls("response_url", 1).await;
    assert!(told[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("already"));
}

#[tokio::test]
async fn the_shortcut_outside_a_session_thread_explains_and_opens_nothing() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    app.interaction(&shortcut(&app, "1763700000.000001")).await;

    let told = app.wait_for_calls("response_url", 1).await;
    let text = told[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("isn't in a Working Backwards session thread"),
        "{text}"
    );
    assert_eq!(told[0]["response_type"], "ephemeral");
    assert!(app.calls("views.open").await.is_empty());
}
