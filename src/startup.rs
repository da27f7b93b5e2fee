//! Building and running the bot: `wb serve` (HTTP) and `wb socket` (Socket
//! Mode) share one start-up — validate the configuration, open the store,
//! start the outbox worker, the transport and (with `WB_ADMIN_LISTEN`) the
//! admin server — and one shutdown: on SIGINT or SIGTERM `/readyz` turns 503,
//! the transport drains, the worker lets running jobs finish, the admin
//! server stops last (so it reports the drain), and the store commits what
//! is queued.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::AppState;
use crate::cli::CliError;
use crate::clock::Clock;
use crate::config::{Config, Mode, SlackArgs};

/// A started bot: its state, the worker, and where it listens.
pub struct Running {
    pub state: Arc<AppState>,
    /// `wb serve`'s address.
    pub addr: Option<SocketAddr>,
    /// The admin server's address (`WB_ADMIN_LISTEN`).
    pub admin_addr: Option<SocketAddr>,
    stop: watch::Sender<bool>,
    transport: JoinHandle<anyhow::Result<()>>,
    worker: JoinHandle<()>,
    admin: Option<(watch::Sender<bool>, JoinHandle<()>)>,
}

/// Opens the store and starts the worker and the transport of `mode`.
pub async fn start(config: Config, mode: Mode, clock: Clock) -> anyhow::Result<Running> {
    let state = AppState::build(config, clock).await?;
    // Bound first, so a taken admin port stops the start before any work.
    let admin_server = match state.config.admin_listen {
        Some(addr) => Some(crate::http::HttpServer::bind_admin(state.clone(), addr).await?),
        None => None,
    };
    let admin_addr = admin_server.as_ref().map(|s| s.local_addr()).transpose()?;
    let admin = admin_server.map(|server| {
        let (stop, shutdown) = watch::channel(false);
        (stop, tokio::spawn(server.run(shutdown)))
    });
    let (stop, shutdown) = watch::channel(false);
    let worker = tokio::spawn(crate::worker::run_worker(state.clone(), shutdown.clone()));
    let (transport, addr) = match mode {
        Mode::Http => {
            let server = crate::http::HttpServer::bind(state.clone(), state.config.listen).await?;
            let addr = server.local_addr()?;
            let handle = tokio::spawn(async move {
                server.run(shutdown).await;
                Ok(())
            });
            (handle, Some(addr))
        }
        Mode::Socket => (
            tokio::spawn(crate::socket::run(state.clone(), shutdown)),
            None,
        ),
    };
    Ok(Running {
        state,
        addr,
        admin_addr,
        stop,
        transport,
        worker,
        admin,
    })
}

impl Running {
    /// Runs until a signal (or the transport ends), then shuts down in order.
    pub async fn wait(mut self) -> Result<(), CliError> {
        let mut failure = None;
        tokio::select! {
            _ = wait_for_signal() => tracing::info!("shutting down"),
            ended = &mut self.transport => {
                failure = match ended {
                    Ok(Ok(())) => None,
                    Ok(Err(err)) => Some(format!("{err:#}")),
                    Err(err) => Some(format!("transport task failed: {err}")),
                };
            }
        }
        self.stop().await;
        match failure {
            Some(message) => Err(CliError::new(1, message)),
            None => Ok(()),
        }
    }

    /// Marks the process draining (`/readyz` answers 503), stops the
    /// transport and the worker, then the admin server, then closes the store.
    pub async fn stop(self) {
        self.state.health.drain();
        let _ = self.stop.send(true);
        if !self.transport.is_finished() {
            let _ = self.transport.await;
        }
        let _ = self.worker.await;
        if let Some((stop, server)) = self.admin {
            let _ = stop.send(true);
            let _ = server.await;
        }
        self.state.store.close().await;
        tracing::info!("stopped");
    }
}

/// `wb serve` / `wb socket`: configuration errors exit with 2, the rest with 1.
pub async fn serve(args: SlackArgs, mode: Mode) -> Result<(), CliError> {
    let config = Config::from_args(args, mode).map_err(|e| CliError::new(2, e.to_string()))?;
    let running = start(config, mode, Clock::system())
        .await
        .map_err(|e| CliError::new(1, format!("{e:#}")))?;
    if let Some(addr) = running.addr {
        tracing::info!(%addr, "wb serve listening");
    }
    if let Some(addr) = running.admin_addr {
        tracing::info!(admin_addr = %addr, "operations routes (/healthz, /readyz, /metrics) listening");
    }
    running.wait().await
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
