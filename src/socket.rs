//! Socket Mode transport for `wb socket`: the same handlers as `http.rs`, fed by
//! slack-morphism's websocket listener instead of HTTP requests. Each envelope
//! gets a `request` span (route `socket:commands|events|interactions`, team,
//! channel, user), an access-log line and the same metrics as an HTTP request.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use slack_morphism::prelude::*;
use tokio::sync::watch;
use tracing::Instrument;

use crate::app::AppState;
use crate::slack::{commands, events, interactions, log_ids, CommandReply, InteractionReply};

type Callback<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn app_state(states: &SlackClientEventsUserState) -> Callback<Arc<AppState>> {
    let guard = states.read().await;
    guard
        .get_user_state::<Arc<AppState>>()
        .cloned()
        .ok_or_else(|| "wb state missing from the Socket Mode listener".into())
}

/// Converts a command acknowledgement into slack-morphism's response type.
pub fn command_response(reply: &CommandReply) -> SlackCommandEventResponse {
    let content = serde_json::from_value::<SlackMessageContent>(reply.to_json())
        .unwrap_or_else(|_| SlackMessageContent::new().with_text(reply.text.clone()));
    let kind = if reply.in_channel {
        SlackMessageResponseType::InChannel
    } else {
        SlackMessageResponseType::Ephemeral
    };
    SlackCommandEventResponse::new(content).with_response_type(kind)
}

/// Converts an interaction acknowledgement into slack-morphism's response type.
pub fn interaction_response(reply: &InteractionReply) -> SlackInteractionResponse {
    match reply.to_json() {
        None => SlackInteractionResponse::Empty,
        Some(body) => serde_json::from_value::<SlackViewSubmissionResponse>(body)
            .map(SlackInteractionResponse::ViewSubmission)
            .unwrap_or(SlackInteractionResponse::Empty),
    }
}

/// Runs one envelope's handler inside its span, then logs and counts it
/// like an HTTP request (200 when handled, 500 when Slack must redeliver).
async fn served<T>(
    state: &AppState,
    route: &'static str,
    ids: impl FnOnce(),
    handler: impl Future<Output = Callback<T>>,
) -> Callback<T> {
    let started = Instant::now();
    let span = tracing::info_span!(
        "request",
        route,
        team = tracing::field::Empty,
        channel = tracing::field::Empty,
        user = tracing::field::Empty,
    );
    span.in_scope(ids);
    let result = handler.instrument(span.clone()).await;
    let status: u16 = if result.is_ok() { 200 } else { 500 };
    let took = started.elapsed();
    state.metrics.request(route, status, took);
    let latency_ms = (took.as_secs_f64() * 1e4).round() / 10.0;
    span.in_scope(|| tracing::info!(route, status, latency_ms, "request"));
    result
}

async fn on_command(
    event: SlackCommandEvent,
    _client: Arc<SlackHyperClient>,
    states: SlackClientEventsUserState,
) -> Callback<SlackCommandEventResponse> {
    let state = app_state(&states).await?;
    let (team, channel, user) = (
        event.team_id.0.clone(),
        event.channel_id.0.clone(),
        event.user_id.0.clone(),
    );
    served(
        &state,
        "socket:commands",
        || log_ids::record(Some(&team), Some(&channel), Some(&user)),
        async { Ok(command_response(&commands::handle(&state, event).await)) },
    )
    .await
}

async fn on_interaction(
    event: SlackInteractionEvent,
    _client: Arc<SlackHyperClient>,
    states: SlackClientEventsUserState,
) -> Callback<SlackInteractionResponse> {
    let state = app_state(&states).await?;
    let raw = serde_json::to_value(&event).unwrap_or_default();
    served(
        &state,
        "socket:interactions",
        || log_ids::record_payload(&raw),
        async {
            Ok(interaction_response(
                &interactions::handle(&state, event).await,
            ))
        },
    )
    .await
}

async fn on_push(
    event: SlackPushEventCallback,
    _client: Arc<SlackHyperClient>,
    states: SlackClientEventsUserState,
) -> Callback<()> {
    let state = app_state(&states).await?;
    let raw = serde_json::to_value(&event).unwrap_or_default();
    served(
        &state,
        "socket:events",
        || log_ids::record_payload(&raw),
        async { events::handle(&state, event).await.map_err(|e| e.into()) },
    )
    .await
}

fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Arc<SlackHyperClient>,
    _states: SlackClientEventsUserState,
) -> http::StatusCode {
    // Not a success: the envelope is left unacknowledged, so Slack delivers it
    // again and the event_id dedupe keeps it once.
    tracing::error!(error = %err, "Socket Mode handler failed");
    http::StatusCode::INTERNAL_SERVER_ERROR
}

/// Connects with the app-level token and serves until `shutdown` turns true.
pub async fn run(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    let Some(app_token) = state.config.app_token.clone() else {
        anyhow::bail!("SLACK_APP_TOKEN: missing; Socket Mode needs an app-level token (xapp-…)");
    };
    let client = state.slack.client();
    let env = Arc::new(
        SlackClientEventsListenerEnvironment::new(client)
            .with_error_handler(on_error)
            .with_user_state(state.clone()),
    );
    let callbacks = SlackSocketModeListenerCallbacks::new()
        .with_command_events(on_command)
        .with_interaction_events(on_interaction)
        .with_push_events(on_push);
    let listener =
        SlackClientSocketModeListener::new(&SlackClientSocketModeConfig::new(), env, callbacks);
    let token = SlackApiToken::new(SlackApiTokenValue(app_token.expose().to_string()));
    listener
        .listen_for(&token)
        .await
        .map_err(|e| anyhow::anyhow!("SLACK_APP_TOKEN: Socket Mode connection failed: {e}"))?;
    listener.start().await;
    tracing::info!("connected to Slack in Socket Mode");
    let _ = shutdown.changed().await;
    listener.shutdown().await;
    Ok(())
}
