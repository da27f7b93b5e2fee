//! Durable timers: reading starts by itself at its time, survives a restart
//! (and a crash) and runs once, late if it must — and says so; a second
//! review replaces the first's timers; the reminders 24 h and 1 h before.

use std::time::Duration;

use jiff::Timestamp;
use wb::clock::ManualClock;

use super::*;

/// The review form, opened and submitted with requests signed at `at`.
async fn schedule_at(app: &TestApp, at: i64, when: i64, view_id: &str) {
    let before = app.calls("views.open").await.len();
    let click = press(app, "wb_review", USER, "1", ROOT);
    assert_eq!(interaction_at(app, &click, at).await.status, 200);
    let opened = app.wait_for_calls("views.open", before + 1).await;
    let values = review_values(Some(when), "20", &[ANA]);
    let answer = interaction_at(app, &submit(&opened[before], USER, values, view_id), at).await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.is_empty(), "{}", answer.body);
}

#[tokio::test]
async fn a_review_scheduled_two_seconds_ahead_starts_by_itself() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;

    let due = now() + 2;
    schedule(&app, Some(due), "20", &[ANA, BO], "V0SOON").await;
    let note = wait_for_post(&app, "scheduled by").await;
    assert!(text_of(&note).contains("<@U0ANA>, <@U0BO>"), "{note}");
    let early = posts_with(&app, "Silent reading — review #1").await;
    assert!(early.is_empty() || now() >= due, "not before its time");

    let copy = wait_for_post(&app, "Silent reading — review #1").await;
    let text = text_of(&copy);
    assert!(
        text.contains("<@U0ANA>") && text.contains("draft v1"),
        "{text}"
    );
    assert!(
        text.contains("FridgeCam shows what is inside your fridge."),
        "{text}"
    );
    assert!(!text.contains("Starting late"), "{text}");
    assert_eq!(copy["thread_ts"], ROOT);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM reviews WHERE started_at IS NOT NULL AND ends_at IS NOT NULL"
        )
        .await,
        1
    );
    // The doc set as a canvas of the reviewed version, linked in the thread.
    let canvas = app.wait_for_calls("canvases.create", 1).await;
    assert!(canvas[0].to_string().contains("FridgeCam"));
    wait_for_post(&app, "reading copy of review #1").await;
    settle_due(&app).await;
    assert_eq!(
        posts_with(&app, "Silent reading — review #1").await.len(),
        1
    );
}

#[tokio::test]
async fn the_reading_timer_survives_a_restart_and_runs_once_saying_it_is_late() {
    let start = Timestamp::now();
    let manual = ManualClock::new(start);
    let app = spawn_app_with(Options {
        clock: Some(manual.clock()),
        // Pacing turns come by this clock; time moves only when told.
        pacing: false,
        ..Options::default()
    })
    .await;
    session_with_draft(&app).await;
    let due = start.as_second() + 3600;
    schedule(&app, Some(due), "20", &[ANA], "V0RESTART").await;
    settle_due(&app).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%review_start%'"
        )
        .await,
        1,
        "the start is a job in the database"
    );

    // wb is down at the due time; it comes back two hours later.
    let (slack, dir) = app.stop().await;
    manual.advance(Duration::from_secs(2 * 3600));
    let app = start_again(slack, dir, &manual).await;

    let copy = wait_for_post(&app, "Silent reading — review #1").await;
    let text = text_of(&copy);
    assert!(text.contains("Starting late"), "{text}");
    assert!(
        text.contains(&format!("<!date^{due}^")),
        "says when it was due: {text}"
    );
    settle_due(&app).await;
    app.state.wake_outbox();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        posts_with(&app, "Silent reading — review #1").await.len(),
        1,
        "once"
    );
    // Reading runs its full time from the late start.
    let ends: String = crate::testdb::query_scalar("SELECT ends_at FROM reviews WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .expect("ends_at");
    let want = manual.now() + jiff::SignedDuration::from_mins(20);
    let got: Timestamp = ends.parse().expect("time");
    assert!((got.as_second() - want.as_second()).abs() <= 5, "{ends}");
}

async fn start_again(
    slack: wiremock::MockServer,
    dir: std::sync::Arc<tempfile::TempDir>,
    manual: &ManualClock,
) -> TestApp {
    start(
        slack,
        Options {
            clock: Some(manual.clock()),
            // Pacing turns come by this clock; time moves only when told.
            pacing: false,
            db_dir: Some(dir),
            ..Options::default()
        },
    )
    .await
}

#[tokio::test]
async fn reading_ends_when_its_time_is_up() {
    let manual = ManualClock::new(Timestamp::now());
    let app = spawn_app_with(Options {
        clock: Some(manual.clock()),
        // Pacing turns come by this clock; time moves only when told.
        pacing: false,
        ..Options::default()
    })
    .await;
    session_with_draft(&app).await;
    schedule(&app, None, "1", &[ANA], "V0MINUTE").await;
    wait_for_post(&app, "Silent reading — review #1").await;
    settle_due(&app).await;
    assert!(posts_with(&app, "Review #1 — comments").await.is_empty());

    manual.advance(Duration::from_secs(61));
    app.state.wake_outbox();

    let post = wait_for_post(&app, "Review #1 — comments").await;
    assert!(
        text_of(&post).contains("Time is up. Nobody wrote a comment."),
        "{post}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM reviews WHERE ended_at IS NOT NULL AND ended_by IS NULL"
        )
        .await,
        1
    );
    assert_eq!(status(&app).await, "in_review", "awaiting the decision");
    // The reading copy loses End reading and offers Decide.
    wait_until("the reading copy's update", || async {
        app.calls("chat.update")
            .await
            .iter()
            .any(|u| u["ts"] != ROOT && u.to_string().contains("wb_decide"))
    })
    .await;
}

#[tokio::test]
async fn a_second_review_replaces_the_first_and_its_timers() {
    let app = spawn_unpaced().await;
    session_with_draft(&app).await;
    schedule(&app, Some(now() + 3 * 3600), "20", &[ANA], "V0FIRST").await;
    schedule(&app, Some(now() + 30 * 3600), "30", &[BO], "V0SECOND").await;
    settle_due(&app).await;

    let note = wait_for_post(&app, "This replaces review #1").await;
    assert!(text_of(&note).contains("*Review #2*"), "{note}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM reviews WHERE id = 1 AND canceled_at IS NOT NULL AND replaced_by = 2").await,
        1
    );
    // The first review's start and reminder are called off; the second's wait.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"review_id\":1,%'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE last_error = 'canceled'"
        )
        .await,
        2,
        "review 1's start and its 1 h reminder"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"review_id\":2,%'"
        )
        .await,
        3,
        "review 2's start and its 24 h and 1 h reminders"
    );
    // The form knows: a new one says it replaces the open review.
    let view = open_form(&app, "wb_review", USER).await;
    assert!(view["view"].to_string().contains("Review #2"), "{view}");
}

#[tokio::test]
async fn reminders_24_and_1_hours_before_count_the_open_questions() {
    let start = Timestamp::now();
    let manual = ManualClock::new(start);
    let app = spawn_app_with(Options {
        clock: Some(manual.clock()),
        // Pacing turns come by this clock; time moves only when told.
        pacing: false,
        ..Options::default()
    })
    .await;
    session_with_draft(&app).await;
    crate::faq::reply(&app, "EvQ1", "1763740200.000100", "How much does it cost?").await;
    crate::faq::reply(&app, "EvQ2", "1763740201.000100", "IQ: What is the margin?").await;
    settle_due(&app).await;
    let at = start.as_second() + 30 * 3600;
    schedule_at(&app, start.as_second(), at, "V0NUDGE").await;
    settle_due(&app).await;
    assert!(posts_with(&app, ":alarm_clock:").await.is_empty());

    // 24 h before.
    manual.advance(Duration::from_secs(6 * 3600 + 1));
    app.state.wake_outbox();
    let nudge = wait_for_post(&app, "starts in 24 hours").await;
    assert!(
        text_of(&nudge).contains("*2 FAQ questions* are still open"),
        "{nudge}"
    );

    // An answer meanwhile; 1 h before, the count is current.
    crate::testdb::query("INSERT INTO answers (question_id, answer, answered_by, answered_at) VALUES (1, '$49', 'U1', '2026-12-01T00:00:00Z')")
        .execute(&app.pool)
        .await
        .expect("answer");
    // As the store's answer does: an answered question is `answered`.
    crate::testdb::query("UPDATE questions SET state = 'answered' WHERE id = 1")
        .execute(&app.pool)
        .await
        .expect("state");
    manual.advance(Duration::from_secs(23 * 3600));
    app.state.wake_outbox();
    let nudge = wait_for_post(&app, "starts in 1 hour").await;
    assert!(
        text_of(&nudge).contains("*1 FAQ question* is still open"),
        "{nudge}"
    );
    assert_eq!(posts_with(&app, ":alarm_clock:").await.len(), 2);
}

#[tokio::test]
async fn a_crash_before_the_due_time_loses_no_timer() {
    use crate::process::spawn_serve;
    let slack = wiremock::MockServer::start().await;
    mount_defaults(&slack).await;
    let dir = tempfile::tempdir().expect("dir");
    let db_url = crate::testdb::db_url(dir.path());
    let mut wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");
    let send = |addr, body: Vec<u8>, p: &'static str, ct: &'static str| async move {
        raw_to(addr, "POST", p, ct, body, Signing::Valid).await
    };
    let form = "application/x-www-form-urlencoded";
    let started = send(
        wb.addr,
        command_form(
            "pressrelease Crash idea",
            &format!("{}/response", slack.uri()),
        ),
        "/slack/commands",
        form,
    )
    .await;
    assert_eq!(started.status, 200);
    let pool = crate::testdb::connect(&db_url).await.expect("pool");
    let sessions = || async {
        crate::testdb::query_scalar::<i64>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap_or(0)
    };
    wait_until("the session", || async { sessions().await == 1 }).await;
    let root: String = crate::testdb::query_scalar("SELECT thread_ts FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("root");
    let mut click: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    click["actions"][0]["action_id"] = json!("wb_review");
    click["container"]["message_ts"] = json!(root);
    click["response_url"] = json!(format!("{}/response", slack.uri()));
    let payload = |v: &Value| {
        serde_urlencoded::to_string([("payload", v.to_string())])
            .expect("form")
            .into_bytes()
    };
    assert_eq!(
        send(wb.addr, payload(&click), "/slack/interactions", form)
            .await
            .status,
        200
    );
    let opened = wait_views_open(&slack).await;
    let due = now() + 5;
    let submitted = submit(
        &opened,
        USER,
        review_values(Some(due), "20", &[ANA]),
        "V0CRASH",
    );
    let answer = send(wb.addr, payload(&submitted), "/slack/interactions", form).await;
    assert!(answer.body.is_empty(), "{}", answer.body);

    wb.child.kill().expect("SIGKILL");
    let _ = wb.child.wait();
    assert!(now() < due, "killed before the due time");
    while now() <= due {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let reading = || async {
        slack
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == "/api/chat.postMessage")
            .filter(|r| String::from_utf8_lossy(&r.body).contains("Silent reading — review #1"))
            .count()
    };
    assert_eq!(reading().await, 0, "nothing ran while wb was down");

    let _wb = spawn_serve(&db_url, &slack.uri(), dir.path(), "info");
    wait_until("reading after the restart", || async {
        reading().await == 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(reading().await, 1, "once");
    let started: i64 =
        crate::testdb::query_scalar("SELECT COUNT(*) FROM reviews WHERE started_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(started, 1);
}

async fn wait_views_open(slack: &wiremock::MockServer) -> Value {
    let start = std::time::Instant::now();
    loop {
        let found = slack
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|r| r.url.path() == "/api/views.open");
        if let Some(r) = found {
            return serde_json::from_slice(&r.body).expect("json");
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no views.open");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
