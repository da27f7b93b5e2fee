//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`), as
//! text or, with `WB_LOG_FORMAT=json`, one JSON object per line carrying the
//! fields of its spans ([`json`]). Records of the `log` crate (tungstenite
//! under Socket Mode, among others) are forwarded into the same output.

mod json;

use tracing::Subscriber;
use tracing_log::AsLog;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

pub use json::FlatJson;

use crate::config::{ConfigError, LogFormat};

/// The `RUST_LOG` filter; a bad one is a configuration error.
pub fn filter() -> Result<EnvFilter, ConfigError> {
    match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(&spec).map_err(|e| ConfigError {
            variable: "RUST_LOG",
            problem: format!("not a valid tracing filter ({e}); try RUST_LOG=info"),
        }),
        _ => Ok(EnvFilter::new("info")),
    }
}

/// The JSON-lines subscriber writing to `writer`.
pub fn json_subscriber<W>(filter: EnvFilter, writer: W) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .fmt_fields(json::span_fields())
        .event_format(FlatJson)
        .finish()
}

/// Installs the global subscriber in `format` (`WB_LOG_FORMAT`), and the
/// bridge from the `log` crate.
pub fn init(format: &str) -> Result<(), ConfigError> {
    let format = LogFormat::parse(format)?;
    let filter = filter()?;
    let most = filter.max_level_hint();
    let installed = match format {
        LogFormat::Text => tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .with_target(false)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .finish(),
        ),
        LogFormat::Json => {
            tracing::subscriber::set_global_default(json_subscriber(filter, std::io::stderr))
        }
    };
    // A second init (tests running several commands in one process) is harmless.
    if installed.is_ok() {
        let mut bridge = tracing_log::LogTracer::builder();
        if let Some(most) = most {
            bridge = bridge.with_max_level(most.as_log());
        }
        let _ = bridge.init();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use serde_json::Value;

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut b) = self.0.lock() {
                b.extend_from_slice(buf);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn json_lines_carry_span_fields_and_log_records() {
        let out = Buffer::default();
        let subscriber = json_subscriber(EnvFilter::new("debug"), out.clone());
        // The bridge is process-wide; another test may have installed it.
        let _ = tracing_log::LogTracer::init();
        tracing::subscriber::with_default(subscriber, || {
            let request = tracing::info_span!(
                "request",
                route = "/slack/events",
                team = tracing::field::Empty
            );
            let _r = request.enter();
            request.record("team", "T1");
            let job = tracing::info_span!("job", job = 7_i64, method = "chat.update");
            let _j = job.enter();
            tracing::info!(channel = "C1", status = 200_u64, "said \"hi\"\nthere");
            tracing_log::log::warn!(target: "tungstenite::protocol", "from the log crate");
        });
        let text = String::from_utf8(out.0.lock().expect("buffer").clone()).expect("utf-8");
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        let first = &lines[0];
        assert_eq!(first["message"], "said \"hi\"\nthere");
        assert_eq!(first["level"], "INFO");
        assert_eq!(first["route"], "/slack/events");
        assert_eq!(first["team"], "T1");
        assert_eq!(first["job"], 7);
        assert_eq!(first["method"], "chat.update");
        assert_eq!(first["channel"], "C1");
        assert_eq!(first["status"], 200);
        assert!(first["timestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')));
        let bridged = &lines[1];
        assert_eq!(bridged["message"], "from the log crate");
        assert_eq!(bridged["target"], "tungstenite::protocol");
        assert_eq!(bridged["level"], "WARN");
        assert_eq!(bridged["job"], 7);
        assert!(bridged.get("log.target").is_none());
    }
}
