//! Replies with files (`file_share`) and `/me` replies (`me_message`) are
//! captured like any reply; the export names the files by name and permalink.

use serde_json::{json, Value};

use super::*;
use crate::faq::{export, reactions_added, reply, ANA, ROOT};

const LAYOUT: &str = "https://example.slack.com/files/U2147483698/F0LAYOUT01/layout.png";
const SPEC: &str = "https://example.slack.com/files/U2147483698/F0SPEC0002/spec_v2.pdf";

fn layout() -> Value {
    json!({"id": "F0LAYOUT01", "name": "layout.png", "permalink": LAYOUT})
}

/// The `file_share` fixture as another message: `ts`, `text` and `files`.
fn file_share(event_id: &str, ts: &str, text: &str, files: Value) -> Value {
    let mut envelope = fixture_in_thread("event_file_share_reply.json", ROOT);
    envelope["event_id"] = json!(event_id);
    let event = &mut envelope["event"];
    for key in ["ts", "event_ts"] {
        event[key] = json!(ts);
    }
    event["text"] = json!(text);
    event["files"] = files;
    event.as_object_mut().map(|e| e.remove("blocks"));
    envelope
}

fn changed(event_id: &str, message: Value) -> Value {
    envelope(
        event_id,
        json!({
            "type": "message", "subtype": "message_changed", "hidden": true,
            "channel": CHANNEL, "ts": "1763749999.000100", "event_ts": "1763749999.000100",
            "channel_type": "channel", "message": message,
            "previous_message": {"type": "message", "subtype": "file_share", "user": ANA, "ts": "x"}
        }),
    )
}

#[tokio::test]
async fn a_reply_with_a_screenshot_is_captured_by_its_prefix_and_the_export_names_its_files() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;

    deliver(
        &app,
        &fixture_in_thread("event_file_share_reply.json", &root),
    )
    .await;
    app.settle().await;

    assert_eq!(
        reactions_added(&app).await,
        vec![("1763740100.000300".to_string(), "question".to_string())]
    );
    let doc = export(&app);
    let question = &doc["faq"][0];
    assert_eq!(question["question"], "does this layout work?");
    assert_eq!(question["asked_by"], ANA);
    assert_eq!(
        question["files"],
        json!([layout(), {"id": "F0SPEC0002", "name": "spec v2.pdf", "permalink": SPEC}])
    );
    let md = export_markdown(&app);
    assert!(
        md.contains(&format!(
            "Attached: [layout.png]({LAYOUT}) · [spec v2.pdf]({SPEC})"
        )),
        "{md}"
    );
}

#[tokio::test]
async fn a_file_shared_without_words_is_discussion_naming_the_file_and_a_deleted_one_is_nothing() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    deliver(
        &app,
        &file_share("EvFile1", "1763740100.000301", "", json!([layout()])),
    )
    .await;
    let gone = json!([{"id": "F0GONE0001", "mode": "tombstone"}]);
    deliver(&app, &file_share("EvFile2", "1763740100.000302", "", gone)).await;
    // wb's own upload (an export shared into the thread) is not a reply.
    let mut own = file_share("EvFile3", "1763740100.000303", "", json!([layout()]));
    own["event"]["user"] = json!("U0BOT");
    deliver(&app, &own).await;
    app.settle().await;

    let doc = export(&app);
    assert_eq!(doc["faq"], json!([]));
    let discussion = doc["discussion"].as_array().expect("discussion");
    assert_eq!(discussion.len(), 1, "{discussion:?}");
    assert_eq!(discussion[0]["text"], "");
    assert_eq!(discussion[0]["author"], ANA);
    assert_eq!(discussion[0]["files"], json!([layout()]));
    assert!(
        reactions_added(&app).await.is_empty(),
        "discussion gets no reaction"
    );
    assert!(export_markdown(&app).contains(&format!("Attached: [layout.png]({LAYOUT})")));
}

#[tokio::test]
async fn a_me_message_reply_follows_the_same_prefix_rules() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;

    deliver(&app, &fixture_in_thread("event_me_message.json", &root)).await;
    let mut cx = fixture_in_thread("event_me_message.json", &root);
    cx["event_id"] = json!("EvMe2");
    cx["event"]["ts"] = json!("1763740150.000501");
    cx["event"]["text"] = json!("CX: opens the fridge from the bus");
    deliver(&app, &cx).await;
    app.settle().await;

    let doc = export(&app);
    assert_eq!(
        doc["faq"][0]["question"],
        "wonders whether it works with a freezer drawer?"
    );
    assert_eq!(
        doc["customer_experience"][0]["text"],
        "opens the fridge from the bus"
    );
    let reactions: Vec<String> = reactions_added(&app)
        .await
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(reactions, vec!["question", "busts_in_silhouette"]);
}

#[tokio::test]
async fn editing_and_deleting_a_reply_with_files_behaves_as_for_a_plain_reply() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let ts = "1763740100.000310";
    let spec = json!({"id": "F0SPEC0002", "name": "spec v2.pdf", "permalink": SPEC});
    deliver(&app, &file_share("EvF1", ts, "", json!([layout(), spec]))).await;

    // The text becomes a question; the spec was deleted from the message.
    let edited = json!({
        "type": "message", "subtype": "file_share", "user": ANA, "ts": ts, "thread_ts": ROOT,
        "text": "Q: is the new layout better?", "upload": true,
        "files": [layout(), {"id": "F0SPEC0002", "mode": "tombstone"}],
        "edited": {"user": ANA, "ts": "1763740999.000000"}
    });
    deliver(&app, &changed("EvF2", edited)).await;
    app.settle().await;
    let doc = export(&app);
    assert_eq!(doc["discussion"], json!([]));
    assert_eq!(doc["faq"][0]["question"], "is the new layout better?");
    assert_eq!(doc["faq"][0]["files"], json!([layout()]));
    assert_eq!(
        reactions_added(&app).await,
        vec![(ts.to_string(), "question".to_string())]
    );

    // Its last file deleted and no words left: Slack leaves a tombstone.
    let tombstone = json!({
        "type": "message", "subtype": "tombstone", "user": "USLACKBOT", "hidden": true,
        "text": "This message was deleted.", "ts": ts, "thread_ts": ROOT
    });
    deliver(&app, &changed("EvF3", tombstone)).await;
    assert_eq!(export(&app)["faq"], json!([]));

    // A story with a file, then the message deleted.
    let story_ts = "1763740100.000311";
    deliver(
        &app,
        &file_share("EvF4", story_ts, "CX: Ana sends this", json!([layout()])),
    )
    .await;
    assert_eq!(
        export(&app)["customer_experience"][0]["files"],
        json!([layout()])
    );
    let deleted = json!({
        "type": "message", "subtype": "message_deleted", "hidden": true, "channel": CHANNEL,
        "ts": "1763749999.000200", "deleted_ts": story_ts, "event_ts": "1763749999.000200",
        "previous_message": {"type": "message", "subtype": "file_share", "user": ANA, "ts": story_ts, "text": "CX: Ana sends this"}
    });
    deliver(&app, &envelope("EvF5", deleted)).await;
    assert_eq!(export(&app)["customer_experience"], json!([]));

    // A plain reply still works beside them.
    reply(&app, "EvF6", "1763740100.000312", "Looks right").await;
    assert_eq!(export(&app)["discussion"][0]["files"], json!([]));
}
