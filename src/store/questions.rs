//! FAQ questions, their votes and answers. Votes stay on the question they
//! were cast on; a question counts the distinct voters of itself and of the
//! duplicates merged into it ([`VOTES`]), so a merge never double counts and
//! an un-merge restores both sets.

use super::db::{args, Tx};
use super::error::StoreResult;
use super::sessions::{session_from, SESSION_COLUMNS};
use crate::domain::docset::Audience;
use crate::domain::family;
use crate::domain::faq::{OpenQuestion, QuestionSource, QuestionState};
use crate::domain::session::Session;

/// The votes of question `q`: distinct voters of `q` and of every live
/// duplicate merged into it. A question without duplicates (nearly all) takes
/// the plain count: the union is only built where a merge needs it.
pub(crate) const VOTES: &str =
    "(CASE WHEN EXISTS (SELECT 1 FROM questions d WHERE d.merged_into = q.id)
        THEN (SELECT COUNT(*) FROM (
                SELECT v.user_id FROM question_votes v WHERE v.question_id = q.id
                UNION
                SELECT v.user_id FROM question_votes v JOIN questions m ON m.id = v.question_id
                 WHERE m.merged_into = q.id AND m.deleted_at IS NULL) voters)
        ELSE (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = q.id) END)";

/// The family a new or edited question is guessed into (internal only).
fn guessed_family(audience: Audience, question: &str) -> Option<&'static str> {
    (audience == Audience::Internal).then(|| family::guess(question).as_str())
}

/// A new question. `asked_by` is `None` when asked anonymously: then no user id
/// is stored anywhere with it.
#[derive(Debug, Clone, Copy)]
pub struct NewQuestion<'a> {
    pub session_id: i64,
    pub audience: Audience,
    pub question: &'a str,
    pub asked_by: Option<&'a str>,
    pub source: QuestionSource,
    /// The thread message holding the question, when it already exists.
    pub message_ts: Option<&'a str>,
}

/// A stored, live question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuestion {
    pub id: i64,
    pub session_id: i64,
    pub audience: Audience,
    pub question: String,
    pub asked_by: Option<String>,
    pub state: QuestionState,
    pub merged_into: Option<i64>,
}

/// How many of a session's live questions are answered and not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionCounts {
    pub unanswered: i64,
    pub answered: i64,
}

pub(crate) fn audience(text: &str) -> Audience {
    Audience::parse(text).unwrap_or(Audience::External)
}

pub(crate) fn state(text: &str) -> QuestionState {
    QuestionState::parse(text).unwrap_or(QuestionState::Open)
}

impl Tx<'_> {
    pub fn insert_question(&mut self, new: NewQuestion<'_>) -> StoreResult<i64> {
        let now = self.now_text();
        self.insert(
            "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source, message_ts, family)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            args![
                new.session_id,
                new.audience.as_str(),
                new.question,
                new.asked_by,
                &now,
                new.source.as_str(),
                new.message_ts,
                guessed_family(new.audience, new.question)
            ],
        )
    }

    /// Links a question to the thread message that shows it (votes land there).
    pub fn set_question_message(&mut self, question_id: i64, message_ts: &str) -> StoreResult<()> {
        self.exec(
            "UPDATE questions SET message_ts = $1 WHERE id = $2",
            args![message_ts, question_id],
        )?;
        Ok(())
    }

    /// An edited question: new text and, if its prefix changed, audience.
    /// A family guessed from the words is guessed again; one a person chose
    /// stays while the question is internal. External questions have none.
    pub fn update_question(
        &mut self,
        id: i64,
        audience: Audience,
        question: &str,
    ) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE questions SET audience = $1, question = $2, updated_at = $3,
                    family = CASE WHEN $1 = 'internal' AND family_by IS NOT NULL THEN family ELSE $4 END,
                    family_by = CASE WHEN $1 = 'internal' THEN family_by ELSE NULL END
              WHERE id = $5",
            args![
                audience.as_str(),
                question,
                &now,
                guessed_family(audience, question),
                id
            ],
        )?;
        Ok(())
    }

    /// Marks a question deleted; the row, its votes and answers stay. Its
    /// merged duplicates are released (back to answered or open), so a
    /// deleted question takes nobody's question with it.
    pub fn delete_question(&mut self, id: i64) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE questions SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
            args![&now, id],
        )?;
        self.exec(
            "UPDATE questions SET merged_into = NULL,
                    state = CASE WHEN EXISTS (SELECT 1 FROM answers a WHERE a.question_id = questions.id)
                                 THEN 'answered' ELSE 'open' END
              WHERE merged_into = $1",
            args![id],
        )?;
        Ok(())
    }

    /// The live question shown by message `ts` in `channel_id` (the asker's
    /// reply, or the bot's post of it), for votes, with its session (whose
    /// workspace the caller checks).
    pub fn question_by_message(
        &mut self,
        channel_id: &str,
        ts: &str,
    ) -> StoreResult<Option<(i64, Session)>> {
        self.row(
            &format!(
                "SELECT {SESSION_COLUMNS}, q.id AS question_id FROM questions q JOIN sessions s ON s.id = q.session_id
                  WHERE q.message_ts = $1 AND s.channel_id = $2 AND q.deleted_at IS NULL
                  ORDER BY q.id DESC LIMIT 1"
            ),
            args![ts, channel_id],
            |r| Ok((r.int("question_id")?, session_from(r)?)),
        )
    }

    /// One vote of `user_id`; false when that user had already voted.
    pub fn add_vote(&mut self, question_id: i64, user_id: &str) -> StoreResult<bool> {
        let now = self.now_text();
        let done = self.exec(
            "INSERT INTO question_votes (question_id, user_id, voted_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            args![question_id, user_id, &now],
        )?;
        Ok(done == 1)
    }

    /// Removes exactly `user_id`'s vote; false when there was none.
    pub fn remove_vote(&mut self, question_id: i64, user_id: &str) -> StoreResult<bool> {
        let done = self.exec(
            "DELETE FROM question_votes WHERE question_id = $1 AND user_id = $2",
            args![question_id, user_id],
        )?;
        Ok(done == 1)
    }

    /// Votes of one question: its distinct voters and its duplicates'.
    pub fn votes(&mut self, question_id: i64) -> StoreResult<i64> {
        self.int(
            &format!("SELECT {VOTES} AS votes FROM questions q WHERE q.id = $1"),
            args![question_id],
        )
    }

    /// A live question.
    pub fn question(&mut self, id: i64) -> StoreResult<Option<StoredQuestion>> {
        self.row(
            "SELECT id, session_id, audience, question, asked_by, state, merged_into FROM questions
              WHERE id = $1 AND deleted_at IS NULL",
            args![id],
            |r| {
                Ok(StoredQuestion {
                    id: r.int("id")?,
                    session_id: r.int("session_id")?,
                    audience: audience(&r.text("audience")?),
                    question: r.text("question")?,
                    asked_by: r.opt_text("asked_by")?,
                    state: state(&r.text("state")?),
                    merged_into: r.opt_int("merged_into")?,
                })
            },
        )
    }

    /// Questions for the Answer form: unresolved (open, needs data) first,
    /// then answered or closed; most votes first within each; at most
    /// `limit`. Merged duplicates are answered through their kept question.
    pub fn questions_to_answer(
        &mut self,
        session_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<OpenQuestion>> {
        self.rows(
            &format!(
                "SELECT q.id, q.audience, q.question, q.state, q.owner, {VOTES} AS votes,
                        CASE WHEN q.state IN ('open', 'needs_data') THEN 0 ELSE 1 END AS answered
                   FROM questions q
                  WHERE q.session_id = $1 AND q.deleted_at IS NULL AND q.state <> 'merged'
                  ORDER BY answered, votes DESC, q.asked_at, q.id
                  LIMIT $2"
            ),
            args![session_id, limit],
            |r| {
                Ok(OpenQuestion {
                    id: r.int("id")?,
                    audience: audience(&r.text("audience")?),
                    question: r.text("question")?,
                    votes: r.int("votes")?,
                    answered: r.flag("answered")?,
                    state: state(&r.text("state")?),
                    owner: r.opt_text("owner")?,
                })
            },
        )
    }

    /// Unresolved (open, needs data) and resolved questions, duplicates aside.
    pub fn question_counts(&mut self, session_id: i64) -> StoreResult<QuestionCounts> {
        self.one(
            "SELECT COALESCE(SUM(CASE WHEN state IN ('open', 'needs_data') THEN 1 ELSE 0 END), 0) AS unanswered,
                    COALESCE(SUM(CASE WHEN state IN ('open', 'needs_data') THEN 0 ELSE 1 END), 0) AS answered
               FROM questions
              WHERE session_id = $1 AND deleted_at IS NULL AND state <> 'merged'",
            args![session_id],
            |r| {
                Ok(QuestionCounts {
                    unanswered: r.int("unanswered")?,
                    answered: r.int("answered")?,
                })
            },
        )
    }

    /// A new answer; earlier ones stay as history and the latest is the
    /// answer. Answering makes the question `answered`, whatever it was
    /// (open, needing data, re-opened, closed) — but a merged duplicate stays
    /// merged: callers answer its kept question instead.
    pub fn insert_answer(
        &mut self,
        question_id: i64,
        answer: &str,
        answered_by: &str,
    ) -> StoreResult<i64> {
        let now = self.now_text();
        let id = self.one(
            "INSERT INTO answers (question_id, answer, answered_by, answered_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
            args![question_id, answer, answered_by, &now],
            |r| r.int("id"),
        )?;
        self.exec(
            "UPDATE questions SET state = 'answered' WHERE id = $1 AND state <> 'merged'",
            args![question_id],
        )?;
        Ok(id)
    }
}
