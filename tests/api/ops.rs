//! Operating wb: `/metrics` after a known sequence ([`metrics`]), `/readyz`
//! through a drain and a broken store and the admin address in both modes
//! ([`ready`]), `wb healthcheck` and JSON logs with span fields and access
//! lines ([`logs`]) — and no secret in metrics or logs.

mod logs;
mod metrics;
mod ready;

use std::time::{Duration, Instant};

use futures_util::SinkExt;
use serde_json::json;
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Polls `cond` until it holds (bounded).
async fn poll<F, Fut>(what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !cond().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A fake Socket Mode endpoint: `apps.connections.open` names a websocket
/// that greets every connection with `hello` and keeps it open.
async fn fake_socket_mode(slack: &MockServer) -> tokio::task::JoinHandle<()> {
    let ws = TcpListener::bind("127.0.0.1:0").await.expect("bind ws");
    let url = format!("ws://{}/link", ws.local_addr().expect("addr"));
    Mock::given(method("POST"))
        .and(path("/api/apps.connections.open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "url": url})))
        .mount(slack)
        .await;
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = ws.accept().await {
            if let Ok(mut conn) = tokio_tungstenite::accept_async(stream).await {
                let _ = conn.send(crate::socket::hello()).await;
                open.push(conn);
            }
        }
    })
}
