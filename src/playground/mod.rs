//! `wb playground`: try wb with no Slack workspace. A transport like `http.rs`:
//! the real wb (same HTTP edge, signature check, handlers, outbox, store) runs
//! on a loopback port of its own, and a Slack emulator in the same process
//! sits on the far side of the same contract — it implements the Web API wb
//! calls and sends wb signed slash commands, events and interactions — while
//! serving a page that behaves like a Slack channel. Nothing here knows wb's
//! handlers; wb does not know it is in a playground.
//!
//! The one place that knows how wb starts is [`start_wb`].

pub mod calls;
pub mod conversations;
pub mod deliver;
pub mod directory;
pub mod hooks;
pub mod hub;
pub mod interact;
pub mod live;
pub mod modal;
pub mod pages;
pub mod payloads;
pub mod server;
pub mod surfaces;
pub mod ui;
pub mod webapi;
pub mod world;

use std::hash::{BuildHasher, Hasher};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::AppState;
use crate::config::{Config, Secret};

/// How to run a playground.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    /// wb's database (`sqlite://…`).
    pub database_url: String,
    /// Where the emulated workspace (messages, files…) is kept between runs;
    /// `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
}

/// wb's own machinery, running: its HTTP edge on a loopback port and its
/// outbox worker, on one AppState.
pub struct WbHandle {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    running: crate::startup::Running,
}

impl WbHandle {
    /// Stops the server and the worker, then closes the store.
    pub async fn stop(self) {
        self.running.stop().await;
    }
}

/// Starts wb exactly as `wb serve` does (migrations, HTTP edge with the
/// signature check, outbox worker) with `config`.
pub async fn start_wb(config: Config) -> anyhow::Result<WbHandle> {
    let running = crate::startup::start(
        config,
        crate::config::Mode::Http,
        crate::clock::Clock::system(),
    )
    .await?;
    let addr = running
        .addr
        .ok_or_else(|| anyhow::anyhow!("wb's HTTP edge did not start"))?;
    Ok(WbHandle {
        addr,
        state: running.state.clone(),
        running,
    })
}

/// A random hex string from the standard library's randomly keyed hasher
/// (enough for a signing secret that never leaves this machine).
fn random_hex(words: usize) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    (0..words)
        .map(|i| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(nanos);
            format!("{:016x}", h.finish())
        })
        .collect()
}

/// A running playground.
pub struct Playground {
    /// Where the page (and the emulated Slack) listens.
    pub addr: SocketAddr,
    pub hub: Arc<hub::Hub>,
    pub wb: WbHandle,
    state_file: Option<PathBuf>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Playground {
    /// Binds the page, starts wb pointed at the emulator, and serves.
    pub async fn start(options: Options) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(options.listen)
            .await
            .map_err(|e| anyhow::anyhow!("--listen: cannot listen on {}: {e}", options.listen))?;
        let mut public = listener.local_addr()?;
        if public.ip().is_unspecified() {
            public.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        let base_url = format!("http://{public}");
        let secret = random_hex(2);
        let token = format!("xoxb-playground-{}", random_hex(1));
        let config = Config::single_token(
            options.database_url.clone(),
            Secret::new(secret.clone()),
            Secret::new(token.clone()),
            format!("{base_url}/api"),
        );
        let wb = start_wb(config).await?;
        let (stop, shutdown) = watch::channel(false);
        let deliver = deliver::Wb::start(wb.addr, secret, shutdown.clone());
        let world = options.state_file.as_deref().map(load).unwrap_or_default();
        let run_id = random_hex(1)[..8].to_uppercase();
        let hub = Arc::new(hub::Hub::new(world, deliver, base_url, token, run_id));
        let loopback_only = options.listen.ip().is_loopback();
        let mut tasks = vec![tokio::spawn(server::run(
            listener,
            hub.clone(),
            loopback_only,
            shutdown.clone(),
        ))];
        if let Some(path) = options.state_file.clone() {
            tasks.push(tokio::spawn(keep_saved(hub.clone(), path, shutdown)));
        }
        Ok(Self {
            addr: public,
            hub,
            wb,
            state_file: options.state_file,
            stop,
            tasks,
        })
    }

    /// Stops wb first (its outbox finishes against the emulator), then the page.
    pub async fn stop(self) {
        self.wb.stop().await;
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
        if let Some(path) = &self.state_file {
            save(&self.hub, path);
        }
    }
}

/// The emulated workspace saved by an earlier run (a fresh one if none).
fn load(path: &std::path::Path) -> world::World {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|err| {
            tracing::warn!(%err, path = %path.display(), "playground: unreadable workspace file; starting empty");
            world::World::default()
        }),
        Err(_) => world::World::default(),
    }
}

fn save(hub: &hub::Hub, path: &std::path::Path) {
    let Some(text) = hub.saved() else { return };
    let tmp = path.with_extension("tmp");
    if let Err(err) = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path)) {
        tracing::warn!(%err, path = %path.display(), "playground: could not save the workspace");
    }
}

/// Saves the workspace a moment after each change, until shutdown.
async fn keep_saved(hub: Arc<hub::Hub>, path: PathBuf, mut shutdown: watch::Receiver<bool>) {
    let mut changes = hub.subscribe();
    loop {
        tokio::select! {
            changed = changes.changed() => if changed.is_err() { break },
            _ = shutdown.changed() => break,
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        changes.borrow_and_update();
        save(&hub, &path);
    }
}

/// Where the emulated workspace of database `url` is kept: beside its file.
pub fn state_file_for(url: &str) -> Option<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().filter(|p| !p.is_empty())?;
    Some(PathBuf::from(format!("{path}.slack.json")))
}

/// `wb playground`: runs until Ctrl-C.
pub async fn run(listen: &str, db: &str) -> Result<(), crate::cli::CliError> {
    use crate::cli::CliError;
    let listen: SocketAddr = listen.parse().map_err(|_| {
        CliError::new(
            2,
            format!("--listen: `{listen}` is not an address like 127.0.0.1:3000"),
        )
    })?;
    let database_url = crate::config::validate_database_url(db)
        .map_err(|e| CliError::new(2, format!("--db: {}", e.problem)))?;
    let options = Options {
        listen,
        state_file: state_file_for(&database_url),
        database_url: database_url.clone(),
    };
    let playground = Playground::start(options)
        .await
        .map_err(|e| CliError::new(1, format!("{e:#}")))?;
    println!("wb playground: open http://{} — a Slack channel driven by the real wb, not connected to Slack.", playground.addr);
    println!(
        "Data: {database_url} (try `wb sessions --database-url {database_url}`). Ctrl-C stops."
    );
    crate::startup::wait_for_signal().await;
    tracing::info!("shutting down");
    playground.stop().await;
    Ok(())
}
