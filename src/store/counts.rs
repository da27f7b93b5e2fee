//! A session's question counts by state, read again cheaply. A busy
//! thread's root message is refreshed about once a second, and counting a
//! thread of many thousand questions reads every one of them (12 ms for
//! 370,000 on the bench machine: at 500 questions a second, a fifth of the
//! CPU each question costs). On SQLite the counts are kept per session
//! ([`Marks`]) with what they were read up to; the next read counts only
//! the questions stored since, and counts in full again only when a
//! question of the session changed state, owner or session or was deleted
//! (the triggers of migration 0013 count those changes on the session).
//!
//! Why it adds up: question ids grow in commit order (one writer,
//! `AUTOINCREMENT`), a read sees one snapshot (its transaction), and the
//! session's change count is read in the same snapshot as the counts. A
//! question stored after the snapshot has a higher id than any it holds, so
//! it is counted by the next read; a change after it raises the change
//! count, so the next read counts in full. On PostgreSQL ids are taken
//! before commit, not in commit order, so every read counts in full.

use std::collections::HashMap;
use std::sync::Mutex;

use super::db::{args, Dialect, Tx};
use super::error::StoreResult;
use crate::domain::triage::StateCounts;

/// Sessions remembered at most; past that, the marks start over.
const KEPT: usize = 1024;

/// Reading a question's row by id costs about as much as counting this many
/// entries of the session's index range (0.9 µs against 0.03 µs on the bench
/// machine): when more questions came since the mark than the session held
/// over this, counting in full is cheaper.
const ROW_COST: i64 = 30;

/// Live questions per state, and the owned ones among the unresolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Raw {
    open: i64,
    needs_data: i64,
    answered: i64,
    wont_answer: i64,
    merged: i64,
    owned_open: i64,
    owned_needs_data: i64,
}

impl Raw {
    fn add(&mut self, state: &str, owned: bool, n: i64) {
        match state {
            "open" => self.open += n,
            "needs_data" => self.needs_data += n,
            "answered" => self.answered += n,
            "wont_answer" => self.wont_answer += n,
            "merged" => self.merged += n,
            _ => {}
        }
        match (state, owned) {
            ("open", true) => self.owned_open += n,
            ("needs_data", true) => self.owned_needs_data += n,
            _ => {}
        }
    }

    /// Every live question counted.
    fn total(&self) -> i64 {
        self.open + self.needs_data + self.answered + self.wont_answer + self.merged
    }

    fn counts(&self) -> StateCounts {
        StateCounts {
            open: self.open,
            needs_data: self.needs_data,
            answered: self.answered,
            wont_answer: self.wont_answer,
            merged: self.merged,
            unowned: self.open + self.needs_data - self.owned_open - self.owned_needs_data,
        }
    }
}

/// A session's counts as last read: through which question id, at which
/// count of changes to its questions.
#[derive(Debug, Clone, Copy)]
struct Mark {
    changes: i64,
    through_id: i64,
    raw: Raw,
}

/// The counts last read per session (one per store).
#[derive(Debug)]
pub struct Marks {
    marks: Mutex<HashMap<i64, Mark>>,
    /// See [`ROW_COST`].
    row_cost: i64,
}

impl Default for Marks {
    fn default() -> Self {
        Self::with_row_cost(ROW_COST)
    }
}

impl Marks {
    fn with_row_cost(row_cost: i64) -> Self {
        Self {
            marks: Mutex::default(),
            row_cost,
        }
    }

    /// The mark to count on from, when counting on is cheaper than anew.
    fn to_count_on(&self, session_id: i64, changes: i64, through_id: i64) -> Option<Mark> {
        self.get(session_id).filter(|m| {
            let new = through_id.saturating_sub(m.through_id);
            m.changes == changes && new.saturating_mul(self.row_cost) <= m.raw.total()
        })
    }

    fn get(&self, session_id: i64) -> Option<Mark> {
        self.marks.lock().ok()?.get(&session_id).copied()
    }

    fn put(&self, session_id: i64, mark: Mark) {
        if let Ok(mut marks) = self.marks.lock() {
            if marks.len() >= KEPT && !marks.contains_key(&session_id) {
                marks.clear();
            }
            marks.insert(session_id, mark);
        }
    }
}

impl Tx<'_> {
    /// How many of a session's live questions are in each state. Each count
    /// is one range of the `questions_by_session` index (session, live,
    /// state, owner), read without the rows: in a thread of many thousand
    /// questions that is several times faster than one pass testing every
    /// question against every state. The unowned are the open and
    /// needing-data less those with an owner (a short range where owners
    /// are set, as in a backlog being triaged), so the long range of a busy
    /// thread's open questions is read once, not twice.
    pub fn triage_counts(&mut self, session_id: i64) -> StoreResult<StateCounts> {
        Ok(self.raw_counts(session_id)?.counts())
    }

    /// The same counts, read from where `marks` last left them when nothing
    /// but new questions changed since (see the module's doc).
    pub fn triage_counts_marked(
        &mut self,
        session_id: i64,
        marks: &Marks,
    ) -> StoreResult<StateCounts> {
        if self.dialect() != Dialect::Sqlite {
            return self.triage_counts(session_id);
        }
        let Some(changes) = self.row(
            "SELECT question_changes FROM sessions WHERE id = $1",
            args![session_id],
            |r| r.int("question_changes"),
        )?
        else {
            return self.triage_counts(session_id);
        };
        let through_id = self.int("SELECT MAX(id) FROM questions", &[])?;
        let raw = match marks.to_count_on(session_id, changes, through_id) {
            Some(mark) => {
                let mut raw = mark.raw;
                self.add_since(&mut raw, session_id, mark.through_id)?;
                raw
            }
            None => self.raw_counts(session_id)?,
        };
        let mark = Mark {
            changes,
            through_id,
            raw,
        };
        marks.put(session_id, mark);
        Ok(raw.counts())
    }

    /// Adds the session's live questions with an id above `after` (read by
    /// id, from the newest few, not through the session's whole range).
    fn add_since(&mut self, raw: &mut Raw, session_id: i64, after: i64) -> StoreResult<()> {
        let rows = self.rows(
            "SELECT state, owner IS NOT NULL AS owned, COUNT(*) AS n
               FROM questions NOT INDEXED
              WHERE session_id = $1 AND id > $2 AND deleted_at IS NULL
              GROUP BY state, owned",
            args![session_id, after],
            |r| Ok((r.text("state")?, r.int("owned")? != 0, r.int("n")?)),
        )?;
        for (state, owned, n) in rows {
            raw.add(&state, owned, n);
        }
        Ok(())
    }

    fn raw_counts(&mut self, session_id: i64) -> StoreResult<Raw> {
        let count = |cond: &str| {
            format!(
                "(SELECT COUNT(*) FROM questions q
                   WHERE q.session_id = $1 AND q.deleted_at IS NULL AND {cond})"
            )
        };
        let owned = |state: &str| count(&format!("q.state = '{state}' AND q.owner IS NOT NULL"));
        self.one(
            &format!(
                "SELECT {} AS open, {} AS needs_data, {} AS answered,
                        {} AS wont_answer, {} AS merged,
                        {} AS owned_open, {} AS owned_needs_data",
                count("q.state = 'open'"),
                count("q.state = 'needs_data'"),
                count("q.state = 'answered'"),
                count("q.state = 'wont_answer'"),
                count("q.state = 'merged'"),
                owned("open"),
                owned("needs_data"),
            ),
            args![session_id],
            |r| {
                Ok(Raw {
                    open: r.int("open")?,
                    needs_data: r.int("needs_data")?,
                    answered: r.int("answered")?,
                    wont_answer: r.int("wont_answer")?,
                    merged: r.int("merged")?,
                    owned_open: r.int("owned_open")?,
                    owned_needs_data: r.int("owned_needs_data")?,
                })
            },
        )
    }
}

#[cfg(test)]
#[path = "counts_tests.rs"]
mod tests;
