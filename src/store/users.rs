//! Display names resolved with `users.info`, cached for the export.

use std::collections::HashMap;

use sqlx::Row;

use super::Store;

/// A cached display name and when it was fetched (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedName {
    pub display_name: String,
    pub fetched_at: String,
}

impl Store {
    /// Cached names of `user_ids` in `team_id` (ids not cached are absent).
    #[tracing::instrument(skip(self, user_ids), fields(team = %team_id, ids = user_ids.len()))]
    pub async fn display_names(
        &self,
        team_id: &str,
        user_ids: &[String],
    ) -> sqlx::Result<HashMap<String, CachedName>> {
        if user_ids.is_empty() {
            return Ok(HashMap::new());
        }
        // One query whatever the number of ids: they travel as a JSON array.
        let ids = serde_json::to_string(user_ids).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query(
            "SELECT user_id, display_name, fetched_at FROM users
              WHERE team_id = ? AND user_id IN (SELECT value FROM json_each(?))",
        )
        .bind(team_id)
        .bind(ids)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("user_id")?,
                    CachedName {
                        display_name: r.try_get("display_name")?,
                        fetched_at: r.try_get("fetched_at")?,
                    },
                ))
            })
            .collect()
    }

    /// Stores (or refreshes) one display name.
    #[tracing::instrument(skip(self, display_name), fields(team = %team_id, user = %user_id))]
    pub async fn save_display_name(
        &self,
        team_id: &str,
        user_id: &str,
        display_name: &str,
        now: &str,
    ) -> anyhow::Result<()> {
        let (team_id, user_id) = (team_id.to_string(), user_id.to_string());
        let (display_name, now) = (display_name.to_string(), now.to_string());
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO users (team_id, user_id, display_name, fetched_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (team_id, user_id) DO UPDATE
                SET display_name = excluded.display_name, fetched_at = excluded.fetched_at",
            )?
            .execute(rusqlite::params![team_id, user_id, display_name, now])?;
            Ok(())
        })
        .await
    }
}
