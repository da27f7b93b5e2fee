//! Runs the real `wb` binary (for signals, crashes and log capture).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::{BOT_TOKEN, SECRET};

pub struct WbProcess {
    pub child: Child,
    pub addr: std::net::SocketAddr,
    pub log: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

/// Starts `wb serve` on a free port against `db_url` and the fake Slack at `slack_uri`.
pub fn spawn_serve(
    db_url: &str,
    slack_uri: &str,
    dir: &std::path::Path,
    rust_log: &str,
) -> WbProcess {
    spawn_wb("serve", &[], "addr", db_url, slack_uri, dir, rust_log)
}

/// The value logged for `key` in a text (`key=value`) or JSON
/// (`"key":"value"`) log line.
fn logged(line: &str, key: &str) -> Option<String> {
    let text = format!(" {key}=");
    let json = format!("\"{key}\":\"");
    if let Some((_, rest)) = line.split_once(&text) {
        return rest.split_whitespace().next().map(str::to_string);
    }
    let (_, rest) = line.split_once(&json)?;
    rest.split('"').next().map(str::to_string)
}

/// Starts `wb <subcommand>` with the usual test environment plus `env`, and
/// waits for the address it logs under `key` (`addr`, `admin_addr`).
pub fn spawn_wb(
    subcommand: &str,
    env: &[(&str, &str)],
    key: &str,
    db_url: &str,
    slack_uri: &str,
    dir: &std::path::Path,
    rust_log: &str,
) -> WbProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wb"))
        .arg(subcommand)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", db_url)
        .env("SLACK_API_URL", format!("{slack_uri}/api"))
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("WB_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", rust_log)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wb");
    let stderr = child.stderr.take().expect("stderr");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = log.clone();
    let key = key.to_string();
    let reader = std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent {
                if let Some(addr) = logged(&strip_ansi(&line), &key) {
                    let _ = tx.send(addr);
                    sent = true;
                }
            }
            if let Ok(mut l) = sink.lock() {
                l.push_str(&line);
                l.push('\n');
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| {
            panic!(
                "wb did not start: {}",
                log.lock().map(|l| l.clone()).unwrap_or_default()
            )
        });
    WbProcess {
        child,
        addr: strip_ansi(&addr).parse().expect("listen address"),
        log,
        reader: Some(reader),
    }
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

impl WbProcess {
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// SIGTERM, then the exit status (within `limit`).
    pub fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Read the log to its end before anyone looks at it.
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for WbProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
