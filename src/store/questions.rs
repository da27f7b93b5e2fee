//! FAQ questions, their votes and answers. Writes take the caller's write
//! transaction, so a question and the jobs that announce it commit together.

use rusqlite::{params, OptionalExtension};
use sqlx::Row;

use super::{Conn, Store};
use crate::domain::docset::Audience;
use crate::domain::faq::{OpenQuestion, QuestionSource};

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
    ) -> anyhow::Result<()> {
        let message_ts = message_ts.to_string();
        self.write(move |c| {
            c.prepare_cached("UPDATE questions SET message_ts = ? WHERE id = ?")?
                .execute(params![message_ts, question_id])?;
            Ok(())
        })
        .await
    }

    pub fn insert_question_in(conn: &Conn, new: NewQuestion<'_>) -> rusqlite::Result<i64> {
        conn.prepare_cached(
            "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source, message_ts)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?
        .insert(
            params![
                new.session_id,
                new.audience.as_str(),
                new.question,
                new.asked_by,
                new.now,
                new.source.as_str(),
                new.message_ts
            ])
    }

    /// An edited question: new text and, if its prefix changed, audience.
    pub fn update_question_in(
        conn: &Conn,
        id: i64,
        audience: Audience,
        question: &str,
        now: &str,
    ) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "UPDATE questions SET audience = ?, question = ?, updated_at = ? WHERE id = ?",
        )?
        .execute(params![audience.as_str(), question, now, id])?;
        Ok(())
    }

    /// Marks a question deleted; the row, its votes and answers stay.
    pub fn delete_question_in(conn: &Conn, id: i64, now: &str) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "UPDATE questions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
        )?
        .execute(params![now, id])?;
        Ok(())
    }

    /// The live question shown by message `ts` in `channel_id` (the asker's
    /// reply, or the bot's post of it), for votes.
    pub fn question_by_message_in(
        conn: &Conn,
        channel_id: &str,
        ts: &str,
    ) -> rusqlite::Result<Option<i64>> {
        conn.prepare_cached(QUESTION_BY_MESSAGE)?
            .query_row(params![ts, channel_id], |row| row.get(0))
            .optional()
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
    pub fn add_vote_in(
        conn: &Conn,
        question_id: i64,
        user_id: &str,
        now: &str,
    ) -> rusqlite::Result<bool> {
        let done = conn
            .prepare_cached(
                "INSERT INTO question_votes (question_id, user_id, voted_at) VALUES (?, ?, ?)
             ON CONFLICT DO NOTHING",
            )?
            .execute(params![question_id, user_id, now])?;
        Ok(done == 1)
    }

    /// Removes exactly `user_id`'s vote; false when there was none.
    pub fn remove_vote_in(conn: &Conn, question_id: i64, user_id: &str) -> rusqlite::Result<bool> {
        let done = conn
            .prepare_cached("DELETE FROM question_votes WHERE question_id = ? AND user_id = ?")?
            .execute(params![question_id, user_id])?;
        Ok(done == 1)
    }

    /// Votes of one question.
    pub async fn votes(&self, question_id: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM question_votes WHERE question_id = ?")
            .bind(question_id)
            .fetch_one(self.pool())
            .await
    }

    /// A live question, read inside the caller's write.
    pub fn question_in(conn: &Conn, id: i64) -> rusqlite::Result<Option<StoredQuestion>> {
        conn.prepare_cached(
            "SELECT id, session_id, audience, question, asked_by FROM questions
              WHERE id = ? AND deleted_at IS NULL",
        )?
        .query_row(params![id], |r| {
            let audience: String = r.get("audience")?;
            Ok(StoredQuestion {
                id: r.get("id")?,
                session_id: r.get("session_id")?,
                audience: Audience::parse(&audience).unwrap_or(Audience::External),
                question: r.get("question")?,
                asked_by: r.get("asked_by")?,
            })
        })
        .optional()
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
    pub fn insert_answer_in(
        conn: &Conn,
        question_id: i64,
        answer: &str,
        answered_by: &str,
        now: &str,
    ) -> rusqlite::Result<i64> {
        conn.prepare_cached(
            "INSERT INTO answers (question_id, answer, answered_by, answered_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )?
        .query_row(params![question_id, answer, answered_by, now], |row| {
            row.get(0)
        })
    }
}
