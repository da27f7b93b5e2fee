//! Silent reading: comments stay hidden until reading ends, then come grouped
//! by section; ending it is for the creator and the reviewers; a late
//! comment is posted at once; a 40,000-character one is kept whole.

use serde_json::Value;

use super::*;

/// Schedules a review starting now and waits for its reading copy; its ts.
async fn reading(app: &TestApp, reviewers: &[&str]) -> String {
    schedule(app, None, "20", reviewers, "V0READ").await;
    wait_for_post(app, "Silent reading — review #1").await;
    settle_due(app).await;
    let ts: Option<String> =
        crate::testdb::query_scalar("SELECT reading_ts FROM reviews WHERE id = 1")
            .fetch_one(&app.pool)
            .await
            .expect("review");
    ts.expect("the reading copy's ts is kept")
}

/// `user` comments on `section` through the reading copy's *Comment*.
async fn comment(
    app: &TestApp,
    copy_ts: &str,
    user: &str,
    section: &str,
    text: &str,
    view_id: &str,
) -> Answer {
    let before = app.calls("views.open").await.len();
    let click = press(app, "wb_comment", user, "1:1", copy_ts);
    assert_eq!(app.interaction(&click).await.status, 200);
    let opened = app.wait_for_calls("views.open", before + 1).await;
    assert_eq!(opened[before]["view"]["callback_id"], "wb_comment_modal");
    app.interaction(&submit(
        &opened[before],
        user,
        comment_values(section, text),
        view_id,
    ))
    .await
}

fn texts(posts: &[Value]) -> String {
    posts.iter().map(text_of).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn comments_stay_hidden_during_reading_then_come_grouped_by_section() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let copy = reading(&app, &[ANA, BO]).await;

    for (user, section, text, id) in [
        (ANA, "problem", "Which customers? <!channel>", "V0C1"),
        (BO, "general", "Too long overall", "V0C2"),
        (ANA, "headline", "Name the benefit", "V0C3"),
        (BO, "problem", "Evidence for the pain?", "V0C4"),
    ] {
        let answer = comment(&app, &copy, user, section, text, id).await;
        assert!(answer.body.is_empty(), "{}", answer.body);
    }
    settle_due(&app).await;

    // Only the author hears about a comment, privately.
    let whispers = app.calls("chat.postEphemeral").await;
    let saved: Vec<&Value> = whispers
        .iter()
        .filter(|w| {
            w["text"]
                .as_str()
                .unwrap_or_default()
                .contains("Saved your comment")
        })
        .collect();
    assert_eq!(saved.len(), 4);
    assert!(saved.iter().all(|w| w["user"] == ANA || w["user"] == BO));
    assert!(saved[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("*Problem*"));
    assert!(
        posts_with(&app, "Which customers?").await.is_empty(),
        "hidden in the thread"
    );
    let export = crate::faq::export(&app);
    assert_eq!(
        export["reviews"][0]["comments"],
        json!([]),
        "hidden in the export"
    );
    assert!(export["reviews"][0]["started_at"].is_string());
    let md = String::from_utf8_lossy(&app.wb(&["export", "1"]).stdout).into_owned();
    assert!(md.contains("Silent reading is in progress") && !md.contains("Which customers"));

    let ended = app.command("review end").await.json();
    assert!(
        ended["text"]
            .as_str()
            .unwrap_or_default()
            .contains("has ended"),
        "{ended}"
    );
    let post = wait_for_post(&app, "Review #1 — comments").await;
    let text = text_of(&post);
    let at = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing: {text}"))
    };
    assert!(at("*Headline* · 1 comment") < at("*Problem* · 2 comments"));
    assert!(at("Which customers?") < at("Evidence for the pain?"));
    assert!(at("Evidence for the pain?") < at("*General* · 1 comment"));
    assert!(text.contains("4 comments from 2 people") && text.contains("ended it"));
    assert!(text.contains("&lt;!channel&gt;") && !text.contains("<!channel>"));

    let export = crate::faq::export(&app);
    let comments = export["reviews"][0]["comments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(comments.len(), 4);
    let raw =
        String::from_utf8_lossy(&app.wb(&["export", "1", "--format", "json"]).stdout).into_owned();
    assert_key_order(
        &raw,
        "\"comments\": [",
        &["id", "section", "text", "author", "created_at"],
    );
    assert_eq!(comments[0]["section"], "problem");
    assert_eq!(
        comments[0]["text"], "Which customers? <!channel>",
        "verbatim"
    );
    assert_eq!(export["reviews"][0]["reviewers"], json!([ANA, BO]));
}

#[tokio::test]
async fn ending_reading_is_refused_to_someone_who_is_not_a_reviewer() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let copy = reading(&app, &[ANA, BO]).await;

    let click = press(&app, "wb_end_reading", STRANGER, "1:1", &copy);
    assert_eq!(app.interaction(&click).await.status, 200);
    wait_until("the refusal", || async {
        told(&app)
            .await
            .iter()
            .any(|t| t.contains("Only the session's creator"))
    })
    .await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM reviews WHERE ended_at IS NULL").await,
        1
    );
    let by_command = command_as(&app, STRANGER, "review end", None).await.json();
    assert!(by_command["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Only the session's creator"));
    assert!(posts_with(&app, "Review #1 — comments").await.is_empty());

    // A reviewer may.
    let click = press(&app, "wb_end_reading", BO, "1:1", &copy);
    assert_eq!(app.interaction(&click).await.status, 200);
    wait_for_post(&app, "Review #1 — comments").await;
    let by: Option<String> =
        crate::testdb::query_scalar("SELECT ended_by FROM reviews WHERE id = 1")
            .fetch_one(&app.pool)
            .await
            .expect("review");
    assert_eq!(by.as_deref(), Some(BO));
    // A second click finds nothing to end.
    assert_eq!(app.interaction(&click).await.status, 200);
    wait_until("the second answer", || async {
        told(&app)
            .await
            .iter()
            .any(|t| t.contains("nothing to end"))
    })
    .await;
}

#[tokio::test]
async fn a_comment_after_reading_ended_is_posted_at_once_as_a_late_comment() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let copy = reading(&app, &[ANA]).await;
    app.command("review end").await;
    wait_for_post(&app, "Review #1 — comments").await;

    let answer = comment(
        &app,
        &copy,
        ANA,
        "faq",
        "We never answered the price question",
        "V0LATE",
    )
    .await;
    assert!(answer.body.is_empty(), "{}", answer.body);
    let late = wait_for_post(&app, "*Late comment*").await;
    let text = text_of(&late);
    assert!(
        text.contains("about *FAQ*") && text.contains("We never answered the price question"),
        "{text}"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM review_comments WHERE late = 1").await,
        1
    );
    let md = String::from_utf8_lossy(&app.wb(&["export", "1"]).stdout).into_owned();
    assert!(md.contains("· late"), "{md}");
}

#[tokio::test]
async fn a_forty_thousand_character_comment_is_stored_verbatim_and_posted_split() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let copy = reading(&app, &[ANA]).await;
    // Slack's input stops at 3,000 characters; a payload may carry more.
    let long: String = (0..4000).map(|i| format!("w{:07} ", i)).collect::<String>();
    assert_eq!(long.chars().count(), 36_000);
    let long = format!("{long}{}", "x".repeat(4000));

    let answer = comment(&app, &copy, ANA, "solution", &long, "V0LONG").await;
    assert!(answer.body.is_empty(), "{}", answer.body);
    let stored: String = crate::testdb::query_scalar("SELECT body FROM review_comments")
        .fetch_one(&app.pool)
        .await
        .expect("comment");
    assert_eq!(stored, long, "stored verbatim");

    app.command("review end").await;
    wait_for_post(&app, "Review #1 — comments").await;
    settle_due(&app).await;
    let parts = posts_with(&app, "Review #1: comments, part").await;
    assert!(parts.len() >= 4, "{} messages", parts.len());
    for p in &parts {
        let blocks = p["blocks"].as_array().cloned().unwrap_or_default();
        assert!(blocks.len() <= 50);
        let chars: usize = blocks
            .iter()
            .filter_map(|b| b["text"]["text"].as_str())
            .map(|t| {
                assert!(t.chars().count() <= 3000);
                t.chars().count()
            })
            .sum();
        assert!(chars <= 12_000, "{chars}");
    }
    let joined: String = parts
        .iter()
        .flat_map(|p| p["blocks"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["text"]["text"].as_str().map(str::to_string))
        .filter_map(|t| {
            t.strip_prefix(&format!("<@{ANA}>: "))
                .or_else(|| t.strip_prefix("_(continued)_ "))
                .map(str::to_string)
        })
        .collect();
    assert_eq!(joined, long.trim(), "nothing cut");
    assert!(texts(&parts).contains("*Solution* · 1 comment"));
}
