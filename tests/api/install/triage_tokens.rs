//! Every job triage queues names its workspace and goes out with that
//! workspace's token: time-zone lookups and their confirmations, daily and
//! on-demand digests — and a reminder job of an older wb, which names none,
//! with its session's.

use super::isolation::teams_of;
use super::isolation_triage::acme_with_questions;
use super::*;
use crate::helpers::*;
use crate::triage::mount_triage;

/// Waits until `sql` counts at least `want`, waking the worker meanwhile.
async fn wait_count(app: &TestApp, sql: &str, want: i64) {
    let start = std::time::Instant::now();
    loop {
        if count(app, sql).await >= want {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "{sql}: want {want}"
        );
        app.state.wake_outbox();
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// The bot's digests (thread posts opening with the alarm clock) into `channel`.
async fn digests_in(app: &TestApp, channel: &str) -> usize {
    app.calls("chat.postMessage")
        .await
        .iter()
        .filter(|p| p["channel"] == channel)
        .filter(|p| {
            p["text"]
                .as_str()
                .is_some_and(|t| t.starts_with(":alarm_clock:"))
        })
        .count()
}

#[tokio::test]
async fn triage_and_reminder_jobs_go_out_with_their_own_workspaces_token() {
    let app = spawn_app_with(installs()).await;
    mount_triage(&app, "Europe/Paris").await;
    acme_with_questions(&app).await;
    let (b_id, b_root) = start_session_in(&app, TEAM_B, CHANNEL_B, USER_B, "Bravo idea").await;
    let question = reply_in(
        TEAM_B,
        CHANNEL_B,
        USER_B,
        "1763740100.000401",
        &b_root,
        "Who buys it?",
    );
    assert_eq!(
        app.event(&envelope_in(TEAM_B, "EvQB", question))
            .await
            .status,
        200
    );
    app.settle().await;

    // A sets a daily reminder (its time zone asked with A's token); B asks
    // for the digest now.
    let set = command_in(&app, TEAM_A, CHANNEL_A, USER_A, "remind 1 daily 09:30").await;
    assert!(set.body.contains("09:30"), "{}", set.body);
    let now = command_in(&app, TEAM_B, CHANNEL_B, USER_B, "remind now").await;
    assert!(now.body.contains("Posted"), "{}", now.body);
    wait_count(
        &app,
        "SELECT COUNT(*) FROM reminders WHERE session_id = 1 AND next_due_ms IS NOT NULL",
        1,
    )
    .await;
    app.settle_due().await;
    assert_eq!(teams_of(&app, "users.info").await, [TEAM_A]);
    let remind_of_a = format!("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"kind\":\"remind\"%' AND job LIKE '%\"team_id\":\"{TEAM_A}\"%'");
    assert_eq!(count(&app, &remind_of_a).await, 1, "the reminder names A");

    // A time-zone job of an older wb names no workspace: its session's token.
    app.state
        .store
        .write(move |tx| tx.set_reminder(b_id, "10:00", USER_B).map(|_| ()))
        .await
        .expect("reminder of B");
    let old = format!(
        r#"{{"kind":"reminder_zone","session_id":{b_id},"generation":1,"user_id":"{USER_B}","channel_id":"{CHANNEL_B}","at_time":"10:00"}}"#
    );
    crate::testdb::query(
        "INSERT INTO outbox (job, created_at, due_at_ms) VALUES (?, '2026-11-30T00:00:00Z', 0)",
    )
    .bind(&old)
    .execute(&app.pool)
    .await
    .expect("old job");
    app.state.wake_outbox();
    wait_count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM reminders WHERE session_id = {b_id} AND next_due_ms IS NOT NULL"
        ),
        1,
    )
    .await;
    app.settle_due().await;
    assert_eq!(teams_of(&app, "users.info").await, [TEAM_A, TEAM_B]);

    // Both daily reminders come due: each digest goes into its own thread.
    crate::testdb::query("UPDATE outbox SET due_at_ms = 0 WHERE state = 'pending' AND job LIKE '%\"kind\":\"remind\"%'")
        .execute(&app.pool)
        .await
        .expect("due now");
    app.state.wake_outbox();
    let start = std::time::Instant::now();
    while digests_in(&app, CHANNEL_A).await < 1 || digests_in(&app, CHANNEL_B).await < 2 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "digests did not come"
        );
        app.state.wake_outbox();
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    app.settle_due().await;

    // Every message went out with the token of the workspace it is in.
    for m in ["chat.postMessage", "chat.postEphemeral"] {
        let calls = app.calls(m).await;
        let teams = teams_of(&app, m).await;
        assert!(!calls.is_empty(), "{m}");
        for (call, team) in calls.iter().zip(teams) {
            let want = if call["channel"] == CHANNEL_A {
                TEAM_A
            } else {
                TEAM_B
            };
            assert_eq!(team, want, "{m}: {call}");
        }
    }
    // The older job's confirmation reached B's setter in B's channel.
    assert!(app
        .calls("chat.postEphemeral")
        .await
        .iter()
        .any(|c| c["channel"] == CHANNEL_B
            && c["text"]
                .as_str()
                .unwrap_or("")
                .contains("Every day at 10:00")));
}
