//! Slack's refusals on posting: not in the channel, a private channel,
//! rate limits and server errors.

use super::*;

#[tokio::test]
async fn not_in_channel_joins_the_public_channel_and_posts_again() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(slack_error("not_in_channel"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    app.command("pressrelease Joined idea").await;

    let joins = app.wait_for_calls("conversations.join", 1).await;
    assert_eq!(joins[0]["channel"], CHANNEL);
    app.wait_for_calls("chat.postMessage", 2).await;
    app.settle().await;
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        1
    );
}

#[tokio::test]
async fn not_in_a_private_channel_tells_the_user_to_invite_the_bot() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(slack_error("not_in_channel"))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/conversations.join"))
        .respond_with(slack_error("method_not_supported_for_channel_type"))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    app.command("pressrelease Private idea").await;

    let told = app.wait_for_calls("response_url", 1).await;
    let text = told[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("/invite @wb"), "{text}");
    assert!(
        text.contains("Private idea"),
        "the idea is given back: {text}"
    );
    assert_eq!(told[0]["response_type"], "ephemeral");
    app.settle().await;
    assert_eq!(
        app.calls("chat.postMessage").await.len(),
        1,
        "a permanent error is not retried"
    );
    assert!(app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_until_the_post_lands_once() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    let started = Instant::now();
    app.command("pressrelease Retried idea").await;
    app.wait_for_calls("chat.postMessage", 3).await;
    app.settle().await;

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(app.calls("chat.postMessage").await.len(), 3);
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        1
    );
}
