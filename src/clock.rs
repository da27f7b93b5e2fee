//! The one clock: everything that reads "now" (signature windows, stored
//! timestamps, the outbox's due times, the bar-raiser's "today", review and
//! reminder timers) asks a [`Clock`], so tests can inject time instead of
//! sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

/// Where "now" comes from; cheap to clone.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(Arc::new(Timestamp::now))
    }

    /// A clock that reads `f` (tests: a fixed instant, a hand-moved one).
    pub fn from_fn(f: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// Always `at`.
    pub fn fixed(at: Timestamp) -> Self {
        Self::from_fn(move || at)
    }

    pub fn now(&self) -> Timestamp {
        (self.0)()
    }

    /// Seconds since the epoch.
    pub fn unix(&self) -> i64 {
        self.now().as_second()
    }

    /// Milliseconds since the epoch (the outbox's due times).
    pub fn unix_ms(&self) -> i64 {
        self.now().as_millisecond()
    }

    /// Now as stored everywhere: RFC 3339, UTC, whole seconds.
    pub fn rfc3339(&self) -> String {
        crate::domain::format_rfc3339(self.now())
    }

    /// Today's date in UTC (the bar-raiser's "today" for launch dates).
    pub fn today_utc(&self) -> jiff::civil::Date {
        crate::domain::utc_date(self.now())
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// A clock moved by hand (tests of timers, expiry and signature windows).
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self(Arc::new(AtomicI64::new(start.as_millisecond())))
    }

    pub fn set(&self, at: Timestamp) {
        self.0.store(at.as_millisecond(), Ordering::SeqCst);
    }

    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.0.fetch_add(ms, Ordering::SeqCst);
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.0.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The [`Clock`] reading this one.
    pub fn clock(&self) -> Clock {
        let me = self.clone();
        Clock::from_fn(move || me.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start: Timestamp = "2026-11-30T09:00:00Z".parse().expect("ts");
        let manual = ManualClock::new(start);
        let clock = manual.clock();
        assert_eq!(clock.now(), start);
        manual.advance(Duration::from_millis(1500));
        assert_eq!(clock.unix_ms(), start.as_millisecond() + 1500);
        assert_eq!(clock.rfc3339(), "2026-11-30T09:00:01Z");
        assert_eq!(clock.today_utc().to_string(), "2026-11-30");
    }
}
