//! Triage (issue 12) across workspaces: a request of workspace B naming A's
//! session — `/wb triage`, `/wb remind`, the *Triage* button, the Triage
//! modal's controls, its *Edit* view (state, owner, family, merge), the
//! answer form of a merged question, B's Home tab (coverage) — reads and
//! changes nothing of A's, while A's own triage goes out with A's token.

use serde_json::{json, Value};

use super::isolation::{click, open_in_a, submit, teams_of};
use super::*;
use crate::helpers::*;
use crate::triage::{edit_values, listed, mount_triage};

const Q1_TS: &str = "1763740100.000301";
const Q2_TS: &str = "1763740100.000302";
/// The id Slack gives A's Triage modal.
const LIST_VIEW: &str = "V0TRIAGEA1";

/// A click by `user` of `team` on `action` inside the Triage modal `list`
/// (a `views.open`/`views.update` body), as Slack sends it.
fn in_modal(team: &str, user: &str, list: &Value, action: Value) -> Value {
    let mut view = list["view"].clone();
    for (k, v) in [
        ("id", json!(LIST_VIEW)),
        ("team_id", json!(team)),
        ("hash", json!("1763740500.abcdef12")),
        ("root_view_id", json!(LIST_VIEW)),
        ("app_id", json!("A0WB")),
        ("bot_id", json!("B0WB")),
        ("state", json!({"values": {}})),
    ] {
        view[k] = v;
    }
    json!({
        "type": "block_actions",
        "user": {"id": user, "username": "u", "name": "u", "team_id": team},
        "api_app_id": "A0WB", "token": "XXYYZZ",
        "container": {"type": "view", "view_id": LIST_VIEW},
        "trigger_id": format!("trigger-{team}-modal"),
        "team": {"id": team, "domain": "x"}, "enterprise": null, "is_enterprise_install": false,
        "view": view, "actions": [action],
    })
}

/// A button of the Triage modal (*Edit*, *Un-merge*, a page) carrying `value`.
fn modal_button(action_id: &str, value: &str) -> Value {
    json!({"type": "button", "action_id": action_id, "block_id": "wb_any",
           "text": {"type": "plain_text", "text": "x"}, "value": value,
           "action_ts": "1763740600.000100"})
}

/// Every question's triage as stored: id, state, owner, family (and who
/// chose it), what it is merged into.
async fn triage_rows(app: &TestApp) -> Vec<(i64, String, Option<String>, Option<String>)> {
    crate::testdb::query_as(
        "SELECT id, state || '/' || COALESCE(family, '-') || '/' || COALESCE(family_by, '-'),
                owner, CAST(merged_into AS TEXT)
           FROM questions ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("questions")
}

/// Session 1 in A with questions #1 and #2 (internal: they have a family).
pub(super) async fn acme_with_questions(app: &TestApp) -> String {
    install(app, &acme()).await;
    install(app, &bravo()).await;
    let (id, root) = start_session_in(app, TEAM_A, CHANNEL_A, USER_A, "Acme secret").await;
    assert_eq!(id, 1);
    for (ev, ts, text) in [
        ("EvQ1", Q1_TS, "IQ: What will it cost?"),
        ("EvQ2", Q2_TS, "IQ: How much will it cost us?"),
    ] {
        let event = reply_in(TEAM_A, CHANNEL_A, USER_A, ts, &root, text);
        assert_eq!(app.event(&envelope_in(TEAM_A, ev, event)).await.status, 200);
    }
    app.settle().await;
    root
}

#[tokio::test]
async fn no_triage_request_of_one_workspace_reads_or_changes_anothers_questions() {
    let app = spawn_app_with(installs()).await;
    mount_triage(&app, "Europe/Paris").await;
    let root = acme_with_questions(&app).await;
    // Views opened legitimately in A: B replays them with A's metadata.
    let list = open_in_a(&app, &root, "wb_triage").await;
    assert_eq!(listed(&json!({"view": list})), [1, 2]);
    let list = json!({ "view": list });
    let pushed = app
        .interaction(&in_modal(
            TEAM_A,
            USER_A,
            &list,
            modal_button("wb_triage_edit", "2"),
        ))
        .await;
    assert_eq!(pushed.status, 200);
    let edit_view = app.wait_for_calls("views.push", 1).await[0]["view"].clone();
    let answer_view = open_in_a(&app, &root, "wb_answer").await;
    app.settle().await;
    let rows = triage_rows(&app).await;
    let opened = view_calls(&app).await;
    let last_job = count(&app, "SELECT COALESCE(MAX(id), 0) FROM outbox").await;

    // Commands from B naming A's session, or in A's channel without a number.
    for text in [
        "triage 1",
        "remind 1 daily 09:30",
        "remind 1 now",
        "remind 1 off",
        "remind 1",
    ] {
        let answer = command_in(&app, TEAM_B, CHANNEL_B, USER_B, text).await;
        assert!(
            answer.body.contains("no session #1 in this workspace"),
            "{text}: {}",
            answer.body
        );
    }
    for text in ["triage", "remind now", "remind daily 08:00"] {
        let answer = command_in(&app, TEAM_B, CHANNEL_A, USER_B, text).await;
        assert!(
            answer
                .body
                .contains("no Working Backwards session in this channel"),
            "{text}: {}",
            answer.body
        );
    }
    // The *Triage* button of A's root message, clicked from B.
    let clicked = click(&app, TEAM_B, USER_B, CHANNEL_A, &root, "wb_triage", "1");
    assert_eq!(app.interaction(&clicked).await.status, 200);
    // The Triage modal's controls, replayed from B with A's metadata.
    for action in [
        modal_button("wb_triage_edit", "2"),
        modal_button("wb_triage_unmerge", "2"),
        modal_button("wb_triage_next", "1"),
        modal_button("wb_triage_previous", "0"),
        json!({"type": "static_select", "action_id": "wb_triage_filter", "block_id": "wb_triage_filter",
               "selected_option": {"text": {"type": "plain_text", "text": "all"}, "value": "all"},
               "action_ts": "1763740600.000200"}),
    ] {
        let answer = app
            .interaction(&in_modal(TEAM_B, USER_B, &list, action.clone()))
            .await;
        assert_eq!(answer.status, 200, "{action}");
    }
    // The *Edit* view submitted from B: a state and an owner, a family, a merge.
    for values in [
        edit_values(Some("wont_answer"), Some(USER_B), None, None),
        edit_values(Some("needs_data"), None, Some("risks"), None),
        edit_values(Some("open"), None, None, Some(1)),
    ] {
        let answer = app
            .interaction(&submit(TEAM_B, USER_B, &edit_view, values))
            .await;
        assert!(
            answer.body.contains("That question is gone"),
            "{}",
            answer.body
        );
    }
    // B's Home tab lists B's sessions only: nothing of A's, nor its coverage.
    let home = json!({"type": "app_home_opened", "user": USER_B, "channel": "D0HOMEB",
                      "tab": "home", "event_ts": "1763740700.000001"});
    let home = app.event(&envelope_in(TEAM_B, "EvHomeB", home)).await;
    assert_eq!(home.status, 200);
    let published = app.wait_for_calls("views.publish", 1).await;
    app.settle().await;

    assert_eq!(
        triage_rows(&app).await,
        rows,
        "states, owners, families, merges"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM reminders").await, 0);
    assert_eq!(
        view_calls(&app).await,
        opened,
        "no view opened, pushed or updated for B"
    );
    let queued = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {last_job}
               AND job NOT LIKE '%\"kind\":\"respond\"%' AND job NOT LIKE '%\"kind\":\"publish_home\"%'"
        ),
    )
    .await;
    assert_eq!(
        queued, 0,
        "no job queued for B but its replies and Home tab"
    );
    assert!(app.calls("users.info").await.is_empty());
    let home_text = published[0].to_string();
    assert!(!home_text.contains("Acme secret"), "{home_text}");
    assert_eq!(teams_of(&app, "views.publish").await, [TEAM_B]);
    let told: Vec<String> = app
        .calls("response_url")
        .await
        .iter()
        .filter_map(|c| c["text"].as_str().map(str::to_string))
        .collect();
    assert!(
        told.iter().any(|t| t.contains("can't find the session")),
        "{told:?}"
    );

    // A itself can: #2 merged into #1 with an owner, by A's token.
    let merged = app
        .interaction(&submit(
            TEAM_A,
            USER_A,
            &edit_view,
            edit_values(Some("open"), Some("UAAAA0009"), None, Some(1)),
        ))
        .await;
    assert_eq!(merged.body, "", "{}", merged.body);
    app.settle().await;
    let (_, state, owner, into) = &triage_rows(&app).await[1];
    assert!(state.starts_with("merged/"), "{state}");
    assert_eq!(
        (owner.as_deref(), into.as_deref()),
        (Some("UAAAA0009"), Some("1"))
    );
    let posts = app.calls("chat.postMessage").await;
    assert!(
        posts
            .iter()
            .any(|p| p["text"].as_str().unwrap_or("").contains("Merged into #1")),
        "{posts:?}"
    );
    for m in [
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "views.open",
        "views.push",
    ] {
        for team in teams_of(&app, m).await {
            assert_eq!(team, TEAM_A, "{m}");
        }
    }
    // B's answer to A's merged #2 hears only that it is gone, not where it went.
    let answer = app
        .interaction(&submit(
            TEAM_B,
            USER_B,
            &answer_view,
            json!({
                "wb_pick": {"value": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "q"}, "value": "2"}}},
                "wb_answer_text": {"value": {"type": "plain_text_input", "value": "Forged answer"}}
            }),
        ))
        .await;
    assert!(answer.body.contains("deleted meanwhile"), "{}", answer.body);
    assert!(!answer.body.contains("#1"), "{}", answer.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM answers").await, 0);
}

/// How many views were opened, pushed and updated so far.
async fn view_calls(app: &TestApp) -> Vec<usize> {
    let mut n = Vec::new();
    for m in ["views.open", "views.push", "views.update"] {
        n.push(app.calls(m).await.len());
    }
    n
}
