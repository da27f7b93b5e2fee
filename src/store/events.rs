//! Processed Slack `event_id`s: a retry of an event already handled is a duplicate,
//! even after a restart.

use super::db::{args, Tx};
use super::error::StoreResult;

impl Tx<'_> {
    /// Records `event_id`; false when it was already recorded.
    pub fn claim_event(&mut self, event_id: &str) -> StoreResult<bool> {
        let now = self.now_text();
        let inserted = self.exec(
            "INSERT INTO processed_events (event_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            args![event_id, &now],
        )?;
        Ok(inserted == 1)
    }
}
