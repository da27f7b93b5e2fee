//! PostgreSQL readers: a small pool of threads, each owning a connection
//! (opened at its first read, and again after the server went away), that run
//! read closures, each inside one read-only REPEATABLE READ transaction so a
//! multi-query read (a doc set) sees one snapshot.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::conn::{PgConn, Settings};
use crate::clock::Clock;
use crate::store::db::Tx;
use crate::store::error::{StoreError, StoreResult};

type Job = Box<dyn FnOnce(&mut Option<PgConn>, &Settings, &Clock) + Send>;

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
    /// Starts `count` reader threads (connections open at first use).
    pub fn start(settings: &Settings, count: usize, clock: Clock) -> StoreResult<Self> {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let mut threads = Vec::with_capacity(count);
        for i in 0..count.max(1) {
            let receiver = receiver.clone();
            let (settings, clock) = (settings.clone(), clock.clone());
            let handle = std::thread::Builder::new()
                .name(format!("wb-pg-reader-{i}"))
                .spawn(move || {
                    let mut conn = None;
                    loop {
                        let next = match receiver.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(&mut conn, &settings, &clock),
                            Err(_) => return,
                        }
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

    /// Runs `f` on a reader connection, in one read-only transaction.
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn, settings, clock| {
            let _ = reply.send(snapshot(conn, settings, clock, f));
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
    slot: &mut Option<PgConn>,
    settings: &Settings,
    clock: &Clock,
    f: impl FnOnce(&mut Tx<'_>) -> StoreResult<R>,
) -> StoreResult<R> {
    let conn = match slot {
        Some(conn) => conn,
        None => slot.insert(PgConn::open(settings.clone())?),
    };
    super::writer::begin(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
    let result = catch_unwind(AssertUnwindSafe(|| f(&mut Tx::postgres(conn, clock.now()))))
        .unwrap_or_else(|_| Err(StoreError::internal("a database read panicked")));
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    if let Err(err) = conn.batch(end) {
        tracing::warn!(%err, "ending a read transaction");
    }
    result
}
