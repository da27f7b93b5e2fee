//! Two workspaces: each served with its own token (jobs queued before a
//! restart included), and neither able to read or change the other's
//! sessions, votes or exports — not with crafted ids in commands, buttons,
//! modal submissions or events.

use serde_json::{json, Value};
use wb::domain::tenant::Workspace as Ws;
use wb::jobs::Job;
use wb::store::outbox::Schedule;

use super::*;
use crate::helpers::*;

/// The team whose token made each call of `method`, in order.
pub async fn teams_of(app: &TestApp, method: &str) -> Vec<String> {
    app.tokens_of(method)
        .await
        .iter()
        .map(|t| {
            oauth(app)
                .team_of(t)
                .unwrap_or_else(|| format!("unknown {t}"))
        })
        .collect()
}

#[tokio::test]
async fn two_workspaces_installed_from_the_page_are_each_served_with_their_own_token() {
    let app = spawn_app_with(installs()).await;
    install(&app, &acme()).await;
    install(&app, &bravo()).await;
    let (_, root_a) = start_session_in(&app, TEAM_A, CHANNEL_A, USER_A, "Acme idea").await;
    let (_, root_b) = start_session_in(&app, TEAM_B, CHANNEL_B, USER_B, "Bravo idea").await;
    for (team, channel, user, root, id) in [
        (TEAM_A, CHANNEL_A, USER_A, &root_a, "EvA1"),
        (TEAM_B, CHANNEL_B, USER_B, &root_b, "EvB1"),
    ] {
        let reply = reply_in(
            team,
            channel,
            user,
            "1763740100.000200",
            root,
            "Does it work?",
        );
        assert_eq!(app.event(&envelope_in(team, id, reply)).await.status, 200);
    }
    app.settle().await;
    let posts = app.calls("chat.postMessage").await;
    let post_teams = teams_of(&app, "chat.postMessage").await;
    for (post, team) in posts.iter().zip(&post_teams) {
        let want = if post["channel"] == CHANNEL_A {
            TEAM_A
        } else {
            TEAM_B
        };
        assert_eq!(team, want, "{post}");
    }
    let reactions = app.calls("reactions.add").await;
    assert_eq!(reactions.len(), 2);
    for (call, team) in reactions.iter().zip(teams_of(&app, "reactions.add").await) {
        let want = if call["channel"] == CHANNEL_A {
            TEAM_A
        } else {
            TEAM_B
        };
        assert_eq!(team, want, "{call}");
    }
    for team in teams_of(&app, "chat.update").await {
        assert!(team == TEAM_A || team == TEAM_B, "{team}");
    }
    assert!(!app
        .tokens_of("chat.postMessage")
        .await
        .contains(&BOT_TOKEN.to_string()));
}

/// A `block_actions` click by `user` of `team` on `action_id` of the root
/// message `root` in `channel`, whose button carries `value`.
pub(super) fn click(
    app: &TestApp,
    team: &str,
    user: &str,
    channel: &str,
    root: &str,
    action_id: &str,
    value: &str,
) -> Value {
    let mut payload: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    payload["team"] = json!({"id": team, "domain": "x"});
    payload["user"] = json!({"id": user, "username": "u", "name": "u", "team_id": team});
    payload["channel"] = json!({"id": channel, "name": "product"});
    payload["container"]["channel_id"] = json!(channel);
    payload["container"]["message_ts"] = json!(root);
    payload["message"]["ts"] = json!(root);
    payload["actions"][0]["action_id"] = json!(action_id);
    payload["actions"][0]["value"] = json!(value);
    payload["trigger_id"] = json!(format!("trigger-{team}-{action_id}"));
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    payload
}

/// A `view_submission` of `view` by `user` of `team` with `values`.
pub(super) fn submit(team: &str, user: &str, view: &Value, values: Value) -> Value {
    let mut view = view.clone();
    for (k, v) in [
        (
            "id",
            json!(format!(
                "V{team}{}",
                view["callback_id"].as_str().unwrap_or("")
            )),
        ),
        ("team_id", json!(team)),
        ("hash", json!("1763740500.abcdef12")),
        ("app_id", json!("A0WB")),
        ("bot_id", json!("B0WB")),
        ("root_view_id", json!("V0ROOT")),
        ("state", json!({"values": values})),
    ] {
        view[k] = v;
    }
    json!({
        "type": "view_submission", "team": {"id": team, "domain": "x"},
        "user": {"id": user, "username": "u", "name": "u", "team_id": team},
        "api_app_id": "A0WB", "token": "XXYYZZ", "trigger_id": "1.2.3", "view": view,
        "response_urls": [], "is_enterprise_install": false,
    })
}

/// Opens the modal behind `action_id` as a user of workspace A would, and
/// returns the view Slack was asked to open.
pub(super) async fn open_in_a(app: &TestApp, root: &str, action_id: &str) -> Value {
    let before = app.calls("views.open").await.len();
    let clicked = click(app, TEAM_A, USER_A, CHANNEL_A, root, action_id, "1");
    assert_eq!(app.interaction(&clicked).await.status, 200);
    app.wait_for_calls("views.open", before + 1).await[before]["view"].clone()
}

/// Drafts, live questions, votes, answers, entries and reviews.
async fn contents(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM drafts",
        "SELECT COUNT(*) FROM questions WHERE deleted_at IS NULL",
        "SELECT COUNT(*) FROM question_votes",
        "SELECT COUNT(*) FROM answers",
        "SELECT COUNT(*) FROM entries",
        "SELECT COUNT(*) FROM reviews",
    ] {
        out.push(count(app, sql).await);
    }
    out
}

#[tokio::test]
async fn no_request_of_one_workspace_reads_or_changes_anothers_session() {
    let app = spawn_app_with(installs()).await;
    install(&app, &acme()).await;
    install(&app, &bravo()).await;
    let (id, root) = start_session_in(&app, TEAM_A, CHANNEL_A, USER_A, "Acme secret").await;
    assert_eq!(id, 1);
    let question_ts = "1763740100.000300";
    let question = reply_in(TEAM_A, CHANNEL_A, USER_A, question_ts, &root, "Is it safe?");
    assert_eq!(
        app.event(&envelope_in(TEAM_A, "EvA1", question))
            .await
            .status,
        200
    );
    app.settle().await;
    // Modals opened legitimately in A: their private metadata name session 1.
    let draft_view = open_in_a(&app, &root, "wb_draft_pr").await;
    let ask_view = open_in_a(&app, &root, "wb_ask").await;
    let answer_view = open_in_a(&app, &root, "wb_answer").await;
    let opened = app.calls("views.open").await.len();
    let snapshot = contents(&app).await;

    // Commands from B naming A's session number.
    for text in [
        "export 1",
        "export 1 canvas",
        "review 1",
        "review end 1",
        "decide 1",
    ] {
        let answer = command_in(&app, TEAM_B, CHANNEL_B, USER_B, text).await;
        assert_eq!(answer.status, 200);
        assert!(
            answer.body.contains("no session #1 in this workspace"),
            "{text}: {}",
            answer.body
        );
    }
    // Buttons from B on A's message, carrying A's session number.
    for action in [
        "wb_draft_pr",
        "wb_ask",
        "wb_answer",
        "wb_export",
        "wb_review",
        "wb_decide",
    ] {
        let clicked = click(&app, TEAM_B, USER_B, CHANNEL_A, &root, action, "1");
        assert_eq!(app.interaction(&clicked).await.status, 200, "{action}");
    }
    // Modal submissions from B carrying A's session in their metadata.
    let draft = submit(
        TEAM_B,
        USER_B,
        &draft_view,
        json!({
            "wb_pr_headline": {"value": {"type": "plain_text_input", "value": "Hijacked headline"}}
        }),
    );
    let refused = app.interaction(&draft).await;
    assert!(refused.body.contains("response_action"), "{}", refused.body);
    let ask = submit(
        TEAM_B,
        USER_B,
        &ask_view,
        crate::faq::ask_values("Injected?", "external", false),
    );
    assert!(app.interaction(&ask).await.body.contains("response_action"));
    let answer = submit(
        TEAM_B,
        USER_B,
        &answer_view,
        json!({
            "wb_pick": {"value": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "q"}, "value": "1"}}},
            "wb_answer_text": {"value": {"type": "plain_text_input", "value": "Forged answer"}}
        }),
    );
    assert!(app
        .interaction(&answer)
        .await
        .body
        .contains("response_action"));
    // Events delivered for B that name A's channel and messages.
    let vote = json!({"type": "reaction_added", "user": USER_B, "reaction": "+1",
        "item": {"type": "message", "channel": CHANNEL_A, "ts": question_ts}, "event_ts": "1763740300.000600"});
    let reply = reply_in(
        TEAM_B,
        CHANNEL_A,
        USER_B,
        "1763740200.000400",
        &root,
        "Injected question?",
    );
    let deletion = json!({"type": "message", "subtype": "message_deleted", "hidden": true,
        "channel": CHANNEL_A, "ts": "1763740400.000500", "deleted_ts": question_ts, "event_ts": "1763740400.000500",
        "previous_message": {"type": "message", "user": USER_A, "text": "Is it safe?", "ts": question_ts, "thread_ts": root}});
    for (i, event) in [vote, reply, deletion].into_iter().enumerate() {
        let answer = app
            .event(&envelope_in(TEAM_B, &format!("EvB{i}"), event))
            .await;
        assert_eq!(answer.status, 200);
    }
    app.settle().await;

    assert_eq!(
        contents(&app).await,
        snapshot,
        "drafts, questions, votes, answers, entries, reviews"
    );
    assert_eq!(
        app.calls("views.open").await.len(),
        opened,
        "no form opened for B"
    );
    let jobs = count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE job LIKE '%\"export\"%'",
    )
    .await;
    assert_eq!(jobs, 0, "no export queued");
    assert!(app.calls("files.getUploadURLExternal").await.is_empty());
    // B's buttons were told the session is not theirs to see.
    let told: Vec<String> = app
        .calls("response_url")
        .await
        .iter()
        .filter_map(|c| c["text"].as_str().map(str::to_string))
        .collect();
    assert!(
        told.iter()
            .filter(|t| t.contains("can't find the session"))
            .count()
            >= 6,
        "{told:?}"
    );
    // Every call made went out with A's token: nothing for B happened.
    for team in teams_of(&app, "chat.postMessage").await {
        assert_eq!(team, TEAM_A);
    }
    // A itself still can.
    let own = command_in(&app, TEAM_A, CHANNEL_A, USER_A, "export 1").await;
    assert!(own.body.contains("Exporting"), "{}", own.body);
}

#[tokio::test]
async fn jobs_queued_before_a_restart_go_out_with_their_workspaces_token() {
    let app = spawn_app_with(Options {
        bot_token: true,
        ..installs()
    })
    .await;
    install(&app, &bravo()).await;
    oauth(&app).knows_token(BOT_TOKEN, TEAM);
    // Queued an hour ahead, so they wait through the restart.
    let hour = 3_600_000;
    app.state
        .store
        .write(move |tx| {
            let for_b = Job::call(
                &Ws::new(TEAM_B, None),
                "chat.postMessage",
                json!({"channel": CHANNEL_B, "text": "for B"}),
            );
            tx.enqueue_with(
                &for_b,
                Schedule {
                    delay_ms: hour,
                    dedupe_key: None,
                },
            )?;
            let for_static = Job::call(
                &Ws::new(TEAM, None),
                "chat.postMessage",
                json!({"channel": CHANNEL, "text": "for the static token's team"}),
            );
            tx.enqueue_with(
                &for_static,
                Schedule {
                    delay_ms: hour,
                    dedupe_key: None,
                },
            )?;
            Ok(())
        })
        .await
        .expect("queue");
    // A job written by an older wb names no workspace: the static token.
    crate::testdb::query(
        "INSERT INTO outbox (job, created_at, due_at_ms) VALUES (?, '2026-11-30T00:00:00Z', ?)",
    )
    .bind(r#"{"kind":"call","method":"chat.postMessage","body":{"channel":"COLD","text":"old"}}"#)
    .bind(wb::clock::Clock::system().unix_ms() + hour)
    .execute(&app.pool)
    .await
    .expect("old job");
    let oauth_fake = app.oauth.clone();
    let (slack, dir) = app.stop().await;
    let manual =
        wb::clock::ManualClock::new(jiff::Timestamp::now() + std::time::Duration::from_secs(7200));
    let mut again = start(
        slack,
        Options {
            clock: Some(manual.clock()),
            db_dir: Some(dir),
            bot_token: true,
            ..installs()
        },
    )
    .await;
    again.oauth = oauth_fake;
    again.settle().await;
    let posts = again.calls("chat.postMessage").await;
    let teams = teams_of(&again, "chat.postMessage").await;
    let by_text: Vec<(String, String)> = posts
        .iter()
        .zip(teams)
        .map(|(p, t)| (p["text"].as_str().unwrap_or_default().to_string(), t))
        .collect();
    assert!(
        by_text.contains(&("for B".into(), TEAM_B.into())),
        "{by_text:?}"
    );
    assert!(
        by_text.contains(&("for the static token's team".into(), TEAM.into())),
        "{by_text:?}"
    );
    assert!(
        by_text.contains(&("old".into(), TEAM.into())),
        "{by_text:?}"
    );
    // The static token serves its own team only: auth.test said which.
    assert_eq!(again.calls("auth.test").await.len(), 1);
}
