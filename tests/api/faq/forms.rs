//! `/wb faq` and the Ask modal (opened, then submitted with `state.values` as
//! Slack sends them), anonymity.

use serde_json::Value;

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
