//! FAQ questions, their votes and answers.

use super::Store;

impl Store {
    /// Links a question to the thread message that shows it (votes land there).
    pub async fn set_question_message(
        &self,
        question_id: i64,
        message_ts: &str,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE questions SET message_ts = ? WHERE id = ?")
            .bind(message_ts)
            .bind(question_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
