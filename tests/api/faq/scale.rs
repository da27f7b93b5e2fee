//! A burst: 200 distinct question events, 20 in flight at a time, are all
//! acknowledged with 200 and all stored — no "database is locked", no loss.

use std::collections::BTreeSet;
use std::sync::Arc;

use tokio::task::JoinSet;

use super::*;
use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_questions_are_all_acked_and_all_stored() {
    // About storage under a burst, against a fake Slack without limits: pacing
    // off, or the 200 reactions would take Tier 3's four minutes (pacing has
    // its own tests in tests/api/pacing.rs).
    let app = Arc::new(
        spawn_app_with(Options {
            pacing: false,
            ..Options::default()
        })
        .await,
    );
    app.start_session("Smart fridge camera").await;
    const TOTAL: usize = 200;
    const IN_FLIGHT: usize = 20;

    let mut running = JoinSet::new();
    let mut statuses = Vec::with_capacity(TOTAL);
    for i in 0..TOTAL {
        if running.len() == IN_FLIGHT {
            if let Some(done) = running.join_next().await {
                statuses.push(done.expect("request task"));
            }
        }
        let app = app.clone();
        running.spawn(async move {
            let ts = format!("1763741000.{i:06}");
            let user = format!("U{i:08}");
            let event = reply_event(&ts, ROOT, &user, &format!("Question number {i}?"));
            let answer = app.event(&envelope(&format!("EvBurst{i:03}"), event)).await;
            (answer.status, answer.body)
        });
    }
    while let Some(done) = running.join_next().await {
        statuses.push(done.expect("request task"));
    }

    assert_eq!(statuses.len(), TOTAL);
    for (status, body) in &statuses {
        assert_eq!(*status, 200, "{body}");
    }
    let stored: Vec<String> = crate::testdb::query_scalar("SELECT question FROM questions")
        .fetch_all(&app.pool)
        .await
        .expect("questions");
    let distinct: BTreeSet<&String> = stored.iter().collect();
    assert_eq!(stored.len(), TOTAL);
    assert_eq!(distinct.len(), TOTAL);
    assert_eq!(export(&app)["faq"].as_array().map(Vec::len), Some(TOTAL));
    app.wait_for_calls("reactions.add", TOTAL).await;
    // The root message's count catches up, without one update per reply.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let updates = app.calls("chat.update").await;
        if updates
            .iter()
            .any(|u| u.to_string().contains(":question: 200 questions"))
        {
            assert!(updates.len() < TOTAL / 2, "{} updates", updates.len());
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "root never showed 200"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
