//! Sends signed Slack requests to a URL and reports throughput and latency.
//!
//! ```text
//! loadgen --url http://127.0.0.1:38080/slack/commands --secret S --kind command
//!         (--concurrency 32 | --rate 500 [--concurrency 64]) --duration 10
//!         [--channel C…] [--thread-ts 1.2] [--response-url http://…] [--tag run1]
//!         [--threads 1] [--label name]
//! ```
//! Every request is signed as Slack does (`v0=` + hex HMAC-SHA256 of
//! `v0:{ts}:{body}`, current timestamp). `command` bodies are `/wb pressrelease
//! Load idea TAG-N` forms (distinct `--tag`s give distinct titles); `event`
//! bodies are `event_callback` envelopes with a unique `event_id` holding a
//! `message` "Question N?" in `--thread-ts`.
//!
//! Closed loop (`--concurrency N`): N keep-alive connections, each sends its
//! next request when the previous answer arrived. Open loop (`--rate R`):
//! requests are scheduled every 1/R s and their latency is counted from the
//! scheduled time (no coordinated omission); `--concurrency` bounds the
//! connections used. Every request has a 10 s timeout; the run is bounded by
//! `--duration` plus 10 s of grace. The last stdout line is one JSON object.

mod plan;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, Mutex};
use wb_bench::{fail, runtime, unix_now, Flags};

use plan::{form_encode, Kind, Plan};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const GRACE: Duration = Duration::from_secs(10);

/// What one worker saw.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    ok: u64,
    non_2xx: u64,
    errors: u64,
    unsent: u64,
    statuses: BTreeMap<u16, u64>,
    /// Transport errors by step: `connect` and `handshake` (no request was
    /// sent), `ready`, `send`, `body` (a request cut on the way), `timeout`.
    error_kinds: BTreeMap<String, u64>,
    first_error: Option<String>,
}

impl Tally {
    fn record(&mut self, latency: Duration, outcome: Result<StatusCode, String>) {
        match outcome {
            Ok(status) => {
                self.latencies_us.push(latency.as_micros() as u64);
                *self.statuses.entry(status.as_u16()).or_default() += 1;
                if status.is_success() {
                    self.ok += 1;
                } else {
                    self.non_2xx += 1;
                }
            }
            Err(e) => {
                self.errors += 1;
                let kind = e.split(':').next().unwrap_or_default();
                match self.error_kinds.get_mut(kind) {
                    Some(n) => *n += 1,
                    None => {
                        self.error_kinds.insert(kind.to_string(), 1);
                    }
                }
                self.first_error.get_or_insert(e);
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.ok += other.ok;
        self.non_2xx += other.non_2xx;
        self.errors += other.errors;
        self.unsent += other.unsent;
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        for (k, v) in other.error_kinds {
            *self.error_kinds.entry(k).or_default() += v;
        }
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// One keep-alive connection, reopened after a failure.
#[derive(Default)]
struct Conn {
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    async fn send(&mut self, plan: &Plan, req: Request<Full<Bytes>>) -> Result<StatusCode, String> {
        let attempt = async {
            if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
                let stream = TcpStream::connect(plan.authority.as_str())
                    .await
                    .map_err(|e| format!("connect: {e}"))?;
                let _ = stream.set_nodelay(true);
                let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .map_err(|e| format!("handshake: {e}"))?;
                tokio::spawn(conn);
                self.sender = Some(sender);
            }
            let Some(sender) = self.sender.as_mut() else {
                return Err("no connection".to_string());
            };
            sender.ready().await.map_err(|e| format!("ready: {e}"))?;
            let res = sender
                .send_request(req)
                .await
                .map_err(|e| format!("send: {e}"))?;
            let status = res.status();
            res.into_body()
                .collect()
                .await
                .map_err(|e| format!("body: {e}"))?;
            Ok(status)
        };
        let result = match tokio::time::timeout(REQUEST_TIMEOUT, attempt).await {
            Ok(r) => r,
            Err(_) => Err("timeout".to_string()),
        };
        if result.is_err() {
            self.sender = None;
            // Do not spin on a refused connection.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        result
    }
}

async fn closed_loop(plan: Arc<Plan>, concurrency: usize, duration: Duration) -> (Tally, Duration) {
    let start = Instant::now();
    let deadline = start + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let plan = plan.clone();
            tokio::spawn(async move {
                let mut conn = Conn::default();
                let mut tally = Tally::default();
                while Instant::now() < deadline {
                    let req = plan.request();
                    let sent = Instant::now();
                    let outcome = conn.send(&plan, req).await;
                    tally.record(sent.elapsed(), outcome);
                }
                tally
            })
        })
        .collect();
    let mut total = Tally::default();
    for w in workers {
        if let Ok(t) = w.await {
            total.merge(t);
        }
    }
    (total, start.elapsed())
}

async fn open_loop(
    plan: Arc<Plan>,
    rate: f64,
    connections: usize,
    duration: Duration,
) -> (Tally, Duration) {
    let start = Instant::now();
    let stop = start + duration;
    let hard_stop = stop + GRACE;
    let (tx, rx) = mpsc::unbounded_channel::<Instant>();
    let rx = Arc::new(Mutex::new(rx));
    let dispatcher = tokio::spawn(async move {
        let mut i: u64 = 0;
        loop {
            let at = start + Duration::from_secs_f64(i as f64 / rate);
            if at >= stop {
                break;
            }
            tokio::time::sleep_until(at.into()).await;
            if tx.send(at).is_err() {
                break;
            }
            i += 1;
        }
    });
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let plan = plan.clone();
            let rx = rx.clone();
            tokio::spawn(async move {
                let mut conn = Conn::default();
                let mut tally = Tally::default();
                loop {
                    let next = rx.lock().await.recv().await;
                    let Some(scheduled) = next else { break };
                    if Instant::now() >= hard_stop {
                        tally.unsent += 1;
                        continue;
                    }
                    let req = plan.request();
                    let outcome = conn.send(&plan, req).await;
                    tally.record(scheduled.elapsed(), outcome);
                }
                tally
            })
        })
        .collect();
    let _ = dispatcher.await;
    let mut total = Tally::default();
    for w in workers {
        if let Ok(t) = w.await {
            total.merge(t);
        }
    }
    (total, start.elapsed())
}

fn percentile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

fn main() {
    let flags = Flags::from_env();
    let url = flags
        .get("url")
        .unwrap_or_else(|| fail("--url http://host:port/path is required"));
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| fail("--url must start with http://"));
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let secret = flags
        .get("secret")
        .or_else(|| std::env::var("SLACK_SIGNING_SECRET").ok())
        .unwrap_or_else(|| fail("--secret (or SLACK_SIGNING_SECRET) is required"));
    let kind = match flags.get("kind").as_deref() {
        Some("command") | None => Kind::Command,
        Some("event") => Kind::Event,
        Some(other) => fail(&format!("--kind must be command or event, not {other}")),
    };
    let rate: Option<f64> = flags.get("rate").map(|r| {
        r.parse()
            .ok()
            .filter(|r: &f64| *r > 0.0)
            .unwrap_or_else(|| fail("--rate must be a positive number"))
    });
    let concurrency = flags.parse_or("concurrency", if rate.is_some() { 64 } else { 32 });
    if concurrency == 0 {
        fail("--concurrency must be at least 1");
    }
    let duration = Duration::from_secs_f64(flags.parse_or("duration", 10.0f64));
    let threads = flags.parse_or("threads", 1usize);
    let now_nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let plan = Arc::new(Plan {
        authority: authority.to_string(),
        path: path.to_string(),
        secret,
        kind,
        channel: flags.get("channel").unwrap_or_else(|| "C2147483705".into()),
        thread_ts: flags
            .get("thread-ts")
            .unwrap_or_else(|| "1763739000.000100".into()),
        response_url: form_encode(
            &flags
                .get("response-url")
                .unwrap_or_else(|| "http://127.0.0.1:9/response".into()),
        ),
        tag: flags.get("tag").unwrap_or_else(|| format!("{now_nanos:x}")),
        base_secs: unix_now(),
        next: AtomicU64::new(1),
    });
    let label = flags.get("label").unwrap_or_else(|| {
        let kind = if kind == Kind::Command {
            "command"
        } else {
            "event"
        };
        match rate {
            Some(r) => format!("{kind}@{r}/s"),
            None => format!("{kind}x{concurrency}"),
        }
    });
    let quiet = flags.has("quiet");

    let (mut tally, elapsed) = runtime(threads).block_on(async {
        match rate {
            Some(r) => open_loop(plan.clone(), r, concurrency, duration).await,
            None => closed_loop(plan.clone(), concurrency, duration).await,
        }
    });
    tally.latencies_us.sort_unstable();
    let answered = tally.latencies_us.len() as u64;
    let rps = answered as f64 / elapsed.as_secs_f64().max(1e-9);
    let (p50, p99) = (
        percentile(&tally.latencies_us, 0.50),
        percentile(&tally.latencies_us, 0.99),
    );
    let max = tally.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0;
    // Write errors (a closed pipe) are ignored: the run is over anyway.
    let mut out = std::io::stdout().lock();
    if !quiet {
        let _ = writeln!(
            out,
            "{label}: {answered} answered in {:.2} s = {rps:.0} req/s; p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms; \
             2xx {}, non-2xx {}, transport errors {}, unsent {}",
            elapsed.as_secs_f64(),
            tally.ok,
            tally.non_2xx,
            tally.errors,
            tally.unsent
        );
        if let Some(e) = &tally.first_error {
            let _ = writeln!(out, "{label}: first transport error: {e}");
        }
    }
    let statuses: BTreeMap<String, u64> = tally
        .statuses
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    let _ = writeln!(
        out,
        "{}",
        json!({
            "label": label,
            "kind": if kind == Kind::Command { "command" } else { "event" },
            "mode": if rate.is_some() { "open" } else { "closed" },
            "concurrency": concurrency,
            "rate": rate,
            "duration_s": duration.as_secs_f64(),
            "elapsed_s": elapsed.as_secs_f64(),
            "requests": answered + tally.errors + tally.unsent,
            "answered": answered,
            "ok": tally.ok,
            "non_2xx": tally.non_2xx,
            "errors": tally.errors,
            "error_kinds": tally.error_kinds,
            "unsent": tally.unsent,
            "statuses": statuses,
            "rps": rps,
            "p50_ms": p50,
            "p99_ms": p99,
            "max_ms": max,
        })
    );
}
