//! Press-release draft versions: immutable rows, numbered 1..N per session.

use super::db::{args, Row, Tx};
use super::error::StoreResult;
use crate::domain::draft::{Draft, DraftFields, DraftSource};

const DRAFT_COLUMNS: &str =
    "session_id, version, author, created_at, source, headline, subheadline,
    dateline_city, launch_date, summary, problem, solution, leader_quote, getting_started,
    customer_quote, call_to_action, body";

fn draft_from(r: &Row<'_, '_>) -> StoreResult<Draft> {
    Ok(Draft {
        session_id: r.int("session_id")?,
        version: r.int("version")?,
        author: r.text("author")?,
        created_at: r.text("created_at")?,
        source: r.text("source")?,
        fields: DraftFields {
            headline: r.opt_text("headline")?,
            subheadline: r.opt_text("subheadline")?,
            dateline_city: r.opt_text("dateline_city")?,
            launch_date: r.opt_text("launch_date")?,
            summary: r.opt_text("summary")?,
            problem: r.opt_text("problem")?,
            solution: r.opt_text("solution")?,
            leader_quote: r.opt_text("leader_quote")?,
            getting_started: r.opt_text("getting_started")?,
            customer_quote: r.opt_text("customer_quote")?,
            call_to_action: r.opt_text("call_to_action")?,
            body: r.opt_text("body")?,
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
}

impl Tx<'_> {
    /// Stores a new version (numbering is race-free inside the write) and
    /// returns its number.
    pub fn insert_draft(&mut self, origin: DraftOrigin<'_>, f: &DraftFields) -> StoreResult<i64> {
        let now = self.now_text();
        self.one(
            "INSERT INTO drafts (session_id, version, author, created_at, source, message_ts,
                    headline, subheadline, dateline_city, launch_date, summary, problem, solution,
                    leader_quote, getting_started, customer_quote, call_to_action, body)
             VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM drafts WHERE session_id = $1),
                     $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             RETURNING version",
            args![
                origin.session_id,
                origin.author,
                &now,
                origin.source.as_str(),
                origin.message_ts,
                &f.headline,
                &f.subheadline,
                &f.dateline_city,
                &f.launch_date,
                &f.summary,
                &f.problem,
                &f.solution,
                &f.leader_quote,
                &f.getting_started,
                &f.customer_quote,
                &f.call_to_action,
                &f.body
            ],
            |r| r.int("version"),
        )
    }

    /// How many versions of the session's draft are not deleted.
    pub fn draft_count(&mut self, session_id: i64) -> StoreResult<i64> {
        self.int(
            "SELECT COUNT(*) FROM drafts WHERE session_id = $1 AND deleted_at IS NULL",
            args![session_id],
        )
    }

    /// The latest version that is not deleted.
    pub fn latest_draft(&mut self, session_id: i64) -> StoreResult<Option<Draft>> {
        self.row(
            &format!(
                "SELECT {DRAFT_COLUMNS} FROM drafts WHERE session_id = $1 AND deleted_at IS NULL
                  ORDER BY version DESC LIMIT 1"
            ),
            args![session_id],
            draft_from,
        )
    }

    /// How many versions a session has, deleted ones included (0 before the first).
    pub fn draft_versions(&mut self, session_id: i64) -> StoreResult<i64> {
        self.int(
            "SELECT COUNT(*) FROM drafts WHERE session_id = $1",
            args![session_id],
        )
    }

    /// One version (deleted or not).
    pub fn draft(&mut self, session_id: i64, version: i64) -> StoreResult<Option<Draft>> {
        self.row(
            &format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE session_id = $1 AND version = $2"),
            args![session_id, version],
            draft_from,
        )
    }

    /// An edited `PR:` message updates its own version's body in place: the
    /// version is that message, not a new save.
    pub fn update_thread_draft_body(
        &mut self,
        session_id: i64,
        version: i64,
        body: &str,
    ) -> StoreResult<()> {
        self.exec(
            "UPDATE drafts SET body = $1 WHERE session_id = $2 AND version = $3",
            args![body, session_id, version],
        )?;
        Ok(())
    }

    /// Marks a `PR:` version deleted: it leaves the history and the export, and
    /// the previous version becomes the latest again.
    pub fn delete_draft(&mut self, session_id: i64, version: i64) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "UPDATE drafts SET deleted_at = $1 WHERE session_id = $2 AND version = $3 AND deleted_at IS NULL",
            args![&now, session_id, version],
        )?;
        Ok(())
    }
}
