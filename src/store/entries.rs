//! Thread messages: customer-experience stories, user-manual sections and
//! discussion (`entries`), and what any thread message became, found by its
//! `ts` — an edit or a deletion from Slack carries no `thread_ts`, only the ts.
//!
//! Everything here runs inside the caller's write transaction (the event's),
//! so a capture, its dedupe mark and its outbox jobs commit together.

use sqlx::{Row, Sqlite, Transaction};

use super::sessions::session_from_row;
use super::Store;
use crate::domain::capture::EntryKind;
use crate::domain::docset::Audience;
use crate::domain::session::Session;

type Tx<'t> = Transaction<'t, Sqlite>;

/// The columns `session_from_row` reads, from a `sessions` table aliased `s`.
const SESSION_COLUMNS: &str =
    "s.id, s.title, s.team_id, s.channel_id, s.thread_ts, s.created_by, s.created_at";

/// A new row of `entries`.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    pub session_id: i64,
    pub kind: EntryKind,
    pub body: &'a str,
    pub author: Option<&'a str>,
    pub message_ts: Option<&'a str>,
    pub now: &'a str,
}

/// What a thread message is stored as (the live row; deleted ones are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Captured {
    Question {
        id: i64,
        audience: Audience,
        text: String,
    },
    /// A `PR:` draft version.
    Draft { version: i64, text: String },
    Entry {
        id: i64,
        kind: EntryKind,
        text: String,
    },
}

impl Store {
    /// The session whose root message is `thread_ts` in `channel_id`, read in `tx`.
    pub async fn session_by_thread_in(
        tx: &mut Tx<'_>,
        channel_id: &str,
        thread_ts: &str,
    ) -> sqlx::Result<Option<Session>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.channel_id = ? AND s.thread_ts = ?"
        ))
        .bind(channel_id)
        .bind(thread_ts)
        .fetch_optional(&mut **tx)
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// Session `id`, read in `tx`.
    pub async fn session_in(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<Option<Session>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.id = ?"
        ))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    pub async fn insert_entry_in(tx: &mut Tx<'_>, new: NewEntry<'_>) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO entries (session_id, kind, body, author, created_at, message_ts)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(new.session_id)
        .bind(new.kind.as_str())
        .bind(new.body)
        .bind(new.author)
        .bind(new.now)
        .bind(new.message_ts)
        .fetch_one(&mut **tx)
        .await
    }

    /// An edited message: new text, and a new kind if its prefix changed
    /// between two entry kinds (e.g. discussion → `CX:`).
    pub async fn update_entry_in(
        tx: &mut Tx<'_>,
        id: i64,
        kind: EntryKind,
        body: &str,
        now: &str,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE entries SET kind = ?, body = ?, updated_at = ? WHERE id = ?")
            .bind(kind.as_str())
            .bind(body)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Marks an entry deleted (the message was deleted, or became a question or
    /// a draft); the row stays.
    pub async fn delete_entry_in(tx: &mut Tx<'_>, id: i64, now: &str) -> sqlx::Result<()> {
        sqlx::query("UPDATE entries SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// An edited `PR:` message updates its own version's body in place: the
    /// version is that message, not a new save.
    pub async fn update_thread_draft_body_in(
        tx: &mut Tx<'_>,
        session_id: i64,
        version: i64,
        body: &str,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE drafts SET body = ? WHERE session_id = ? AND version = ?")
            .bind(body)
            .bind(session_id)
            .bind(version)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Marks a `PR:` version deleted: it leaves the history and the export, and
    /// the previous version becomes the latest again.
    pub async fn delete_draft_in(
        tx: &mut Tx<'_>,
        session_id: i64,
        version: i64,
        now: &str,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE drafts SET deleted_at = ? WHERE session_id = ? AND version = ? AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(session_id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// What the message `ts` in `channel_id` became in one of the channel's
    /// sessions, with that session; `None` when nothing live was stored for it.
    pub async fn captured_by_message_in(
        tx: &mut Tx<'_>,
        channel_id: &str,
        ts: &str,
    ) -> sqlx::Result<Option<(Session, Captured)>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, q.id AS item, q.audience, q.question AS text
               FROM questions q JOIN sessions s ON s.id = q.session_id
              WHERE q.message_ts = ? AND s.channel_id = ? AND q.deleted_at IS NULL
              ORDER BY q.id DESC LIMIT 1"
        ))
        .bind(ts)
        .bind(channel_id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(r) = row {
            let audience: String = r.try_get("audience")?;
            return Ok(Some((
                session_from_row(&r)?,
                Captured::Question {
                    id: r.try_get("item")?,
                    audience: Audience::parse(&audience).unwrap_or(Audience::External),
                    text: r.try_get("text")?,
                },
            )));
        }
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, d.version AS item, COALESCE(d.body, '') AS text
               FROM drafts d JOIN sessions s ON s.id = d.session_id
              WHERE d.message_ts = ? AND s.channel_id = ? AND d.deleted_at IS NULL
              ORDER BY d.version DESC LIMIT 1"
        ))
        .bind(ts)
        .bind(channel_id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(r) = row {
            return Ok(Some((
                session_from_row(&r)?,
                Captured::Draft {
                    version: r.try_get("item")?,
                    text: r.try_get("text")?,
                },
            )));
        }
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, e.id AS item, e.kind, e.body AS text
               FROM entries e JOIN sessions s ON s.id = e.session_id
              WHERE e.message_ts = ? AND s.channel_id = ? AND e.deleted_at IS NULL
              ORDER BY e.id DESC LIMIT 1"
        ))
        .bind(ts)
        .bind(channel_id)
        .fetch_optional(&mut **tx)
        .await?;
        match row {
            Some(r) => {
                let kind: String = r.try_get("kind")?;
                let Some(kind) = EntryKind::parse(&kind) else {
                    return Ok(None);
                };
                Ok(Some((
                    session_from_row(&r)?,
                    Captured::Entry {
                        id: r.try_get("item")?,
                        kind,
                        text: r.try_get("text")?,
                    },
                )))
            }
            None => Ok(None),
        }
    }
}
