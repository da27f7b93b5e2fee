//! The sessions table's queries: numbers, replays, a reply's read.

use super::*;
use crate::domain::session::Title;
use crate::store::outbox::Schedule;

fn new(ts: &str) -> NewSession {
    NewSession {
        team_id: "T1".into(),
        enterprise_id: None,
        channel_id: "C1".into(),
        thread_ts: ts.into(),
        title: Title::parse("Fridge camera").expect("title"),
        created_by: "U1".into(),
    }
}

#[tokio::test]
async fn a_replys_session_comes_with_its_last_activity_and_its_pending_refresh() {
    let (_dir, store) = crate::store::test_store().await;
    let seen = store
        .write(|tx| {
            let id = tx.insert_session(None, &new("1.1"))?.id;
            let other = tx
                .thread_session("C1", "9.9", "2.2", KeptIn::Questions)?
                .is_none();
            let first = tx
                .thread_session("C1", "1.1", "2.2", KeptIn::Questions)?
                .expect("the session");
            // A refresh queued for it, and one for another session.
            let key = format!("{ROOT_REFRESH_KEY}{id}");
            let job = serde_json::json!({"kind": "refresh_root"});
            let later = |key| Schedule {
                delay_ms: 1_000,
                dedupe_key: Some(key),
            };
            let another = format!("{ROOT_REFRESH_KEY}{}", id + 1);
            tx.enqueue_with(&job, later(&another))?;
            let before = tx
                .thread_session("C1", "1.1", "2.2", KeptIn::Questions)?
                .expect("the session");
            tx.enqueue_with(&job, later(&key))?;
            let after = tx
                .thread_session("C1", "1.1", "2.2", KeptIn::Questions)?
                .expect("the session");
            // Touched only when what the reply read is older than now.
            let old = "2020-01-01T00:00:00Z";
            tx.exec(
                "UPDATE sessions SET last_activity_at = $1 WHERE id = $2",
                args![old, id],
            )?;
            let now = tx.now_text();
            tx.touch_session_since(id, &now)?;
            let kept = tx
                .thread_session("C1", "1.1", "2.2", KeptIn::Questions)?
                .expect("the session");
            tx.touch_session_since(id, old)?;
            let touched = tx
                .thread_session("C1", "1.1", "2.2", KeptIn::Questions)?
                .expect("the session");
            Ok((
                id,
                other,
                first.id,
                first.active_at == now,
                [
                    first.refresh_pending,
                    before.refresh_pending,
                    after.refresh_pending,
                ],
                kept.active_at,
                touched.active_at == now,
            ))
        })
        .await
        .expect("write");
    let (id, other, found, fresh, pending, kept, touched) = seen;
    assert!(other, "no session for another thread");
    assert_eq!(found, id);
    assert!(fresh, "a new session was active when it was stored");
    assert_eq!(pending, [false, false, true], "only its own refresh counts");
    assert_eq!(kept, "2020-01-01T00:00:00Z", "read as current: not touched");
    assert!(touched, "read as older: touched");
}

#[tokio::test]
async fn reserved_numbers_are_never_handed_out_twice_and_replays_are_idempotent() {
    let (_dir, store) = crate::store::test_store().await;
    let got = store
        .write(move |tx| {
            let a = tx.reserve_session_id()?;
            let b = tx.reserve_session_id()?;
            // A session stored without a reservation takes the next number.
            let plain = tx.insert_session(None, &new("1.1"))?;
            let first = tx.insert_session(Some(b), &new("2.2"))?;
            // A replay (same number, another root ts) finds the first row.
            let replay = tx.insert_session(Some(b), &new("3.3"))?;
            // The same root ts under another number finds it too.
            let same_root = tx.insert_session(Some(a), &new("2.2"))?;
            let next = tx.reserve_session_id()?;
            // The counter moved under the last reservation (raised by a
            // copy, lowered by a rolled-back group): it is read again.
            let set = |tx: &mut Tx<'_>, n: i64| {
                tx.exec(
                    "UPDATE sqlite_sequence SET seq = $1 WHERE name = 'sessions'",
                    args![n],
                )
            };
            set(tx, 9)?;
            let raised = tx.reserve_session_id()?;
            set(tx, 6)?;
            let lowered = tx.reserve_session_id()?;
            let after = tx.reserve_session_id()?;
            let moved = (raised, lowered, after);
            Ok((a, b, plain.id, first, replay, same_root, next, moved))
        })
        .await
        .expect("write");
    let (a, b, plain, first, replay, same_root, next, moved) = got;
    assert_eq!(moved, (10, 7, 8));
    assert_eq!((a, b, plain), (1, 2, 3));
    assert_eq!((first.id, first.thread_ts.as_str()), (2, "2.2"));
    assert_eq!(replay, first);
    assert_eq!(same_root, first);
    assert_eq!(next, 4);
    let listed = store.read(|tx| tx.list_sessions()).await.expect("list");
    assert_eq!(listed.len(), 2);
    store.close().await;
}

#[tokio::test]
async fn a_reply_read_for_is_captured_once_its_message_is_stored_in_that_session() {
    use crate::domain::capture::EntryKind;
    use crate::domain::docset::Audience;
    use crate::domain::draft::{DraftFields, DraftSource};
    use crate::domain::faq::QuestionSource;
    use crate::store::drafts::DraftOrigin;
    use crate::store::entries::NewEntry;
    use crate::store::questions::NewQuestion;

    let (_dir, store) = crate::store::test_store().await;
    let seen = store
        .write(|tx| {
            let one = tx.insert_session(None, &new("1.1"))?.id;
            let two = tx.insert_session(None, &new("5.5"))?.id;
            let question = |tx: &mut Tx<'_>, session_id, ts| {
                tx.insert_question(NewQuestion {
                    session_id,
                    audience: Audience::External,
                    question: "How much?",
                    asked_by: Some("U2"),
                    source: QuestionSource::Thread,
                    message_ts: Some(ts),
                })
            };
            question(tx, one, "2.2")?;
            tx.insert_entry(NewEntry {
                session_id: one,
                kind: EntryKind::Discussion,
                body: "Looks good",
                author: Some("U2"),
                message_ts: Some("3.3"),
            })?;
            let origin = DraftOrigin {
                session_id: one,
                author: "U2",
                source: DraftSource::Thread,
                message_ts: Some("4.4"),
            };
            tx.insert_draft(origin, &DraftFields::default())?;
            question(tx, two, "6.6")?;
            let gone = question(tx, one, "7.7")?;
            tx.delete_question(gone)?;
            let mut captured = Vec::new();
            for ts in ["2.2", "3.3", "4.4", "6.6", "7.7", "8.8"] {
                let mut in_each = [false; 3];
                for (seen, kept_in) in in_each.iter_mut().zip(KeptIn::ALL) {
                    let found = tx.thread_session("C1", "1.1", ts, kept_in)?;
                    *seen = found.expect("the session").captured;
                }
                captured.push((ts, in_each));
            }
            Ok(captured)
        })
        .await
        .expect("write");
    assert_eq!(
        seen,
        [
            // Looked for in questions, drafts, entries:
            ("2.2", [true, false, false]),  // a question
            ("3.3", [false, false, true]),  // an entry
            ("4.4", [false, true, false]),  // a draft
            ("6.6", [false, false, false]), // another session's question
            ("7.7", [true, false, false]),  // a deleted question: still that message's
            ("8.8", [false, false, false]), // nothing yet
        ]
    );
    store.close().await;
}

#[tokio::test]
async fn a_replys_read_finds_its_session_and_its_message_by_index_only() {
    let (_dir, store) = crate::store::test_store().await;
    let indexes = [
        "questions_by_message",
        "drafts_by_message",
        "entries_by_message",
    ];
    for (kept_in, index) in KeptIn::ALL.into_iter().zip(indexes) {
        let plan = store
            .write(move |tx| {
                tx.rows(
                    &format!("EXPLAIN QUERY PLAN {}", kept_in.statement()),
                    args!["2.2", "C1", "1.1"],
                    |r| r.text("detail"),
                )
            })
            .await
            .expect("plan");
        for table in ["s ", "o ", "k "] {
            let step = plan
                .iter()
                .find(|d| d.contains(&format!("SEARCH {table}")))
                .unwrap_or_else(|| panic!("{table}searched by index: {plan:?}"));
            assert!(step.contains("USING"), "{step}");
        }
        assert!(!plan.iter().any(|d| d.starts_with("SCAN")), "{plan:?}");
        assert!(
            plan.iter().any(|d| d.contains(index)),
            "{kept_in:?}: {plan:?}"
        );
    }
    store.close().await;
}
