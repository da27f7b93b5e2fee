//! What the writer threads of both backends share: a queued write ([`Unit`])
//! runs on the writer's connection (possibly twice: in a group, then alone
//! when another closure of the group failed) and then hears whether its
//! transaction committed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use tokio::sync::oneshot;

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
