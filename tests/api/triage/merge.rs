//! Merging a duplicate into the question it repeats: votes are a union of
//! people (one each), a later 👍 on the duplicate counts for the kept
//! question, the thread is told, and un-merging restores both vote sets.

use super::*;
use crate::helpers::*;

const COST: &str = "1763740100.000001";
const HOW_MUCH: &str = "1763740100.000002";
const CARL: &str = "U2147483700";
const DEE: &str = "U2147483701";
const EVE: &str = "U2147483702";

/// "What will it cost?" (#1) voted by BO and USER; "How much?" (#2) voted by
/// BO (again), CARL and DEE.
async fn duplicate_with_votes(app: &TestApp) {
    reply(app, "EvCost", COST, "What will it cost?").await;
    reply(app, "EvHowMuch", HOW_MUCH, "How much?").await;
    for (i, (user, ts)) in [
        (BO, COST),
        (USER, COST),
        (BO, HOW_MUCH),
        (CARL, HOW_MUCH),
        (DEE, HOW_MUCH),
    ]
    .into_iter()
    .enumerate()
    {
        reaction(app, &format!("EvVote{i}"), true, user, "+1", ts).await;
    }
}

#[tokio::test]
async fn merging_moves_the_votes_without_counting_anyone_twice_and_unmerging_restores_both() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    duplicate_with_votes(&app).await;
    app.settle().await;
    let before = export(&app);
    assert_eq!(faq_entry(&before, 1)["votes"], 2);
    assert_eq!(faq_entry(&before, 2)["votes"], 3);

    // Merge "How much?" into "What will it cost?" from the Triage modal.
    let list = open_triage(&app).await;
    assert_eq!(listed(&list), [2, 1], "most votes first");
    let pushed = open_edit(&app, &list, 2).await;
    let targets: Vec<String> = pushed["view"]["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|x| x["block_id"] == "wb_tr_merge"))
        .and_then(|b| b["element"]["options"].as_array())
        .map(|o| {
            o.iter()
                .filter_map(|x| x["text"]["text"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(targets, ["#1 👍2 What will it cost?"]);
    let shown = save_edit(
        &app,
        &list,
        2,
        USER,
        edit_values(Some("open"), None, None, Some(1)),
    )
    .await;
    assert!(shown.to_string().contains("Merged #2 into #1"), "{shown}");

    // BO voted on both: four people, not five.
    let merged = export(&app);
    let kept = faq_entry(&merged, 1);
    let dup = faq_entry(&merged, 2);
    assert_eq!(kept["votes"], 4);
    assert_eq!(
        (
            dup["state"].as_str(),
            dup["merged_into"].as_i64(),
            dup["votes"].as_i64()
        ),
        (Some("merged"), Some(1), Some(0))
    );
    let posts = thread_posts(&app).await;
    let told = posts
        .iter()
        .find(|p| p.contains("Merged into #1"))
        .expect("the thread is told");
    assert!(
        told.contains("“How much?” (#2) is a duplicate of “What will it cost?”")
            && told.contains("now 4 votes"),
        "{told}"
    );

    // A later 👍 on the duplicate's message counts for the kept question; a
    // 👍 by someone who already counts changes nothing.
    reaction(&app, "EvLate", true, EVE, "+1", HOW_MUCH).await;
    reaction(&app, "EvAgain", true, USER, "+1", HOW_MUCH).await;
    assert_eq!(faq_entry(&export(&app), 1)["votes"], 5);

    // The Markdown export lists the duplicate under the kept question only.
    let md =
        String::from_utf8_lossy(&app.wb(&["export", "1", "--format", "md"]).stdout).into_owned();
    assert!(md.contains("*Also asked as:* “How much?”"), "{md}");
    assert!(!md.contains("Q2\\. How much?"), "{md}");

    // Un-merge: both vote sets come back, each with the votes cast on it.
    let updates = app.calls("views.update").await.len();
    app.interaction(&in_list(&shown, list_button("wb_triage_unmerge", "2")))
        .await;
    let after = nth_update(&app, updates + 1).await;
    assert!(
        after.to_string().contains("Un-merged #2 from #1"),
        "{after}"
    );
    app.settle().await;
    let apart = export(&app);
    assert_eq!(faq_entry(&apart, 1)["votes"], 2, "BO and USER");
    let dup = faq_entry(&apart, 2);
    assert_eq!(
        dup["votes"], 5,
        "BO, CARL, DEE, EVE and USER voted on its message"
    );
    assert_eq!(
        (dup["state"].as_str(), dup["merged_into"].as_i64()),
        (Some("open"), None)
    );
    assert!(thread_posts(&app)
        .await
        .iter()
        .any(|p| p.starts_with(":leftwards_arrow_with_hook: *Un-merged:*")));
}

#[tokio::test]
async fn a_merge_that_makes_no_sense_is_refused_on_the_form_and_changes_nothing() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    duplicate_with_votes(&app).await;
    app.settle().await;
    let list = open_triage(&app).await;
    let pushed = open_edit(&app, &list, 2).await;
    let posts = thread_posts(&app).await.len();

    let mut cases = Vec::new();
    for (target, says) in [(2, "cannot be merged into itself"), (99, "no question #99")] {
        let mut values = edit_values(Some("open"), None, None, None);
        values["wb_tr_merge_id"]["value"]["value"] = serde_json::json!(target.to_string());
        let answer = app
            .interaction(&edit_submission(&pushed, USER, values))
            .await;
        cases.push((answer.json(), says));
    }
    let mut both = edit_values(Some("open"), None, None, Some(1));
    both["wb_tr_merge_id"]["value"]["value"] = serde_json::json!("3");
    let answer = app.interaction(&edit_submission(&pushed, USER, both)).await;
    cases.push((answer.json(), "keep one of them"));

    for (body, says) in cases {
        assert_eq!(body["response_action"], "errors", "{body}");
        let error = body["errors"]["wb_tr_merge_id"]
            .as_str()
            .unwrap_or_default();
        assert!(error.contains(says), "{error}");
    }
    app.settle().await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM questions WHERE state = 'merged'"
        )
        .await,
        0
    );
    assert_eq!(thread_posts(&app).await.len(), posts);
}

#[tokio::test]
async fn merging_a_duplicate_whose_question_is_deleted_releases_it() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    duplicate_with_votes(&app).await;
    let list = open_triage(&app).await;
    save_edit(
        &app,
        &list,
        2,
        USER,
        edit_values(Some("open"), None, None, Some(1)),
    )
    .await;

    // The kept question's message is deleted in Slack: the duplicate is a
    // question of its own again rather than vanishing with it.
    let deletion = serde_json::json!({
        "type": "message", "subtype": "message_deleted", "hidden": true,
        "channel": CHANNEL, "ts": "1763740999.000001", "deleted_ts": COST,
        "event_ts": "1763740999.000001", "channel_type": "channel",
        "previous_message": {"type": "message", "user": ANA, "text": "What will it cost?", "ts": COST, "thread_ts": ROOT}
    });
    assert_eq!(app.event(&envelope("EvDel", deletion)).await.status, 200);
    let doc = export(&app);
    let dup = faq_entry(&doc, 2);
    assert_eq!(
        (dup["state"].as_str(), dup["votes"].as_i64()),
        (Some("open"), Some(3))
    );
    assert_eq!(doc["faq"].as_array().map(Vec::len), Some(1));
}
