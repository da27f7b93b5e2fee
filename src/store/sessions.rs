//! Sessions: one row per idea thread.

use sqlx::Row;

use super::Store;
use crate::domain::session::{NewSession, Session, SessionSummary};

const SUMMARY_SELECT: &str = "SELECT s.id, s.title, s.team_id, s.channel_id, s.thread_ts, s.created_by, s.created_at,
        (SELECT COUNT(*) FROM drafts d WHERE d.session_id = s.id AND d.deleted_at IS NULL) AS drafts,
        (SELECT COUNT(*) FROM questions q WHERE q.session_id = s.id AND q.deleted_at IS NULL) AS questions
   FROM sessions s";

pub(super) fn session_from_row(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Session> {
    Ok(Session {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        team_id: row.try_get("team_id")?,
        channel_id: row.try_get("channel_id")?,
        thread_ts: row.try_get("thread_ts")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

fn summary_from_row(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<SessionSummary> {
    Ok(SessionSummary {
        session: session_from_row(row)?,
        drafts: row.try_get("drafts")?,
        questions: row.try_get("questions")?,
    })
}

impl Store {
    /// Stores a session whose root message Slack has accepted. Idempotent on
    /// (channel, root ts): a replayed job returns the existing row.
    #[tracing::instrument(skip(self, new), fields(team = %new.team_id, channel = %new.channel_id))]
    pub async fn insert_session(&self, new: &NewSession, now: &str) -> sqlx::Result<Session> {
        let row = sqlx::query(
            "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (channel_id, thread_ts) DO UPDATE SET title = sessions.title
             RETURNING id, title, team_id, channel_id, thread_ts, created_by, created_at",
        )
        .bind(&new.team_id)
        .bind(&new.channel_id)
        .bind(&new.thread_ts)
        .bind(new.title.as_str())
        .bind(&new.created_by)
        .bind(now)
        .bind(now)
        .fetch_one(self.writer())
        .await?;
        session_from_row(&row)
    }

    pub async fn session(&self, id: i64) -> sqlx::Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT id, title, team_id, channel_id, thread_ts, created_by, created_at FROM sessions WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// The session whose root message is `thread_ts` in `channel_id`.
    pub async fn session_by_thread(
        &self,
        channel_id: &str,
        thread_ts: &str,
    ) -> sqlx::Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT id, title, team_id, channel_id, thread_ts, created_by, created_at
               FROM sessions WHERE channel_id = ? AND thread_ts = ?",
        )
        .bind(channel_id)
        .bind(thread_ts)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// The channel's most recently active session.
    pub async fn latest_session_in_channel(
        &self,
        team_id: &str,
        channel_id: &str,
    ) -> sqlx::Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT id, title, team_id, channel_id, thread_ts, created_by, created_at
               FROM sessions WHERE team_id = ? AND channel_id = ?
              ORDER BY last_activity_at DESC, id DESC LIMIT 1",
        )
        .bind(team_id)
        .bind(channel_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// Marks the session as just active (it becomes the channel's current one).
    pub async fn touch_session(&self, id: i64, now: &str) -> sqlx::Result<()> {
        sqlx::query("UPDATE sessions SET last_activity_at = ? WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The same, inside a write transaction (a capture makes its session current).
    pub async fn touch_session_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        id: i64,
        now: &str,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE sessions SET last_activity_at = ? WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Every session with counts, oldest first.
    pub async fn list_sessions(&self) -> sqlx::Result<Vec<SessionSummary>> {
        let rows = sqlx::query(&format!("{SUMMARY_SELECT} ORDER BY s.id"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// A channel's sessions with counts, newest activity first, at most `limit`.
    pub async fn list_channel_sessions(
        &self,
        team_id: &str,
        channel_id: &str,
        limit: i64,
    ) -> sqlx::Result<Vec<SessionSummary>> {
        let rows = sqlx::query(&format!(
            "{SUMMARY_SELECT} WHERE s.team_id = ? AND s.channel_id = ?
              ORDER BY s.last_activity_at DESC, s.id DESC LIMIT ?"
        ))
        .bind(team_id)
        .bind(channel_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// A team's sessions with counts, newest activity first, at most `limit`.
    pub async fn list_team_sessions(
        &self,
        team_id: &str,
        limit: i64,
    ) -> sqlx::Result<Vec<SessionSummary>> {
        let rows = sqlx::query(&format!(
            "{SUMMARY_SELECT} WHERE s.team_id = ? ORDER BY s.last_activity_at DESC, s.id DESC LIMIT ?"
        ))
        .bind(team_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    pub async fn session_summary(&self, id: i64) -> sqlx::Result<Option<SessionSummary>> {
        let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE s.id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(summary_from_row).transpose()
    }
}
