//! Several replicas on one PostgreSQL database (SPEC §5.5): two real `wb
//! serve` processes share the database and one fake Slack. A Slack retry
//! landing on the other replica is stored once, session numbers stay unique,
//! and the job of a replica killed with SIGKILL is finished by the other one,
//! posted once. On SQLite (one process by design) these tests say so and pass.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::exactly_once::{command, is_root, killed, pending, sessions, Crashing};
use crate::helpers::*;
use crate::process::{spawn_serve, WbProcess};

fn on_postgres(test: &str) -> bool {
    let pg = crate::testdb::is_pg();
    if !pg {
        eprintln!("{test}: replicas need PostgreSQL (set WB_TEST_DATABASE_URL); skipped on SQLite");
    }
    pg
}

async fn event_to(wb: &WbProcess, payload: &serde_json::Value) -> u16 {
    raw_to(
        wb.addr,
        "POST",
        "/slack/events",
        "application/json",
        payload.to_string().into_bytes(),
        Signing::Valid,
    )
    .await
    .status
}

async fn drained(db_url: &str) {
    let start = Instant::now();
    while pending(db_url).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "outbox did not drain"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn scalar(db_url: &str, sql: &str) -> i64 {
    let pool = crate::testdb::connect(db_url).await.expect("db");
    let n = crate::testdb::query_scalar(sql)
        .fetch_one(&pool)
        .await
        .expect(sql);
    pool.close().await;
    n
}

#[tokio::test]
async fn a_slack_retry_on_the_other_replica_is_stored_once_and_session_numbers_stay_unique() {
    if !on_postgres("replicas") {
        return;
    }
    let fake = Crashing::start(|_| false).await;
    let dir = tempfile::tempdir().expect("dir");
    let _drop = crate::testdb::DropDb::of(dir.path());
    let db_url = crate::testdb::db_url(dir.path());
    let a = fake.serve(&db_url, dir.path());
    let b = spawn_serve(&db_url, &fake.slack.uri(), dir.path(), "info");

    // Sessions started on both replicas at once.
    let mut starts = Vec::new();
    for i in 0..6 {
        let wb = if i % 2 == 0 { &a } else { &b };
        starts.push(command(
            wb,
            &fake.slack,
            match i {
                0 => "pressrelease Idea zero",
                1 => "pressrelease Idea one",
                2 => "pressrelease Idea two",
                3 => "pressrelease Idea three",
                4 => "pressrelease Idea four",
                _ => "pressrelease Idea five",
            },
        ));
    }
    futures_util::future::join_all(starts).await;
    drained(&db_url).await;
    let stored = sessions(&db_url).await;
    assert_eq!(stored.len(), 6, "{stored:?}");
    let mut ids: Vec<i64> = stored.iter().map(|s| s.0).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6, "unique session numbers: {ids:?}");
    assert_eq!(fake.posts(is_root).len(), 6, "one root message each");

    // The same event, delivered to A and retried by Slack to B, at once.
    let root = stored[0].1.clone();
    let reply = envelope(
        "EvReplicaRetry1",
        json!({"type": "message", "channel": CHANNEL, "user": USER,
               "text": "Q: Does it work on two replicas?",
               "ts": format!("{}.000700", now()), "thread_ts": root}),
    );
    let (to_a, to_b) = tokio::join!(event_to(&a, &reply), event_to(&b, &reply));
    assert_eq!((to_a, to_b), (200, 200));
    drained(&db_url).await;
    assert_eq!(scalar(&db_url, "SELECT COUNT(*) FROM questions").await, 1);
    assert_eq!(
        scalar(
            &db_url,
            "SELECT COUNT(*) FROM processed_events WHERE event_id = 'EvReplicaRetry1'"
        )
        .await,
        1
    );
    let reactions = fake
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/api/reactions.add")
        .count();
    assert_eq!(reactions, 1, "one capture reaction");
}

#[tokio::test]
async fn a_replica_killed_mid_post_has_its_job_finished_by_the_other_posted_once() {
    if !on_postgres("replicas") {
        return;
    }
    let fake = Crashing::start(is_root).await;
    let dir = tempfile::tempdir().expect("dir");
    let _drop = crate::testdb::DropDb::of(dir.path());
    let db_url = crate::testdb::db_url(dir.path());
    let survivor = spawn_serve(&db_url, &fake.slack.uri(), dir.path(), "info");
    // The fake kills the replica started last when the root message is posted.
    let mut victim = fake.serve(&db_url, dir.path());

    command(&victim, &fake.slack, "pressrelease Survives a crash").await;
    killed(&mut victim);
    let killed_at = Instant::now();
    assert_eq!(fake.posts(is_root).len(), 1, "Slack has the post");

    let start = Instant::now();
    while sessions(&db_url).await.is_empty() || pending(&db_url).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the other replica did not take the job over within 30 s: {}",
            survivor.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let took = killed_at.elapsed();
    let roots = fake.posts(is_root);
    assert_eq!(roots.len(), 1, "posted once across replicas: {roots:?}");
    let stored = sessions(&db_url).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(Some(stored[0].1.as_str()), roots[0]["ts"].as_str());
    eprintln!(
        "taken over and finished {} ms after the kill",
        took.as_millis()
    );
}

#[tokio::test]
async fn replicas_claiming_at_once_never_take_the_same_job() {
    if !on_postgres("claims") {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let _drop = crate::testdb::DropDb::of(dir.path());
    let url = crate::testdb::db_url(dir.path());
    let clock = wb::clock::Clock::system();
    let a = wb::store::Store::open(&url, clock.clone())
        .await
        .expect("a");
    let b = wb::store::Store::open(&url, clock).await.expect("b");
    assert_ne!(a.replica(), b.replica(), "a worker id per process");
    a.write(|tx| {
        for i in 0..60 {
            let job = wb::jobs::Job::call(
                &wb::domain::tenant::Workspace::new(TEAM, None),
                "chat.postMessage",
                json!({"channel": CHANNEL, "text": format!("job {i}")}),
            );
            tx.enqueue(&job)?;
        }
        Ok(())
    })
    .await
    .expect("queued");
    let claim = |store: wb::store::Store| async move {
        let mut mine = Vec::new();
        loop {
            let worker = store.replica().to_string();
            let claimed = store
                .write(move |tx| tx.claim_due_jobs(&worker, 4))
                .await
                .expect("claim");
            if claimed.jobs.is_empty() {
                return mine;
            }
            mine.extend(claimed.jobs.iter().map(|j| j.id));
        }
    };
    let (by_a, by_b) = tokio::join!(claim(a.clone()), claim(b.clone()));
    let mut all: Vec<i64> = by_a.iter().chain(&by_b).copied().collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(by_a.len() + by_b.len(), 60, "each job claimed once");
    assert_eq!(all.len(), 60);
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn a_renewed_lease_keeps_a_long_job_from_the_other_replica() {
    if !on_postgres("leases") {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let _drop = crate::testdb::DropDb::of(dir.path());
    let url = crate::testdb::db_url(dir.path());
    let manual = wb::clock::ManualClock::new("2026-12-01T09:00:00Z".parse().expect("ts"));
    let a = wb::store::Store::open(&url, manual.clock())
        .await
        .expect("a");
    let b = wb::store::Store::open(&url, manual.clock())
        .await
        .expect("b");
    a.write(|tx| {
        tx.enqueue(&wb::jobs::Job::call(
            &wb::domain::tenant::Workspace::new(TEAM, None),
            "chat.postMessage",
            json!({"channel": CHANNEL, "text": "a long one"}),
        ))
    })
    .await
    .expect("queued");
    let claim = |store: &wb::store::Store| {
        let (store, worker) = (store.clone(), store.replica().to_string());
        async move {
            store
                .write(move |tx| tx.claim_due_jobs(&worker, 10))
                .await
                .expect("claim")
                .jobs
                .len()
        }
    };
    assert_eq!(claim(&a).await, 1);
    // A's job runs on; A renews its lease every few seconds, and B looks.
    for _ in 0..4 {
        manual.advance(Duration::from_secs(60));
        let me = a.replica().to_string();
        let renewed = a
            .write(move |tx| tx.renew_leases(&me))
            .await
            .expect("renew");
        assert_eq!(renewed, 1);
        assert_eq!(claim(&b).await, 0, "taken while A lives and renews");
    }
    // A stops renewing (it hangs): once the lease runs out, B takes the job.
    manual.advance(Duration::from_secs(121));
    assert_eq!(claim(&b).await, 1);
    a.close().await;
    b.close().await;
}
