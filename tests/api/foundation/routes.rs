//! The plain routes: URL verification, unknown events and modals, SSL
//! checks, health.

use super::*;

#[tokio::test]
async fn url_verification_is_answered_with_the_challenge() {
    let app = spawn_app().await;
    let payload: Value = serde_json::from_str(&fixture("url_verification.json")).expect("fixture");
    let answer = app.event(&payload).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["challenge"], payload["challenge"]);
}

#[tokio::test]
async fn unknown_events_and_interactions_are_acknowledged_and_ignored() {
    let app = spawn_app().await;
    let unknown_event = envelope("Ev1", json!({"type": "team_rename", "name": "x"}));
    let unknown_type = json!({"type": "something_new", "x": 1});
    let unknown_action = json!({"type": "workflow_step_edit", "callback_id": "x"});

    assert_eq!(app.event(&unknown_event).await.status, 200);
    assert_eq!(app.event(&unknown_type).await.status, 200);
    assert_eq!(app.interaction(&unknown_action).await.status, 200);
    let mut other_button: Value =
        serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    other_button["actions"][0]["action_id"] = json!("someone_elses_button");
    assert_eq!(app.interaction(&other_button).await.status, 200);

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn ssl_check_pings_get_200() {
    let app = spawn_app().await;
    let body = b"ssl_check=1&token=abc".to_vec();
    let answer = app
        .raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await;
    assert_eq!(answer.status, 200);
}

#[tokio::test]
async fn healthz_answers_and_unknown_routes_are_404() {
    let app = spawn_app().await;
    let health = app
        .raw("GET", "/healthz", "text/plain", vec![], Signing::Missing)
        .await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    assert_eq!(
        app.raw("GET", "/nope", "text/plain", vec![], Signing::Missing)
            .await
            .status,
        404
    );
    assert_eq!(
        app.raw("GET", "/slack/events", "text/plain", vec![], Signing::Valid)
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.store.close().await;
    let health = app
        .raw("GET", "/healthz", "text/plain", vec![], Signing::Missing)
        .await;
    assert_eq!(health.status, 503);
}

#[tokio::test]
async fn a_submission_of_a_modal_wb_does_not_know_is_acknowledged_and_ignored() {
    let app = spawn_app().await;
    // The shared fixture's modal is another app's (callback `wb_draft_pr_modal`).
    let payload: Value = serde_json::from_str(&fixture("view_submission.json")).expect("fixture");
    let answer = app.interaction(&payload).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body, "");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0);
}
