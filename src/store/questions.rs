//! FAQ questions, their votes and answers. Writes take the caller's write
//! transaction, so a question and the jobs that announce it commit together.

use sqlx::{Row, Sqlite, Transaction};

use super::Store;
use crate::domain::docset::Audience;
use crate::domain::faq::{OpenQuestion, QuestionSource};

type Tx<'t> = Transaction<'t, Sqlite>;

const QUESTION_BY_MESSAGE: &str =
    "SELECT q.id FROM questions q JOIN sessions s ON s.id = q.session_id
  WHERE q.message_ts = ? AND s.channel_id = ? AND q.deleted_at IS NULL
  ORDER BY q.id DESC LIMIT 1";

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
    pub now: &'a str,
}

/// A stored question, for the Answer form's submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuestion {
    pub id: i64,
    pub session_id: i64,
    pub audience: Audience,
    pub question: String,
    pub asked_by: Option<String>,
}

/// How many of a session's live questions are answered and not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionCounts {
    pub unanswered: i64,
    pub answered: i64,
}

impl Store {
    /// Links a question to the thread message that shows it (votes land there).
    pub async fn set_question_message(
        &self,
        question_id: i64,
        message_ts: &str,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE questions SET message_ts = ? WHERE id = ?")
            .bind(message_ts)
            .bind(question_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn insert_question_in(tx: &mut Tx<'_>, new: NewQuestion<'_>) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source, message_ts)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(new.session_id)
        .bind(new.audience.as_str())
        .bind(new.question)
        .bind(new.asked_by)
        .bind(new.now)
        .bind(new.source.as_str())
        .bind(new.message_ts)
        .fetch_one(&mut **tx)
        .await
    }

    /// An edited question: new text and, if its prefix changed, audience.
    pub async fn update_question_in(
        tx: &mut Tx<'_>,
        id: i64,
        audience: Audience,
        question: &str,
        now: &str,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE questions SET audience = ?, question = ?, updated_at = ? WHERE id = ?")
            .bind(audience.as_str())
            .bind(question)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Marks a question deleted; the row, its votes and answers stay.
    pub async fn delete_question_in(tx: &mut Tx<'_>, id: i64, now: &str) -> sqlx::Result<()> {
        sqlx::query("UPDATE questions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The live question shown by message `ts` in `channel_id` (the asker's
    /// reply, or the bot's post of it), for votes.
    pub async fn question_by_message_in(
        tx: &mut Tx<'_>,
        channel_id: &str,
        ts: &str,
    ) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar(QUESTION_BY_MESSAGE)
            .bind(ts)
            .bind(channel_id)
            .fetch_optional(&mut **tx)
            .await
    }

    /// The same outside any transaction (the shortcut checks it before
    /// opening its form).
    pub async fn question_by_message(
        &self,
        channel_id: &str,
        ts: &str,
    ) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar(QUESTION_BY_MESSAGE)
            .bind(ts)
            .bind(channel_id)
            .fetch_optional(self.pool())
            .await
    }

    /// One vote of `user_id`; false when that user had already voted.
    pub async fn add_vote_in(
        tx: &mut Tx<'_>,
        question_id: i64,
        user_id: &str,
        now: &str,
    ) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "INSERT INTO question_votes (question_id, user_id, voted_at) VALUES (?, ?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(question_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes exactly `user_id`'s vote; false when there was none.
    pub async fn remove_vote_in(
        tx: &mut Tx<'_>,
        question_id: i64,
        user_id: &str,
    ) -> sqlx::Result<bool> {
        let done = sqlx::query("DELETE FROM question_votes WHERE question_id = ? AND user_id = ?")
            .bind(question_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Votes of one question.
    pub async fn votes(&self, question_id: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM question_votes WHERE question_id = ?")
            .bind(question_id)
            .fetch_one(self.pool())
            .await
    }

    /// A live question, read in `tx`.
    pub async fn question_in(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<Option<StoredQuestion>> {
        let row = sqlx::query(
            "SELECT id, session_id, audience, question, asked_by FROM questions
              WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        row.map(|r| {
            let audience: String = r.try_get("audience")?;
            Ok(StoredQuestion {
                id: r.try_get("id")?,
                session_id: r.try_get("session_id")?,
                audience: Audience::parse(&audience).unwrap_or(Audience::External),
                question: r.try_get("question")?,
                asked_by: r.try_get("asked_by")?,
            })
        })
        .transpose()
    }

    /// Questions for the Answer form: unanswered first, then answered; most
    /// votes first within each; at most `limit`.
    pub async fn questions_to_answer(
        &self,
        session_id: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<OpenQuestion>> {
        let rows = sqlx::query(
            "SELECT q.id, q.audience, q.question,
                    (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = q.id) AS votes,
                    EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id) AS answered
               FROM questions q
              WHERE q.session_id = ? AND q.deleted_at IS NULL
              ORDER BY answered, votes DESC, q.asked_at, q.id
              LIMIT ?",
        )
        .bind(session_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let audience: String = r.try_get("audience")?;
                Ok(OpenQuestion {
                    id: r.try_get("id")?,
                    audience: Audience::parse(&audience).unwrap_or(Audience::External),
                    question: r.try_get("question")?,
                    votes: r.try_get("votes")?,
                    answered: r.try_get("answered")?,
                })
            })
            .collect()
    }

    pub async fn question_counts(&self, session_id: i64) -> sqlx::Result<QuestionCounts> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id)), 0) AS unanswered,
                    COALESCE(SUM(EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id)), 0) AS answered
               FROM questions q WHERE q.session_id = ? AND q.deleted_at IS NULL",
        )
        .bind(session_id)
        .fetch_one(self.pool())
        .await?;
        Ok(QuestionCounts {
            unanswered: row.try_get("unanswered")?,
            answered: row.try_get("answered")?,
        })
    }

    /// A new answer; earlier ones stay as history and the latest is the answer.
    pub async fn insert_answer_in(
        tx: &mut Tx<'_>,
        question_id: i64,
        answer: &str,
        answered_by: &str,
        now: &str,
    ) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO answers (question_id, answer, answered_by, answered_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(question_id)
        .bind(answer)
        .bind(answered_by)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
    }
}
