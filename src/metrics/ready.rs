//! Readiness (`GET /readyz`): the process is ready when it is not draining,
//! the database answers, the writer thread commits what is queued, and the
//! outbox worker's loop has beaten recently. The decision is a pure function
//! of those observations, so each way to be unready is tested as a table.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::probe::{Heartbeat, WriterState};

/// Writes waiting this long without a commit mean a stuck writer.
pub const WRITER_STALE: Duration = Duration::from_secs(30);
/// The worker's loop beats at least every few seconds when idle and after
/// every job; one Web API call may take 20 s, so a minute of silence is stuck.
pub const WORKER_STALE: Duration = Duration::from_secs(60);

/// Shared liveness state: set by shutdown and the worker, read by `/readyz`.
#[derive(Debug, Default)]
pub struct Health {
    draining: AtomicBool,
    /// The outbox worker's loop.
    pub worker: Heartbeat,
}

impl Health {
    /// Shutdown has begun: report not ready from now on.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }
}

/// What `/readyz` observed.
#[derive(Debug, Clone)]
pub struct Checks {
    pub draining: bool,
    /// `Err` with why the database did not answer.
    pub database: Result<(), String>,
    pub writer: WriterState,
    /// Time since the worker's loop last beat.
    pub worker_age: Duration,
}

/// The answer: ready or not, and one line per check for the person reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub ready: bool,
    pub report: String,
}

/// Decides readiness from `checks`.
pub fn judge(checks: &Checks) -> Verdict {
    let mut ready = true;
    let mut report = String::new();
    let mut line = |ok: bool, text: String| {
        ready &= ok;
        let _ = writeln!(report, "{text}");
    };
    line(
        !checks.draining,
        format!(
            "draining: {}",
            if checks.draining {
                "yes (shutting down)"
            } else {
                "no"
            }
        ),
    );
    match &checks.database {
        Ok(()) => line(true, "database: ok".into()),
        Err(why) => line(false, format!("database: not answering ({why})")),
    }
    match checks.writer {
        WriterState::Alive => line(true, "writer: ok".into()),
        WriterState::Stuck(age) => line(
            false,
            format!(
                "writer: stuck (writes waiting, no commit for {:.0} s)",
                age.as_secs_f64()
            ),
        ),
        WriterState::Stopped => line(false, "writer: stopped".into()),
    }
    let age = checks.worker_age;
    if age > WORKER_STALE {
        line(
            false,
            format!(
                "worker: stuck (no heartbeat for {:.0} s)",
                age.as_secs_f64()
            ),
        );
    } else {
        line(
            true,
            format!("worker: ok (heartbeat {:.1} s ago)", age.as_secs_f64()),
        );
    }
    let head = if ready { "ready\n" } else { "not ready\n" };
    Verdict {
        ready,
        report: format!("{head}{report}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthy() -> Checks {
        Checks {
            draining: false,
            database: Ok(()),
            writer: WriterState::Alive,
            worker_age: Duration::from_secs(2),
        }
    }

    #[test]
    fn each_failing_check_makes_it_unready_and_says_which() {
        type Case = (&'static str, fn(&mut Checks), bool, &'static str);
        let cases: [Case; 6] = [
            ("all well", |_| {}, true, "worker: ok"),
            ("draining", |c| c.draining = true, false, "draining: yes"),
            (
                "database down",
                |c| c.database = Err("disk I/O error".into()),
                false,
                "database: not answering (disk I/O error)",
            ),
            (
                "writer stuck",
                |c| c.writer = WriterState::Stuck(Duration::from_secs(45)),
                false,
                "writer: stuck",
            ),
            (
                "writer gone",
                |c| c.writer = WriterState::Stopped,
                false,
                "writer: stopped",
            ),
            (
                "worker silent",
                |c| c.worker_age = WORKER_STALE + Duration::from_secs(1),
                false,
                "worker: stuck",
            ),
        ];
        for (name, change, ready, says) in cases {
            let mut checks = healthy();
            change(&mut checks);
            let verdict = judge(&checks);
            assert_eq!(verdict.ready, ready, "{name}: {}", verdict.report);
            assert!(verdict.report.contains(says), "{name}: {}", verdict.report);
            let head = if ready { "ready\n" } else { "not ready\n" };
            assert!(verdict.report.starts_with(head), "{name}");
        }
    }

    #[test]
    fn draining_is_remembered() {
        let health = Health::default();
        assert!(!health.is_draining());
        health.drain();
        assert!(health.is_draining());
    }
}
