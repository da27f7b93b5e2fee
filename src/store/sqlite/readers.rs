//! Readers: a few threads, each owning a read-only connection, that run read
//! closures. A closure runs inside one deferred transaction, so the queries of
//! a multi-query read (a doc set) see one snapshot; under WAL, readers never
//! wait for the writer. A whole read is one hand-off to a reader thread and
//! one back, however many statements it runs (see `writer.rs` for why that
//! matters on a small machine).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use crate::clock::Clock;
use crate::store::db::Tx;
use crate::store::error::{StoreError, StoreResult};

type Job = Box<dyn FnOnce(&Connection, &Clock) + Send>;

/// Handle on the reader threads; cheap to clone.
#[derive(Clone)]
pub struct Readers {
    sender: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
    threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").finish_non_exhaustive()
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the database readers have stopped".into())
}

impl Readers {
    /// Opens `count` read-only connections to `path`, one thread each.
    pub fn start(path: &Path, count: usize, clock: Clock) -> StoreResult<Self> {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let mut threads = Vec::with_capacity(count);
        for i in 0..count.max(1) {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(10))?;
            conn.set_prepared_statement_cache_capacity(64);
            let receiver = receiver.clone();
            let clock = clock.clone();
            let handle = std::thread::Builder::new()
                .name(format!("wb-db-reader-{i}"))
                .spawn(move || loop {
                    // One thread waits on the queue at a time; the others wait
                    // for the lock. A closed queue ends every thread.
                    let next = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match next {
                        Ok(job) => job(&conn, &clock),
                        Err(_) => return,
                    }
                })
                .map_err(|e| StoreError::Unavailable(format!("starting a reader thread: {e}")))?;
            threads.push(handle);
        }
        Ok(Self {
            sender: Arc::new(Mutex::new(Some(sender))),
            threads: Arc::new(Mutex::new(threads)),
        })
    }

    /// Runs `f` on a reader connection, in one read transaction.
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn, clock| {
            let _ = reply.send(snapshot(conn, clock, f));
        });
        {
            let guard = self.sender.lock().map_err(|_| stopped())?;
            let sender = guard.as_ref().ok_or_else(stopped)?;
            sender.send(job).map_err(|_| stopped())?;
        }
        answer.await.map_err(|_| stopped())?
    }

    /// Lets queued reads finish, then stops the threads.
    pub async fn stop(&self) {
        if let Ok(mut sender) = self.sender.lock() {
            sender.take();
        }
        let threads = match self.threads.lock() {
            Ok(mut t) => std::mem::take(&mut *t),
            Err(_) => return,
        };
        let _ = tokio::task::spawn_blocking(move || {
            for t in threads {
                let _ = t.join();
            }
        })
        .await;
    }
}

fn snapshot<R>(
    conn: &Connection,
    clock: &Clock,
    f: impl FnOnce(&mut Tx<'_>) -> StoreResult<R>,
) -> StoreResult<R> {
    conn.execute_batch("BEGIN DEFERRED")?;
    let mut tx = Tx::sqlite(conn, clock.now());
    let result = catch_unwind(AssertUnwindSafe(|| f(&mut tx)))
        .unwrap_or_else(|_| Err(StoreError::internal("a database read panicked")));
    if let Err(err) = conn.execute_batch("COMMIT") {
        tracing::warn!(%err, "ending a read transaction");
        let _ = conn.execute_batch("ROLLBACK");
    }
    result
}
