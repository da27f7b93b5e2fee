//! The application: shared state handed to every handler, and the start-up of
//! the two long-running modes.

use std::sync::Arc;

use tokio::sync::{watch, Notify};

use crate::config::Config;
use crate::slack::api::SlackApi;
use crate::slack::jobs::Job;
use crate::store::Store;

/// Seconds since the epoch; injectable so signature tests can use Slack's 2018 vectors.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| jiff::Timestamp::now().as_second())
}

/// Everything a handler needs: one value, shared.
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub slack: SlackApi,
    pub clock: Clock,
    /// Wakes the outbox worker when a job is queued.
    pub outbox_wake: Notify,
    /// Sessions whose root-message refresh is already scheduled (see `slack::root`).
    pub root_refreshes: std::sync::Mutex<std::collections::HashSet<i64>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the database (applying migrations) and the Web API client.
    pub async fn build(config: Config, clock: Clock) -> anyhow::Result<Arc<Self>> {
        let store = Store::open(&config.database_url).await?;
        let slack = SlackApi::new(&config.slack_api_url, &config.bot_token)?;
        Ok(Arc::new(Self {
            config,
            store,
            slack,
            clock,
            outbox_wake: Notify::new(),
            root_refreshes: Default::default(),
        }))
    }

    pub fn now_unix(&self) -> i64 {
        (self.clock)()
    }

    /// Queues a job (committed, with concurrent callers' writes, before this
    /// returns) and wakes the worker.
    pub async fn enqueue(&self, job: &Job) -> anyhow::Result<()> {
        let text = serde_json::to_string(job)?;
        self.store
            .write(move |conn| Ok(enqueue_text_in(conn, &text)?))
            .await
            .map_err(|e| anyhow::anyhow!("queueing a Slack action: {e:#}"))?;
        self.outbox_wake.notify_one();
        Ok(())
    }

    /// Queues a job inside a [`Store::write`] (after it returns, call
    /// [`AppState::wake_outbox`]).
    pub fn enqueue_in(conn: &crate::store::Conn, job: &Job) -> anyhow::Result<i64> {
        let text = serde_json::to_string(job)?;
        Ok(enqueue_text_in(conn, &text)?)
    }

    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }
}

fn enqueue_text_in(conn: &crate::store::Conn, text: &str) -> rusqlite::Result<i64> {
    let now = jiff::Timestamp::now();
    Store::enqueue_in(
        conn,
        text,
        &crate::domain::format_rfc3339(now),
        now.as_second(),
    )
}

/// A shutdown signal that every long-running task watches.
pub fn shutdown_channel() -> (watch::Sender<bool>, watch::Receiver<bool>) {
    watch::channel(false)
}

/// Resolves on SIGINT or SIGTERM.
pub async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
