//! Thread messages: customer-experience stories, user-manual sections and
//! discussion (`entries`), and what any thread message became, found by its
//! `ts` — an edit or a deletion from Slack carries no `thread_ts`, only the ts.
//!
//! Everything here runs inside the caller's write transaction (the event's),
//! so a capture, its dedupe mark and its outbox jobs commit together.

use rusqlite::{params, OptionalExtension};

use super::sessions::session_from_conn_row;
use super::{Conn, Store};
use crate::domain::capture::EntryKind;
use crate::domain::docset::Audience;
use crate::domain::session::Session;

/// The columns `session_from_conn_row` reads, from a `sessions` table aliased `s`.
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
    /// The session whose root message is `thread_ts` in `channel_id`, read inside the caller's write.
    pub fn session_by_thread_in(
        conn: &Conn,
        channel_id: &str,
        thread_ts: &str,
    ) -> rusqlite::Result<Option<Session>> {
        conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.channel_id = ? AND s.thread_ts = ?"
        ))?
        .query_row(params![channel_id, thread_ts], session_from_conn_row)
        .optional()
    }

    /// Session `id`, read inside the caller's write.
    pub fn session_in(conn: &Conn, id: i64) -> rusqlite::Result<Option<Session>> {
        conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.id = ?"
        ))?
        .query_row(params![id], session_from_conn_row)
        .optional()
    }

    pub fn insert_entry_in(conn: &Conn, new: NewEntry<'_>) -> rusqlite::Result<i64> {
        conn.prepare_cached(
            "INSERT INTO entries (session_id, kind, body, author, created_at, message_ts)
             VALUES (?, ?, ?, ?, ?, ?)",
        )?
        .insert(params![
            new.session_id,
            new.kind.as_str(),
            new.body,
            new.author,
            new.now,
            new.message_ts
        ])
    }

    /// An edited message: new text, and a new kind if its prefix changed
    /// between two entry kinds (e.g. discussion → `CX:`).
    pub fn update_entry_in(
        conn: &Conn,
        id: i64,
        kind: EntryKind,
        body: &str,
        now: &str,
    ) -> rusqlite::Result<()> {
        conn.prepare_cached("UPDATE entries SET kind = ?, body = ?, updated_at = ? WHERE id = ?")?
            .execute(params![kind.as_str(), body, now, id])?;
        Ok(())
    }

    /// Marks an entry deleted (the message was deleted, or became a question or
    /// a draft); the row stays.
    pub fn delete_entry_in(conn: &Conn, id: i64, now: &str) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "UPDATE entries SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
        )?
        .execute(params![now, id])?;
        Ok(())
    }

    /// An edited `PR:` message updates its own version's body in place: the
    /// version is that message, not a new save.
    pub fn update_thread_draft_body_in(
        conn: &Conn,
        session_id: i64,
        version: i64,
        body: &str,
    ) -> rusqlite::Result<()> {
        conn.prepare_cached("UPDATE drafts SET body = ? WHERE session_id = ? AND version = ?")?
            .execute(params![body, session_id, version])?;
        Ok(())
    }

    /// Marks a `PR:` version deleted: it leaves the history and the export, and
    /// the previous version becomes the latest again.
    pub fn delete_draft_in(
        conn: &Conn,
        session_id: i64,
        version: i64,
        now: &str,
    ) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "UPDATE drafts SET deleted_at = ? WHERE session_id = ? AND version = ? AND deleted_at IS NULL",
        )?
        .execute(params![now, session_id, version])?;
        Ok(())
    }

    /// What the message `ts` in `channel_id` became in one of the channel's
    /// sessions, with that session; `None` when nothing live was stored for it.
    pub fn captured_by_message_in(
        conn: &Conn,
        channel_id: &str,
        ts: &str,
    ) -> rusqlite::Result<Option<(Session, Captured)>> {
        let question = conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS}, q.id AS item, q.audience, q.question AS text
               FROM questions q JOIN sessions s ON s.id = q.session_id
              WHERE q.message_ts = ? AND s.channel_id = ? AND q.deleted_at IS NULL
              ORDER BY q.id DESC LIMIT 1"
            ))?
            .query_row(params![ts, channel_id], |r| {
                let audience: String = r.get("audience")?;
                Ok((
                    session_from_conn_row(r)?,
                    Captured::Question {
                        id: r.get("item")?,
                        audience: Audience::parse(&audience).unwrap_or(Audience::External),
                        text: r.get("text")?,
                    },
                ))
            })
            .optional()?;
        if question.is_some() {
            return Ok(question);
        }
        let draft = conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS}, d.version AS item, COALESCE(d.body, '') AS text
               FROM drafts d JOIN sessions s ON s.id = d.session_id
              WHERE d.message_ts = ? AND s.channel_id = ? AND d.deleted_at IS NULL
              ORDER BY d.version DESC LIMIT 1"
            ))?
            .query_row(params![ts, channel_id], |r| {
                Ok((
                    session_from_conn_row(r)?,
                    Captured::Draft {
                        version: r.get("item")?,
                        text: r.get("text")?,
                    },
                ))
            })
            .optional()?;
        if draft.is_some() {
            return Ok(draft);
        }
        let entry = conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS}, e.id AS item, e.kind, e.body AS text
               FROM entries e JOIN sessions s ON s.id = e.session_id
              WHERE e.message_ts = ? AND s.channel_id = ? AND e.deleted_at IS NULL
              ORDER BY e.id DESC LIMIT 1"
            ))?
            .query_row(params![ts, channel_id], |r| {
                let kind: String = r.get("kind")?;
                let Some(kind) = EntryKind::parse(&kind) else {
                    return Ok(None);
                };
                Ok(Some((
                    session_from_conn_row(r)?,
                    Captured::Entry {
                        id: r.get("item")?,
                        kind,
                        text: r.get("text")?,
                    },
                )))
            })
            .optional()?;
        Ok(entry.flatten())
    }
}
