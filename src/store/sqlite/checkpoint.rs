//! WAL checkpoints off the commit path. A background thread copies the WAL
//! into the database file (PASSIVE: it never blocks the writer or readers)
//! and pays the fsyncs; the writer itself restarts the log between two
//! transactions once it has grown (see [`Checkpointer`]).

use std::path::Path;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::store::error::{StoreError, StoreResult};

/// How often the WAL is checkpointed (when it has grown).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

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
        loop {
            stopped = match self.wake.wait_timeout(stopped, CHECKPOINT_EVERY) {
                Ok((guard, _)) => guard,
                Err(_) => return,
            };
            let last = *stopped;
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

/// A PASSIVE checkpoint: the frames in the WAL and how many are copied.
pub(super) fn checkpoint(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok((row.get(1)?, row.get(2)?))
    })
}
