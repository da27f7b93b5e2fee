//! Daily reminders, one per session. The due digest itself is an outbox job
//! carrying the row's `generation`: every change bumps it, so a job queued
//! for an earlier setting finds itself replaced and does nothing.

use super::db::{args, Tx};
use super::error::StoreResult;

/// A session's reminder as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub session_id: i64,
    /// `HH:MM`, 24-hour clock.
    pub at_time: String,
    /// IANA name; `None` while the setter's time zone is being looked up.
    pub tz: Option<String>,
    pub set_by: String,
    pub enabled: bool,
    pub generation: i64,
    /// When the next digest is due (unix ms).
    pub next_due_ms: Option<i64>,
}

impl Tx<'_> {
    pub fn reminder(&mut self, session_id: i64) -> StoreResult<Option<Reminder>> {
        self.row(
            "SELECT session_id, at_time, tz, set_by, enabled, generation, next_due_ms
               FROM reminders WHERE session_id = $1",
            args![session_id],
            |r| {
                Ok(Reminder {
                    session_id: r.int("session_id")?,
                    at_time: r.text("at_time")?,
                    tz: r.opt_text("tz")?,
                    set_by: r.text("set_by")?,
                    enabled: r.flag("enabled")?,
                    generation: r.int("generation")?,
                    next_due_ms: r.opt_int("next_due_ms")?,
                })
            },
        )
    }

    /// Sets (or replaces) the daily reminder at `at_time`, its time zone yet
    /// unknown; returns its new generation.
    pub fn set_reminder(
        &mut self,
        session_id: i64,
        at_time: &str,
        set_by: &str,
    ) -> StoreResult<i64> {
        let now = self.now_text();
        self.one(
            "INSERT INTO reminders (session_id, at_time, tz, set_by, set_at, enabled, generation, next_due_ms)
             VALUES ($1, $2, NULL, $3, $4, 1, 1, NULL)
             ON CONFLICT (session_id) DO UPDATE SET
                at_time = excluded.at_time, tz = NULL, set_by = excluded.set_by,
                set_at = excluded.set_at, enabled = 1,
                generation = reminders.generation + 1, next_due_ms = NULL
             RETURNING generation",
            args![session_id, at_time, set_by, &now],
            |r| r.int("generation"),
        )
    }

    /// Records the time zone and the first due time of reminder `generation`;
    /// false when the reminder was changed or stopped meanwhile.
    pub fn reminder_zone(
        &mut self,
        session_id: i64,
        generation: i64,
        tz: &str,
        next_due_ms: i64,
    ) -> StoreResult<bool> {
        let done = self.exec(
            "UPDATE reminders SET tz = $1, next_due_ms = $2
              WHERE session_id = $3 AND generation = $4 AND enabled = 1",
            args![tz, next_due_ms, session_id, generation],
        )?;
        Ok(done == 1)
    }

    /// Moves reminder `generation` on to its next due time; false when it
    /// was changed or stopped meanwhile.
    pub fn reminder_next(
        &mut self,
        session_id: i64,
        generation: i64,
        next_due_ms: i64,
    ) -> StoreResult<bool> {
        let done = self.exec(
            "UPDATE reminders SET next_due_ms = $1
              WHERE session_id = $2 AND generation = $3 AND enabled = 1",
            args![next_due_ms, session_id, generation],
        )?;
        Ok(done == 1)
    }

    /// Stops the reminder (the row stays, so generations are never reused);
    /// false when none was on.
    pub fn stop_reminder(&mut self, session_id: i64) -> StoreResult<bool> {
        let done = self.exec(
            "UPDATE reminders SET enabled = 0, generation = generation + 1, next_due_ms = NULL
              WHERE session_id = $1 AND enabled = 1",
            args![session_id],
        )?;
        Ok(done == 1)
    }
}
