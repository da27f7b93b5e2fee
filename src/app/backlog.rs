//! Back-pressure on new work. Under a burst wb acknowledges commands faster
//! than Slack takes their posts; a queue that grows without bound turns into
//! root messages that appear many seconds after their acknowledgement. So
//! wb measures how far behind the outbox worker is, in time, not rows: the
//! new sessions whose root message has not been attempted yet, divided by
//! the rate at which the worker attempts them (the time it needs to work
//! through them; a cautious rate until one is measured), or the age of the
//! oldest of them when that is longer —
//! and, while that is over the bound (`WB_BACKLOG_BOUND_MS`), holds
//! each new session's command before storing it, up to [`MAX_HOLD`], until
//! the worker catches up. The sender waits a little longer for the answer
//! instead of much longer for the message; nothing is refused: after
//! `MAX_HOLD` the command is stored and acknowledged anyway (well within
//! Slack's 3 s), so under sustained overload the lag grows again, slowly.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Longest a command is held (Slack wants its answer within 3 s).
pub const MAX_HOLD: Duration = Duration::from_millis(1_500);
/// How often a held command looks at the lag again.
const STEP: Duration = Duration::from_millis(20);
/// The worker's rate is counted over windows this long.
const WINDOW_MS: i64 = 500;
/// Fewer waiting starts than the worker runs at once are never behind.
const RUNS_AT_ONCE: usize = super::handoff::PLACES;
/// The rate assumed until one is measured (at the start of a burst, or after
/// a quiet spell): the worker's jobs at once every 100 ms. Without it, the
/// first second of a burst would be let in whole.
const ASSUMED_RATE: u64 = RUNS_AT_ONCE as u64 * 10;
/// How long an attempt that came before its job was [`Backlog::queued`] is
/// remembered (the worker can claim a job between its commit and the call
/// to `queued`; start jobs queued by an earlier process are never queued
/// here at all).
const EARLY_KEEP_MS: i64 = 60_000;

/// The new sessions queued and not yet attempted, and the bound.
#[derive(Debug)]
pub struct Backlog {
    /// `None`: back-pressure off.
    bound_ms: Option<i64>,
    /// Outbox job id → when it was queued (unix ms). Ids grow with time, so
    /// the first entry is the oldest.
    waiting: Mutex<Waiting>,
}

#[derive(Debug, Default)]
struct Waiting {
    queued: BTreeMap<i64, i64>,
    /// Start jobs attempted before they were queued here → when.
    early: BTreeMap<i64, i64>,
    /// Size of `early` at which old entries are forgotten (doubles while
    /// they are all recent, so forgetting stays linear overall).
    early_limit: usize,
    /// Start of the current window, and the starts attempted in it.
    window: (i64, u64),
    /// Starts attempted per second in the last full window (0: unknown).
    rate: u64,
}

/// What [`Backlog::hold`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The worker was within the bound.
    No,
    /// Held until the worker caught up, or for [`MAX_HOLD`].
    Held(Duration),
}

impl Backlog {
    /// `bound`: the lag over which new work is held; zero turns it off.
    pub fn new(bound: Duration) -> Self {
        let ms = i64::try_from(bound.as_millis()).unwrap_or(i64::MAX);
        Self {
            bound_ms: (ms > 0).then_some(ms),
            waiting: Mutex::new(Waiting::default()),
        }
    }

    /// A new session's start job `job` was queued at `now_ms`.
    pub fn queued(&self, job: i64, now_ms: i64) {
        if self.bound_ms.is_none() {
            return;
        }
        if let Ok(mut w) = self.waiting.lock() {
            if w.early.remove(&job).is_none() {
                w.queued.insert(job, now_ms);
            }
        }
    }

    /// Start job `job` had an attempt at `now_ms` (whatever came of it): it
    /// no longer waits for the worker. Retries and paced posts wait for
    /// Slack, not for wb.
    pub fn attempted(&self, job: i64, now_ms: i64) {
        if self.bound_ms.is_none() {
            return;
        }
        if let Ok(mut w) = self.waiting.lock() {
            let (start, count) = w.window;
            if now_ms - start >= WINDOW_MS {
                // A window that ended long ago says nothing of the rate now.
                let span = now_ms - start;
                w.rate = if span < 2 * WINDOW_MS {
                    count * 1_000 / span.max(1) as u64
                } else {
                    0
                };
                w.window = (now_ms, 1);
            } else {
                w.window.1 += 1;
            }
            if w.queued.remove(&job).is_none() {
                w.early.insert(job, now_ms);
                if w.early.len() > w.early_limit.max(1_000) {
                    w.early.retain(|_, at| now_ms - *at < EARLY_KEEP_MS);
                    w.early_limit = 2 * w.early.len();
                }
            }
        }
    }

    /// The ids of the starts waiting here, first and last (what to ask the
    /// database about).
    pub fn waiting_range(&self) -> Option<(i64, i64)> {
        let w = self.waiting.lock().ok()?;
        Some((*w.queued.keys().next()?, *w.queued.keys().next_back()?))
    }

    /// `unattempted`: of the jobs in `range`, those no runner has finished
    /// an attempt of (in id order). The starts waiting here in that range
    /// and not among them were attempted, perhaps by another replica.
    pub fn attempted_elsewhere(&self, range: (i64, i64), unattempted: &[i64]) {
        if let Ok(mut w) = self.waiting.lock() {
            w.queued.retain(|id, _| {
                *id < range.0 || *id > range.1 || unattempted.binary_search(id).is_ok()
            });
        }
    }

    /// How far behind the worker is at `now_ms`, in ms: the time it needs
    /// for the starts waiting at its current rate, or the age of the oldest
    /// of them if longer (0: none waits).
    pub fn lag_ms(&self, now_ms: i64) -> i64 {
        let Ok(w) = self.waiting.lock() else {
            return 0;
        };
        let age = w
            .queued
            .values()
            .next()
            .map_or(0, |at| (now_ms - at).max(0));
        let waiting = w.queued.len();
        let rate = if w.rate > 0 { w.rate } else { ASSUMED_RATE };
        let work = if waiting > RUNS_AT_ONCE {
            (waiting as u64 * 1_000 / rate) as i64
        } else {
            0
        };
        age.max(work)
    }

    /// True when new work should wait at `now_ms`.
    pub fn behind(&self, now_ms: i64) -> bool {
        self.bound_ms
            .is_some_and(|bound| self.lag_ms(now_ms) > bound)
    }

    /// Waits while the worker is behind, at most [`MAX_HOLD`]; `now_ms`
    /// reads the clock.
    pub async fn hold(&self, now_ms: impl Fn() -> i64) -> Hold {
        if !self.behind(now_ms()) {
            return Hold::No;
        }
        let started = tokio::time::Instant::now();
        while self.behind(now_ms()) && started.elapsed() < MAX_HOLD {
            tokio::time::sleep(STEP).await;
        }
        Hold::Held(started.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lag_is_the_age_of_the_oldest_start_not_yet_attempted() {
        let b = Backlog::new(Duration::from_millis(2_000));
        b.queued(1, 1_000);
        b.queued(2, 1_500);
        b.queued(3, 2_900);
        // (now, lag, behind)
        let cases = [
            (1_000, 0, false),
            (3_000, 2_000, false),
            (3_001, 2_001, true),
        ];
        for (now, lag, behind) in cases {
            assert_eq!(b.lag_ms(now), lag, "now {now}");
            assert_eq!(b.behind(now), behind, "now {now}");
        }
        b.attempted(1, 3_001);
        assert_eq!(b.lag_ms(3_001), 1_501);
        assert!(!b.behind(3_001));
        b.attempted(2, 3_001);
        b.attempted(3, 3_001);
        assert_eq!(b.lag_ms(10_000), 0);
        assert!(!b.behind(10_000));
    }

    #[test]
    fn an_attempt_before_its_job_is_queued_here_leaves_nothing_waiting() {
        let b = Backlog::new(Duration::from_millis(100));
        // The worker claimed and ran job 7 between its commit and `queued`.
        b.attempted(7, 1_000);
        b.queued(7, 1_000);
        assert_eq!(b.lag_ms(50_000), 0);
        // Start jobs of an earlier process are attempted, never queued here:
        // remembered for a minute, then forgotten.
        for job in 100..1_200 {
            b.attempted(job, 2_000);
        }
        let later = 2_000 + EARLY_KEEP_MS;
        for job in 5_000..8_000 {
            b.attempted(job, later);
        }
        let (len, oldest) = b
            .waiting
            .lock()
            .map(|w| (w.early.len(), w.early.keys().next().copied()))
            .unwrap_or_default();
        assert!(len <= 3_000, "{len}");
        assert!(oldest >= Some(5_000), "{oldest:?}");
        assert_eq!(b.lag_ms(90_000), 0);
    }

    #[test]
    fn a_long_queue_is_behind_at_once_by_the_time_the_worker_needs_for_it() {
        let b = Backlog::new(Duration::from_millis(2_000));
        // The worker attempts 100 starts a second (jobs 1..=50 in 0.5 s).
        for job in 1..=51 {
            b.queued(job, 0);
        }
        for job in 1..=50 {
            b.attempted(job, (job - 1) * 10);
        }
        b.attempted(51, 500);
        // (starts waiting, lag): the queue's work at 100/s, not its age.
        let few = RUNS_AT_ONCE as i64;
        let cases = [
            (0, 0),
            (few, 0),
            (few + 1, (few + 1) * 10),
            (200, 2_000),
            (201, 2_010),
        ];
        for (waiting, lag) in cases {
            let b2 = Backlog::new(Duration::from_millis(2_000));
            if let (Ok(mut to), Ok(from)) = (b2.waiting.lock(), b.waiting.lock()) {
                to.rate = from.rate;
            }
            for job in 0..waiting {
                b2.queued(1_000 + job, 1_000);
            }
            assert_eq!(b2.lag_ms(1_000), lag, "{waiting} waiting");
            assert_eq!(b2.behind(1_000), lag > 2_000, "{waiting} waiting");
        }
        // No rate measured yet (a burst's first moments): the assumed one.
        let fresh = Backlog::new(Duration::from_millis(2_000));
        for job in 0..700 {
            fresh.queued(job, 1_000);
        }
        assert_eq!(fresh.lag_ms(1_000), 700 * 1_000 / ASSUMED_RATE as i64);
        assert!(fresh.behind(1_000));
    }

    #[test]
    fn starts_another_replica_attempted_no_longer_wait() {
        let b = Backlog::new(Duration::from_millis(100));
        for job in [3, 5, 8] {
            b.queued(job, 0);
        }
        assert_eq!(b.waiting_range(), Some((3, 8)));
        // Job 9 is queued after the database was asked: it stays.
        b.queued(9, 0);
        // The database: of 3..=8, jobs 5 (running) and 6 (another
        // replica's) are not attempted yet; 3 and 8 were.
        b.attempted_elsewhere((3, 8), &[5, 6]);
        assert_eq!(b.waiting_range(), Some((5, 9)));
        assert_eq!(b.lag_ms(1_000), 1_000);
        b.attempted_elsewhere((5, 9), &[]);
        assert_eq!(b.waiting_range(), None);
    }

    #[test]
    fn a_zero_bound_turns_it_off() {
        let b = Backlog::new(Duration::ZERO);
        b.queued(1, 0);
        assert_eq!(b.lag_ms(60_000), 0);
        assert!(!b.behind(60_000));
    }

    #[tokio::test]
    async fn a_command_is_held_until_the_worker_catches_up_or_at_most_max_hold() {
        let b = Backlog::new(Duration::from_millis(100));
        assert_eq!(b.hold(|| 0).await, Hold::No);

        // Behind, and nothing drains: held for MAX_HOLD, then let through.
        b.queued(1, 0);
        let Hold::Held(waited) = b.hold(|| 1_000).await else {
            panic!("not held");
        };
        assert!(waited >= MAX_HOLD, "{waited:?}");
        assert!(waited < MAX_HOLD + Duration::from_secs(1), "{waited:?}");

        // Behind until the job is attempted: released then.
        let b = std::sync::Arc::new(b);
        let worker = b.clone();
        let attempt = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            worker.attempted(1, 1_000);
        });
        let Hold::Held(waited) = b.hold(|| 1_000).await else {
            panic!("not held");
        };
        assert!(waited >= Duration::from_millis(200), "{waited:?}");
        assert!(waited < MAX_HOLD, "{waited:?}");
        attempt.await.expect("task");
    }
}
