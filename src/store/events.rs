//! Processed Slack `event_id`s: a retry of an event already handled is a duplicate,
//! even after a restart.

use rusqlite::params;

use super::Conn;

/// Records `event_id` inside the caller's write; false when it was already recorded.
pub fn claim(conn: &Conn, event_id: &str, now: &str) -> rusqlite::Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO processed_events (event_id, received_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?
        .execute(params![event_id, now])?;
    Ok(inserted == 1)
}
