//! `/wb faq`, the Ask and Answer modals (opened, then submitted with
//! `state.values` as Slack sends them), the *Add to FAQ* shortcut, anonymity.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn wb_faq_adds_the_question_to_the_latest_session_and_posts_it_in_its_thread() {
    let app = spawn_app().await;
    app.start_session("Older idea").await;
    let latest = app.start_session("Smart fridge camera").await;

    let answer = app
        .command("faq IQ: What is the <b>TAM</b> & margin?")
        .await;

    assert_eq!(answer.status, 200);
    let ack = answer.json();
    assert_eq!(ack["response_type"], "ephemeral");
    let text = ack["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("session #2") && text.contains("Smart fridge camera"),
        "{text}"
    );
    let posts = app.wait_for_calls("chat.postMessage", 3).await;
    let post = &posts[2];
    assert_eq!(post["thread_ts"], latest.as_str());
    assert_eq!(post["channel"], CHANNEL);
    assert_eq!(
        post["text"],
        format!(
            ":lock: *Internal question:* What is the &lt;b&gt;TAM&lt;/b&gt; &amp; margin? — asked by <@{USER}>\n_React :+1: to vote for it._"
        )
    );
    app.settle().await;
    let row: (i64, String, String, Option<String>, String) = crate::testdb::query_as(
        "SELECT session_id, audience, question, asked_by, source FROM questions",
    )
    .fetch_one(&app.pool)
    .await
    .expect("question");
    assert_eq!(
        row,
        (
            2,
            "internal".into(),
            "What is the <b>TAM</b> & margin?".into(),
            Some(USER.into()),
            "command".into()
        )
    );
    let updates = app.wait_for_calls("chat.update", 1).await;
    assert!(updates
        .iter()
        .any(|u| u["ts"] == latest.as_str() && u.to_string().contains(":question: 1 question")));
}

#[tokio::test]
async fn wb_faq_without_a_session_tells_how_to_start_one() {
    let app = spawn_app().await;

    let answer = app.command("faq How much?").await;

    let text = answer.json()["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("/wb pressrelease"), "{text}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM questions").await, 0);
    assert!(app.calls("chat.postMessage").await.is_empty());
}

#[tokio::test]
async fn wb_faq_without_text_opens_the_ask_modal_for_the_latest_session() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    let answer = app.command("faq").await;

    assert_eq!(answer.status, 200);
    let opened = app.wait_for_calls("views.open", 1).await;
    assert_eq!(
        opened[0]["trigger_id"],
        "13345224609.738474920.8088930838d88f008e0"
    );
    assert_eq!(opened[0]["view"]["callback_id"], "wb_ask_modal");
    assert_eq!(opened[0]["view"]["private_metadata"], r#"{"session_id":1}"#);
}

#[tokio::test]
async fn the_ask_button_opens_the_modal_and_a_submission_is_stored_and_posted() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    assert_eq!(app.interaction(&button(&app, "wb_ask")).await.status, 200);
    let opened = app.wait_for_calls("views.open", 1).await;
    let view = &opened[0]["view"];
    assert_eq!(view["callback_id"], "wb_ask_modal");
    let blocks = view["blocks"].to_string();
    assert!(blocks.contains("radio_buttons") && blocks.contains("checkboxes"));
    let submit = submission(
        &opened[0],
        BO,
        ask_values("Does it fit a small fridge?", "external", false),
    );
    let answer = app.interaction(&submit).await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.is_empty(), "the modal closes: {}", answer.body);
    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    assert_eq!(posts[1]["thread_ts"], ROOT);
    assert!(posts[1]["text"]
        .as_str()
        .unwrap_or_default()
        .contains(&format!("Does it fit a small fridge? — asked by <@{BO}>")));
    app.settle().await;
    let doc = export(&app);
    assert_eq!(doc["faq"][0]["question"], "Does it fit a small fridge?");
    assert_eq!(doc["faq"][0]["asked_by"], BO);
    assert_eq!(doc["faq"][0]["audience"], "external");
    let source: String = crate::testdb::query_scalar("SELECT source FROM questions")
        .fetch_one(&app.pool)
        .await
        .expect("source");
    assert_eq!(source, "modal");
}

#[tokio::test]
async fn an_empty_question_keeps_the_modal_open_with_an_error() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    app.interaction(&button(&app, "wb_ask")).await;
    let opened = app.wait_for_calls("views.open", 1).await;

    let answer = app
        .interaction(&submission(
            &opened[0],
            BO,
            ask_values("   ", "external", false),
        ))
        .await;

    assert_eq!(answer.json()["response_action"], "errors");
    assert!(answer.json()["errors"]["wb_question"].is_string());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM questions").await, 0);
}

#[tokio::test]
async fn an_anonymous_question_leaves_no_trace_of_the_asker() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    const SHY: &str = "U0SHY000042";
    app.interaction(&button(&app, "wb_ask")).await;
    let opened = app.wait_for_calls("views.open", 1).await;

    let submit = submission(
        &opened[0],
        SHY,
        ask_values("Will it spy on me?", "internal", true),
    );
    assert_eq!(app.interaction(&submit).await.status, 200);

    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    app.settle().await;
    let post = posts[1]["text"].as_str().unwrap_or_default();
    assert!(
        post.contains("Will it spy on me? — asked anonymously"),
        "{post}"
    );
    // Every column of the stored row, as one text.
    let rows: Vec<String> = crate::testdb::query_scalar(
        "SELECT CAST(id AS TEXT) || '|' || CAST(session_id AS TEXT) || '|' || audience || '|' || question
                || '|' || COALESCE(asked_by, '') || '|' || asked_at || '|' || source || '|'
                || COALESCE(message_ts, '') || '|' || COALESCE(updated_at, '') || '|' || COALESCE(deleted_at, '')
           FROM questions",
    )
    .fetch_all(&app.pool)
    .await
    .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM questions WHERE asked_by IS NULL"
        )
        .await,
        1
    );
    assert!(rows[0].contains("Will it spy on me?"), "{}", rows[0]);
    assert!(!rows[0].contains(SHY), "{}", rows[0]);
    let jobs: Vec<String> = crate::testdb::query_scalar("SELECT job FROM outbox")
        .fetch_all(&app.pool)
        .await
        .expect("jobs");
    assert!(jobs.iter().any(|j| j.contains("Will it spy on me?")));
    for job in &jobs {
        assert!(!job.contains(SHY), "{job}");
    }
    let out = app.wb(&["export", "1", "--format", "json"]);
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(
        raw.contains("Will it spy on me?") && !raw.contains(SHY),
        "{raw}"
    );
    let doc: Value = serde_json::from_str(&raw).expect("json");
    assert!(doc["faq"][0]["asked_by"].is_null());
    assert_eq!(doc["faq"][0]["audience"], "internal");
    assert!(!app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .any(|r| String::from_utf8_lossy(&r.body).contains(SHY)));
}

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
