//! Press-release draft versions: immutable rows, numbered 1..N per session.

use rusqlite::{params, OptionalExtension};
use sqlx::Row;

use super::{Conn, Store};
use crate::domain::draft::{Draft, DraftFields, DraftSource};

const DRAFT_COLUMNS: &str =
    "session_id, version, author, created_at, source, headline, subheadline,
    dateline_city, launch_date, summary, problem, solution, leader_quote, getting_started,
    customer_quote, call_to_action, body";

/// A [`Draft`] from a row of [`DRAFT_COLUMNS`], read with `$get` (sqlx's
/// `try_get` for reads, rusqlite's `get` for the writer's connection).
macro_rules! draft_from {
    ($r:expr, $get:ident) => {
        Draft {
            session_id: $r.$get("session_id")?,
            version: $r.$get("version")?,
            author: $r.$get("author")?,
            created_at: $r.$get("created_at")?,
            source: $r.$get("source")?,
            fields: DraftFields {
                headline: $r.$get("headline")?,
                subheadline: $r.$get("subheadline")?,
                dateline_city: $r.$get("dateline_city")?,
                launch_date: $r.$get("launch_date")?,
                summary: $r.$get("summary")?,
                problem: $r.$get("problem")?,
                solution: $r.$get("solution")?,
                leader_quote: $r.$get("leader_quote")?,
                getting_started: $r.$get("getting_started")?,
                customer_quote: $r.$get("customer_quote")?,
                call_to_action: $r.$get("call_to_action")?,
                body: $r.$get("body")?,
            },
        }
    };
}

fn draft_from_row(r: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Draft> {
    Ok(draft_from!(r, try_get))
}

fn draft_from_conn_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Draft> {
    Ok(draft_from!(r, get))
}

/// Where a new draft comes from and who wrote it.
#[derive(Debug, Clone, Copy)]
pub struct DraftOrigin<'a> {
    pub session_id: i64,
    pub author: &'a str,
    pub source: DraftSource,
    /// The thread message of a `PR:` draft.
    pub message_ts: Option<&'a str>,
    pub now: &'a str,
}

impl Store {
    /// Stores a new version inside the caller's write (one transaction, so numbering is
    /// race-free) and returns its number.
    pub fn insert_draft_in(
        conn: &Conn,
        origin: DraftOrigin<'_>,
        fields: &DraftFields,
    ) -> rusqlite::Result<i64> {
        conn.prepare_cached(
            "INSERT INTO drafts (session_id, version, author, created_at, source, message_ts,
                    headline, subheadline, dateline_city, launch_date, summary, problem, solution,
                    leader_quote, getting_started, customer_quote, call_to_action, body)
             VALUES (?, (SELECT COALESCE(MAX(version), 0) + 1 FROM drafts WHERE session_id = ?),
                     ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             RETURNING version",
        )?
        .query_row(
            params![
                origin.session_id,
                origin.session_id,
                origin.author,
                origin.now,
                origin.source.as_str(),
                origin.message_ts,
                fields.headline,
                fields.subheadline,
                fields.dateline_city,
                fields.launch_date,
                fields.summary,
                fields.problem,
                fields.solution,
                fields.leader_quote,
                fields.getting_started,
                fields.customer_quote,
                fields.call_to_action,
                fields.body
            ],
            |row| row.get("version"),
        )
    }

    /// The latest version that is not deleted.
    pub async fn latest_draft(&self, session_id: i64) -> sqlx::Result<Option<Draft>> {
        let row = sqlx::query(&format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE session_id = ? AND deleted_at IS NULL
              ORDER BY version DESC LIMIT 1"
        ))
        .bind(session_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    /// The latest version that is not deleted, read inside a write transaction
    /// (so "what changed since the previous version" sees a stable previous).
    pub fn latest_draft_in(conn: &Conn, session_id: i64) -> rusqlite::Result<Option<Draft>> {
        conn.prepare_cached(&format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE session_id = ? AND deleted_at IS NULL
              ORDER BY version DESC LIMIT 1"
        ))?
        .query_row(params![session_id], draft_from_conn_row)
        .optional()
    }

    /// How many versions a session has, deleted ones included (0 before the first).
    pub fn draft_versions_in(conn: &Conn, session_id: i64) -> rusqlite::Result<i64> {
        conn.prepare_cached("SELECT COUNT(*) FROM drafts WHERE session_id = ?")?
            .query_row(params![session_id], |row| row.get(0))
    }

    /// One version (deleted or not).
    pub async fn draft(&self, session_id: i64, version: i64) -> sqlx::Result<Option<Draft>> {
        let row = sqlx::query(&format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE session_id = ? AND version = ?"
        ))
        .bind(session_id)
        .bind(version)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(draft_from_row).transpose()
    }
}
