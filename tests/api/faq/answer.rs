//! The Answer modal: unanswered questions by votes, the answer posted,
//! missing input, no questions, a failed `views.open`.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

/// Three questions: "Cheap?" (1 vote), "Fast?" (2 votes), "Safe?" (answered).
async fn three_questions(app: &TestApp) {
    reply(app, "EvQ1", "1763740008.000001", "Cheap?").await;
    reply(app, "EvQ2", "1763740008.000002", "Fast?").await;
    reply(app, "EvQ3", "1763740008.000003", "Safe?").await;
    reaction(app, "EvV1", true, BO, "+1", "1763740008.000001").await;
    reaction(app, "EvV2", true, BO, "+1", "1763740008.000002").await;
    reaction(app, "EvV3", true, ANA, "+1", "1763740008.000002").await;
    crate::testdb::query(
        "INSERT INTO answers (question_id, answer, answered_by, answered_at)
         VALUES (3, 'Yes', 'U0LEAD', '2026-11-21T10:00:00Z')",
    )
    .execute(&app.pool)
    .await
    .expect("answer");
    // As the store's answer does: an answered question is `answered`.
    crate::testdb::query("UPDATE questions SET state = 'answered' WHERE id = 3")
        .execute(&app.pool)
        .await
        .expect("state");
}

fn pick_options(opened: &Value) -> Vec<Vec<String>> {
    let blocks = opened["view"]["blocks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let pick = blocks
        .iter()
        .find(|b| b["block_id"] == "wb_pick")
        .expect("pick block");
    pick["element"]["option_groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            g["options"]
                .as_array()
                .expect("options")
                .iter()
                .map(|o| o["text"]["text"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

fn answer_values(question_id: i64, answer: &str) -> Value {
    json!({
        "wb_pick": {"value": {"type": "static_select", "selected_option": {
            "text": {"type": "plain_text", "text": "x", "emoji": true}, "value": question_id.to_string()}}},
        "wb_answer_text": {"value": {"type": "plain_text_input", "value": answer}}
    })
}

#[tokio::test]
async fn the_answer_modal_lists_unanswered_questions_by_votes_and_posts_the_answer() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    three_questions(&app).await;

    app.interaction(&button(&app, "wb_answer")).await;
    let opened = app.wait_for_calls("views.open", 1).await;
    assert_eq!(opened[0]["view"]["callback_id"], "wb_answer_modal");
    assert_eq!(
        pick_options(&opened[0]),
        vec![
            vec!["👍2 Fast?".to_string(), "👍1 Cheap?".into()],
            vec!["Safe?".into()]
        ]
    );
    let answer = app
        .interaction(&submission(
            &opened[0],
            BO,
            answer_values(2, "Under 200 ms."),
        ))
        .await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    assert_eq!(posts[1]["thread_ts"], ROOT);
    assert_eq!(
        posts[1]["text"],
        format!(":speech_balloon: *Answer* from <@{BO}>\n>Fast?\nUnder 200 ms.")
    );
    let doc = export(&app);
    let fast = doc["faq"]
        .as_array()
        .and_then(|f| f.iter().find(|q| q["question"] == "Fast?"))
        .cloned()
        .expect("fast");
    assert_eq!(fast["answer"], "Under 200 ms.");
    assert_eq!(fast["answered_by"], BO);

    // Re-answering: the latest wins, the history is kept.
    app.interaction(&submission(
        &opened[0],
        ANA,
        answer_values(2, "Under 100 ms."),
    ))
    .await;
    let doc = export(&app);
    let fast = doc["faq"]
        .as_array()
        .and_then(|f| f.iter().find(|q| q["question"] == "Fast?"))
        .cloned()
        .expect("fast");
    assert_eq!(
        (fast["answer"].as_str(), fast["answered_by"].as_str()),
        (Some("Under 100 ms."), Some(ANA))
    );
    let history: Vec<(String, String)> = crate::testdb::query_as(
        "SELECT answer, answered_by FROM answers WHERE question_id = 2 ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("history");
    assert_eq!(
        history,
        vec![
            ("Under 200 ms.".to_string(), BO.to_string()),
            ("Under 100 ms.".into(), ANA.into())
        ]
    );
}

#[tokio::test]
async fn an_answer_without_a_question_or_text_keeps_the_modal_open() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    three_questions(&app).await;
    app.interaction(&button(&app, "wb_answer")).await;
    let opened = app.wait_for_calls("views.open", 1).await;

    let blank = app
        .interaction(&submission(&opened[0], BO, answer_values(1, "  ")))
        .await;
    let foreign = app
        .interaction(&submission(&opened[0], BO, answer_values(99, "Yes")))
        .await;

    assert!(blank.json()["errors"]["wb_answer_text"].is_string());
    assert!(foreign.json()["errors"]["wb_pick"].is_string());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM answers").await, 1);
}

#[tokio::test]
async fn the_answer_button_without_questions_tells_the_user_instead_of_opening_a_form() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    app.interaction(&button(&app, "wb_answer")).await;

    let told = app.wait_for_calls("response_url", 1).await;
    assert!(told[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("no questions yet"));
    assert_eq!(told[0]["response_type"], "ephemeral");
    assert!(app.calls("views.open").await.is_empty());
}

#[tokio::test]
async fn a_failed_views_open_is_told_to_the_user() {
    let app = spawn_app_bare().await;
    wiremock::Mock::given(wiremock::matchers::path("/api/views.open"))
        .respond_with(slack_error("expired_trigger_id"))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;
    app.start_session("Smart fridge camera").await;

    app.interaction(&button(&app, "wb_ask")).await;

    let told = app.wait_for_calls("response_url", 1).await;
    assert!(told[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("couldn't open the form"));
}
