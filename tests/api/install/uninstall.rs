//! Forgetting a workspace: `app_uninstalled` and `tokens_revoked` delete its
//! tokens at once (its waiting jobs then fail, without retry or notice),
//! `WB_PURGE_ON_UNINSTALL` also deletes its data, and `wb purge` deletes a
//! workspace's data after a confirmation — never another workspace's.

use std::time::Duration;

use serde_json::json;
use wb::domain::tenant::Workspace as Ws;
use wb::jobs::Job;
use wb::store::outbox::Schedule;

use super::*;
use crate::helpers::*;

fn uninstalled(team: &str, id: &str) -> serde_json::Value {
    envelope_in(
        team,
        id,
        json!({"type": "app_uninstalled", "event_ts": "1763741000.000100"}),
    )
}

fn revoked(team: &str, id: &str, bot: &[&str], users: &[&str]) -> serde_json::Value {
    envelope_in(
        team,
        id,
        json!({"type": "tokens_revoked", "tokens": {"oauth": users, "bot": bot}, "event_ts": "1763741000.000200"}),
    )
}

async fn installed(app: &TestApp, team: &str) -> i64 {
    crate::testdb::query_scalar("SELECT COUNT(*) FROM installations WHERE team_id = ?")
        .bind(team)
        .fetch_one(&app.pool)
        .await
        .expect("read")
}

#[tokio::test]
async fn app_uninstalled_deletes_the_tokens_at_once_and_the_workspaces_waiting_jobs_fail_without_retry(
) {
    let manual = wb::clock::ManualClock::new(jiff::Timestamp::now());
    let app = spawn_app_with(Options {
        clock: Some(manual.clock()),
        ..installs()
    })
    .await;
    install(&app, &acme().rotating(43_200)).await;
    install(&app, &bravo()).await;
    start_session_in(&app, TEAM_A, CHANNEL_A, USER_A, "Soon gone").await;
    app.settle_due().await;
    let minutes = 10 * 60_000;
    app.state
        .store
        .write(move |tx| {
            for (team, channel) in [(TEAM_A, CHANNEL_A), (TEAM_B, CHANNEL_B)] {
                let job = Job::call(
                    &Ws::new(team, None),
                    "chat.postMessage",
                    json!({"channel": channel, "text": format!("later for {team}")}),
                );
                tx.enqueue_with(
                    &job,
                    Schedule {
                        delay_ms: minutes,
                        dedupe_key: None,
                    },
                )?;
            }
            Ok(())
        })
        .await
        .expect("queue");
    let answer = app.event(&uninstalled(TEAM_A, "EvUninstall")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // Deleted before the acknowledgement, with its refresh timer.
    assert_eq!(installed(&app, TEAM_A).await, 0);
    assert_eq!(installed(&app, TEAM_B).await, 1);
    let timers = count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"refresh_token\"%'",
    )
    .await;
    assert_eq!(timers, 0);
    let posts_before = app.calls("chat.postMessage").await.len();
    manual.advance(Duration::from_secs(11 * 60));
    app.state.wake_outbox();
    app.settle().await;
    let (state, attempts, error): (String, i64, String) = crate::testdb::query_as(
        "SELECT state, attempts, last_error FROM outbox WHERE job LIKE '%later for TAAAA0001%'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("A's job");
    assert_eq!((state.as_str(), attempts), ("failed", 1), "no retry");
    assert!(error.contains("not_installed"), "{error}");
    let posts = app.calls("chat.postMessage").await;
    assert_eq!(posts.len(), posts_before + 1, "only B's job posted");
    assert_eq!(posts[posts_before]["text"], "later for TBBBB0002");
    assert!(
        app.calls("chat.postEphemeral").await.is_empty(),
        "nobody to tell in A"
    );
    // Without WB_PURGE_ON_UNINSTALL the data stays.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sessions").await, 1);
}

#[tokio::test]
async fn tokens_revoked_deletes_a_revoked_bot_token_and_user_tokens_change_nothing() {
    let app = spawn_app_with(installs()).await;
    install(&app, &acme()).await;
    let users_only = revoked(TEAM_A, "EvRevoke1", &[], &["U0INSTALLER"]);
    assert_eq!(app.event(&users_only).await.status, 200);
    assert_eq!(installed(&app, TEAM_A).await, 1, "wb keeps no user tokens");
    let bot = revoked(TEAM_A, "EvRevoke2", &["UBTAAAA0001"], &[]);
    assert_eq!(app.event(&bot).await.status, 200);
    assert_eq!(installed(&app, TEAM_A).await, 0);
    // The workspace's commands still get an answer; its work finds no token.
    let answer = command_in(&app, TEAM_A, CHANNEL_A, USER_A, "pressrelease After revoke").await;
    assert_eq!(answer.status, 200);
    app.settle().await;
    assert!(app.calls("chat.postMessage").await.is_empty());
}

/// Two sessions in A (a question, a vote, a draft), one in B.
async fn seed_two_workspaces(app: &TestApp) {
    let (_, root_a) = start_session_in(app, TEAM_A, CHANNEL_A, USER_A, "A one").await;
    start_session_in(app, TEAM_A, CHANNEL_A, USER_A, "A two").await;
    let (_, root_b) = start_session_in(app, TEAM_B, CHANNEL_B, USER_B, "B one").await;
    for (team, channel, user, root, id) in [
        (TEAM_A, CHANNEL_A, USER_A, &root_a, "EvQA"),
        (TEAM_B, CHANNEL_B, USER_B, &root_b, "EvQB"),
    ] {
        let q = reply_in(team, channel, user, "1763740100.000700", root, "How much?");
        assert_eq!(app.event(&envelope_in(team, id, q)).await.status, 200);
    }
    let pr = reply_in(
        TEAM_A,
        CHANNEL_A,
        USER_A,
        "1763740100.000800",
        &root_a,
        "PR: the best fridge",
    );
    assert_eq!(
        app.event(&envelope_in(TEAM_A, "EvPR", pr)).await.status,
        200
    );
    let vote = json!({"type": "reaction_added", "user": USER_A, "reaction": "+1",
        "item": {"type": "message", "channel": CHANNEL_A, "ts": "1763740100.000700"}, "event_ts": "1763740300.000900"});
    assert_eq!(
        app.event(&envelope_in(TEAM_A, "EvVote", vote)).await.status,
        200
    );
    // Triage: a duplicate merged into each question, and a daily reminder
    // of each workspace's first session.
    for sql in [
        "INSERT INTO questions (session_id, audience, question, asked_at, source, state, merged_into)
         SELECT session_id, audience, 'How much money?', asked_at, source, 'merged', id FROM questions",
        "INSERT INTO reminders (session_id, at_time, tz, set_by, set_at, enabled, generation)
         SELECT id, '09:30', 'UTC', created_by, created_at, 1, 1 FROM sessions WHERE title IN ('A one', 'B one')",
    ] {
        crate::testdb::query(sql).execute(&app.pool).await.expect("triage");
    }
    for (team, user) in [(TEAM_A, USER_A), (TEAM_B, USER_B)] {
        crate::testdb::query("INSERT INTO users (team_id, user_id, display_name, fetched_at) VALUES (?, ?, 'Someone', '2026-11-30T00:00:00Z')")
            .bind(team)
            .bind(user)
            .execute(&app.pool)
            .await
            .expect("name");
    }
    app.settle().await;
}

/// (sessions, questions, votes, drafts, cached names, reminders) of `team`.
async fn data_of(app: &TestApp, team: &str) -> [i64; 6] {
    let mut out = [0; 6];
    for (i, sql) in [
        "SELECT COUNT(*) FROM sessions WHERE team_id = ?",
        "SELECT COUNT(*) FROM questions q JOIN sessions s ON s.id = q.session_id WHERE s.team_id = ?",
        "SELECT COUNT(*) FROM question_votes v JOIN questions q ON q.id = v.question_id JOIN sessions s ON s.id = q.session_id WHERE s.team_id = ?",
        "SELECT COUNT(*) FROM drafts d JOIN sessions s ON s.id = d.session_id WHERE s.team_id = ?",
        "SELECT COUNT(*) FROM users WHERE team_id = ?",
        "SELECT COUNT(*) FROM reminders r JOIN sessions s ON s.id = r.session_id WHERE s.team_id = ?",
    ]
    .into_iter()
    .enumerate()
    {
        out[i] = crate::testdb::query_scalar(sql)
            .bind(team)
            .fetch_one(&app.pool)
            .await
            .expect("count");
    }
    out
}

#[tokio::test]
async fn purge_on_uninstall_deletes_that_workspaces_data_and_nothing_else() {
    let app = spawn_app_with(Options {
        purge_on_uninstall: true,
        ..installs()
    })
    .await;
    install(&app, &acme()).await;
    install(&app, &bravo()).await;
    seed_two_workspaces(&app).await;
    assert_eq!(data_of(&app, TEAM_A).await, [2, 2, 1, 1, 1, 1]);
    let b = data_of(&app, TEAM_B).await;
    assert_eq!(b, [1, 2, 0, 0, 1, 1]);
    assert_eq!(app.event(&uninstalled(TEAM_A, "EvGone")).await.status, 200);
    app.settle().await;
    assert_eq!(data_of(&app, TEAM_A).await, [0; 6]);
    assert_eq!(data_of(&app, TEAM_B).await, b);
    let out = app.wb(&["teams", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], TEAM_B);
    assert_eq!(listed[0]["sessions"], 1);
}

#[tokio::test]
async fn wb_purge_asks_first_then_deletes_one_workspaces_data_quietly() {
    let app = spawn_app().await;
    seed_two_workspaces(&app).await;
    let b = data_of(&app, TEAM_B).await;
    // Piped without --yes: refused, nothing deleted.
    let refused = app.wb(&["purge", "--team", TEAM_A]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    let bad = app.wb(&["purge", "--team", "C0NOTATEAM", "--yes"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--team"));
    assert_eq!(data_of(&app, TEAM_A).await, [2, 2, 1, 1, 1, 1]);
    let done = app.wb(&["purge", "--team", TEAM_A, "--yes"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        done.stdout.is_empty() && done.stderr.is_empty(),
        "quiet when piped"
    );
    assert_eq!(data_of(&app, TEAM_A).await, [0; 6]);
    assert_eq!(data_of(&app, TEAM_B).await, b);
    // The export of what is left still works.
    let listed = app.wb(&["sessions", "--json"]);
    let sessions: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(sessions.as_array().map(Vec::len), Some(1));
}
