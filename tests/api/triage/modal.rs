//! The Triage modal with 300 questions: within Slack's limits on every page,
//! paged with `views.update`, filtered, and each page's edits kept.

use serde_json::Value;

use super::limits::assert_modal_within_slack_limits;
use super::*;
use crate::helpers::*;
use wb::domain::docset::Audience;
use wb::domain::faq::QuestionSource;
use wb::store::questions::NewQuestion;

/// 300 questions in session 1 straight through the store (the thread is
/// tested elsewhere): question `i` has `i % 7` votes and a long, hostile text.
async fn three_hundred_questions(app: &TestApp) {
    app.state
        .store
        .write(|tx| {
            for i in 1..=300_i64 {
                let text = format!(
                    "Question {i}: <!channel> will the camera {} work in a fridge that is {}?",
                    "really ".repeat(50),
                    if i % 2 == 0 { "cold" } else { "full" }
                );
                let audience = if i % 3 == 0 {
                    Audience::Internal
                } else {
                    Audience::External
                };
                let id = tx.insert_question(NewQuestion {
                    session_id: 1,
                    audience,
                    question: &text,
                    asked_by: Some("U0ASKER"),
                    source: QuestionSource::Command,
                    message_ts: None,
                })?;
                for v in 0..(i % 7) {
                    tx.add_vote(id, &format!("U0VOTER{v}"))?;
                }
            }
            Ok(())
        })
        .await
        .expect("questions");
}

fn state_of(rows: &[(i64, String, Option<String>)], id: i64) -> (String, Option<String>) {
    rows.iter()
        .find(|r| r.0 == id)
        .map(|r| (r.1.clone(), r.2.clone()))
        .expect("question")
}

#[tokio::test]
async fn a_300_question_triage_is_paged_within_slacks_limits_and_keeps_every_pages_edits() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    three_hundred_questions(&app).await;

    // Page 1: the 25 most-voted (6 votes each: 6, 13, 20…), within limits.
    let first = open_triage(&app).await;
    assert_eq!(first["view"]["callback_id"], "wb_triage_modal");
    assert_modal_within_slack_limits(&first["view"]);
    let page1 = listed(&first);
    assert_eq!(page1.len(), 25);
    assert_eq!(&page1[..3], [6, 13, 20]);
    let text = first.to_string();
    assert!(text.contains("*300 questions* — 300 open"), "{text}");
    assert!(text.contains("1–25 of 300"), "{text}");
    assert!(!text.contains("<!channel>"), "user text never pings");

    // Next page, through views.update on the same modal.
    app.interaction(&in_list(&first, list_button("wb_triage_next", "1")))
        .await;
    let second = nth_update(&app, 1).await;
    assert_eq!(second["view_id"], LIST_VIEW);
    assert_eq!(
        second["hash"], "1763740500.abcdef12",
        "a stale view is not overwritten"
    );
    assert_modal_within_slack_limits(&second["view"]);
    let page2 = listed(&second);
    assert_eq!(page2.len(), 25);
    assert!(page2.iter().all(|id| !page1.contains(id)));
    assert!(second.to_string().contains("26–50 of 300"));

    // An edit on page 2, then back to page 1 and an edit there: both stay.
    let on_page2 = page2[0];
    let shown = save_edit(
        &app,
        &second,
        on_page2,
        USER,
        edit_values(Some("needs_data"), Some(BO), None, None),
    )
    .await;
    assert_eq!(
        listed(&shown),
        page2,
        "the same page is shown again after the save"
    );
    assert!(shown.to_string().contains(&format!("Saved #{on_page2}")));
    app.interaction(&in_list(&shown, list_button("wb_triage_previous", "0")))
        .await;
    let back = nth_update(&app, 3).await;
    assert_eq!(listed(&back), page1);
    let on_page1 = page1[1];
    save_edit(
        &app,
        &back,
        on_page1,
        USER,
        edit_values(Some("wont_answer"), None, None, None),
    )
    .await;

    let rows: Vec<(i64, String, Option<String>)> =
        crate::testdb::query_as("SELECT id, state, owner FROM questions")
            .fetch_all(&app.pool)
            .await
            .expect("rows");
    assert_eq!(
        state_of(&rows, on_page2),
        ("needs_data".into(), Some(BO.into()))
    );
    assert_eq!(state_of(&rows, on_page1), ("wont_answer".into(), None));
    assert_eq!(rows.iter().filter(|r| r.1 != "open").count(), 2);

    // The filter narrows the list (and says how many each choice holds).
    let updates = app.calls("views.update").await.len();
    app.interaction(&in_list(&back, filter_select("needs_data")))
        .await;
    let filtered = nth_update(&app, updates + 1).await;
    assert_eq!(listed(&filtered), [on_page2]);
    let text = filtered.to_string();
    assert!(
        text.contains("Needs data (1)") && text.contains("Open and needs data (299)"),
        "{text}"
    );
    assert_modal_within_slack_limits(&filtered["view"]);

    // The last page has no "next", the edit view offers at most 100 targets.
    let mut last = filtered.clone();
    last["view"]["private_metadata"] =
        Value::String(r#"{"session_id":1,"filter":"all","page":0}"#.into());
    let updates = app.calls("views.update").await.len();
    app.interaction(&in_list(&last, list_button("wb_triage_next", "11")))
        .await;
    let page12 = nth_update(&app, updates + 1).await;
    assert_eq!(listed(&page12).len(), 300 - 11 * 25);
    assert!(!page12.to_string().contains("wb_triage_next"));
    assert_modal_within_slack_limits(&page12["view"]);
    let pushed = open_edit(&app, &page12, listed(&page12)[0]).await;
    assert_modal_within_slack_limits(&pushed["view"]);
}

#[tokio::test]
async fn wb_triage_opens_the_modal_and_an_empty_session_is_told_so() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;

    let empty = app.command("triage").await.json();
    assert!(
        empty["text"]
            .as_str()
            .unwrap_or_default()
            .contains("no questions to triage yet"),
        "{empty}"
    );
    assert!(app.calls("views.open").await.is_empty());

    reply(&app, "EvT1", "1763740100.000001", "How much?").await;
    let ack = app.command("triage 1").await.json();
    assert!(
        ack["text"]
            .as_str()
            .unwrap_or_default()
            .contains("1 open of 1 questions"),
        "{ack}"
    );
    let opened = app.wait_for_calls("views.open", 1).await;
    assert_eq!(listed(&opened[0]), [1]);
    assert_modal_within_slack_limits(&opened[0]["view"]);

    let unknown = app.command("triage 42").await.json();
    assert!(
        unknown["text"]
            .as_str()
            .unwrap_or_default()
            .contains("no session #42"),
        "{unknown}"
    );
}
