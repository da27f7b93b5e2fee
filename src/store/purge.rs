//! Forgetting a workspace (`wb purge`, `WB_PURGE_ON_UNINSTALL`): its
//! sessions and everything in them, and the display names cached for it.
//! Session by session, so a large workspace is deleted in short writes.
//!
//! Every table holding a session's content is listed in
//! [`Tx::purge_session`]; a test fails when a table with a `session_id`,
//! `question_id` or `review_id` column is missing there.

use super::db::{args, Tx};
use super::error::StoreResult;
use crate::domain::tenant::InstallKey;

/// The rows of one session, children first: (table, how it reaches the
/// session). `$1` is the session id.
const SESSION_ROWS: &[(&str, &str)] = &[
    (
        "question_votes",
        "question_id IN (SELECT id FROM questions WHERE session_id = $1)",
    ),
    (
        "answers",
        "question_id IN (SELECT id FROM questions WHERE session_id = $1)",
    ),
    (
        "review_comments",
        "review_id IN (SELECT id FROM reviews WHERE session_id = $1)",
    ),
    (
        "review_reviewers",
        "review_id IN (SELECT id FROM reviews WHERE session_id = $1)",
    ),
    ("reminders", "session_id = $1"),
    ("decisions", "session_id = $1"),
    ("reviews", "session_id = $1"),
    ("questions", "session_id = $1"),
    ("entries", "session_id = $1"),
    ("message_files", "session_id = $1"),
    ("drafts", "session_id = $1"),
    ("sessions", "id = $1"),
];

/// `WHERE` for the sessions of an installation: a workspace's own, or every
/// workspace's of an org.
fn scope_filter(scope: &InstallKey) -> (&'static str, String) {
    match scope {
        InstallKey::Team(t) => ("team_id = $1", t.clone()),
        InstallKey::Enterprise(e) => ("enterprise_id = $1", e.clone()),
    }
}

impl Tx<'_> {
    /// How many sessions `scope` has.
    pub fn count_sessions_of(&mut self, scope: &InstallKey) -> StoreResult<i64> {
        let (filter, id) = scope_filter(scope);
        self.int(
            &format!("SELECT COUNT(*) FROM sessions WHERE {filter}"),
            args![id.as_str()],
        )
    }

    /// Up to `limit` of `scope`'s sessions: (id, team).
    pub fn sessions_of(
        &mut self,
        scope: &InstallKey,
        limit: i64,
    ) -> StoreResult<Vec<(i64, String)>> {
        let (filter, id) = scope_filter(scope);
        self.rows(
            &format!("SELECT id, team_id FROM sessions WHERE {filter} ORDER BY id LIMIT $2"),
            args![id.as_str(), limit],
            |r| Ok((r.int("id")?, r.text("team_id")?)),
        )
    }

    /// Deletes session `id` and everything in it.
    pub fn purge_session(&mut self, id: i64) -> StoreResult<()> {
        for (table, filter) in SESSION_ROWS {
            self.exec(&format!("DELETE FROM {table} WHERE {filter}"), args![id])?;
        }
        Ok(())
    }

    /// Forgets the display names cached for `team_id`.
    pub fn forget_names(&mut self, team_id: &str) -> StoreResult<usize> {
        self.exec("DELETE FROM users WHERE team_id = $1", args![team_id])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_table_of_a_sessions_content_is_purged() {
        let (_dir, store) = crate::store::test_store().await;
        // SQLite's catalogue, in a test only: the tables whose rows belong to
        // a session, a question or a review.
        let tables = store
            .read(|tx| {
                tx.rows(
                    "SELECT DISTINCT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p
                      WHERE m.type = 'table' AND p.name IN ('session_id', 'question_id', 'review_id')",
                    &[],
                    |r| r.text("name"),
                )
            })
            .await
            .expect("catalogue");
        let purged: Vec<&str> = SESSION_ROWS.iter().map(|(t, _)| *t).collect();
        let missing: Vec<&String> = tables
            .iter()
            .filter(|t| !purged.contains(&t.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "add these tables to store::purge::SESSION_ROWS: {missing:?}"
        );
        store.close().await;
    }
}
