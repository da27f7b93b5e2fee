//! Saved drafts: versions, the thread note, the bar-raiser's review,
//! `wb review`, and `PR:` replies.

use super::*;

#[tokio::test]
async fn a_submitted_draft_becomes_version_1_and_is_announced_reviewed_and_shown_on_the_root() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;

    let answer = app
        .interaction(&submission(
            &view,
            &[
                (
                    "wb_pr_headline",
                    "Fridge Cam: see your fridge from the shop",
                ),
                ("wb_pr_subheadline", "For busy <!channel> families"),
                ("wb_pr_problem", "Many families waste very much food."),
                ("wb_pr_launch_date", "2099-03-01"),
            ],
        ))
        .await;

    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "", "the modal closes");
    let draft = app
        .state
        .store
        .read(move |tx| tx.latest_draft(1))
        .await
        .expect("db")
        .expect("stored");
    assert_eq!(draft.version, 1);
    assert_eq!(draft.author, USER);
    assert_eq!(draft.source, "modal");
    assert_eq!(
        draft.fields.headline.as_deref(),
        Some("Fridge Cam: see your fridge from the shop")
    );
    assert_eq!(draft.fields.launch_date.as_deref(), Some("2099-03-01"));

    let updates = app.wait_for_calls("chat.update", 1).await;
    let update = updates.last().expect("update");
    assert_eq!(update["ts"], root);
    assert_eq!(update["channel"], CHANNEL);
    let status = update["blocks"][2]["text"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        status.contains("Fridge Cam: see your fridge from the shop"),
        "{status}"
    );
    assert!(
        status.contains("&lt;!channel&gt;") && !status.contains("<!channel>"),
        "{status}"
    );
    assert!(status.contains("1 draft"), "{status}");

    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    let note = &posts[1];
    assert_eq!(note["thread_ts"], root);
    assert_eq!(note["channel"], CHANNEL);
    let note_text = note["text"].as_str().unwrap_or_default();
    assert!(
        note_text.starts_with(&format!("Draft v1 by <@{USER}>")),
        "{note_text}"
    );
    assert!(
        note_text.contains("Headline, Sub-headline, Launch date, Problem"),
        "{note_text}"
    );

    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    let review = &reviews[0];
    assert_eq!(review["channel"], CHANNEL);
    assert_eq!(review["user"], USER);
    assert_eq!(review["thread_ts"], root);
    let review_text = review["blocks"].to_string();
    for expected in [
        "Weasel word",
        "“Many”",
        "“very”",
        "Missing section",
        "Solution",
    ] {
        assert!(
            review_text.contains(expected),
            "{expected} not in {review_text}"
        );
    }
    app.settle().await;
}

#[tokio::test]
async fn every_save_is_a_new_version_and_the_note_lists_only_what_changed() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    app.interaction(&submission(&view, &FULL_DRAFT)).await;
    app.wait_for_calls("chat.postEphemeral", 1).await;

    let view = open_modal(&app, &root, 1).await;
    let mut second: Vec<(&str, &str)> = FULL_DRAFT
        .iter()
        .copied()
        .filter(|(b, _)| *b != "wb_pr_leader_quote")
        .collect();
    second[0].1 = "Acme Fridge Cam: your fridge, on your phone";
    let answer = app.interaction(&submission(&view, &second)).await;

    assert_eq!(answer.status, 200);
    let posts = app.wait_for_calls("chat.postMessage", 3).await;
    let note = posts[2]["text"].as_str().unwrap_or_default();
    assert!(
        note.starts_with(&format!("Draft v2 by <@{USER}>")),
        "{note}"
    );
    assert!(
        note.contains("Changed since v1: Headline, Leader quote (removed)."),
        "{note}"
    );
    app.settle().await;
    let first = app
        .state
        .store
        .read(move |tx| tx.draft(1, 1))
        .await
        .expect("db")
        .expect("v1 kept");
    assert_eq!(first.fields.headline.as_deref(), Some(FULL_DRAFT[0].1));
    let out = app.wb(&["export", "1", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docset: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(docset["press_release"]["version"], 2);
    assert_eq!(
        docset["press_release"]["headline"],
        "Acme Fridge Cam: your fridge, on your phone"
    );
    assert_eq!(docset["press_release"]["leader_quote"], Value::Null);
    let history: Vec<i64> = docset["press_release_history"]
        .as_array()
        .map(|h| h.iter().filter_map(|v| v["version"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(history, [1, 2]);
    assert_eq!(docset["press_release_history"][0]["author"], USER);
}

#[tokio::test]
async fn a_clean_draft_gets_a_short_no_findings_note() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;

    app.interaction(&submission(&view, &FULL_DRAFT)).await;

    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    let text = reviews[0].to_string();
    assert!(text.contains("no findings on draft v1"), "{text}");
    assert_eq!(reviews[0]["blocks"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_long_list_of_findings_is_cut_to_a_screen_with_and_n_more() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    let weasels = "Many very robust, seamless and significantly various fridges. ".repeat(40);

    app.interaction(&submission(
        &view,
        &[("wb_pr_headline", "Fridge"), ("wb_pr_problem", &weasels)],
    ))
    .await;

    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    let blocks = reviews[0]["blocks"].as_array().cloned().unwrap_or_default();
    assert!(blocks.len() <= 50);
    let last = blocks.last().map(Value::to_string).unwrap_or_default();
    assert!(last.contains("more"), "{last}");
    assert!(reviews[0].to_string().chars().count() < 13_000);
}

#[tokio::test]
async fn wb_review_prints_the_report_of_the_latest_draft_as_text_or_json() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    app.interaction(&submission(
        &view,
        &[
            ("wb_pr_headline", "Fridge"),
            ("wb_pr_problem", "We leverage many cameras."),
        ],
    ))
    .await;
    app.settle().await;

    let text = app.wb(&["review", "1"]);
    let json_out = app.wb(&["review", "1", "--json"]);
    let missing = app.wb(&["review", "2"]);

    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("draft v1"), "{text}");
    assert!(text.contains("Jargon [jargon]"), "{text}");
    assert!(text.contains("\"leverage\""), "{text}");
    assert!(json_out.status.success());
    let report: Value = serde_json::from_slice(&json_out.stdout).expect("json");
    assert_eq!(report["session_id"], 1);
    assert_eq!(report["version"], 1);
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let weasel = findings
        .iter()
        .find(|f| f["rule"] == "weasel_word")
        .expect("a weasel finding");
    assert_eq!(weasel["quote"], "many");
    assert_eq!(weasel["section"], "problem");
    assert_eq!(weasel["severity"], "medium");
    assert!(weasel["suggestion"].is_string());
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no session 2"));
}

#[tokio::test]
async fn a_pr_reply_in_the_thread_is_a_version_with_a_note_and_a_review() {
    let app = spawn_app().await;
    let root = app.start_session("Thread drafted idea").await;
    let before = app.calls("chat.postMessage").await.len();

    let reply = envelope(
        "EvPr1",
        serde_json::json!({"type": "message", "user": USER, "text": "PR: Fridge cam launches today. It is very seamless.",
               "ts": "1763740100.000001", "thread_ts": root, "channel": CHANNEL}),
    );
    assert_eq!(app.event(&reply).await.status, 200);

    let posts = app.wait_for_calls("chat.postMessage", before + 1).await;
    let note = posts.last().expect("note");
    assert_eq!(note["thread_ts"], root);
    assert!(note.to_string().contains("Draft v1"), "{note}");
    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    assert_eq!(reviews[0]["user"], USER);
    assert_eq!(reviews[0]["thread_ts"], root);
    let out = app.wb(&["export", "1", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["press_release"]["version"], 1);
    assert_eq!(
        doc["press_release"]["body"],
        "Fridge cam launches today. It is very seamless."
    );
}
