//! Operating figures of one running wb, exported at `GET /metrics` in the
//! Prometheus text format: small hooks called by the HTTP edge, Socket Mode,
//! the Web API client, the outbox worker and the database writer, plus
//! gauges read from the database when scraped.
//!
//! Each [`Metrics`] has its own registry (several wb instances run in one
//! test process). Labels take only `&'static str` values from closed sets —
//! routes, Web API method names from `webapi::scopes::METHODS`, outcomes —
//! so no token, user text or user/team id can become a label, and the number
//! of series stays bounded.

pub mod probe;
pub mod ready;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

pub use probe::{Heartbeat, WriterProbe, WriterState};
pub use ready::{Checks, Health, Verdict};

/// The `Content-Type` of `GET /metrics` (Prometheus text format 0.0.4).
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteStatus {
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLabel {
    method: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodResult {
    method: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodOutcome {
    method: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLimit {
    method: &'static str,
    limit: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Version {
    version: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn ack_histogram() -> Histogram {
    Histogram::new([
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    ])
}

fn call_histogram() -> Histogram {
    Histogram::new([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0])
}

fn pacing_histogram() -> Histogram {
    Histogram::new([
        0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
    ])
}

/// How an outbox job's attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobResult {
    Ok,
    Retried,
    Failed,
}

impl JobResult {
    fn label(self) -> &'static str {
        match self {
            JobResult::Ok => "ok",
            JobResult::Retried => "retried",
            JobResult::Failed => "failed",
        }
    }
}

/// The outbox as the database sees it at scrape time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OutboxGauges {
    pub pending: i64,
    pub running: i64,
    pub scheduled: i64,
    pub failed: i64,
    pub oldest_pending_age: Duration,
}

/// The registry and every series wb exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    writer: Arc<WriterProbe>,
    requests: Family<RouteStatus, Counter>,
    ack_seconds: Histograms<Route>,
    jobs: Family<MethodResult, Counter>,
    api_calls: Family<MethodOutcome, Counter>,
    api_seconds: Histograms<MethodLabel>,
    paced: Family<MethodLimit, Counter>,
    pacing_delay: Histograms<MethodLabel>,
    pacing_waiting: Gauge,
    backlog_held: Counter,
    outbox_pending: Gauge,
    outbox_running: Gauge,
    outbox_scheduled: Gauge,
    outbox_failed: Gauge,
    outbox_oldest: Gauge<f64, AtomicU64>,
    write_queue: Gauge,
    writer_beat_age: Gauge<f64, AtomicU64>,
    worker_beat_age: Gauge<f64, AtomicU64>,
}

impl Default for Metrics {
    /// Metrics with a writer probe of their own (a client used alone).
    fn default() -> Self {
        Self::new(Arc::new(WriterProbe::default()))
    }
}

impl Metrics {
    /// Registers every series; the database writer's figures come from `writer`.
    pub fn new(writer: Arc<WriterProbe>) -> Self {
        let mut r = Registry::default();
        let m = Self {
            writer,
            requests: Family::default(),
            ack_seconds: Family::new_with_constructor(ack_histogram as fn() -> Histogram),
            jobs: Family::default(),
            api_calls: Family::default(),
            api_seconds: Family::new_with_constructor(call_histogram as fn() -> Histogram),
            paced: Family::default(),
            pacing_delay: Family::new_with_constructor(pacing_histogram as fn() -> Histogram),
            pacing_waiting: Gauge::default(),
            backlog_held: Counter::default(),
            outbox_pending: Gauge::default(),
            outbox_running: Gauge::default(),
            outbox_scheduled: Gauge::default(),
            outbox_failed: Gauge::default(),
            outbox_oldest: Gauge::default(),
            write_queue: Gauge::default(),
            writer_beat_age: Gauge::default(),
            worker_beat_age: Gauge::default(),
            registry: Registry::default(),
        };
        let info = Family::<Version, Gauge>::default();
        info.get_or_create(&Version {
            version: env!("CARGO_PKG_VERSION"),
        })
        .set(1);
        r.register("wb_build_info", "The running wb's version", info);
        r.register(
            "wb_http_requests",
            "HTTP requests answered, by route and status (Socket Mode envelopes as socket:* routes)",
            m.requests.clone(),
        );
        r.register_with_unit(
            "wb_http_ack_duration",
            "Time from a request's arrival to its answer (Slack gives up after 3 s)",
            Unit::Seconds,
            m.ack_seconds.clone(),
        );
        r.register(
            "wb_backlog_held_requests",
            "New sessions held before being stored because the outbox was behind (WB_BACKLOG_BOUND_MS)",
            m.backlog_held.clone(),
        );
        r.register(
            "wb_outbox_pending_jobs",
            "Outbox jobs not yet done or failed (running and scheduled included)",
            m.outbox_pending.clone(),
        );
        r.register(
            "wb_outbox_running_jobs",
            "Outbox jobs being attempted now",
            m.outbox_running.clone(),
        );
        r.register(
            "wb_outbox_scheduled_jobs",
            "Pending jobs due later: timers, retries waiting for their backoff, paced posts",
            m.outbox_scheduled.clone(),
        );
        r.register(
            "wb_outbox_failed_jobs",
            "Jobs given up for good, kept in the outbox table",
            m.outbox_failed.clone(),
        );
        r.register_with_unit(
            "wb_outbox_oldest_pending_age",
            "How long the longest-waiting due job has been due (0 when none waits)",
            Unit::Seconds,
            m.outbox_oldest.clone(),
        );
        r.register(
            "wb_outbox_jobs",
            "Outbox job attempts by method (Web API method or job kind) and result: ok, retried, failed",
            m.jobs.clone(),
        );
        r.register(
            "wb_slack_api_calls",
            "Web API calls by method and outcome: ok, ratelimited, 5xx, timeout, error_<class>",
            m.api_calls.clone(),
        );
        r.register_with_unit(
            "wb_slack_api_call_duration",
            "Time one Web API call took",
            Unit::Seconds,
            m.api_seconds.clone(),
        );
        r.register(
            "wb_slack_paced",
            "Web API calls postponed by pacing, by method and limit: channel, tier, retry_after",
            m.paced.clone(),
        );
        r.register_with_unit(
            "wb_slack_pacing_delay",
            "Time a paced call waited for its turn, from its first turn request to its call",
            Unit::Seconds,
            m.pacing_delay.clone(),
        );
        r.register(
            "wb_slack_pacing_waiting_calls",
            "Calls waiting for their turn in a channel or a method's budget",
            m.pacing_waiting.clone(),
        );
        r.register(
            "wb_db_write_queue_depth",
            "Database writes queued for, or running on, the writer thread",
            m.write_queue.clone(),
        );
        r.register_with_unit(
            "wb_db_commit_duration",
            "One write transaction (a group of writes), BEGIN to COMMIT",
            Unit::Seconds,
            m.writer.commit_seconds.clone(),
        );
        r.register_with_unit(
            "wb_db_write_duration",
            "One write as its caller waits for it: queue plus transaction",
            Unit::Seconds,
            m.writer.write_seconds.clone(),
        );
        r.register(
            "wb_db_write_group_size",
            "Writes committed together in one transaction",
            m.writer.group_size.clone(),
        );
        r.register_with_unit(
            "wb_db_writer_heartbeat_age",
            "Time since the writer thread last committed",
            Unit::Seconds,
            m.writer_beat_age.clone(),
        );
        r.register_with_unit(
            "wb_worker_heartbeat_age",
            "Time since the outbox worker's loop last beat",
            Unit::Seconds,
            m.worker_beat_age.clone(),
        );
        Self { registry: r, ..m }
    }

    /// One HTTP request (or Socket Mode envelope) answered.
    pub fn request(&self, route: &'static str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RouteStatus { route, status })
            .inc();
        self.ack_seconds
            .get_or_create(&Route { route })
            .observe(took.as_secs_f64());
    }

    /// One attempt of an outbox job ended.
    pub fn job(&self, method: &'static str, result: JobResult) {
        self.jobs
            .get_or_create(&MethodResult {
                method,
                result: result.label(),
            })
            .inc();
    }

    /// One Web API call answered (or failed) after `took`.
    pub fn slack_call(&self, method: &'static str, outcome: &'static str, took: Duration) {
        self.api_calls
            .get_or_create(&MethodOutcome { method, outcome })
            .inc();
        self.api_seconds
            .get_or_create(&MethodLabel { method })
            .observe(took.as_secs_f64());
    }

    /// A call was postponed by pacing because of `limit`.
    pub fn paced(&self, method: &'static str, limit: &'static str) {
        self.paced
            .get_or_create(&MethodLimit { method, limit })
            .inc();
    }

    /// A paced call got its turn after waiting `waited`.
    pub fn pacing_delay(&self, method: &'static str, waited: Duration) {
        self.pacing_delay
            .get_or_create(&MethodLabel { method })
            .observe(waited.as_secs_f64());
    }

    /// A new session was held because the outbox was behind.
    pub fn backlog_held(&self) {
        self.backlog_held.inc();
    }

    pub fn pacing_waiting(&self, calls: usize) {
        self.pacing_waiting.set(calls as i64);
    }

    /// The outbox gauges, read from the database at scrape time.
    pub fn outbox(&self, g: OutboxGauges) {
        self.outbox_pending.set(g.pending);
        self.outbox_running.set(g.running);
        self.outbox_scheduled.set(g.scheduled);
        self.outbox_failed.set(g.failed);
        self.outbox_oldest.set(g.oldest_pending_age.as_secs_f64());
    }

    /// The whole exposition, with the live gauges read now.
    pub fn encode(&self, worker: &Heartbeat) -> String {
        self.write_queue.set(self.writer.in_flight());
        self.writer_beat_age
            .set(self.writer.beat.age().as_secs_f64());
        self.worker_beat_age.set(worker.age().as_secs_f64());
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_named_with_units_and_counted() {
        let m = Metrics::default();
        m.request("/slack/commands", 200, Duration::from_millis(3));
        m.request("/slack/commands", 200, Duration::from_millis(4));
        m.request("/slack/commands", 401, Duration::from_millis(1));
        m.job("chat.postMessage", JobResult::Retried);
        m.slack_call("chat.postMessage", "ratelimited", Duration::from_millis(20));
        m.outbox(OutboxGauges {
            pending: 3,
            oldest_pending_age: Duration::from_millis(1500),
            ..OutboxGauges::default()
        });
        let text = m.encode(&Heartbeat::default());
        for line in [
            r#"wb_http_requests_total{route="/slack/commands",status="200"} 2"#,
            r#"wb_http_requests_total{route="/slack/commands",status="401"} 1"#,
            r#"wb_http_ack_duration_seconds_count{route="/slack/commands"} 3"#,
            r#"wb_outbox_jobs_total{method="chat.postMessage",result="retried"} 1"#,
            r#"wb_slack_api_calls_total{method="chat.postMessage",outcome="ratelimited"} 1"#,
            "wb_outbox_pending_jobs 3",
            "wb_outbox_oldest_pending_age_seconds 1.5",
            "# TYPE wb_db_commit_duration_seconds histogram",
            "wb_db_write_queue_depth 0",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing `{line}` in:\n{text}"
            );
        }
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            assert!(line.starts_with("wb_"), "{line}");
        }
    }
}
