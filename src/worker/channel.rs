//! Joining a public channel when Slack says the bot is not in it (needs
//! `channels:join`): a job that meets `not_in_channel` joins once, records
//! that it did, and tries again.

use serde_json::json;

use crate::app::AppState;
use crate::domain::tenant::Workspace;
use crate::webapi::ApiError;

pub fn is_not_in_channel(err: &ApiError) -> bool {
    matches!(err.code(), Some("not_in_channel"))
}

/// Joins a public channel of `ws`; fails for private channels.
pub async fn join(app: &AppState, ws: &Workspace, channel: &str) -> Result<(), ApiError> {
    if channel.is_empty() {
        return Err(ApiError::Permanent("not_in_channel".into()));
    }
    app.slack
        .call(ws, "conversations.join", &json!({"channel": channel}))
        .await
        .map(|_| ())
}
