//! Display names resolved with `users.info`, cached for the export.

use std::collections::HashMap;

use super::db::{args, Tx};
use super::error::StoreResult;

/// A cached display name and when it was fetched (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedName {
    pub display_name: String,
    pub fetched_at: String,
}

impl Tx<'_> {
    /// Cached names of `user_ids` in `team_id` (ids not cached are absent).
    pub fn display_names(
        &mut self,
        team_id: &str,
        user_ids: &[String],
    ) -> StoreResult<HashMap<String, CachedName>> {
        let mut names = HashMap::with_capacity(user_ids.len());
        // One indexed lookup per id: a doc set names tens of people, and the
        // statement is prepared once.
        for id in user_ids {
            let found = self.row(
                "SELECT display_name, fetched_at FROM users WHERE team_id = $1 AND user_id = $2",
                args![team_id, id],
                |r| {
                    Ok(CachedName {
                        display_name: r.text("display_name")?,
                        fetched_at: r.text("fetched_at")?,
                    })
                },
            )?;
            if let Some(name) = found {
                names.insert(id.clone(), name);
            }
        }
        Ok(names)
    }

    /// Stores (or refreshes) one display name.
    pub fn save_display_name(
        &mut self,
        team_id: &str,
        user_id: &str,
        display_name: &str,
    ) -> StoreResult<()> {
        let now = self.now_text();
        self.exec(
            "INSERT INTO users (team_id, user_id, display_name, fetched_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (team_id, user_id) DO UPDATE
                SET display_name = excluded.display_name, fetched_at = excluded.fetched_at",
            args![team_id, user_id, display_name, &now],
        )?;
        Ok(())
    }
}
