//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

use crate::config::ConfigError;

/// Installs the global subscriber. A bad `RUST_LOG` is a configuration error.
pub fn init() -> Result<(), ConfigError> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => {
            EnvFilter::try_new(&spec).map_err(|e| ConfigError {
                variable: "RUST_LOG",
                problem: format!("not a valid tracing filter ({e}); try RUST_LOG=info"),
            })?
        }
        _ => EnvFilter::new("info"),
    };
    // A second init (tests running several commands in one process) is harmless.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    Ok(())
}
