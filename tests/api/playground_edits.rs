//! Edits and deletions on the page reach wb as Slack's `message_changed` and
//! `message_deleted`; and a modal's answers (`update`, `push`, `errors`,
//! `clear`, silence) are applied to the view stack as Slack applies them.

use serde_json::json;
use wb::playground::deliver::Answer;
use wb::playground::modal::{apply, Outcome};
use wb::playground::world::{OpenView, World};

use crate::playground_support::*;

#[tokio::test]
async fn an_edit_reclassifies_and_a_deletion_removes_the_question() {
    let pg = start().await;
    let root = start_session(&pg, "Edits").await;
    let r = ui(
        &pg,
        "message",
        LI,
        json!({"text": "How much will it cost?", "thread_ts": root["ts"]}),
    )
    .await;
    eventually("the question", || async {
        docset(&pg, 1).await["faq"][0]["id"].as_i64()
    })
    .await;
    let not_hers = ui(
        &pg,
        "edit",
        SAM,
        json!({"ts": r["ts"], "text": "Sam was here"}),
    )
    .await;
    assert_eq!(not_hers["error"], "cant_update_message");
    let edited = ui(
        &pg,
        "edit",
        LI,
        json!({"ts": r["ts"], "text": "IQ: What margin do we need?"}),
    )
    .await;
    assert_eq!(edited["ok"], true, "{edited}");
    eventually("the internal question", || async {
        let faq = docset(&pg, 1).await["faq"].clone();
        (faq[0]["audience"] == "internal" && faq[0]["question"] == "What margin do we need?")
            .then_some(())
    })
    .await;
    eventually("🔒 instead of ❓", || async {
        let m = messages(&state(&pg, LI).await)
            .into_iter()
            .find(|m| m["ts"] == r["ts"])?;
        let names = m["reactions"].to_string();
        (names.contains("\"lock\"") && !names.contains("\"question\"") && m["edited"] == true)
            .then_some(())
    })
    .await;
    assert_eq!(
        ui(&pg, "delete", LI, json!({"ts": r["ts"]})).await["ok"],
        true
    );
    eventually("no question left", || async {
        docset(&pg, 1).await["faq"]
            .as_array()
            .is_some_and(Vec::is_empty)
            .then_some(())
    })
    .await;
    assert!(messages(&state(&pg, YOU).await)
        .iter()
        .all(|m| m["ts"] != r["ts"]));
    pg.pg.stop().await;
}

fn modal(id: &str) -> OpenView {
    OpenView {
        id: id.into(),
        hash: "1.a".into(),
        user: YOU.into(),
        view: json!({"type": "modal", "title": {"type": "plain_text", "text": id}, "blocks": [], "root_view_id": id}),
        errors: Default::default(),
        submitting: true,
    }
}

fn answer(status: u16, body: serde_json::Value) -> Result<Answer, &'static str> {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    Ok(Answer { status, body })
}

#[test]
fn a_modal_answer_is_applied_as_slack_applies_it() {
    let view = |title: &str| json!({"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": []});
    let mut w = World::default();
    w.modals.insert(YOU.into(), vec![modal("V1")]);
    let errors = json!({"response_action": "errors", "errors": {"b": "Fix this"}});
    assert_eq!(
        apply(&mut w, YOU, "V1", answer(200, errors)),
        Outcome::Errors
    );
    assert_eq!(w.modals[YOU][0].errors["b"], "Fix this");
    assert!(!w.modals[YOU][0].submitting, "the form can be sent again");
    let update = json!({"response_action": "update", "view": view("Updated")});
    assert_eq!(
        apply(&mut w, YOU, "V1", answer(200, update)),
        Outcome::Updated
    );
    assert_eq!(w.modals[YOU][0].view["title"]["text"], "Updated");
    assert_eq!(w.modals[YOU][0].id, "V1", "an update keeps the view id");
    let push = json!({"response_action": "push", "view": view("Second")});
    assert_eq!(apply(&mut w, YOU, "V1", answer(200, push)), Outcome::Pushed);
    assert_eq!(w.modals[YOU].len(), 2);
    assert_eq!(w.modals[YOU][1].view["previous_view_id"], "V1");
    let top = w.modals[YOU][1].id.clone();
    assert_eq!(
        apply(&mut w, YOU, &top, answer(200, json!(null))),
        Outcome::Closed
    );
    assert_eq!(
        w.modals[YOU].len(),
        1,
        "an empty 200 closes only the submitted view"
    );
    assert!(
        matches!(apply(&mut w, YOU, "V1", Err("operation_timeout")), Outcome::Failed(m) if m.contains("operation_timeout"))
    );
    assert!(
        matches!(apply(&mut w, YOU, "V1", answer(500, json!(null))), Outcome::Failed(m) if m.contains("HTTP 500"))
    );
    assert!(matches!(
        apply(
            &mut w,
            YOU,
            "V1",
            Ok(Answer {
                status: 200,
                body: "nope".into()
            })
        ),
        Outcome::Failed(_)
    ));
    assert_eq!(w.modals[YOU].len(), 1, "a failure keeps the modal open");
    w.modals.get_mut(YOU).expect("stack").push(modal("V2"));
    assert_eq!(
        apply(
            &mut w,
            YOU,
            "V2",
            answer(200, json!({"response_action": "clear"}))
        ),
        Outcome::Cleared
    );
    assert!(!w.modals.contains_key(YOU), "clear closes every view");
}
