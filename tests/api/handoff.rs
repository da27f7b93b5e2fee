//! Jobs handed to the outbox worker in memory (`app::handoff`): written
//! already claimed by the process that queued them, so nothing else claims
//! them while it lives, and a restart resumes them like any claimed job —
//! in doubt, so a post made just before a crash is looked for, not repeated.

use serde_json::json;

use crate::helpers::*;

fn post(text: &str) -> wb::jobs::Job {
    wb::jobs::Job::call(
        &wb::domain::tenant::Workspace::new(TEAM, None),
        "chat.postMessage",
        json!({"channel": CHANNEL, "text": text}),
    )
}

async fn claim(store: &wb::store::Store) -> Vec<wb::store::outbox::OutboxRow> {
    let worker = store.replica().to_string();
    store
        .write(move |tx| tx.claim_due_jobs(&worker, 10))
        .await
        .expect("claim")
        .jobs
}

#[tokio::test]
async fn a_job_queued_claimed_runs_once_and_resumes_in_doubt_after_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let _drop = crate::testdb::DropDb::of(dir.path());
    let url = crate::testdb::db_url(dir.path());
    let clock = wb::clock::Clock::system();
    let first = wb::store::Store::open(&url, clock.clone())
        .await
        .expect("open");
    let worker = first.replica().to_string();
    let (handed, pending) = first
        .write(move |tx| {
            let handed = tx.enqueue_claimed(&post("handed"), &worker)?;
            let pending = tx.enqueue(&post("pending"))?;
            Ok((handed, pending))
        })
        .await
        .expect("queued");
    assert_eq!(handed.attempts, 1, "its first attempt is the hand-over's");
    assert_eq!(handed.in_doubt_since_ms, None);
    let job: wb::jobs::Job = serde_json::from_str(&handed.job).expect("the row holds the job");
    assert_eq!(job.method(), "chat.postMessage");

    // The worker's claims take only the pending job: the handed one is its
    // runner's while this process lives.
    let claimed: Vec<i64> = claim(&first).await.iter().map(|r| r.id).collect();
    assert_eq!(claimed, vec![pending]);
    assert!(claim(&first).await.is_empty());
    // Back-pressure counts it as waiting until an attempt of it ends.
    let (h, p) = (handed.id, pending);
    let waiting = first
        .read(move |tx| tx.unattempted_jobs_between(h.min(p), h.max(p)))
        .await
        .expect("waiting");
    assert!(waiting.contains(&handed.id), "{waiting:?}");

    // The process dies with both jobs unfinished; the next one resumes them.
    first.close().await;
    let second = wb::store::Store::open(&url, clock).await.expect("reopen");
    let released = second
        .write(|tx| tx.release_leases())
        .await
        .expect("release");
    assert_eq!(released, 2);
    let mut again = claim(&second).await;
    again.sort_by_key(|r| r.id);
    let ids: Vec<i64> = again.iter().map(|r| r.id).collect();
    let mut expected = vec![handed.id, pending];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    for row in &again {
        assert_eq!(row.attempts, 2, "job {}", row.id);
        assert!(
            row.in_doubt_since_ms.is_some(),
            "job {} was cut off: it looks for its post first",
            row.id
        );
    }
    second.close().await;
}
