//! Decisions: Go / Iterate / No-go, every one kept; the latest is the
//! session's decision.

use super::db::{args, Row, Tx};
use super::error::StoreResult;
use crate::domain::docset::DecisionRecord;
use crate::domain::review::Outcome;

const DECISION_COLUMNS: &str = "outcome, rationale, next_steps, decided_by, decided_at, version";

fn decision_from(r: &Row<'_, '_>) -> StoreResult<DecisionRecord> {
    Ok(DecisionRecord {
        // The column's CHECK allows only the three outcomes.
        outcome: Outcome::parse(&r.text("outcome")?).unwrap_or(Outcome::Iterate),
        rationale: r.text("rationale")?,
        next_steps: r.opt_text("next_steps")?,
        decided_by: r.text("decided_by")?,
        decided_at: r.text("decided_at")?,
        version: r.opt_int("version")?,
    })
}

/// What deciding stores.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub session_id: i64,
    pub outcome: Outcome,
    pub rationale: &'a str,
    pub next_steps: Option<&'a str>,
    pub decided_by: &'a str,
    pub version: Option<i64>,
    pub review_id: Option<i64>,
}

impl Tx<'_> {
    /// Stores a decision (now); the stored record.
    pub fn insert_decision(&mut self, new: &NewDecision<'_>) -> StoreResult<DecisionRecord> {
        let now = self.now_text();
        self.one(
            &format!(
                "INSERT INTO decisions (session_id, outcome, rationale, next_steps, decided_by, decided_at, version, review_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {DECISION_COLUMNS}"
            ),
            args![
                new.session_id,
                new.outcome.as_str(),
                new.rationale,
                new.next_steps,
                new.decided_by,
                &now,
                new.version,
                new.review_id
            ],
            decision_from,
        )
    }

    /// Every decision of a session, oldest first.
    pub fn decisions(&mut self, session_id: i64) -> StoreResult<Vec<DecisionRecord>> {
        self.rows(
            &format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE session_id = $1 ORDER BY id"),
            args![session_id],
            decision_from,
        )
    }

    /// The session's decision: the latest one.
    pub fn latest_decision(&mut self, session_id: i64) -> StoreResult<Option<DecisionRecord>> {
        self.row(
            &format!(
                "SELECT {DECISION_COLUMNS} FROM decisions WHERE session_id = $1 ORDER BY id DESC LIMIT 1"
            ),
            args![session_id],
            decision_from,
        )
    }
}
