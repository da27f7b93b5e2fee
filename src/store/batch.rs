//! Group commit: concurrent callers hand their writes to one task, which
//! commits whatever has queued up in a single transaction and answers each
//! caller once its write is durable. With one writer connection, this turns
//! N round trips to SQLite into one.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

/// Writes one group commit takes at most.
const MAX_BATCH: usize = 1000;

type Waiter<T> = (T, oneshot::Sender<Result<(), String>>);

/// A handle to a group-commit task for items of type `T`; cheap to clone.
#[derive(Debug)]
pub struct Batcher<T> {
    sender: mpsc::Sender<Waiter<T>>,
}

impl<T> Clone for Batcher<T> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
        }
    }
}

impl<T: Send + 'static> Batcher<T> {
    /// Starts the task; `commit` writes one batch in one transaction. The task
    /// ends when every handle is dropped.
    pub fn spawn<F, Fut>(commit: F) -> Self
    where
        F: Fn(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), String>> + Send,
    {
        let (sender, mut receiver) = mpsc::channel::<Waiter<T>>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch: Vec<Waiter<T>> = Vec::new();
            while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
                let (items, replies): (Vec<T>, Vec<_>) = batch.drain(..).unzip();
                let result = commit(items).await;
                for reply in replies {
                    let _ = reply.send(result.clone());
                }
            }
        });
        Self { sender }
    }

    /// Returns once `item` is committed (or the batch holding it failed).
    pub async fn submit(&self, item: T) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send((item, reply))
            .await
            .map_err(|_| "the database writer has stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the database writer has stopped".to_string())?
    }
}
