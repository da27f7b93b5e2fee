//! Liveness signals: a [`Heartbeat`] (when a loop last made progress, on the
//! monotonic clock) and the [`WriterProbe`] the database writer thread fills
//! in (writes in flight, commit latency, whether the thread still runs).
//!
//! Heartbeats measure real elapsed time on purpose: a test's hand-moved
//! [`crate::clock::ManualClock`] must not make a live thread look stuck.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use prometheus_client::metrics::histogram::Histogram;

/// The process's monotonic origin for heartbeats.
fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// When something last showed it was alive.
#[derive(Debug)]
pub struct Heartbeat(AtomicU64);

impl Default for Heartbeat {
    /// A heartbeat that beat at its creation.
    fn default() -> Self {
        let beat = Self(AtomicU64::new(0));
        beat.beat();
        beat
    }
}

impl Heartbeat {
    pub fn beat(&self) {
        // +1: 0 would read as "never"; a millisecond off does not matter here.
        let ms = origin().elapsed().as_millis() as u64 + 1;
        self.0.store(ms, Ordering::Relaxed);
    }

    /// Time since the last beat.
    pub fn age(&self) -> Duration {
        let last = self.0.load(Ordering::Relaxed).saturating_sub(1);
        let now = origin().elapsed().as_millis() as u64;
        Duration::from_millis(now.saturating_sub(last))
    }
}

/// Buckets of the writer's histograms (seconds): SQLite commits take tens of
/// microseconds to a few milliseconds; anything near a second is trouble.
const COMMIT_BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

/// What the writer thread reports about itself.
#[derive(Debug)]
pub struct WriterProbe {
    in_flight: AtomicI64,
    stopped: AtomicBool,
    /// The last group committed (or the thread's start).
    pub beat: Heartbeat,
    /// One group's transaction, `BEGIN` to `COMMIT` done.
    pub commit_seconds: Histogram,
    /// One write as its caller sees it: queueing plus the transaction.
    pub write_seconds: Histogram,
    /// Writes that shared one transaction.
    pub group_size: Histogram,
}

impl Default for WriterProbe {
    fn default() -> Self {
        Self {
            in_flight: AtomicI64::new(0),
            stopped: AtomicBool::new(false),
            beat: Heartbeat::default(),
            commit_seconds: Histogram::new(COMMIT_BUCKETS),
            write_seconds: Histogram::new(COMMIT_BUCKETS),
            group_size: Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0]),
        }
    }
}

/// Counts one write as in flight until dropped (also when its caller gives up).
pub struct InFlight<'a> {
    probe: &'a WriterProbe,
    started: Instant,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.probe.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.probe
            .write_seconds
            .observe(self.started.elapsed().as_secs_f64());
    }
}

/// How the writer is doing, for readiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterState {
    /// Nothing waiting, or commits are flowing.
    Alive,
    /// Writes are waiting and nothing was committed for this long.
    Stuck(Duration),
    /// The thread has ended.
    Stopped,
}

impl WriterProbe {
    /// A caller starts waiting for the writer.
    pub fn enter(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight {
            probe: self,
            started: Instant::now(),
        }
    }

    /// Writes queued or running now.
    pub fn in_flight(&self) -> i64 {
        self.in_flight.load(Ordering::Relaxed).max(0)
    }

    /// A group of `size` writes committed (or rolled back) after `took`.
    pub fn committed(&self, took: Duration, size: usize) {
        self.commit_seconds.observe(took.as_secs_f64());
        self.group_size.observe(size as f64);
        self.beat.beat();
    }

    /// The thread ended (also by a panic: called from a drop guard).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Stuck means writes wait while no commit happened for `stale`.
    pub fn state(&self, stale: Duration) -> WriterState {
        if self.stopped.load(Ordering::Relaxed) {
            return WriterState::Stopped;
        }
        let age = self.beat.age();
        if self.in_flight() > 0 && age > stale {
            WriterState::Stuck(age)
        } else {
            WriterState::Alive
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_is_stuck_only_with_work_waiting() {
        let probe = WriterProbe::default();
        assert_eq!(probe.state(Duration::ZERO), WriterState::Alive);
        let guard = probe.enter();
        std::thread::sleep(Duration::from_millis(5));
        assert!(matches!(
            probe.state(Duration::from_millis(1)),
            WriterState::Stuck(_)
        ));
        assert_eq!(probe.state(Duration::from_secs(30)), WriterState::Alive);
        probe.committed(Duration::from_millis(1), 1);
        assert_eq!(probe.state(Duration::from_millis(1)), WriterState::Alive);
        drop(guard);
        assert_eq!(probe.in_flight(), 0);
        probe.stop();
        assert_eq!(probe.state(Duration::from_secs(30)), WriterState::Stopped);
    }
}
