//! States, owners and families set in the Triage modal: the owner is told
//! once, answering a question that needs data makes it answered, an answered
//! question can be re-opened, and a family chosen by a person sticks.

use serde_json::json;

use super::*;
use crate::helpers::*;

async fn answer(app: &TestApp, question_id: i64, text: &str) {
    let before = app.calls("views.open").await.len();
    app.interaction(&crate::faq::button(app, "wb_answer")).await;
    let view = app.wait_for_calls("views.open", before + 1).await[before].clone();
    let values = json!({
        "wb_pick": {"value": {"type": "static_select", "selected_option": {
            "text": {"type": "plain_text", "text": "x", "emoji": true}, "value": question_id.to_string()}}},
        "wb_answer_text": {"value": {"type": "plain_text_input", "value": text}}
    });
    let answer = app
        .interaction(&crate::faq::submission(&view, BO, values))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    app.settle().await;
}

#[tokio::test]
async fn an_owner_is_told_once_and_shown_in_the_answer_modal() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    reply(
        &app,
        "EvQ1",
        "1763740100.000001",
        "IQ: What margin do we make?",
    )
    .await;
    let list = open_triage(&app).await;

    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("needs_data"), Some(BO), Some("economics"), None),
    )
    .await;
    // Saved again with the same owner (another field changed): no second word.
    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("open"), Some(BO), Some("economics"), None),
    )
    .await;
    // Assigning yourself tells nobody.
    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("open"), Some(USER), Some("economics"), None),
    )
    .await;

    let told: Vec<_> = app
        .calls("chat.postEphemeral")
        .await
        .into_iter()
        .filter(|c| {
            c["text"]
                .as_str()
                .unwrap_or_default()
                .contains("asked you to own question #1")
        })
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["user"], BO);
    assert_eq!(told[0]["channel"], CHANNEL);
    assert!(told[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains(&format!("<@{USER}> asked you")));

    // The Answer modal says who owns it.
    app.interaction(&crate::faq::button(&app, "wb_answer"))
        .await;
    let opened = app.wait_for_calls("views.open", 2).await;
    let text = opened[1].to_string();
    assert!(
        text.contains(&format!("What margin do we make? — <@{USER}>")),
        "{text}"
    );
    assert_eq!(faq_entry(&export(&app), 1)["owner"], USER);
}

#[tokio::test]
async fn answering_a_question_that_needs_data_makes_it_answered_and_it_can_be_reopened() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    reply(
        &app,
        "EvQ1",
        "1763740100.000001",
        "How cold can the fridge get?",
    )
    .await;
    let list = open_triage(&app).await;
    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("needs_data"), None, None, None),
    )
    .await;
    assert_eq!(faq_entry(&export(&app), 1)["state"], "needs_data");

    answer(&app, 1, "Down to -20 °C.").await;
    let doc = export(&app);
    assert_eq!(faq_entry(&doc, 1)["state"], "answered");
    assert_eq!(faq_entry(&doc, 1)["answer"], "Down to -20 °C.");

    // Re-opened: open again, the answer kept; the root message counts it open.
    let list = open_triage(&app).await;
    let pushed = open_edit(&app, &list, 1).await;
    assert!(pushed.to_string().contains("pick Open to re-open it"));
    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("open"), None, None, None),
    )
    .await;
    let doc = export(&app);
    assert_eq!(faq_entry(&doc, 1)["state"], "open");
    assert_eq!(faq_entry(&doc, 1)["answer"], "Down to -20 °C.");
    let updates = app.calls("chat.update").await;
    let root = updates.last().map(|u| u.to_string()).unwrap_or_default();
    assert!(root.contains(":question: 1 question (1 open)"), "{root}");

    // Won't answer: closed, no longer open.
    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("wont_answer"), None, None, None),
    )
    .await;
    assert_eq!(faq_entry(&export(&app), 1)["state"], "wont_answer");
}

#[tokio::test]
async fn a_family_chosen_in_triage_sticks_through_edits_and_moves_the_coverage() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    reply(
        &app,
        "EvQ1",
        "1763740100.000001",
        "IQ: Who supplies the lens?",
    )
    .await;
    assert_eq!(
        faq_entry(&export(&app), 1)["family"],
        "solution",
        "the guess"
    );

    let list = open_triage(&app).await;
    save_edit(
        &app,
        &list,
        1,
        USER,
        edit_values(Some("open"), None, Some("risks"), None),
    )
    .await;
    let doc = export(&app);
    assert_eq!(faq_entry(&doc, 1)["family"], "risks");
    assert_eq!(
        doc["coverage"],
        json!({"customer": 0, "solution": 0, "economics": 0, "risks": 1})
    );

    // An edit of the text keeps a family a person chose…
    crate::faq::edit(
        &app,
        "EvEdit1",
        "1763740100.000001",
        "IQ: Who supplies the lens, and at what cost?",
    )
    .await;
    assert_eq!(faq_entry(&export(&app), 1)["family"], "risks");
    // …and an external question has none.
    crate::faq::edit(
        &app,
        "EvEdit2",
        "1763740100.000001",
        "Q: Who supplies the lens?",
    )
    .await;
    let doc = export(&app);
    assert_eq!(faq_entry(&doc, 1)["family"], json!(null));
    assert_eq!(
        doc["coverage"],
        json!({"customer": 0, "solution": 0, "economics": 0, "risks": 0})
    );
}
