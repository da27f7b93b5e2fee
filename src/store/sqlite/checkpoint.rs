//! WAL checkpoints off the commit path. A background thread copies the WAL
//! into the database file (PASSIVE: it never blocks the writer or readers)
//! and pays the fsyncs; the writer itself restarts the log between two
//! transactions once it has grown (see [`Checkpointer`]).
//!
//! A pass costs about the same however little was written since the last
//! one: SQLite sorts the page numbers of the WAL's current 4,096-frame
//! segment every time. So a pass runs once enough commits have gathered
//! ([`COMMITS_PER_PASS`]), or once a second when any have, not on every
//! tick: at a trickle of commands that was 16,000 instructions per command
//! for passes copying a few pages each (bench/README.md, seventh round).

use std::path::Path;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::store::error::{StoreError, StoreResult};

/// How often the checkpoint thread looks at the commits since its last pass.
const TICK: Duration = Duration::from_millis(100);
/// Commits after which a pass runs at the next tick...
pub(super) const COMMITS_PER_PASS: u64 = 256;
/// ...or, with fewer, the longest a commit waits for its pass.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// When the writer itself checkpoints between two transactions, so that the
/// next one starts the log over: (frames in the log past, frames the last
/// background pass left to copy at most). The log is short while the
/// background keeps up (a trickle of writes: 1,000 frames, about 4 MB, the
/// length SQLite restarts at by itself), and allowed to grow under a burst
/// rather than have the writer copy a long remainder on the commit path
/// (16,000 frames with 2,000 left, or whatever is left past 64,000).
///
/// Why short when it can be: SQLite indexes the WAL's frames in hash tables
/// of 4,096 frames each, probing linearly from a slot chosen by the page
/// number, and the pages a commit writes are mostly the same few each time
/// (the right edges of `sessions`, `outbox`, `questions`, their indexes,
/// `sqlite_sequence`). So the n-th frame of a page probes past the page's
/// n − 1 earlier ones: with 16,000 frames before a restart, appending a frame
/// cost ~2,800 instructions, with ~1,000 about 700 (bench/README.md, tenth
/// round); readers looking a page up in the WAL walk the same chains.
pub(super) const RESTART_AT: [(i64, i64); 3] = [(1_000, 128), (16_000, 2_000), (64_000, i64::MAX)];

/// Whether the writer checkpoints now (see [`RESTART_AT`]), the last pass
/// having seen `frames` in the log and left `behind` of them to copy.
pub(super) fn restart_due(frames: i64, behind: i64) -> bool {
    RESTART_AT
        .iter()
        .any(|&(past, rest)| frames > past && behind <= rest)
}

/// The thread that checkpoints the WAL in the background (PASSIVE: it never
/// blocks the writer or readers; what it cannot copy yet waits for the next
/// round). It copies pages and pays the fsyncs; but while the writer keeps
/// appending, the log never starts over, so once it is long the writer runs a
/// short checkpoint of its own between transactions (the pages are mostly
/// copied by then) and the next transaction rewinds the log. The writer
/// thread stops it when it ends.
pub(super) struct Checkpointer {
    stop: std::sync::Mutex<bool>,
    wake: std::sync::Condvar,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
    /// Frames in the WAL at the last background checkpoint, and how many of
    /// them it could not copy yet.
    pub(super) wal_frames: std::sync::atomic::AtomicI64,
    pub(super) wal_behind: std::sync::atomic::AtomicI64,
    /// Transactions the writer has committed (it counts them).
    pub(super) commits: std::sync::atomic::AtomicU64,
}

impl Checkpointer {
    pub(super) fn start(path: &Path) -> StoreResult<std::sync::Arc<Self>> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(1))?;
        let this = std::sync::Arc::new(Self {
            stop: std::sync::Mutex::new(false),
            wake: std::sync::Condvar::new(),
            thread: std::sync::Mutex::new(None),
            wal_frames: std::sync::atomic::AtomicI64::new(0),
            wal_behind: std::sync::atomic::AtomicI64::new(0),
            commits: std::sync::atomic::AtomicU64::new(0),
        });
        let me = this.clone();
        let handle = std::thread::Builder::new()
            .name("wb-db-checkpoint".into())
            .spawn(move || me.run(conn))
            .map_err(|e| StoreError::Unavailable(format!("starting the checkpoint thread: {e}")))?;
        if let Ok(mut slot) = this.thread.lock() {
            *slot = Some(handle);
        }
        Ok(this)
    }

    fn run(&self, conn: Connection) {
        let Ok(mut stopped) = self.stop.lock() else {
            return;
        };
        let mut pass = Pass::new(self.commits.load(Ordering::Relaxed));
        loop {
            stopped = match self.wake.wait_timeout(stopped, TICK) {
                Ok((guard, _)) => guard,
                Err(_) => return,
            };
            let last = *stopped;
            let commits = self.commits.load(Ordering::Relaxed);
            if !last && !pass.due(commits, Instant::now()) {
                continue;
            }
            pass = Pass::new(commits);
            match checkpoint(&conn) {
                Ok((frames, copied)) => {
                    self.wal_behind.store(frames - copied, Ordering::Relaxed);
                    self.wal_frames.store(frames, Ordering::Relaxed);
                }
                Err(err) => tracing::warn!(%err, "checkpointing the WAL"),
            }
            if last {
                return;
            }
        }
    }

    /// Runs a last checkpoint and waits for the thread.
    pub(super) fn stop(&self) {
        if let Ok(mut stopped) = self.stop.lock() {
            *stopped = true;
        }
        self.wake.notify_all();
        let handle = self.thread.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

/// When the last pass ran, and the writer's commit count then.
#[derive(Debug, Clone, Copy)]
struct Pass {
    at: Instant,
    commits: u64,
}

impl Pass {
    fn new(commits: u64) -> Self {
        Self {
            at: Instant::now(),
            commits,
        }
    }

    /// Whether the next pass is due, `commits` having been counted by `now`.
    fn due(&self, commits: u64, now: Instant) -> bool {
        let since = commits.wrapping_sub(self.commits);
        since >= COMMITS_PER_PASS
            || (since > 0 && now.saturating_duration_since(self.at) >= CHECKPOINT_EVERY)
    }
}

/// A PASSIVE checkpoint: the frames in the WAL and how many are copied.
pub(super) fn checkpoint(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok((row.get(1)?, row.get(2)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_starts_over_soon_when_little_is_left_to_copy() {
        // (frames in the log, left to copy by the last pass, checkpoint now)
        let cases = [
            (900, 0, false),
            (1_001, 0, true),
            (1_001, 128, true),
            (1_001, 129, false),
            (15_000, 1_500, false),
            (16_001, 1_500, true),
            (16_001, 2_001, false),
            (64_001, 60_000, true),
        ];
        for (frames, behind, due) in cases {
            assert_eq!(
                restart_due(frames, behind),
                due,
                "{frames} frames, {behind} left"
            );
        }
    }

    #[test]
    fn a_pass_waits_for_enough_commits_or_a_second() {
        let start = Pass::new(10);
        let soon = start.at + Duration::from_millis(300);
        let later = start.at + CHECKPOINT_EVERY;
        // (commits counted, when, due)
        let cases = [
            (10, soon, false),
            (10, later, false),
            (11, soon, false),
            (11, later, true),
            (10 + COMMITS_PER_PASS - 1, soon, false),
            (10 + COMMITS_PER_PASS, soon, true),
        ];
        for (commits, now, due) in cases {
            assert_eq!(start.due(commits, now), due, "{commits} commits");
        }
    }
}
