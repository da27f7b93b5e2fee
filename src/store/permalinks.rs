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

    pub async fn set_session_permalink(&self, session_id: i64, link: &str) -> sqlx::Result<()> {
        sqlx::query("UPDATE sessions SET permalink = ? WHERE id = ?")
            .bind(link)
            .bind(session_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
