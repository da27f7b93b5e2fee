//! Decisions: only the session's creator and its current reviewers decide;
//! a decision is posted, shown on the root message and kept; a later one
//! revises it, and the next review compares against the version decided on.

use serde_json::Value;

use super::*;

#[tokio::test]
async fn a_decision_by_a_stranger_is_refused_and_stores_nothing() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    schedule(&app, Some(now() + 3600), "20", &[ANA], "V0REV").await;

    for user in [STRANGER, DANA] {
        let ack = command_as(&app, user, "decide", None).await.json();
        let text = ack["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("Only the session's creator") && text.contains("Nothing was recorded"),
            "{text}"
        );
    }
    let opened_before = app.calls("views.open").await.len();
    let click = press(&app, "wb_decide", STRANGER, "1", ROOT);
    assert_eq!(app.interaction(&click).await.status, 200);
    wait_until("the refusal", || async {
        told(&app)
            .await
            .iter()
            .any(|t| t.contains("Only the session's creator"))
    })
    .await;
    assert_eq!(
        app.calls("views.open").await.len(),
        opened_before,
        "no form for a stranger"
    );

    // A forged submission (a form opened by someone else) is refused too.
    let view = open_form(&app, "wb_decide", USER).await;
    let answer = app
        .interaction(&submit(
            &view,
            STRANGER,
            decide_values("go", "Because", ""),
            "V0FORGED",
        ))
        .await;
    let body = answer.json();
    assert_eq!(body["response_action"], "errors");
    assert!(body["errors"]["wb_decide_outcome"]
        .as_str()
        .unwrap_or_default()
        .contains("Only"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM decisions").await, 0);
    assert_eq!(status(&app).await, "in_review");
    assert!(posts_with(&app, "decided by").await.is_empty());
}

#[tokio::test]
async fn a_decision_can_be_revised_and_every_one_is_kept() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    schedule(&app, None, "20", &[DANA], "V0REV1").await;
    wait_for_post(&app, "Silent reading — review #1").await;
    assert!(
        text_of(&wait_for_post(&app, "Silent reading — review #1").await)
            .contains("The first review")
    );

    // Dana decides during reading: reading ends first, then the decision.
    let view = open_form(&app, "wb_decide", DANA).await;
    let answer = app
        .interaction(&submit(
            &view,
            DANA,
            decide_values("iterate", "Economics missing", "Size the market"),
            "V0DEC1",
        ))
        .await;
    assert!(answer.body.is_empty(), "{}", answer.body);
    let decided = wait_for_post(&app, "*Iterate* — decided by <@U0DANA> on draft v1").await;
    assert!(text_of(&decided).contains("compares against v1"));
    settle_due(&app).await;
    let posts = app.calls("chat.postMessage").await;
    let at = |needle: &str| {
        posts
            .iter()
            .position(|p| p.to_string().contains(needle))
            .expect(needle)
    };
    assert!(
        at("Review #1 — comments") < at("*Iterate* — decided by"),
        "comments first"
    );
    assert_eq!(status(&app).await, "drafting");

    // A new draft, a new review: it says what changed since the last one read.
    crate::faq::reply(
        &app,
        "EvDraft2",
        "1763740300.000100",
        "PR: FridgeCam, now with prices.",
    )
    .await;
    app.settle().await;
    schedule(&app, None, "20", &[DANA], "V0REV2").await;
    let copy = wait_for_post(&app, "Silent reading — review #2").await;
    assert!(
        text_of(&copy).contains("Changed since v1, which the last review read: Free text."),
        "{copy}"
    );

    let view = open_form(&app, "wb_decide", DANA).await;
    assert!(view["view"]
        .to_string()
        .contains("Current decision: *Iterate*"));
    let answer = app
        .interaction(&submit(
            &view,
            DANA,
            decide_values("go", "Margins work now", ""),
            "V0DEC2",
        ))
        .await;
    assert!(answer.body.is_empty(), "{}", answer.body);
    let revised = wait_for_post(&app, "*Go* — decided by <@U0DANA> on draft v2").await;
    assert!(
        text_of(&revised).contains("This revises *Iterate*"),
        "{revised}"
    );
    settle_due(&app).await;

    assert_eq!(status(&app).await, "decided");
    let export = crate::faq::export(&app);
    let decisions = export["decisions"].as_array().cloned().unwrap_or_default();
    assert_eq!(decisions.len(), 2);
    let raw =
        String::from_utf8_lossy(&app.wb(&["export", "1", "--format", "json"]).stdout).into_owned();
    let keys = [
        "outcome",
        "rationale",
        "next_steps",
        "decided_by",
        "decided_at",
        "version",
    ];
    assert_key_order(&raw, "\"decisions\": [", &keys);
    assert_key_order(&raw, "\"decision\": ", &keys);
    assert_eq!(decisions[0]["outcome"], "iterate");
    assert_eq!(decisions[0]["next_steps"], "Size the market");
    assert_eq!(decisions[0]["version"], 1);
    assert_eq!(decisions[1]["outcome"], "go");
    assert_eq!(decisions[1]["next_steps"], Value::Null);
    assert_eq!(export["decision"], decisions[1]);
    let root = app.calls("chat.update").await;
    let last = text_of(root.iter().rev().find(|u| u["ts"] == ROOT).expect("root"));
    assert!(
        last.contains("*Decided*")
            && last.contains("*Go* — decided by <@U0DANA>: Margins work now"),
        "{last}"
    );
}

#[tokio::test]
async fn a_decision_calls_off_a_review_that_has_not_started() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    schedule(&app, Some(now() + 3 * 3600), "20", &[ANA], "V0LATER").await;
    let view = open_form(&app, "wb_decide", USER).await;
    let answer = app
        .interaction(&submit(
            &view,
            USER,
            decide_values("no_go", "Killed on paper", ""),
            "V0KILL",
        ))
        .await;
    assert!(answer.body.is_empty(), "{}", answer.body);
    let note = wait_for_post(&app, "is cancelled by").await;
    assert!(text_of(&note).contains("a decision was recorded before it started"));
    app.settle().await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'").await,
        0,
        "its timers are off"
    );
    assert_eq!(status(&app).await, "decided");
    assert!(crate::faq::export(&app)["reviews"]
        .as_array()
        .is_some_and(Vec::is_empty));
}
