//! The application's shared state, handed to every transport, handler, use
//! case and the worker: configuration, the store, the Web API client, the
//! clock, the outbox worker's wake-up, and what operating it needs: metrics,
//! liveness (readiness, drain) and the pacer of Slack calls. Which token
//! each call goes out with is [`tokens`]' (installed workspaces) or
//! `SLACK_BOT_TOKEN` alone.

pub mod backlog;
pub mod handoff;
pub mod tokens;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::{Health, Metrics};
use crate::pacing::Pacer;
use crate::store::{Store, StoreResult, Tx};
use crate::vault::Vault;
use crate::webapi::{Fixed, NoTokens, SlackApi, Tokens};

/// Everything a handler needs: one value, shared.
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub slack: SlackApi,
    pub clock: Clock,
    /// Wakes the outbox worker when a job is queued.
    pub outbox_wake: Notify,
    /// Everything `GET /metrics` exports.
    pub metrics: Arc<Metrics>,
    /// Draining at shutdown, and the worker's heartbeat (`GET /readyz`).
    pub health: Health,
    /// Spaces the worker's Slack calls per channel and per method.
    pub pacer: Pacer,
    /// Seals installed workspaces' tokens (`WB_ENCRYPTION_KEY`).
    pub vault: Option<Arc<Vault>>,
    /// How far behind the outbox worker is; holds new work past a bound.
    pub backlog: backlog::Backlog,
    /// The outbox worker's places, and fresh jobs handed to it in memory.
    pub handoff: handoff::Handoff,
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
        let store = Store::open_with(&config.database_url, clock.clone(), config.db_tuning)
            .await
            .map_err(|e| anyhow::anyhow!("DATABASE_URL: {e}"))?;
        let metrics = Arc::new(Metrics::new(store.writer_probe()));
        let vault = config
            .keys
            .as_ref()
            .map(|k| Arc::new(Vault::new(&k.current, &k.previous)));
        let tokens: Arc<dyn Tokens> = match (&config.install, &vault, &config.bot_token) {
            (Some(install), Some(vault), fixed) => {
                let installs = tokens::InstallTokens::new(
                    store.clone(),
                    vault.clone(),
                    install.clone(),
                    fixed.clone(),
                    clock.clone(),
                );
                installs
                    .reseal_all()
                    .await
                    .map_err(|e| anyhow::anyhow!("WB_ENCRYPTION_KEY: {e}"))?;
                Arc::new(installs)
            }
            (_, _, Some(fixed)) => Arc::new(Fixed(fixed.clone())),
            _ => Arc::new(NoTokens),
        };
        let slack = SlackApi::new(&config.slack_api_url, tokens)?.with_metrics(metrics.clone());
        let pacer = Pacer::new(config.pacing);
        let backlog = backlog::Backlog::new(config.backlog_bound);
        Ok(Arc::new(Self {
            config,
            store,
            slack,
            clock,
            outbox_wake: Notify::new(),
            metrics,
            health: Health::default(),
            pacer,
            vault,
            backlog,
            handoff: handoff::Handoff::new(handoff::PLACES),
        }))
    }

    /// Tells the worker that a job was queued (after its write committed).
    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }

    /// Runs write `f`, whose first job due at once goes straight to the
    /// outbox worker when it has a free place now, or a seat in line for
    /// one: written claimed, handed over in memory once committed
    /// (`handoff`, `store::handover`). The
    /// worker is woken when the write queued a job for its next claim.
    pub async fn write_handing<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: Fn(&mut Tx<'_>) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let slot = self.handoff.slot();
        let claimer: Option<String> = slot.as_ref().map(|_| self.store.replica().to_string());
        let (result, handed, pending) = self
            .store
            .write(move |tx| {
                if let Some(worker) = &claimer {
                    tx.hand_jobs_to(worker, 1);
                }
                let result = f(tx)?;
                Ok((result, tx.take_handed(), tx.queued_pending()))
            })
            .await?;
        if let (Some(slot), Some(row)) = (slot, handed.into_iter().next()) {
            slot.hand(row);
        }
        if pending {
            self.wake_outbox();
        }
        Ok(result)
    }
}
