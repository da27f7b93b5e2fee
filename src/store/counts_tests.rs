use super::*;
use crate::store::db::args;

/// A change to the questions, as any code path might write it.
const STEPS: &[(&str, &str)] = &[
    ("new questions", "INSERT INTO questions (session_id, audience, question, asked_at, source) VALUES (1, 'external', 'Why?', 'now', 'thread'), (1, 'internal', 'Cost?', 'now', 'thread'), (2, 'external', 'How?', 'now', 'thread')"),
    ("nothing new", "UPDATE sessions SET title = title WHERE id = 0"),
    ("more new ones", "INSERT INTO questions (session_id, audience, question, asked_at, source) VALUES (1, 'external', 'When?', 'now', 'thread'), (1, 'external', 'Who?', 'now', 'command')"),
    ("an owner", "UPDATE questions SET owner = 'U9' WHERE id = 1"),
    ("a state", "UPDATE questions SET state = 'needs_data' WHERE id = 2"),
    ("an answer", "UPDATE questions SET state = 'answered' WHERE id = 4"),
    ("a new one, already owned", "INSERT INTO questions (session_id, audience, question, asked_at, source, state, owner) VALUES (1, 'external', 'Price?', 'now', 'modal', 'needs_data', 'U2')"),
    ("a merge", "UPDATE questions SET state = 'merged', merged_into = 1 WHERE id = 5"),
    ("a deletion", "UPDATE questions SET deleted_at = 'now' WHERE id = 1"),
    ("a question moved", "UPDATE questions SET session_id = 1 WHERE id = 3"),
    ("a row removed", "DELETE FROM questions WHERE id = 2"),
    ("a text edited", "UPDATE questions SET question = 'Why now?' WHERE id = 6"),
    ("another session's", "INSERT INTO questions (session_id, audience, question, asked_at, source) VALUES (2, 'external', 'Where?', 'now', 'thread')"),
];

#[tokio::test]
async fn counts_read_from_the_last_mark_match_counts_read_in_full() {
    let (_dir, store) = crate::store::test_store().await;
    store
        .write(|tx| {
            for sid in [1i64, 2] {
                tx.exec(
                    "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
                     VALUES ($1, 'T1', 'C1', $2, 'Idea', 'U1', 'now', 'now')",
                    args![sid, &format!("{sid}.000100")],
                )?;
            }
            Ok(())
        })
        .await
        .expect("sessions");
    // Counted on from the mark however many came since (see ROW_COST).
    let marks = std::sync::Arc::new(Marks::with_row_cost(0));
    let mut full_counts = 0;
    for (what, sql) in STEPS {
        let sql = sql.to_string();
        store
            .write(move |tx| tx.exec(&sql, &[]).map(|_| ()))
            .await
            .expect(what);
        for sid in [1i64, 2] {
            let before = marks.get(sid).map(|m| m.changes);
            let marked = marks.clone();
            let (got, full) = store
                .read(move |tx| {
                    Ok((
                        tx.triage_counts_marked(sid, &marked)?,
                        tx.triage_counts(sid)?,
                    ))
                })
                .await
                .expect("counts");
            assert_eq!(got, full, "session {sid} after {what}");
            let mark = marks.get(sid).expect("a mark is kept");
            if before != Some(mark.changes) {
                full_counts += 1;
            }
        }
    }
    // Each session is counted in full the first time, then only when a
    // question of its own changed (owner, state, answer, merge, deletion,
    // move, removal: seven for session 1, the move for session 2).
    assert_eq!(full_counts, 2 + 7 + 1);
}

#[tokio::test]
async fn new_questions_are_read_by_id_and_a_missing_session_counts_nothing() {
    let (_dir, store) = crate::store::test_store().await;
    let marks = std::sync::Arc::new(Marks::with_row_cost(0));
    let marked = marks.clone();
    let none = store
        .read(move |tx| tx.triage_counts_marked(7, &marked))
        .await
        .expect("counts");
    assert_eq!(none, StateCounts::default());
    assert!(
        marks.get(7).is_none(),
        "no mark for a session that is not there"
    );
    store
        .write(|tx| {
            tx.exec(
                "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
                 VALUES (7, 'T1', 'C1', '7.1', 'Idea', 'U1', 'now', 'now')",
                &[],
            )?;
            for _ in 0..3 {
                tx.exec(
                    "INSERT INTO questions (session_id, audience, question, asked_at, source) VALUES (7, 'external', 'Q?', 'now', 'thread')",
                    &[],
                )?;
            }
            Ok(())
        })
        .await
        .expect("questions");
    let marked = marks.clone();
    let counts = store
        .read(move |tx| tx.triage_counts_marked(7, &marked))
        .await
        .expect("counts");
    assert_eq!((counts.open, counts.unowned), (3, 3));
    let mark = marks.get(7).expect("mark");
    assert_eq!((mark.changes, mark.through_id), (0, 3));
}

#[test]
fn marks_are_bounded() {
    let marks = Marks::default();
    let mark = Mark {
        changes: 0,
        through_id: 0,
        raw: Raw::default(),
    };
    for id in 0..(KEPT as i64 + 10) {
        marks.put(id, mark);
    }
    let kept = marks.marks.lock().map(|m| m.len()).unwrap_or(usize::MAX);
    assert!(kept <= KEPT, "{kept} marks kept");
    assert!(marks.get(KEPT as i64 + 9).is_some(), "the newest is kept");
}

#[test]
fn counting_on_from_a_mark_is_chosen_when_it_costs_less() {
    let marks = Marks::with_row_cost(ROW_COST);
    let raw = Raw {
        open: 3_000,
        ..Raw::default()
    };
    marks.put(
        1,
        Mark {
            changes: 4,
            through_id: 10_000,
            raw,
        },
    );
    // (changes now, highest id now, counted on from the mark?)
    let cases = [
        (4, 10_000, true),
        (4, 10_050, true),
        (4, 10_000 + 3_000 / ROW_COST, true),
        (4, 10_001 + 3_000 / ROW_COST, false),
        (5, 10_001, false),
    ];
    for (changes, through, on) in cases {
        assert_eq!(
            marks.to_count_on(1, changes, through).is_some(),
            on,
            "{changes} changes, through {through}"
        );
    }
    assert!(
        marks.to_count_on(2, 0, 0).is_none(),
        "no mark, no counting on"
    );
}
