//! Thread messages: customer-experience stories, user-manual sections and
//! discussion (`entries`), and what any thread message became, found by its
//! `ts` — an edit or a deletion from Slack carries no `thread_ts`, only the ts.

use super::db::{args, Tx};
use super::error::StoreResult;
use super::sessions::{session_from, SESSION_COLUMNS};
use crate::domain::capture::EntryKind;
use crate::domain::docset::Audience;
use crate::domain::session::Session;

/// A new row of `entries`.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    pub session_id: i64,
    pub kind: EntryKind,
    pub body: &'a str,
    pub author: Option<&'a str>,
    pub message_ts: Option<&'a str>,
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

impl Tx<'_> {
    pub fn insert_entry(&mut self, new: NewEntry<'_>) -> StoreResult<i64> {
        let now = self.now_text();
        self.insert(
            "INSERT INTO entries (session_id, kind, body, author, created_at, message_ts)
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![
                new.session_id,
                new.kind.as_str(),
                new.body,
                new.author,
                &now,
                new.message_ts
            ],
        )
    }

    /// An edited message: new text, and a new kind if its prefix changed
    /// between two entry kinds (e.g. discussion → `CX:`).
    pub fn update_entry(&mut self, id: i64, kind: EntryKind, body: &str) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE entries SET kind = $1, body = $2, updated_at = $3 WHERE id = $4",
            args![kind.as_str(), body, &now, id],
        )?;
        Ok(())
    }

    /// Marks an entry deleted (the message was deleted, or became a question or
    /// a draft); the row stays.
    pub fn delete_entry(&mut self, id: i64) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE entries SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
            args![&now, id],
        )?;
        Ok(())
    }

    /// What the message `ts` in `channel_id` became in one of the channel's
    /// sessions, with that session; `None` when nothing live was stored for it.
    pub fn captured_by_message(
        &mut self,
        channel_id: &str,
        ts: &str,
    ) -> StoreResult<Option<(Session, Captured)>> {
        let question = self.row(
            &format!(
                "SELECT {SESSION_COLUMNS}, q.id AS item, q.audience, q.question AS text
                   FROM questions q JOIN sessions s ON s.id = q.session_id
                  WHERE q.message_ts = $1 AND s.channel_id = $2 AND q.deleted_at IS NULL
                  ORDER BY q.id DESC LIMIT 1"
            ),
            args![ts, channel_id],
            |r| {
                let audience = Audience::parse(&r.text("audience")?).unwrap_or(Audience::External);
                Ok((
                    session_from(r)?,
                    Captured::Question {
                        id: r.int("item")?,
                        audience,
                        text: r.text("text")?,
                    },
                ))
            },
        )?;
        if question.is_some() {
            return Ok(question);
        }
        let draft = self.row(
            &format!(
                "SELECT {SESSION_COLUMNS}, d.version AS item, COALESCE(d.body, '') AS text
                   FROM drafts d JOIN sessions s ON s.id = d.session_id
                  WHERE d.message_ts = $1 AND s.channel_id = $2 AND d.deleted_at IS NULL
                  ORDER BY d.version DESC LIMIT 1"
            ),
            args![ts, channel_id],
            |r| {
                Ok((
                    session_from(r)?,
                    Captured::Draft {
                        version: r.int("item")?,
                        text: r.text("text")?,
                    },
                ))
            },
        )?;
        if draft.is_some() {
            return Ok(draft);
        }
        let entry = self.row(
            &format!(
                "SELECT {SESSION_COLUMNS}, e.id AS item, e.kind, e.body AS text
                   FROM entries e JOIN sessions s ON s.id = e.session_id
                  WHERE e.message_ts = $1 AND s.channel_id = $2 AND e.deleted_at IS NULL
                  ORDER BY e.id DESC LIMIT 1"
            ),
            args![ts, channel_id],
            |r| {
                let Some(kind) = EntryKind::parse(&r.text("kind")?) else {
                    return Ok(None);
                };
                Ok(Some((
                    session_from(r)?,
                    Captured::Entry {
                        id: r.int("item")?,
                        kind,
                        text: r.text("text")?,
                    },
                )))
            },
        )?;
        Ok(entry.flatten())
    }
}
