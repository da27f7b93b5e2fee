//! The reading copy's canvas falls back to the Markdown file where the
//! workspace has no canvases; a review that has not started can be called
//! off, and comments wait for reading.

use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::*;

const UPLOAD_PATH: &str = "/upload/v1/reading";

#[tokio::test]
async fn without_canvases_the_reading_copy_is_the_markdown_file_of_the_reviewed_version() {
    let app = spawn_unpaced().await;
    // Mounted first, so it answers before mount_meeting's canvas.
    Mock::given(method("POST"))
        .and(path("/api/canvases.create"))
        .respond_with(slack_error("canvas_disabled_user_team"))
        .with_priority(1)
        .mount(&app.slack)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/files.getUploadURLExternal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "upload_url": format!("{}{UPLOAD_PATH}", app.slack.uri()), "file_id": "F0READ",
        })))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path(UPLOAD_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK"))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/files.completeUploadExternal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&app.slack)
        .await;
    session_with_draft(&app).await;
    schedule(&app, Some(now() + 2), "20", &[ANA], "V0PIN").await;
    // A draft saved after scheduling does not change what is read.
    crate::faq::reply(
        &app,
        "EvDraft2",
        "1763740300.000100",
        "PR: A later draft, not reviewed.",
    )
    .await;
    assert!(
        posts_with(&app, "Silent reading").await.is_empty(),
        "saved before the start"
    );

    wait_for_post(&app, "Silent reading — review #1").await;
    let shared = app.wait_for_calls("files.completeUploadExternal", 1).await;
    assert_eq!(shared[0]["thread_ts"], ROOT);
    assert!(shared[0]["files"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .contains("reading copy of review #1"));
    let uploads: Vec<String> = app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == UPLOAD_PATH)
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(uploads.len(), 1);
    assert!(
        uploads[0].contains("FridgeCam shows what is inside your fridge."),
        "v1 is read"
    );
    assert!(!uploads[0].contains("A later draft"), "not v2");
    let names: Vec<String> = app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/api/files.getUploadURLExternal")
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "filename")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(names, ["smart-fridge-camera-review-1.md"]);
    settle_due(&app).await;
    assert!(told(&app).await.is_empty(), "nobody asked: no confirmation");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'failed'").await,
        0
    );
}

#[tokio::test]
async fn a_review_that_has_not_started_can_be_called_off_and_takes_no_comments() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    schedule(&app, Some(now() + 3 * 3600), "20", &[ANA], "V0OFF").await;
    settle_due(&app).await;

    // Comment before reading: told when to come back.
    let click = press(&app, "wb_comment", ANA, "1:1", ROOT);
    assert_eq!(app.interaction(&click).await.status, 200);
    wait_until("the answer", || async {
        told(&app)
            .await
            .iter()
            .any(|t| t.contains("starts <!date^"))
    })
    .await;
    let early = app.command("review end").await.json();
    assert!(
        early["text"]
            .as_str()
            .unwrap_or_default()
            .contains("has not started yet"),
        "{early}"
    );

    let refused = command_as(&app, STRANGER, "review cancel", None)
        .await
        .json();
    assert!(refused["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Only the session's creator"));
    let ack = app.command("review cancel").await.json();
    assert!(
        ack["text"]
            .as_str()
            .unwrap_or_default()
            .contains("is cancelled"),
        "{ack}"
    );
    wait_for_post(&app, "Review #1 (reading").await;
    app.settle().await;
    assert_eq!(status(&app).await, "drafting", "back to what it was");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'").await,
        0
    );
    let again = app.command("review cancel").await.json();
    assert!(again["text"]
        .as_str()
        .unwrap_or_default()
        .contains("has no review scheduled"));
}
