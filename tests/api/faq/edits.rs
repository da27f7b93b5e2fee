//! Edits and deletions of thread replies: the text follows, a new prefix
//! moves it, a deleted message leaves the export.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn an_edit_updates_the_text_and_a_new_prefix_moves_it_to_another_document() {
    let app = spawn_app().await;
    wiremock::Mock::given(wiremock::matchers::path("/api/reactions.remove"))
        .respond_with(ok())
        .mount(&app.slack)
        .await;
    app.start_session("Smart fridge camera").await;
    let first: Value = serde_json::from_str(&fixture("event_thread_reply.json")).expect("fixture");
    app.event(&first).await;
    let changed: Value =
        serde_json::from_str(&fixture("event_message_changed.json")).expect("fixture");

    // The fixture edit: same question, new words.
    assert_eq!(app.event(&changed).await.status, 200);
    let doc = export(&app);
    assert_eq!(
        doc["faq"][0]["question"],
        "How much will it cost per month?"
    );
    assert_eq!(doc["faq"].as_array().map(Vec::len), Some(1));

    // A prefix change re-classifies: the question becomes a story.
    let ts = "1763740000.000200";
    edit(&app, "EvEdit2", ts, "CX: Ana pays monthly").await;
    let doc = export(&app);
    assert_eq!(doc["faq"], json!([]));
    assert_eq!(doc["customer_experience"][0]["text"], "Ana pays monthly");
    let removed = app.wait_for_calls("reactions.remove", 1).await;
    assert_eq!(removed[0]["name"], "question");
    assert_eq!(removed[0]["timestamp"], ts);
    app.wait_for_calls("reactions.add", 2).await;
    assert!(reactions_added(&app)
        .await
        .contains(&(ts.to_string(), "busts_in_silhouette".to_string())));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM questions WHERE deleted_at IS NOT NULL"
        )
        .await,
        1,
        "the question row is kept"
    );

    // Between entry kinds the row is updated in place.
    edit(&app, "EvEdit3", ts, "Reference: price list").await;
    let doc = export(&app);
    assert_eq!(doc["customer_experience"], json!([]));
    assert_eq!(doc["user_manual"][0]["kind"], "reference");
    assert_eq!(doc["user_manual"][0]["text"], "price list");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM entries").await, 1);
}

#[tokio::test]
async fn an_edited_pr_reply_updates_its_own_version_and_leaves_when_the_prefix_goes() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    reply(&app, "EvPr1", "1763740004.000001", "PR: first words").await;
    reply(&app, "EvPr2", "1763740004.000002", "PR: second draft").await;

    edit(
        &app,
        "EvPrEdit",
        "1763740004.000001",
        "PR: better first words",
    )
    .await;
    let doc = export(&app);
    assert_eq!(doc["press_release"]["version"], 2);
    assert_eq!(doc["press_release"]["body"], "second draft");
    let body: String = crate::testdb::query_scalar("SELECT body FROM drafts WHERE version = 1")
        .fetch_one(&app.pool)
        .await
        .expect("v1");
    assert_eq!(body, "better first words");

    // Without its prefix the second version is discussion; version 1 is latest again.
    edit(&app, "EvPrEdit2", "1763740004.000002", "never mind").await;
    let doc = export(&app);
    assert_eq!(doc["press_release"]["version"], 1);
    assert_eq!(doc["press_release"]["body"], "better first words");
    assert_eq!(
        doc["press_release_history"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(doc["discussion"][0]["text"], "never mind");
}

#[tokio::test]
async fn a_deleted_message_leaves_the_export_but_its_row_stays() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let first: Value = serde_json::from_str(&fixture("event_thread_reply.json")).expect("fixture");
    app.event(&first).await;
    reply(&app, "EvTalk", "1763740005.000001", "Nice idea").await;
    reply(&app, "EvPrDel", "1763740005.000002", "PR: short lived").await;
    assert_eq!(export(&app)["faq"].as_array().map(Vec::len), Some(1));
    let deleted: Value =
        serde_json::from_str(&fixture("event_message_deleted.json")).expect("fixture");

    assert_eq!(app.event(&deleted).await.status, 200);
    for (i, ts) in ["1763740005.000001", "1763740005.000002"]
        .iter()
        .enumerate()
    {
        let event = json!({
            "type": "message", "subtype": "message_deleted", "hidden": true,
            "channel": CHANNEL, "ts": "1763740300.000001", "deleted_ts": ts,
            "event_ts": "1763740300.000001", "channel_type": "channel",
            "previous_message": {"type": "message", "user": ANA, "text": "x", "ts": ts, "thread_ts": ROOT}
        });
        assert_eq!(
            app.event(&envelope(&format!("EvDel{i}"), event))
                .await
                .status,
            200
        );
    }

    let doc = export(&app);
    assert_eq!(doc["faq"], json!([]));
    assert_eq!(doc["discussion"], json!([]));
    assert!(doc["press_release"].is_null());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM questions WHERE deleted_at IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM entries WHERE deleted_at IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM drafts WHERE deleted_at IS NOT NULL"
        )
        .await,
        1
    );
}
