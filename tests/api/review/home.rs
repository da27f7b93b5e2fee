//! The Home tab as a portfolio: sessions by stage with their facts and
//! links, the viewer's reviews first, within Slack's 100 blocks.

use serde_json::Value;

use super::*;

/// 150 sessions in three stages, the newest most recently active; the
/// newest in review has a review read by USER.
async fn seed(app: &TestApp) {
    for i in 1..=150_i64 {
        let status = match i % 3 {
            0 => "decided",
            1 => "drafting",
            _ => "in_review",
        };
        crate::testdb::query(
            "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at, status)
             VALUES (?, ?, ?, ?, 'U0ADA', '2026-11-21T09:00:00Z', ?, ?)",
        )
        .bind(TEAM)
        .bind(CHANNEL)
        .bind(format!("1763000000.{i:06}"))
        .bind(format!("Idea {i} <!here> {}", "long title ".repeat(30)))
        .bind(format!("2026-11-21T10:{:02}:{:02}Z", i / 60, i % 60))
        .bind(status)
        .execute(&app.pool)
        .await
        .expect("session");
        if status == "decided" {
            crate::testdb::query(
                "INSERT INTO decisions (session_id, outcome, rationale, decided_by, decided_at) VALUES (?, ?, 'why', 'U0ADA', '2026-11-22T10:00:00Z')",
            )
            .bind(i)
            .bind(if i % 2 == 0 { "go" } else { "no_go" })
            .execute(&app.pool)
            .await
            .expect("decision");
        }
    }
    crate::testdb::query(
        "INSERT INTO drafts (session_id, version, author, created_at, source, body) VALUES (149, 1, 'U0ADA', '2026-11-21T09:00:00Z', 'thread', 'x'),
                (149, 2, 'U0ADA', '2026-11-21T09:10:00Z', 'thread', 'y')",
    )
    .execute(&app.pool)
    .await
    .expect("drafts");
    crate::testdb::query(
        "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source) VALUES (149, 'external', 'Price?', 'U0ADA', '2026-11-21T09:00:00Z', 'thread')",
    )
    .execute(&app.pool)
    .await
    .expect("question");
    crate::testdb::query(
        "INSERT INTO reviews (session_id, version, scheduled_at, reading_minutes, created_by, created_at)
         VALUES (149, 2, '2030-01-02T10:00:00Z', 20, 'U0ADA', '2026-11-21T09:00:00Z')",
    )
    .execute(&app.pool)
    .await
    .expect("review");
    crate::testdb::query(
        "INSERT INTO review_reviewers (review_id, user_id, position) VALUES (1, ?, 0)",
    )
    .bind(USER)
    .execute(&app.pool)
    .await
    .expect("reviewer");
}

#[tokio::test]
async fn the_home_tab_shows_150_sessions_by_stage_within_slacks_limits() {
    let app = spawn_unpaced().await;
    mount_meeting(&app).await;
    seed(&app).await;

    let event = envelope(
        "EvHome150",
        json!({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "home", "event_ts": "1.1"}),
    );
    assert_eq!(app.event(&event).await.status, 200);
    let published = app.wait_for_calls("views.publish", 1).await;
    let view = &published[0]["view"];
    assert_eq!(published[0]["user_id"], USER);
    assert_eq!(view["type"], "home");
    let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
    assert!(blocks.len() <= 100, "{} blocks", blocks.len());
    for b in &blocks {
        let text = b["text"]["text"].as_str().unwrap_or_default();
        let max = if b["type"] == "header" { 150 } else { 3000 };
        assert!(text.chars().count() <= max, "{b}");
        for e in b["elements"].as_array().into_iter().flatten() {
            assert!(e["text"].as_str().unwrap_or_default().chars().count() <= 2000);
        }
    }
    assert!(
        view.to_string().len() < 250_000,
        "views.publish takes at most 250 kB"
    );

    let text = blocks
        .iter()
        .filter_map(|b| {
            b["text"]["text"]
                .as_str()
                .or_else(|| b["elements"][0]["text"].as_str())
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!text.contains("<!here>"), "titles are escaped");
    let at = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{text}"))
    };
    assert!(
        text.contains("150 sessions · 50 drafting · 50 in review · 50 decided (25 Go, 25 No-go)")
    );
    // Your reviews first, then the stages; the newest first within each.
    assert!(at("*Your reviews*") < at("*In review* (50)"));
    assert!(at("*In review* (50)") < at("*Drafting* (50)"));
    assert!(at("*Drafting* (50)") < at("*Decided* (50: 25 Go, 25 No-go)"));
    assert!(at("#149 Idea 149") < at("#146 Idea 146"));
    assert!(
        text.contains("v2 · 1 open question · review <!date^1893578400^"),
        "{text}"
    );
    assert!(text.contains(":white_check_mark: *Go*") && text.contains(":no_entry: *No-go*"));
    assert!(text.contains("more — `wb sessions`"), "the rest is counted");
    assert!(!text.contains("#1 Idea 1 "), "the oldest is left out");
    assert!(
        text.contains(&format!("<{PERMALINK}|#150 Idea 150")),
        "linked to its thread"
    );
    app.settle().await;
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE permalink IS NOT NULL"
        )
        .await
            >= 20,
        "links remembered"
    );
}

#[tokio::test]
async fn the_home_tab_of_an_empty_workspace_says_how_to_start() {
    let app = spawn_unpaced().await;
    mount_meeting(&app).await;
    let event = envelope(
        "EvHomeEmpty",
        json!({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "home", "event_ts": "1.1"}),
    );
    assert_eq!(app.event(&event).await.status, 200);
    let published = app.wait_for_calls("views.publish", 1).await;
    let view: &Value = &published[0]["view"];
    assert!(view.to_string().contains("No sessions yet"));
}
