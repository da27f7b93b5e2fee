//! Sessions: one row per idea thread.

use rusqlite::params;
use sqlx::Row;

use super::{Conn, Store};
use crate::domain::session::{NewSession, Session, SessionSummary};

const SUMMARY_SELECT: &str = "SELECT s.id, s.title, s.team_id, s.channel_id, s.thread_ts, s.created_by, s.created_at,
        (SELECT COUNT(*) FROM drafts d WHERE d.session_id = s.id AND d.deleted_at IS NULL) AS drafts,
        (SELECT COUNT(*) FROM questions q WHERE q.session_id = s.id AND q.deleted_at IS NULL) AS questions
   FROM sessions s";

/// A [`Session`] from a row with the session's columns, read with `$get`
/// (sqlx's `try_get` for reads, rusqlite's `get` for the writer's connection).
macro_rules! session_from {
    ($r:expr, $get:ident) => {
        Session {
            id: $r.$get("id")?,
            title: $r.$get("title")?,
            team_id: $r.$get("team_id")?,
            channel_id: $r.$get("channel_id")?,
            thread_ts: $r.$get("thread_ts")?,
            created_by: $r.$get("created_by")?,
            created_at: $r.$get("created_at")?,
        }
    };
}

pub(super) fn session_from_row(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Session> {
    Ok(session_from!(row, try_get))
}

pub(super) fn session_from_conn_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Session> {
    Ok(session_from!(row, get))
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
    pub async fn insert_session(&self, new: &NewSession, now: &str) -> anyhow::Result<Session> {
        let new = new.clone();
        let now = now.to_string();
        self.write(move |c| Ok(Self::insert_session_in(c, None, &new, &now)?))
            .await
    }

    /// The same, on the writer's connection inside the caller's [`Store::write`].
    /// Reserves the next session number (for a root message posted before its
    /// session is stored). Numbers come from `sessions`' own AUTOINCREMENT
    /// counter in `sqlite_sequence`, which SQLite lets us update: a reserved
    /// number is never handed out again, whether or not it is used.
    pub fn reserve_session_id_in(conn: &Conn) -> rusqlite::Result<i64> {
        let bumped = conn
            .prepare_cached("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'sessions'")?
            .execute([])?;
        if bumped == 0 {
            // No session was ever stored: the counter starts now.
            conn.prepare_cached("INSERT INTO sqlite_sequence (name, seq) VALUES ('sessions', 1)")?
                .execute([])?;
        }
        conn.prepare_cached("SELECT seq FROM sqlite_sequence WHERE name = 'sessions'")?
            .query_row([], |row| row.get(0))
    }

    /// Stores a session whose root message Slack has accepted, under its
    /// reserved number (or the next one). Idempotent: a replayed job returns
    /// the row stored first, whether it meets it by number or by root ts.
    pub fn insert_session_in(
        conn: &Conn,
        id: Option<i64>,
        new: &NewSession,
        now: &str,
    ) -> rusqlite::Result<Session> {
        conn.prepare_cached(
            "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET title = sessions.title
             ON CONFLICT (channel_id, thread_ts) DO UPDATE SET title = sessions.title
             RETURNING id, title, team_id, channel_id, thread_ts, created_by, created_at",
        )?
        .query_row(
            params![
                id,
                new.team_id,
                new.channel_id,
                new.thread_ts,
                new.title.as_str(),
                new.created_by,
                now,
                now
            ],
            session_from_conn_row,
        )
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
    pub async fn touch_session(&self, id: i64, now: &str) -> anyhow::Result<()> {
        let now = now.to_string();
        self.write(move |c| Ok(Self::touch_session_in(c, id, &now)?))
            .await
    }

    /// The same, inside a write transaction (a capture makes its session current).
    pub fn touch_session_in(conn: &Conn, id: i64, now: &str) -> rusqlite::Result<()> {
        // A busy thread touches its session many times a second: only a later
        // time is written (no row or index change otherwise).
        conn.prepare_cached(
            "UPDATE sessions SET last_activity_at = ?1 WHERE id = ?2 AND last_activity_at < ?1",
        )?
        .execute(params![now, id])?;
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

    /// A session's live drafts and questions (the counts on its root message),
    /// inside the caller's write.
    pub fn session_counts_in(conn: &Conn, id: i64) -> rusqlite::Result<(i64, i64)> {
        conn.prepare_cached(
            "SELECT (SELECT COUNT(*) FROM drafts WHERE session_id = ?1 AND deleted_at IS NULL),
                    (SELECT COUNT(*) FROM questions WHERE session_id = ?1 AND deleted_at IS NULL)",
        )?
        .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::Title;

    fn new(ts: &str) -> NewSession {
        NewSession {
            team_id: "T1".into(),
            channel_id: "C1".into(),
            thread_ts: ts.into(),
            title: Title::parse("Fridge camera").expect("title"),
            created_by: "U1".into(),
        }
    }

    #[tokio::test]
    async fn reserved_numbers_are_never_handed_out_twice_and_replays_are_idempotent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("s.db").display());
        let store = Store::open(&url).await.expect("store");
        let now = "2026-11-21T00:00:00Z";
        let got = store
            .write(move |c| {
                let a = Store::reserve_session_id_in(c)?;
                let b = Store::reserve_session_id_in(c)?;
                // A session stored without a reservation takes the next number.
                let plain = Store::insert_session_in(c, None, &new("1.1"), now)?;
                let first = Store::insert_session_in(c, Some(b), &new("2.2"), now)?;
                // A replay (same number, another root ts) finds the first row.
                let replay = Store::insert_session_in(c, Some(b), &new("3.3"), now)?;
                // The same root ts under another number finds it too.
                let same_root = Store::insert_session_in(c, Some(a), &new("2.2"), now)?;
                let c_ = Store::reserve_session_id_in(c)?;
                Ok((a, b, plain.id, first, replay, same_root, c_))
            })
            .await
            .expect("write");
        let (a, b, plain, first, replay, same_root, next) = got;
        assert_eq!((a, b, plain), (1, 2, 3));
        assert_eq!((first.id, first.thread_ts.as_str()), (2, "2.2"));
        assert_eq!(replay, first);
        assert_eq!(same_root, first);
        assert_eq!(next, 4);
        assert_eq!(store.list_sessions().await.expect("list").len(), 2);
    }
}
