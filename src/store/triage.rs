//! Triage of questions: states, owners, families, merging duplicates, the
//! pages of the Triage modal, coverage by family and the digest's list.

use super::db::{args, Dialect, Row, Tx};
use super::error::StoreResult;
use super::questions::{audience, state, VOTES};
use crate::domain::docset::Audience;
use crate::domain::family::{self, Coverage, Family};
use crate::domain::faq::QuestionState;
use crate::domain::triage::{Filter, TriageQuestion};

/// The columns [`triage_from`] reads, from `questions` aliased `q`.
fn columns() -> String {
    format!(
        "q.id, q.audience, q.question, q.asked_by, q.state, q.owner, q.family, q.merged_into,
         {VOTES} AS votes"
    )
}

/// An internal question's family: as stored, else guessed from its words
/// (questions captured before families existed have none stored).
fn family_of(audience: Audience, stored: Option<&str>, question: &str) -> Option<Family> {
    if audience != Audience::Internal {
        return None;
    }
    Some(
        stored
            .and_then(Family::parse)
            .unwrap_or_else(|| family::guess(question)),
    )
}

fn triage_from(r: &Row<'_, '_>) -> StoreResult<TriageQuestion> {
    let audience = audience(&r.text("audience")?);
    let question = r.text("question")?;
    let family = family_of(audience, r.opt_text("family")?.as_deref(), &question);
    Ok(TriageQuestion {
        id: r.int("id")?,
        audience,
        question,
        asked_by: r.opt_text("asked_by")?,
        votes: r.int("votes")?,
        state: state(&r.text("state")?),
        owner: r.opt_text("owner")?,
        family,
        merged_into: r.opt_int("merged_into")?,
    })
}

/// The `WHERE` condition of a filter, on `questions` aliased `q`.
fn condition(filter: Filter) -> &'static str {
    match filter {
        Filter::Unresolved => "q.state IN ('open', 'needs_data')",
        Filter::Unowned => "q.state IN ('open', 'needs_data') AND q.owner IS NULL",
        Filter::NeedsData => "q.state = 'needs_data'",
        Filter::Answered => "q.state = 'answered'",
        Filter::WontAnswer => "q.state = 'wont_answer'",
        Filter::Merged => "q.state = 'merged'",
        Filter::All => "1 = 1",
    }
}

impl Tx<'_> {
    /// A live question and its session, as triage sees it.
    pub fn triage_question(&mut self, id: i64) -> StoreResult<Option<(i64, TriageQuestion)>> {
        self.row(
            &format!(
                "SELECT q.session_id, {} FROM questions q WHERE q.id = $1 AND q.deleted_at IS NULL",
                columns()
            ),
            args![id],
            |r| Ok((r.int("session_id")?, triage_from(r)?)),
        )
    }

    /// One page of the questions `filter` lists: most votes first (merged
    /// duplicates last), then oldest first.
    pub fn triage_page(
        &mut self,
        session_id: i64,
        filter: Filter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<TriageQuestion>> {
        self.rows(
            &format!(
                "SELECT {} FROM questions q
                  WHERE q.session_id = $1 AND q.deleted_at IS NULL AND {}
                  ORDER BY CASE WHEN q.state = 'merged' THEN 1 ELSE 0 END, votes DESC, q.asked_at, q.id
                  LIMIT $2 OFFSET $3",
                columns(),
                condition(filter)
            ),
            args![session_id, limit, offset],
            triage_from,
        )
    }

    /// Up to `limit` unresolved questions, most votes first: the digest.
    pub fn unresolved_questions(
        &mut self,
        session_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<TriageQuestion>> {
        self.triage_page(session_id, Filter::Unresolved, 0, limit)
    }

    /// How many questions still wait for an answer (open or needing data).
    pub fn unresolved_count(&mut self, session_id: i64) -> StoreResult<i64> {
        self.int(
            "SELECT COUNT(*) FROM questions
              WHERE session_id = $1 AND deleted_at IS NULL AND state IN ('open', 'needs_data')",
            args![session_id],
        )
    }

    /// The live questions a duplicate may be merged into (merged ones
    /// aside), most votes first, at most `limit`.
    pub fn merge_targets(
        &mut self,
        session_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<TriageQuestion>> {
        self.rows(
            &format!(
                "SELECT {} FROM questions q
                  WHERE q.session_id = $1 AND q.deleted_at IS NULL AND q.state <> 'merged'
                  ORDER BY votes DESC, q.id LIMIT $2",
                columns()
            ),
            args![session_id, limit],
            triage_from,
        )
    }

    /// Sets a question's state (not to or from `merged`: see
    /// [`Tx::merge_question`]); false when it already had it.
    pub fn set_question_state(&mut self, id: i64, to: QuestionState) -> StoreResult<bool> {
        let changed = self.exec(
            "UPDATE questions SET state = $1
              WHERE id = $2 AND state <> $1 AND state <> 'merged' AND $1 <> 'merged'",
            args![to.as_str(), id],
        )?;
        Ok(changed == 1)
    }

    /// Sets (or clears) the question's owner.
    pub fn set_question_owner(&mut self, id: i64, owner: Option<&str>) -> StoreResult<()> {
        self.exec(
            "UPDATE questions SET owner = $1 WHERE id = $2",
            args![owner, id],
        )?;
        Ok(())
    }

    /// A family chosen by `by` for an internal question; it is no longer
    /// guessed again when the text is edited.
    pub fn set_question_family(&mut self, id: i64, family: Family, by: &str) -> StoreResult<()> {
        self.exec(
            "UPDATE questions SET family = $1, family_by = $2 WHERE id = $3 AND audience = 'internal'",
            args![family.as_str(), by, id],
        )?;
        Ok(())
    }

    /// Merges `duplicate` into `kept` (a question that is not itself merged).
    /// Duplicates of `duplicate` move to `kept`, so a kept question is never
    /// a duplicate. Votes stay where they were cast (see `questions::VOTES`).
    pub fn merge_question(&mut self, duplicate: i64, kept: i64) -> StoreResult<()> {
        self.exec(
            "UPDATE questions SET merged_into = $1 WHERE merged_into = $2",
            args![kept, duplicate],
        )?;
        self.exec(
            "UPDATE questions SET state = 'merged', merged_into = $1 WHERE id = $2",
            args![kept, duplicate],
        )?;
        Ok(())
    }

    /// Un-merges a duplicate: it is a question of its own again (answered if
    /// it had an answer, else open) with its own voters; the kept question
    /// counts only its own again.
    pub fn unmerge_question(&mut self, duplicate: i64) -> StoreResult<bool> {
        let changed = self.exec(
            "UPDATE questions SET merged_into = NULL,
                    state = CASE WHEN EXISTS (SELECT 1 FROM answers a WHERE a.question_id = questions.id)
                                 THEN 'answered' ELSE 'open' END
              WHERE id = $1 AND state = 'merged'",
            args![duplicate],
        )?;
        Ok(changed == 1)
    }

    /// Internal, non-merged questions per family (SPEC §5.2).
    pub fn coverage(&mut self, session_id: i64) -> StoreResult<Coverage> {
        // The text is read only where no family is stored (questions from
        // before families existed), to guess it.
        // Read through `questions_internal`, which holds internal questions
        // only. SQLite's planner, without statistics, prefers the wider
        // `questions_by_session` (two equalities on it), which means reading
        // every live question of the session: it is told which index to use.
        let from = match self.dialect() {
            Dialect::Sqlite => "questions INDEXED BY questions_internal",
            Dialect::Postgres => "questions",
        };
        let rows = self.rows(
            &format!(
                "SELECT family, CASE WHEN family IS NULL THEN question END AS question
                   FROM {from}
                  WHERE session_id = $1 AND deleted_at IS NULL AND audience = 'internal'
                    AND state <> 'merged'"
            ),
            args![session_id],
            |r| Ok((r.opt_text("family")?, r.opt_text("question")?)),
        )?;
        let mut coverage = Coverage::default();
        for (stored, question) in rows {
            let text = question.unwrap_or_default();
            if let Some(f) = family_of(Audience::Internal, stored.as_deref(), &text) {
                coverage.add(f, 1);
            }
        }
        Ok(coverage)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::family::Family;

    /// (audience, state, owner, family, deleted) of each question stored.
    type Q = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        bool,
    );

    #[tokio::test]
    async fn counts_and_coverage_read_through_their_ranges_match_the_questions() {
        let (_dir, store) = crate::store::test_store().await;
        let questions: Vec<Q> = vec![
            ("external", "open", None, None, false),
            ("external", "open", None, None, false),
            ("external", "open", Some("U1"), None, false),
            ("external", "open", None, None, true),
            ("external", "needs_data", Some("U2"), None, false),
            ("external", "needs_data", None, None, false),
            ("external", "answered", Some("U1"), None, false),
            ("external", "wont_answer", None, None, false),
            ("internal", "open", Some("U3"), Some("economics"), false),
            ("internal", "answered", None, Some("economics"), false),
            ("internal", "needs_data", None, Some("risks"), false),
            ("internal", "merged", None, Some("customer"), false),
            ("internal", "open", None, Some("solution"), true),
            // Captured before families were stored: guessed from its words.
            ("internal", "open", None, None, false),
        ];
        let stored = questions.clone();
        let (counts, coverage) = store
            .write(move |tx| {
                let questions = &stored;
                for sid in [1i64, 2] {
                    let root = format!("{sid}.000100");
                    tx.exec(
                        "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
                         VALUES ($1, 'T1', 'C1', $2, 'Idea', 'U1', 'now', 'now')",
                        crate::store::db::args![sid, &root],
                    )?;
                }
                // Another session's questions count for it alone.
                for (sid, (audience, state, owner, family, deleted)) in questions
                    .iter()
                    .map(|q| (1, q))
                    .chain(questions.iter().take(3).map(|q| (2, q)))
                {
                    tx.exec(
                        "INSERT INTO questions (session_id, audience, question, asked_at, source, state, owner, family, deleted_at)
                         VALUES ($1, $2, 'What will it cost to build?', 'now', 'thread', $3, $4, $5, $6)",
                        crate::store::db::args![
                            sid,
                            *audience,
                            *state,
                            *owner,
                            *family,
                            deleted.then_some("now")
                        ],
                    )?;
                }
                Ok((tx.triage_counts(1)?, tx.coverage(1)?))
            })
            .await
            .expect("write");
        let live = |state: &str| questions.iter().filter(|q| q.1 == state && !q.4).count() as i64;
        assert_eq!(
            (
                counts.open,
                counts.needs_data,
                counts.answered,
                counts.wont_answer,
                counts.merged
            ),
            (
                live("open"),
                live("needs_data"),
                live("answered"),
                live("wont_answer"),
                live("merged")
            ),
        );
        let unowned = questions
            .iter()
            .filter(|q| matches!(q.1, "open" | "needs_data") && q.2.is_none() && !q.4)
            .count() as i64;
        assert_eq!(
            counts.unowned, unowned,
            "open or needing data, without an owner"
        );
        assert_eq!(
            Family::ALL.map(|f| coverage.get(f)),
            [0, 0, 3, 1],
            "internal, live, not merged; the unfiled one guessed (economics)"
        );
    }
}
