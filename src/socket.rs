//! Socket Mode transport for `wb socket`. slack-morphism keeps the websocket
//! connections (hello, pings, reconnects after a `disconnect`); each frame's
//! JSON goes, as it came, to the same `slack::inbound` as `wb serve`'s HTTP
//! requests, so an org-wide payload or a shape slack-morphism does not model
//! is read the same lenient way, and the outcome becomes the acknowledgement.
//! Each envelope gets a `request` span (route `socket:commands|events|
//! interactions`, team, channel, user), an access-log line and the same
//! metrics as an HTTP request.

use std::sync::{Arc, Weak};
use std::time::Instant;

use serde_json::{json, Value};
use slack_morphism::clients_manager::{
    SlackSocketModeClientsManager, SlackSocketModeClientsManagerFactory,
};
use slack_morphism::prelude::*;
use tokio::sync::watch;

use tracing::Instrument;

use crate::app::AppState;
use crate::slack::command_fields::CommandFields;
use crate::slack::inbound::{self, Outcome};
use crate::slack::json::Json;
use crate::slack::log_ids;

type Manager = dyn SlackSocketModeClientsManager + Send + Sync;

/// Answers the frames of every connection.
struct Frames {
    state: Arc<AppState>,
    manager: Weak<Manager>,
}

#[async_trait::async_trait]
impl SlackSocketModeClientListener for Frames {
    async fn on_message(
        &self,
        client: &SlackSocketModeWssClientId,
        body: String,
    ) -> Option<String> {
        let Ok(frame) = serde_json::from_str::<Value>(&body) else {
            tracing::warn!("Socket Mode sent a frame that is not JSON");
            return None;
        };
        match frame["type"].as_str() {
            Some("hello") => {
                tracing::debug!("Socket Mode connection ready");
                None
            }
            Some("disconnect") => {
                tracing::info!(
                    reason = frame["reason"].as_str().unwrap_or("-"),
                    "Slack asked to reconnect"
                );
                if let Some(manager) = self.manager.upgrade() {
                    manager.restart_client(client).await;
                }
                None
            }
            Some(kind) => self.envelope(kind, frame.clone()).await,
            None => None,
        }
    }

    async fn on_error(&self, error: Box<dyn std::error::Error + Send + Sync + 'static>) {
        tracing::warn!(%error, "Socket Mode connection error");
    }

    async fn on_disconnect(&self, client: &SlackSocketModeWssClientId) {
        if let Some(manager) = self.manager.upgrade() {
            manager.restart_client(client).await;
        }
    }
}

impl Frames {
    /// One envelope: handled, then acknowledged (with the reply as payload
    /// when Slack accepts one). An envelope that failed to store is not
    /// acknowledged, so Slack delivers it again.
    async fn envelope(&self, kind: &str, mut frame: Value) -> Option<String> {
        let envelope_id = frame["envelope_id"].as_str()?.to_string();
        let payload = frame["payload"].take();
        let route = match kind {
            "events_api" => "socket:events",
            "interactive" => "socket:interactions",
            "slash_commands" => "socket:commands",
            _ => {
                tracing::debug!("ignored a Socket Mode envelope type");
                return Some(json!({ "envelope_id": envelope_id }).to_string());
            }
        };
        let started = Instant::now();
        let span = tracing::info_span!(
            "request",
            route,
            team = tracing::field::Empty,
            channel = tracing::field::Empty,
            user = tracing::field::Empty,
        );
        span.in_scope(|| log_ids::record_payload(&payload));
        let state = &self.state;
        let outcome = async {
            match kind {
                "events_api" => inbound::event_callback(state, &Json::from(&payload)).await,
                "interactive" => inbound::interaction(state, payload).await,
                _ => inbound::command(state, CommandFields::from_json(&payload)).await,
            }
        }
        .instrument(span.clone())
        .await;
        let status: u16 = match &outcome {
            Outcome::Ack(_) | Outcome::Replied(_) => 200,
            Outcome::Refused(_) => 400,
            Outcome::Failed => 503,
        };
        let took = started.elapsed();
        state.metrics.request(route, status, took);
        let latency_ms = (took.as_secs_f64() * 1e4).round() / 10.0;
        span.in_scope(|| tracing::info!(route, status, latency_ms, "request"));
        let reply = match outcome {
            Outcome::Ack(reply) => reply,
            Outcome::Replied(reply) => Some(reply.to_json()),
            Outcome::Refused(reason) => {
                // Acknowledged all the same: it would never parse better.
                tracing::warn!(route = kind, reason, "refused a Socket Mode payload");
                None
            }
            Outcome::Failed => return None,
        };
        let mut ack = json!({ "envelope_id": envelope_id });
        if let Some(reply) = reply {
            if frame["accepts_response_payload"].as_bool() == Some(true) {
                ack["payload"] = reply;
            }
        }
        Some(ack.to_string())
    }
}

/// Connects with the app-level token and serves until `shutdown` turns true.
pub async fn run(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    let Some(app_token) = state.config.app_token.clone() else {
        anyhow::bail!("SLACK_APP_TOKEN: missing; Socket Mode needs an app-level token (xapp-…)");
    };
    let client = state.slack.client();
    let env = Arc::new(SlackClientEventsListenerEnvironment::new(client.clone()));
    let manager: Arc<Manager> = client.http_api.connector.new_clients_manager(env);
    let frames = Arc::new(Frames {
        state: state.clone(),
        manager: Arc::downgrade(&manager),
    });
    let token = SlackApiToken::new(SlackApiTokenValue(app_token.expose().to_string()));
    manager
        .register_new_token(&SlackClientSocketModeConfig::new(), token, frames)
        .await
        .map_err(|e| anyhow::anyhow!("SLACK_APP_TOKEN: Socket Mode connection failed: {e}"))?;
    manager.start().await;
    tracing::info!("connected to Slack in Socket Mode");
    let _ = shutdown.changed().await;
    manager.shutdown().await;
    Ok(())
}
