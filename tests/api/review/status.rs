//! Status transitions, where the status shows, and bad input: unknown or
//! foreign sessions, out-of-range forms, a form submitted twice.

use serde_json::Value;

use super::*;

fn sessions_json(app: &TestApp) -> Vec<Value> {
    let out = app.wb(&["sessions", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("JSON array")
}

async fn decide_as(app: &TestApp, user: &str, outcome: &str, why: &str, view_id: &str) {
    let view = open_form(app, "wb_decide", user).await;
    let answer = app
        .interaction(&submit(
            &view,
            user,
            decide_values(outcome, why, ""),
            view_id,
        ))
        .await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.is_empty(), "accepted: {}", answer.body);
    app.settle().await;
}

#[tokio::test]
async fn a_session_goes_from_drafting_to_review_to_decided_and_iterate_sends_it_back() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    assert_eq!(status(&app).await, "drafting");
    assert_eq!(crate::faq::export(&app)["session"]["status"], "drafting");

    // Review now: in review, reading starts by itself.
    let ack = schedule(&app, None, "20", &[ANA, BO], "V0REVIEW1").await;
    assert!(ack.is_null(), "{ack}");
    wait_for_post(&app, "Silent reading — review #1").await;
    assert_eq!(status(&app).await, "in_review");
    wait_until("the root message to show the review", || async {
        app.calls("chat.update")
            .await
            .iter()
            .any(|u| u["ts"] == ROOT && text_of(u).contains("*In review* — review #1 of draft v1"))
    })
    .await;

    // A reviewer decides Iterate: back to drafting, the decision kept and shown.
    decide_as(&app, ANA, "iterate", "Economics missing", "V0DECIDE1").await;
    assert_eq!(status(&app).await, "drafting");
    let root = app.calls("chat.update").await;
    let last = text_of(
        root.iter()
            .rev()
            .find(|u| u["ts"] == ROOT)
            .expect("root update"),
    );
    assert!(last.contains("*Drafting*"), "{last}");
    assert!(
        last.contains("*Iterate* — decided by <@U0ANA>: Economics missing"),
        "{last}"
    );
    assert_eq!(sessions_json(&app)[0]["status"], "drafting");

    // The creator decides Go: decided, everywhere.
    decide_as(&app, USER, "go", "Ship it", "V0DECIDE2").await;
    assert_eq!(status(&app).await, "decided");
    let listed = sessions_json(&app);
    let raw = String::from_utf8_lossy(&app.wb(&["sessions", "--json"]).stdout).into_owned();
    assert_key_order(
        &raw,
        "[",
        &[
            "id",
            "title",
            "team_id",
            "channel_id",
            "thread_ts",
            "created_by",
            "created_at",
            "drafts",
            "questions",
            "status",
        ],
    );
    assert_eq!(listed[0]["status"], "decided");
    let table = String::from_utf8_lossy(&app.wb(&["sessions"]).stdout).into_owned();
    assert!(
        table.contains("STATUS") && table.contains("Decided: Go"),
        "{table}"
    );
    let list = app.command("list").await.json();
    assert!(
        list["text"]
            .as_str()
            .unwrap_or_default()
            .contains("_Decided: Go_"),
        "{list}"
    );
    let export = crate::faq::export(&app);
    assert_eq!(export["session"]["status"], "decided");
    assert_eq!(export["decision"]["outcome"], "go");
    assert_eq!(export["decisions"][0]["outcome"], "iterate");
}

#[tokio::test]
async fn unknown_and_foreign_sessions_are_refused_with_a_clear_word() {
    let app = spawn_unpaced().await;
    mount_meeting(&app).await;
    let foreign: i64 = crate::testdb::query_scalar(
        "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
         VALUES ('T0ELSE', ?, '1.1', 'Elsewhere', ?, '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z') RETURNING id",
    )
    .bind(CHANNEL)
    .bind(USER)
    .fetch_one(&app.pool)
    .await
    .expect("foreign session");

    for text in [
        "review 999".to_string(),
        "decide 999".to_string(),
        "review end 999".to_string(),
        format!("review {foreign}"),
        format!("decide {foreign}"),
        format!("review cancel {foreign}"),
    ] {
        let answer = app.command(&text).await;
        let reply = answer.json()["text"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(reply.contains("There is no session #"), "{text}: {reply}");
    }
    let none = app.command("review").await.json();
    assert!(none["text"]
        .as_str()
        .unwrap_or_default()
        .contains("/wb pressrelease"));
    let bad = app.command("review tomorrow").await.json();
    assert!(bad["text"]
        .as_str()
        .unwrap_or_default()
        .contains("session number"));
    assert!(app.calls("views.open").await.is_empty());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM reviews").await, 0);
}

#[tokio::test]
async fn an_out_of_range_review_form_gets_field_errors_and_stores_nothing() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let view = open_form(&app, "wb_review", USER).await;
    assert_eq!(view["view"]["callback_id"], "wb_review_modal");
    let in_a_day = now() + 86_400;
    let cases = [
        (
            review_values(Some(in_a_day), "0", &[ANA]),
            "wb_review_minutes",
        ),
        (
            review_values(Some(in_a_day), "121", &[ANA]),
            "wb_review_minutes",
        ),
        (
            review_values(Some(now() - 3600), "20", &[ANA]),
            "wb_review_when",
        ),
        (
            review_values(Some(now() + 91 * 86_400), "20", &[ANA]),
            "wb_review_when",
        ),
        (
            review_values(Some(in_a_day), "20", &[]),
            "wb_review_reviewers",
        ),
    ];
    for (i, (values, block)) in cases.into_iter().enumerate() {
        let answer = app
            .interaction(&submit(&view, USER, values, &format!("V0BAD{i}")))
            .await;
        let body = answer.json();
        assert_eq!(body["response_action"], "errors", "case {i}");
        assert!(body["errors"][block].as_str().is_some(), "case {i}: {body}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM reviews").await, 0);
    assert_eq!(status(&app).await, "drafting");

    // The default reading time: an empty field is 20 minutes.
    schedule(&app, Some(in_a_day), "", &[ANA], "V0GOOD").await;
    assert_eq!(count(&app, "SELECT reading_minutes FROM reviews").await, 20);
}

#[tokio::test]
async fn a_form_submitted_twice_schedules_one_review_and_records_one_decision() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let view = open_form(&app, "wb_review", USER).await;
    let payload = submit(
        &view,
        USER,
        review_values(Some(now() + 3600), "20", &[ANA]),
        "V0TWICE",
    );
    for _ in 0..2 {
        let answer = app.interaction(&payload).await;
        assert_eq!(answer.status, 200);
        assert!(answer.body.is_empty(), "{}", answer.body);
    }
    settle_due(&app).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM reviews").await, 1);
    assert_eq!(posts_with(&app, "scheduled by").await.len(), 1);

    let view = open_form(&app, "wb_decide", USER).await;
    let payload = submit(
        &view,
        USER,
        decide_values("no_go", "No market", ""),
        "V0TWICE2",
    );
    for _ in 0..2 {
        assert_eq!(app.interaction(&payload).await.status, 200);
    }
    settle_due(&app).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM decisions").await, 1);
    assert_eq!(posts_with(&app, "*No-go* — decided by").await.len(), 1);
}

#[tokio::test]
async fn deciding_before_any_draft_is_allowed_and_records_no_version() {
    let app = spawn_unpaced().await;
    mount_meeting(&app).await;
    app.start_session("Bare idea").await;

    let ack = app.command("decide").await.json();
    assert!(
        ack["text"]
            .as_str()
            .unwrap_or_default()
            .contains("decision form"),
        "{ack}"
    );
    let opened = app.wait_for_calls("views.open", 1).await;
    assert!(opened[0]["view"].to_string().contains("records no version"));
    let answer = app
        .interaction(&submit(
            &opened[0],
            USER,
            decide_values("no_go", "Nobody needs it", "Archive"),
            "V0NODRAFT",
        ))
        .await;
    assert!(answer.body.is_empty(), "{}", answer.body);
    app.settle().await;

    let export = crate::faq::export(&app);
    assert_eq!(export["decision"]["version"], Value::Null);
    assert_eq!(export["decision"]["next_steps"], "Archive");
    assert_eq!(export["session"]["status"], "decided");
    wait_for_post(&app, "(no draft yet)").await;
}

#[tokio::test]
async fn an_empty_rationale_is_a_field_error() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    let view = open_form(&app, "wb_decide", USER).await;
    let answer = app
        .interaction(&submit(
            &view,
            USER,
            decide_values("go", "   ", ""),
            "V0EMPTY",
        ))
        .await;
    let body = answer.json();
    assert_eq!(body["response_action"], "errors");
    assert!(
        body["errors"]["wb_decide_rationale"].as_str().is_some(),
        "{body}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM decisions").await, 0);
}
