//! The permalink of a session's thread (`chat.getPermalink`), cached on the
//! session row: a thread's link never changes.

use super::Store;

impl Store {
    pub async fn session_permalink(&self, session_id: i64) -> sqlx::Result<Option<String>> {
        let link: Option<Option<String>> =
            sqlx::query_scalar("SELECT permalink FROM sessions WHERE id = ?")
                .bind(session_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(link.flatten())
    }

    pub async fn set_session_permalink(&self, session_id: i64, link: &str) -> anyhow::Result<()> {
        let link = link.to_string();
        self.write(move |c| {
            c.prepare_cached("UPDATE sessions SET permalink = ? WHERE id = ?")?
                .execute(rusqlite::params![link, session_id])?;
            Ok(())
        })
        .await
    }
}
