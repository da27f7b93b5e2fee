//! Processed Slack `event_id`s: a retry of an event already handled is a duplicate,
//! even after a restart.

use sqlx::{Sqlite, Transaction};

/// Records `event_id` inside `tx`; false when it was already recorded.
pub async fn claim(
    tx: &mut Transaction<'_, Sqlite>,
    event_id: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO processed_events (event_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(event_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}
