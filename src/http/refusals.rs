//! Refused requests leave a trace: every 400, 401, 413 and 503 is logged once
//! at `warn` with its route, the reason and Slack's retry headers — never the
//! body, never a header that could hold a secret (signature, cookies). A
//! flood cannot fill the disk: at most [`LINES_PER_WINDOW`] lines a minute,
//! then one line saying how many more were refused. Totals by status are kept
//! for the metrics to read.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::clock::Clock;

/// Lines logged per window before the rest are only counted.
pub const LINES_PER_WINDOW: u32 = 20;
const WINDOW_MS: i64 = 60_000;

/// The statuses that count as a refusal.
pub const REFUSED: [StatusCode; 4] = [
    StatusCode::BAD_REQUEST,
    StatusCode::UNAUTHORIZED,
    StatusCode::PAYLOAD_TOO_LARGE,
    StatusCode::SERVICE_UNAVAILABLE,
];

/// Why a request was refused, carried in the response's extensions for the
/// log; it must quote nothing from the request body.
#[derive(Debug, Clone)]
pub struct Reason(pub String);

/// What the log needs to know about a request, taken before it is consumed:
/// shared handles on the request's own bytes (nothing is copied for the
/// requests that are not refused, nearly all of them); made short and
/// printable only when a refusal is logged.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    method: http::Method,
    uri: http::Uri,
    retry_num: Option<http::HeaderValue>,
    retry_reason: Option<http::HeaderValue>,
}

impl Seen {
    pub fn of(method: &http::Method, uri: &http::Uri, headers: &HeaderMap) -> Self {
        Self {
            method: method.clone(),
            uri: uri.clone(),
            retry_num: headers.get("x-slack-retry-num").cloned(),
            retry_reason: headers.get("x-slack-retry-reason").cloned(),
        }
    }

    /// The path, at most 80 characters, without control characters.
    pub fn route(&self) -> String {
        short(self.uri.path(), 80)
    }

    /// Slack's retry number, if the request says (at most 32 characters).
    pub fn retry_num(&self) -> Option<String> {
        header_text(self.retry_num.as_ref())
    }

    /// Slack's reason for retrying, if the request says (at most 32 characters).
    pub fn retry_reason(&self) -> Option<String> {
        header_text(self.retry_reason.as_ref())
    }
}

fn header_text(value: Option<&http::HeaderValue>) -> Option<String> {
    value.and_then(|v| v.to_str().ok()).map(|v| short(v, 32))
}

/// Whether a refusal gets a line of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Log it; `not_logged` more were refused (and only counted) before it.
    Log { not_logged: u64 },
    /// Over the window's budget: counted only (`first` of the window).
    Count { first: bool },
}

/// The rate limit: a fixed window of [`WINDOW_MS`] by the injected clock.
#[derive(Debug, Default)]
struct Window {
    started_ms: i64,
    logged: u32,
    not_logged: u64,
}

impl Window {
    fn admit(&mut self, now_ms: i64) -> Verdict {
        let expired = now_ms - self.started_ms >= WINDOW_MS || now_ms < self.started_ms;
        if expired {
            let not_logged = std::mem::take(&mut self.not_logged);
            *self = Window {
                started_ms: now_ms,
                logged: 1,
                not_logged: 0,
            };
            return Verdict::Log { not_logged };
        }
        if self.logged < LINES_PER_WINDOW {
            self.logged += 1;
            Verdict::Log { not_logged: 0 }
        } else {
            self.not_logged += 1;
            Verdict::Count {
                first: self.not_logged == 1,
            }
        }
    }
}

/// The refusal log of one server.
#[derive(Debug)]
pub struct RefusalLog {
    clock: Clock,
    window: Mutex<Window>,
    totals: [AtomicU64; 4],
}

impl RefusalLog {
    pub fn new(clock: Clock) -> Arc<Self> {
        Arc::new(Self {
            clock,
            window: Mutex::new(Window {
                started_ms: i64::MIN / 2,
                ..Window::default()
            }),
            totals: Default::default(),
        })
    }

    /// Requests refused with `status` since the start.
    pub fn total(&self, status: StatusCode) -> u64 {
        REFUSED
            .iter()
            .position(|s| *s == status)
            .map_or(0, |i| self.totals[i].load(Ordering::Relaxed))
    }

    /// Records a response: a refusal is counted, and logged within budget.
    pub fn record(self: &Arc<Self>, seen: &Seen, status: StatusCode, reason: Option<&Reason>) {
        let Some(i) = REFUSED.iter().position(|s| *s == status) else {
            return;
        };
        self.totals[i].fetch_add(1, Ordering::Relaxed);
        let verdict = match self.window.lock() {
            Ok(mut w) => w.admit(self.clock.unix_ms()),
            Err(_) => return,
        };
        match verdict {
            Verdict::Log { not_logged } => {
                let reason = reason
                    .map(|r| short(&r.0, 200))
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or_default().into());
                tracing::warn!(
                    method = %seen.method,
                    route = %seen.route(),
                    status = status.as_u16(),
                    reason,
                    retry_num = %seen.retry_num().as_deref().unwrap_or("-"),
                    retry_reason = %seen.retry_reason().as_deref().unwrap_or("-"),
                    not_logged,
                    "refused a request"
                );
            }
            Verdict::Count { first: true } => self.flush_later(),
            Verdict::Count { first: false } => {}
        }
    }

    /// When a flood stops, the count of what went unlogged still reaches the
    /// log: one line at the end of the window.
    fn flush_later(self: &Arc<Self>) {
        let me = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(WINDOW_MS as u64)).await;
            let not_logged = me
                .window
                .lock()
                .map(|mut w| std::mem::take(&mut w.not_logged))
                .unwrap_or(0);
            if not_logged > 0 {
                tracing::warn!(
                    not_logged,
                    "more requests were refused than logged in the last minute"
                );
            }
        });
    }
}

/// At most `max` characters of a header or reason, without control characters.
fn short(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_logs_its_budget_then_counts_and_the_next_window_says_how_many() {
        let mut w = Window {
            started_ms: i64::MIN / 2,
            ..Window::default()
        };
        let t0 = 1_000_000;
        assert_eq!(w.admit(t0), Verdict::Log { not_logged: 0 });
        for i in 1..LINES_PER_WINDOW {
            assert_eq!(w.admit(t0 + i64::from(i)), Verdict::Log { not_logged: 0 });
        }
        assert_eq!(w.admit(t0 + 59_999), Verdict::Count { first: true });
        for _ in 1..1000 {
            assert_eq!(w.admit(t0 + 59_999), Verdict::Count { first: false });
        }
        assert_eq!(w.admit(t0 + 60_000), Verdict::Log { not_logged: 1000 });
        assert_eq!(w.admit(t0 + 60_001), Verdict::Log { not_logged: 0 });
        // A clock set back starts a fresh window rather than going silent.
        assert_eq!(w.admit(t0), Verdict::Log { not_logged: 0 });
    }

    #[test]
    fn only_refusals_are_counted() {
        let log = RefusalLog::new(Clock::fixed(jiff::Timestamp::UNIX_EPOCH));
        let seen = Seen::default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        rt.block_on(async {
            for status in [
                StatusCode::OK,
                StatusCode::NOT_FOUND,
                StatusCode::BAD_REQUEST,
            ] {
                log.record(&seen, status, None);
            }
            for _ in 0..30 {
                log.record(&seen, StatusCode::UNAUTHORIZED, None);
            }
        });
        assert_eq!(log.total(StatusCode::BAD_REQUEST), 1);
        assert_eq!(log.total(StatusCode::UNAUTHORIZED), 30);
        assert_eq!(log.total(StatusCode::OK), 0);
    }

    #[test]
    fn headers_are_cut_short_and_cleaned() {
        let mut headers = HeaderMap::new();
        headers.insert("x-slack-retry-num", "1".parse().expect("hv"));
        headers.insert("x-slack-retry-reason", "http_timeout".parse().expect("hv"));
        headers.insert("x-slack-signature", "v0=secret".parse().expect("hv"));
        let uri: http::Uri = "/slack/events".repeat(20).parse().expect("uri");
        let seen = Seen::of(&http::Method::POST, &uri, &headers);
        assert_eq!(seen.retry_num().as_deref(), Some("1"));
        assert_eq!(seen.retry_reason().as_deref(), Some("http_timeout"));
        assert_eq!(seen.route().chars().count(), 80);
        assert!(seen.route().starts_with("/slack/events/slack/events"));
        assert!(!format!("{seen:?}").contains("secret"));
    }
}
