//! Press-release draft versions: immutable rows, numbered 1..N per session.

use sqlx::{Row, Sqlite, Transaction};

use super::Store;
use crate::domain::draft::{Draft, DraftFields, DraftSource};

const DRAFT_COLUMNS: &str =
    "session_id, version, author, created_at, source, headline, subheadline,
    dateline_city, launch_date, summary, problem, solution, leader_quote, getting_started,
    customer_quote, call_to_action, body";

fn draft_from_row(r: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Draft> {
    Ok(Draft {
        session_id: r.try_get("session_id")?,
        version: r.try_get("version")?,
        author: r.try_get("author")?,
        created_at: r.try_get("created_at")?,
        source: r.try_get("source")?,
        fields: DraftFields {
            headline: r.try_get("headline")?,
            subheadline: r.try_get("subheadline")?,
            dateline_city: r.try_get("dateline_city")?,
            launch_date: r.try_get("launch_date")?,
            summary: r.try_get("summary")?,
            problem: r.try_get("problem")?,
            solution: r.try_get("solution")?,
            leader_quote: r.try_get("leader_quote")?,
            getting_started: r.try_get("getting_started")?,
            customer_quote: r.try_get("customer_quote")?,
            call_to_action: r.try_get("call_to_action")?,
            body: r.try_get("body")?,
        },
    })
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
    /// Stores a new version inside `tx` (a write transaction, so numbering is
    /// race-free) and returns its number.
    pub async fn insert_draft_in(
        tx: &mut Transaction<'_, Sqlite>,
        origin: DraftOrigin<'_>,
        fields: &DraftFields,
    ) -> sqlx::Result<i64> {
        let row = sqlx::query(
            "INSERT INTO drafts (session_id, version, author, created_at, source, message_ts,
                    headline, subheadline, dateline_city, launch_date, summary, problem, solution,
                    leader_quote, getting_started, customer_quote, call_to_action, body)
             VALUES (?, (SELECT COALESCE(MAX(version), 0) + 1 FROM drafts WHERE session_id = ?),
                     ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             RETURNING version",
        )
        .bind(origin.session_id)
        .bind(origin.session_id)
        .bind(origin.author)
        .bind(origin.now)
        .bind(origin.source.as_str())
        .bind(origin.message_ts)
        .bind(&fields.headline)
        .bind(&fields.subheadline)
        .bind(&fields.dateline_city)
        .bind(&fields.launch_date)
        .bind(&fields.summary)
        .bind(&fields.problem)
        .bind(&fields.solution)
        .bind(&fields.leader_quote)
        .bind(&fields.getting_started)
        .bind(&fields.customer_quote)
        .bind(&fields.call_to_action)
        .bind(&fields.body)
        .fetch_one(&mut **tx)
        .await?;
        row.try_get("version")
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
    pub async fn latest_draft_in(
        tx: &mut Transaction<'_, Sqlite>,
        session_id: i64,
    ) -> sqlx::Result<Option<Draft>> {
        let row = sqlx::query(&format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE session_id = ? AND deleted_at IS NULL
              ORDER BY version DESC LIMIT 1"
        ))
        .bind(session_id)
        .fetch_optional(&mut **tx)
        .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    /// How many versions a session has, deleted ones included (0 before the first).
    pub async fn draft_versions_in(
        tx: &mut Transaction<'_, Sqlite>,
        session_id: i64,
    ) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE session_id = ?")
            .bind(session_id)
            .fetch_one(&mut **tx)
            .await
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
