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

/// WAL frames (pages) after which the writer itself checkpoints between two
/// transactions, so the log starts over (about 64 MB)...
pub(super) const WAL_RESTART_FRAMES: i64 = 16_000;
/// ...right after a background pass left at most this many frames to copy...
pub(super) const WAL_SMALL_REST: i64 = 2_000;
/// ...or, if the background never gets that close, at this many.
pub(super) const WAL_MAX_FRAMES: i64 = 4 * WAL_RESTART_FRAMES;

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
