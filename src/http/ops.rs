//! The operations routes: `GET /healthz` (the database answers), `GET /readyz`
//! (ready to work: not draining, database, writer and worker alive) and
//! `GET /metrics` (Prometheus text format). Served by `wb serve` and, with
//! `WB_ADMIN_LISTEN`, by the admin server of either mode.

use std::time::Duration;

use bytes::Bytes;
use http::{header, Response, StatusCode};
use http_body_util::Full;

use super::{text, Body};
use crate::app::AppState;
use crate::metrics::ready::{judge, Checks, WRITER_STALE};
use crate::metrics::OutboxGauges;

/// Longest a probe waits for the database: a probe that hangs is a failed probe.
const DB_TIMEOUT: Duration = Duration::from_secs(2);

/// The three routes, by path; `None` for any other path.
pub fn is_ops_route(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics")
}

pub async fn healthz(state: &AppState) -> Response<Body> {
    if state.store.healthy().await {
        text(StatusCode::OK, "ok")
    } else {
        text(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

pub async fn readyz(state: &AppState) -> Response<Body> {
    let database = match tokio::time::timeout(
        DB_TIMEOUT,
        state.store.read(|tx| tx.int("SELECT 1", &[])),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err(format!("no answer within {DB_TIMEOUT:?}")),
    };
    let verdict = judge(&Checks {
        draining: state.health.is_draining(),
        database,
        writer: state.store.writer_probe().state(WRITER_STALE),
        worker_age: state.health.worker.age(),
    });
    let status = if verdict.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    text(status, &verdict.report)
}

pub async fn metrics(state: &AppState) -> Response<Body> {
    // The outbox gauges come from the database; when it does not answer, the
    // last values stay (and /readyz says why).
    match tokio::time::timeout(DB_TIMEOUT, state.store.read(|tx| tx.outbox_figures())).await {
        Ok(Ok(f)) => state.metrics.outbox(OutboxGauges {
            pending: f.pending,
            running: f.running,
            scheduled: f.scheduled,
            failed: f.failed,
            oldest_pending_age: Duration::from_millis(f.oldest_due_age_ms.max(0) as u64),
        }),
        Ok(Err(err)) => tracing::warn!(%err, "metrics: could not read the outbox"),
        Err(_) => tracing::warn!("metrics: the outbox read timed out"),
    }
    state.metrics.pacing_waiting(state.pacer.waiting());
    let body = state.metrics.encode(&state.health.worker);
    let mut res = Response::new(Full::new(Bytes::from(body)));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
    );
    res
}
