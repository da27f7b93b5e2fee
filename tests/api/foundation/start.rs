//! `/wb pressrelease` and its session: the root post, the alias, the early
//! ack, help and list, a restart, mentions, the Home tab, an older job, and
//! Slack's own form.

use super::*;

#[tokio::test]
async fn pressrelease_posts_the_root_message_then_stores_the_session() {
    let app = spawn_app().await;

    let answer = app.command("pressrelease Smart fridge camera").await;

    assert_eq!(answer.status, 200);
    let ack = answer.json();
    assert_eq!(ack["response_type"], "ephemeral");
    assert!(ack["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Smart fridge camera"));
    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    assert_eq!(posts[0]["channel"], CHANNEL);
    assert_eq!(posts[0]["blocks"][0]["type"], "header");
    assert_eq!(posts[0]["blocks"][0]["text"]["text"], "Smart fridge camera");
    // The number is reserved before the post: the buttons carry it from the
    // start, so no chat.update is owed.
    assert_eq!(actions(&posts[0])["elements"][0]["value"], "1");
    assert!(posts[0].to_string().contains("session #1"), "{}", posts[0]);
    app.settle().await;
    assert!(app.calls("chat.update").await.is_empty());

    let out = app.wb(&["sessions", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &list[0];
    assert_eq!(s["id"], 1);
    assert_eq!(s["title"], "Smart fridge camera");
    assert_eq!(s["team_id"], TEAM);
    assert_eq!(s["channel_id"], CHANNEL);
    assert_eq!(s["thread_ts"], "1763739000.000100");
    assert_eq!(s["created_by"], USER);
    assert_eq!(s["drafts"], 0);
    assert_eq!(s["questions"], 0);
    assert_eq!(s["status"], "drafting", "SPEC §5.1 adds the status");
    let keys: Vec<&String> = s.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 10, "{keys:?}");
}

#[tokio::test]
async fn the_alias_pr_and_a_long_title_work_and_the_full_title_is_kept() {
    let app = spawn_app().await;
    let idea = format!("Fridge {}", "🧊".repeat(300));

    app.start_session(&format!("x{idea}")).await;
    let answer = app.command(&format!("pr {idea}")).await;

    assert_eq!(answer.status, 200);
    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    let header = posts[1]["blocks"][0]["text"]["text"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(header.chars().count(), 150);
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    assert_eq!(sessions[1].session.title, idea);
}

#[tokio::test]
async fn the_ack_arrives_before_a_slow_post_and_the_post_still_happens() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(PostMessage::delayed(Duration::from_secs(5)))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    let started = Instant::now();
    let answer = app.command("pressrelease Slow Slack").await;
    let elapsed = started.elapsed();

    assert_eq!(answer.status, 200);
    assert!(
        elapsed < Duration::from_millis(1500),
        "ack took {elapsed:?}"
    );
    app.wait_for_calls("chat.postMessage", 1).await;
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    assert_eq!(sessions.len(), 1);
    assert!(started.elapsed() >= Duration::from_secs(5));
}

#[tokio::test]
async fn help_empty_and_unknown_text_answer_with_usage() {
    let app = spawn_app().await;
    for text in ["help", "", "frobnicate the widget"] {
        let answer = app.command(text).await;
        assert_eq!(answer.status, 200);
        let ack = answer.json();
        assert_eq!(ack["response_type"], "ephemeral");
        let shown = ack["text"].as_str().unwrap_or_default();
        for sub in ["pressrelease", "faq", "export", "list", "help"] {
            assert!(
                shown.contains(&format!("/wb {sub}")),
                "{text:?} lacks {sub}"
            );
        }
        assert_eq!(
            shown.contains("I didn't understand `frobnicate`"),
            text.starts_with("frob")
        );
    }
    assert!(app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn list_shows_this_channels_sessions() {
    let app = spawn_app().await;
    assert!(app.command("list").await.json()["text"]
        .as_str()
        .unwrap_or_default()
        .contains("No Working Backwards sessions"));
    app.start_session("First idea").await;
    app.start_session("Second idea").await;

    let text = app.command("list").await.json()["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let first = text.find("First idea").expect("first listed");
    let second = text.find("Second idea").expect("second listed");
    assert!(second < first, "most recent first: {text}");
    assert!(text.contains("0 drafts, 0 questions"));
}

#[tokio::test]
async fn a_restart_on_the_same_database_keeps_the_session() {
    let app = spawn_app().await;
    app.start_session("Survives restarts").await;
    let (slack, dir) = app.stop().await;

    let app = start(
        slack,
        Options {
            db_dir: Some(dir),
            ..Options::default()
        },
    )
    .await;

    let out = app.wb(&["sessions", "--json"]);
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list[0]["title"], "Survives restarts");
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
async fn an_idea_with_mentions_is_echoed_without_pinging_anyone() {
    let app = spawn_app().await;

    app.command("pressrelease <!channel> wake up <@U999> & see <https://evil.example|this>")
        .await;

    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    // Slack parses mentions in `text` and mrkdwn objects, not in plain_text (the header).
    let mut parsed = vec![posts[0]["text"].as_str().unwrap_or_default().to_string()];
    for block in posts[0]["blocks"].as_array().expect("blocks") {
        if block["text"]["type"] == "mrkdwn" {
            parsed.push(
                block["text"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        for e in block["elements"].as_array().into_iter().flatten() {
            if e["type"] == "mrkdwn" {
                parsed.push(e["text"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    for text in &parsed {
        for raw in ["<!channel>", "<@U999>", "<https://evil.example|this>"] {
            assert!(!text.contains(raw), "{raw} echoed raw: {text}");
        }
    }
    assert!(posts[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("&lt;!channel&gt;"));
    app.settle().await;
    let stored = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    assert_eq!(
        stored[0].session.title, "<!channel> wake up <@U999> & see <https://evil.example|this>",
        "stored as received"
    );
}

#[tokio::test]
async fn opening_the_home_tab_publishes_the_latest_sessions() {
    let app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/api/views.publish"))
        .respond_with(ok())
        .mount(&app.slack)
        .await;
    app.start_session("Home tab idea").await;

    let event = envelope(
        "EvHome1",
        json!({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "home", "event_ts": "1.1"}),
    );
    assert_eq!(app.event(&event).await.status, 200);

    let published = app.wait_for_calls("views.publish", 1).await;
    assert_eq!(published[0]["user_id"], USER);
    assert_eq!(published[0]["view"]["type"], "home");
    assert!(published[0]["view"].to_string().contains("Home tab idea"));
    let messages_tab = envelope(
        "EvHome2",
        json!({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "messages", "event_ts": "1.2"}),
    );
    assert_eq!(app.event(&messages_tab).await.status, 200);
    app.settle().await;
    assert_eq!(app.calls("views.publish").await.len(), 1);
}

#[tokio::test]
async fn a_start_job_queued_by_an_older_wb_reserves_its_number_then_posts_once() {
    let app = spawn_app().await;
    // The JSON an older wb wrote: no `session_id`.
    let old = format!(
        r#"{{"kind":"start_session","team_id":"{TEAM}","channel_id":"{CHANNEL}","user_id":"{USER}","title":"Queued before the upgrade","response_url":null,"joined":false,"posted_ts":null}}"#
    );
    let old: serde_json::Value = serde_json::from_str(&old).expect("json");
    app.state
        .store
        .write(move |tx| tx.enqueue(&old))
        .await
        .expect("queued");
    app.state.wake_outbox();

    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    assert!(posts[0].to_string().contains("session #1"), "{}", posts[0]);
    assert_eq!(actions(&posts[0])["elements"][0]["value"], "1");
    app.settle().await;
    assert_eq!(app.calls("chat.postMessage").await.len(), 1);
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session.id, 1);
    assert_eq!(sessions[0].session.title, "Queued before the upgrade");
}

#[tokio::test]
async fn slacks_own_slash_command_form_with_enterprise_fields_starts_a_session() {
    let app = spawn_app().await;
    let body = fixture("slash_command.form").trim().as_bytes().to_vec();
    let answer = app
        .raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.body.contains("Smart fridge camera"),
        "{}",
        answer.body
    );
    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    assert_eq!(posts[0]["channel"], CHANNEL);
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session.title, "Smart fridge camera");
    assert_eq!(sessions[0].session.created_by, USER);
}

/// The root message's actions block (found by id: other blocks come and go).
fn actions(message: &serde_json::Value) -> serde_json::Value {
    message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["block_id"] == "wb_actions")
        .cloned()
        .unwrap_or_default()
}
