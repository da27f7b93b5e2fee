//! Replies in a session thread: classification, confirmation reactions, what is
//! ignored, exactly-once storage, edits and deletions.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn every_prefix_of_the_thread_lands_in_its_document_with_its_reaction() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let replies = [
        ("1763740001.000001", "How much will it cost?"),
        ("1763740001.000002", "iq: What is the TAM?"),
        ("1763740001.000003", "Internal: Who owns support"),
        ("1763740001.000004", "FAQ: Where can I buy it"),
        ("1763740001.000005", "PR: Fridge cam shows what is inside"),
        ("1763740001.000006", "CX: Ana checks the milk from the shop"),
        ("1763740001.000007", "story: Bo gets a reminder"),
        ("1763740001.000008", "Concept: a camera per shelf"),
        ("1763740001.000009", "How-to: pair the camera"),
        ("1763740001.000010", "HOWTO: clean the lens"),
        ("1763740001.000011", "Reference: LED codes"),
        ("1763740001.000012", "Looks great to me"),
        ("1763740001.000013", "Q: Does it work offline"),
    ];

    for (i, (ts, text)) in replies.iter().enumerate() {
        reply(&app, &format!("EvClass{i}"), ts, text).await;
    }

    let doc = export(&app);
    let faq: Vec<(String, String)> = doc["faq"]
        .as_array()
        .expect("faq")
        .iter()
        .map(|q| {
            assert_eq!(q["asked_by"], ANA);
            (
                q["audience"].as_str().unwrap_or_default().to_string(),
                q["question"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("external", "How much will it cost?"),
        ("external", "Where can I buy it"),
        ("external", "Does it work offline"),
        ("internal", "What is the TAM?"),
        ("internal", "Who owns support"),
    ]
    .iter()
    .map(|(a, q)| (a.to_string(), q.to_string()))
    .collect();
    assert_eq!(faq, want);
    assert_eq!(
        doc["press_release"]["body"],
        "Fridge cam shows what is inside"
    );
    assert_eq!(doc["press_release"]["author"], ANA);
    assert_eq!(
        doc["press_release_history"].as_array().map(Vec::len),
        Some(1)
    );
    let texts = |key: &str| -> Vec<String> {
        doc[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["text"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        texts("customer_experience"),
        vec!["Ana checks the milk from the shop", "Bo gets a reminder"]
    );
    assert_eq!(texts("discussion"), vec!["Looks great to me"]);
    let manual: Vec<(String, String)> = doc["user_manual"]
        .as_array()
        .expect("manual")
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or_default().to_string(),
                m["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        manual,
        vec![
            ("concept".to_string(), "a camera per shelf".to_string()),
            ("howto".into(), "pair the camera".into()),
            ("howto".into(), "clean the lens".into()),
            ("reference".into(), "LED codes".into()),
        ]
    );

    // One reaction per captured message, none on discussion.
    app.wait_for_calls("reactions.add", 12).await;
    app.settle().await;
    let mut got = reactions_added(&app).await;
    got.sort();
    let names = [
        "question",
        "lock",
        "lock",
        "question",
        "memo",
        "busts_in_silhouette",
        "busts_in_silhouette",
        "book",
        "book",
        "book",
        "book",
        "question",
    ];
    let want: Vec<(String, String)> = replies
        .iter()
        .filter(|(_, text)| *text != "Looks great to me")
        .zip(names)
        .map(|((ts, _), name)| (ts.to_string(), name.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(app
        .calls("reactions.add")
        .await
        .iter()
        .all(|c| c["channel"] == CHANNEL));

    // The root message ends up counting the draft and the five questions
    // (updates are debounced, so wait for the one that follows the last capture).
    let mut status = String::new();
    for _ in 0..200 {
        app.settle().await;
        let updates = app.calls("chat.update").await;
        status = updates
            .last()
            .map(|u| {
                u["blocks"][2]["text"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .unwrap_or_default();
        if status.contains("1 draft · :question: 5 questions") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        status.contains("1 draft · :question: 5 questions"),
        "{status}"
    );
}

#[tokio::test]
async fn bot_messages_channel_chatter_and_other_threads_are_ignored() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let bot: Value = serde_json::from_str(&fixture("event_bot_message.json")).expect("fixture");
    let mut bot_message_subtype = reply_event("1763740002.000002", ROOT, ANA, "Bot says hi?");
    bot_message_subtype["subtype"] = json!("bot_message");
    bot_message_subtype["bot_id"] = json!("B0OTHER");
    let mut join = reply_event("1763740002.000003", ROOT, ANA, "joined?");
    join["subtype"] = json!("channel_join");
    let mut other_channel = reply_event("1763740002.000004", ROOT, ANA, "Other channel?");
    other_channel["channel"] = json!("C0OTHER");
    let mut top_level = reply_event("1763740002.000005", ROOT, ANA, "Top level?");
    top_level
        .as_object_mut()
        .expect("object")
        .remove("thread_ts");
    let cases = [
        bot,
        envelope("EvBotSub", bot_message_subtype),
        envelope("EvJoin", join),
        envelope("EvOther", other_channel),
        envelope("EvTop", top_level),
        envelope(
            "EvElse",
            reply_event(
                "1763740002.000006",
                "1763730000.000001",
                ANA,
                "Other thread?",
            ),
        ),
    ];

    for event in &cases {
        let answer = app.event(event).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }

    for table in ["questions", "entries", "drafts"] {
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    app.settle().await;
    assert!(app.calls("reactions.add").await.is_empty());
}

#[tokio::test]
async fn a_thread_broadcast_counts_as_a_reply() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let mut event = reply_event("1763740003.000001", ROOT, ANA, "Also sent to the channel?");
    event["subtype"] = json!("thread_broadcast");

    assert_eq!(app.event(&envelope("EvBroadcast", event)).await.status, 200);

    assert_eq!(
        export(&app)["faq"][0]["question"],
        "Also sent to the channel?"
    );
}

#[tokio::test]
async fn a_retried_event_is_stored_once_even_after_a_restart() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let event: Value = serde_json::from_str(&fixture("event_thread_reply.json")).expect("fixture");

    assert_eq!(app.event(&event).await.status, 200);
    assert_eq!(app.event(&event).await.status, 200);
    app.wait_for_calls("reactions.add", 1).await;
    app.settle().await;
    let (slack, dir) = app.stop().await;
    let app = start(
        slack,
        Options {
            db_dir: Some(dir),
            ..Options::default()
        },
    )
    .await;
    assert_eq!(app.event(&event).await.status, 200);
    app.settle().await;

    assert_eq!(count(&app, "SELECT COUNT(*) FROM questions").await, 1);
    assert_eq!(app.calls("reactions.add").await.len(), 1);
    assert_eq!(export(&app)["faq"][0]["question"], "How much will it cost?");
}

#[tokio::test]
async fn long_unicode_and_slack_escaped_text_is_stored_exactly_as_received() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let escaped = "<@U123> &amp; &lt;b&gt; <https://example.com|docs> <!channel> ";
    let long = format!("{escaped}{}?", "🧊é中".repeat(13_300));
    assert!(long.chars().count() <= 40_000);
    let story = "Ünïcode — 冷蔵庫 👩‍👩‍👧 &amp; <#C123|general>";

    reply(&app, "EvLong", "1763740006.000001", &long).await;
    reply(
        &app,
        "EvUni",
        "1763740006.000002",
        &format!("Story: {story}"),
    )
    .await;

    let doc = export(&app);
    assert_eq!(doc["faq"][0]["question"].as_str(), Some(long.as_str()));
    assert_eq!(doc["customer_experience"][0]["text"], story);
    let stored: String = crate::testdb::query_scalar("SELECT question FROM questions")
        .fetch_one(&app.pool)
        .await
        .expect("question");
    assert_eq!(stored, long);
}

#[tokio::test]
async fn a_message_delivered_again_under_another_event_id_is_stored_and_confirmed_once() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let replies = [
        ("1763740007.000001", "Does it need wifi?"),
        ("1763740007.000002", "PR: Fridge cam sees inside"),
        ("1763740007.000003", "CX: Ana checks the milk"),
        ("1763740007.000004", "Looks great to me"),
    ];
    for delivery in ["a", "b"] {
        for (i, (ts, text)) in replies.iter().enumerate() {
            reply(&app, &format!("EvAgain{delivery}{i}"), ts, text).await;
        }
    }
    app.settle().await;

    for (table, rows) in [("questions", 1), ("drafts", 1), ("entries", 2)] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        assert_eq!(count(&app, &sql).await, rows, "{table}");
    }
    // One confirmation each (discussion gets none).
    let mut reacted = reactions_added(&app).await;
    reacted.sort();
    let want: Vec<(String, String)> = [
        ("1763740007.000001", "question"),
        ("1763740007.000002", "memo"),
        ("1763740007.000003", "busts_in_silhouette"),
    ]
    .iter()
    .map(|(ts, name)| (ts.to_string(), name.to_string()))
    .collect();
    assert_eq!(reacted, want);
    let doc = export(&app);
    assert_eq!(doc["faq"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        doc["press_release_history"].as_array().map(Vec::len),
        Some(1)
    );
}
