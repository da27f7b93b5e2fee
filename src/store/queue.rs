//! What the writer threads of both backends share: a queued write ([`Unit`])
//! runs on the writer's connection (possibly twice: in a group, then alone
//! when another closure of the group failed) and then hears whether its
//! transaction committed. [`Writer`] is the handle on either writer thread.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};

use crate::metrics::WriterProbe;
use crate::store::db::Tx;
use crate::store::error::{StoreError, StoreResult};

pub(crate) fn stopped() -> StoreError {
    StoreError::Unavailable("the database writer has stopped".into())
}

/// One queued write: runs on the writer thread (possibly twice, see the
/// module's doc), then hears whether its transaction committed.
pub(crate) trait Unit: Send {
    /// Runs the closure and keeps its result; true when it succeeded.
    fn run(&mut self, tx: &mut Tx<'_>) -> bool;
    /// Answers the caller: the kept result if its transaction committed.
    fn finish(self: Box<Self>, committed: StoreResult<()>);
}

pub(crate) struct Closure<F, R> {
    pub(crate) f: F,
    pub(crate) result: Option<StoreResult<R>>,
    pub(crate) reply: oneshot::Sender<StoreResult<R>>,
}

impl<F, R> Unit for Closure<F, R>
where
    F: Fn(&mut Tx<'_>) -> StoreResult<R> + Send,
    R: Send + 'static,
{
    fn run(&mut self, tx: &mut Tx<'_>) -> bool {
        let outcome = catch_unwind(AssertUnwindSafe(|| (self.f)(tx)))
            .unwrap_or_else(|_| Err(StoreError::internal("a database write panicked")));
        // What this write asked of the jobs it queued ends with it.
        tx.end_unit();
        let ok = outcome.is_ok();
        self.result = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, committed: StoreResult<()>) {
        let answer = match (committed, self.result) {
            (Ok(()), Some(result)) => result,
            (Ok(()), None) => Err(StoreError::internal("the write did not run")),
            (Err(err), _) => Err(err),
        };
        let _ = self.reply.send(answer);
    }
}

pub(crate) enum Msg {
    Unit(Box<dyn Unit>),
    Stop,
}

/// Marks the probe stopped when the thread ends, even by a panic.
pub(crate) struct StopOnDrop(pub(crate) Arc<WriterProbe>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Closures waiting for the writer at most; callers beyond wait (back-pressure).
const QUEUE: usize = 4096;

/// Handle on a writer thread (either backend's); cheap to clone.
#[derive(Clone)]
pub struct Writer {
    sender: mpsc::Sender<Msg>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
    /// Writes in flight, commit latency and the thread's heartbeat (metrics, readiness).
    probe: Arc<WriterProbe>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl Writer {
    /// Starts thread `name` running `body` on the queue of writes; the probe
    /// is marked stopped when the body returns (or panics).
    pub(crate) fn spawn<B>(name: &str, body: B) -> StoreResult<Self>
    where
        B: FnOnce(mpsc::Receiver<Msg>, &WriterProbe) + Send + 'static,
    {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let probe = Arc::new(WriterProbe::default());
        let guard = StopOnDrop(probe.clone());
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                body(receiver, &guard.0);
                drop(guard);
            })
            .map_err(|e| StoreError::Unavailable(format!("starting the writer thread: {e}")))?;
        Ok(Self {
            sender,
            thread: Arc::new(Mutex::new(Some(thread))),
            probe,
        })
    }

    /// What the writer reports about itself.
    pub fn probe(&self) -> Arc<WriterProbe> {
        self.probe.clone()
    }

    /// Runs `f` on the writer connection inside a transaction and returns its
    /// result once that transaction has committed. If `f` fails, its writes
    /// are rolled back (and only its own).
    pub async fn write<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: Fn(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let _in_flight = self.probe.enter();
        let (reply, answer) = oneshot::channel();
        let unit = Closure {
            f,
            result: None,
            reply,
        };
        self.sender
            .send(Msg::Unit(Box::new(unit)))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Commits what is queued, stops the thread and waits for it.
    pub async fn stop(&self) {
        let _ = self.sender.send(Msg::Stop).await;
        let handle = self.thread.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }
}
