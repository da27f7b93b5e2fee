//! Daily reminders: `/wb remind daily HH:MM` fires at that wall-clock time
//! in the caller's time zone — once, across restarts and DST — as a durable
//! job; one missed while wb was down is sent late within the hour, skipped
//! after; `off` stops it.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use wb::clock::ManualClock;
use wb::domain::docset::Audience;
use wb::domain::faq::QuestionSource;
use wb::store::questions::NewQuestion;

use super::*;
use crate::helpers::*;

/// Polls the database until `sql` returns `want` (a scheduled job landed).
async fn wait_for(app: &TestApp, sql: &str, want: i64) {
    let start = Instant::now();
    loop {
        let got = count(app, sql).await;
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{sql}: {got}, want {want}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

/// `/wb …` signed at the manual clock's time (Slack's clock is wb's here).
async fn command_at(app: &TestApp, clock: &ManualClock, text: &str) -> Value {
    let answer = app
        .command_signed(text, Signing::At(clock.now().as_second()))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// Session 1 with `questions` (text, votes, owner), stored directly.
async fn session_with(
    app: &TestApp,
    clock: &ManualClock,
    questions: &[(&'static str, i64, Option<&'static str>)],
) {
    command_at(app, clock, "pressrelease Smart fridge camera").await;
    app.wait_for_calls("chat.postMessage", 1).await;
    wait_for(app, "SELECT COUNT(*) FROM sessions", 1).await;
    let questions = questions.to_vec();
    app.state
        .store
        .write(move |tx| {
            for (text, votes, owner) in &questions {
                let id = tx.insert_question(NewQuestion {
                    session_id: 1,
                    audience: Audience::External,
                    question: text,
                    asked_by: Some(ANA),
                    source: QuestionSource::Command,
                    message_ts: None,
                })?;
                for v in 0..*votes {
                    tx.add_vote(id, &format!("U0VOTER{v}"))?;
                }
                tx.set_question_owner(id, *owner)?;
            }
            Ok(())
        })
        .await
        .expect("questions");
}

#[tokio::test]
async fn a_daily_reminder_fires_once_at_the_wall_clock_time_and_once_only_across_a_restart() {
    // Saturday 08:00 in Paris; clocks go forward that night (CET → CEST).
    let clock = ManualClock::new(ts("2026-03-28T07:00:00Z"));
    let app = spawn_app_with(Options {
        clock: Some(clock.clock()),
        // Pacing turns come by this clock; time moves only when told.
        pacing: false,
        ..Options::default()
    })
    .await;
    mount_triage(&app, "Europe/Paris").await;
    session_with(
        &app,
        &clock,
        &[
            ("What will it cost?", 2, Some(BO)),
            ("Who installs it?", 1, None),
        ],
    )
    .await;

    let ack = command_at(&app, &clock, "remind daily 09:30").await;

    assert!(
        ack["text"]
            .as_str()
            .unwrap_or_default()
            .contains("daily reminder for session #1 at 09:30"),
        "{ack}"
    );
    let info = app.wait_for_calls("users.info", 1).await;
    assert_eq!(info.len(), 1);
    let confirm = loop {
        let replies = app.calls("response_url").await;
        if let Some(r) = replies
            .iter()
            .find(|r| r.to_string().contains("Every day at 09:30"))
        {
            break r.clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert!(
        confirm.to_string().contains("09:30 Europe/Paris"),
        "{confirm}"
    );
    assert!(
        confirm.to_string().contains("Next: Sat 2026-03-28 09:30"),
        "{confirm}"
    );
    let first_due = ts("2026-03-28T08:30:00Z").as_millisecond();
    wait_for(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE next_due_ms = {first_due}"),
        1,
    )
    .await;
    assert!(digests(&app).await.is_empty(), "not before its time");

    // 09:30 in Paris: the digest, once.
    clock.set(ts("2026-03-28T08:30:01Z"));
    let posted = wait_for_digests(&app, 1).await;
    assert!(
        posted[0].contains(&format!("1. What will it cost? — 👍 2 · <@{BO}>")),
        "{posted:?}"
    );
    assert!(!posted[0].contains("min late"), "{posted:?}");
    // Next: 09:30 on Sunday is 07:30 UTC (summer time).
    let next_due = ts("2026-03-29T07:30:00Z").as_millisecond();
    wait_for(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE next_due_ms = {next_due}"),
        1,
    )
    .await;
    wait_for(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job NOT LIKE '%\"kind\":\"remind\"%'", 0).await;

    // A restart before the next one: nothing is sent again.
    let (slack, dir) = app.stop().await;
    clock.set(ts("2026-03-29T07:10:00Z"));
    let app = start(
        slack,
        Options {
            defaults: false,
            clock: Some(clock.clock()),
            pacing: false,
            db_dir: Some(dir),
            ..Options::default()
        },
    )
    .await;
    app.state.wake_outbox();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        digests(&app).await.len(),
        1,
        "the fired reminder does not fire again"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"kind\":\"remind\"%' AND attempts = 0").await,
        1,
        "one reminder waits for Sunday"
    );

    // Sunday 09:30 in Paris: the second digest, and only that.
    clock.set(ts("2026-03-29T07:30:01Z"));
    let posted = wait_for_digests(&app, 2).await;
    assert_eq!(posted.len(), 2);
    let monday = ts("2026-03-30T07:30:00Z").as_millisecond();
    wait_for(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE next_due_ms = {monday}"),
        1,
    )
    .await;

    // Off: the pending reminder is gone, and Monday brings nothing.
    let ack = command_at(&app, &clock, "remind off").await;
    assert!(
        ack["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Stopped the daily reminder of session #1"),
        "{ack}"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"kind\":\"remind\"%'").await,
        0
    );
    clock.set(ts("2026-03-30T07:30:01Z"));
    app.state.wake_outbox();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(digests(&app).await.len(), 2);
    assert_eq!(app.calls("users.info").await.len(), 1);
}

#[tokio::test]
async fn a_reminder_missed_while_wb_was_down_is_sent_late_within_the_hour_and_skipped_after() {
    let clock = ManualClock::new(ts("2026-11-30T07:00:00Z"));
    let app = spawn_app_with(Options {
        clock: Some(clock.clock()),
        // Pacing turns come by this clock; time moves only when told.
        pacing: false,
        ..Options::default()
    })
    .await;
    mount_triage(&app, "America/New_York").await;
    session_with(&app, &clock, &[("Where is it sold?", 1, None)]).await;
    command_at(&app, &clock, "remind daily 07:15").await;
    // 07:15 in New York (EST) is 12:15 UTC.
    let due = ts("2026-11-30T12:15:00Z").as_millisecond();
    wait_for(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE next_due_ms = {due}"),
        1,
    )
    .await;

    // Down at 07:15, back 25 minutes later: sent, saying so.
    let (slack, dir) = app.stop().await;
    clock.set(ts("2026-11-30T12:40:00Z"));
    let restarted = |slack, dir| {
        start(
            slack,
            Options {
                defaults: false,
                clock: Some(clock.clock()),
                pacing: false,
                db_dir: Some(dir),
                ..Options::default()
            },
        )
    };
    let app = restarted(slack, dir).await;
    let late = wait_for_digests(&app, 1).await;
    assert!(late[0].contains("Sent 25 min late"), "{late:?}");
    let tomorrow = ts("2026-12-01T12:15:00Z").as_millisecond();
    wait_for(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE next_due_ms = {tomorrow}"),
        1,
    )
    .await;

    // Down again, back two hours after the next one: skipped, logged, and
    // the one after is scheduled.
    let (slack, dir) = app.stop().await;
    clock.set(ts("2026-12-01T14:15:00Z"));
    let app = restarted(slack, dir).await;
    let after = ts("2026-12-02T12:15:00Z").as_millisecond();
    wait_for(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE next_due_ms = {after}"),
        1,
    )
    .await;
    assert_eq!(
        digests(&app).await.len(),
        1,
        "a reminder two hours late is skipped"
    );
}
