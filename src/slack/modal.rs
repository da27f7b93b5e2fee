//! Modals and `response_url` replies, shared by the handlers: opening a view
//! at once (a trigger dies three seconds after the click), reading what Slack
//! sends back, and telling the user when Slack refuses.

use serde_json::{json, Value};
use slack_morphism::prelude::SlackStatefulView;

use crate::app::AppState;
use crate::domain::tenant::Workspace;
use crate::flows::notify::tell;
use crate::jobs::explain;
use crate::webapi::ApiError;
use std::sync::Arc;

/// Words for a failed `views.open`.
pub fn why_not_opened(err: &ApiError) -> String {
    match err.code() {
        Some(
            "trigger_expired" | "expired_trigger_id" | "trigger_exchanged" | "exchanged_trigger_id",
        ) => "Slack's 3-second window to open it passed; please click again.".to_string(),
        _ => explain(err),
    }
}

/// Calls `views.open` right away in a task of its own (the click is
/// acknowledged meanwhile), with the token of `workspace` (whose user
/// clicked). A refusal is told through `response_url`, with `fallback`
/// saying what else the user can do.
pub fn open(
    app: &Arc<AppState>,
    workspace: Workspace,
    trigger_id: &str,
    view: Value,
    response_url: Option<String>,
    fallback: &'static str,
) {
    let app = app.clone();
    let body = json!({"trigger_id": trigger_id, "view": view});
    tokio::spawn(async move {
        let Err(err) = app.slack.call(&workspace, "views.open", &body).await else {
            return;
        };
        tracing::warn!(error = %err, "could not open a modal");
        let text = format!(
            ":warning: I couldn't open the form: {} {fallback}",
            why_not_opened(&err)
        );
        tell(&app, response_url.as_deref(), &text).await;
    });
}

/// Calls `views.push` right away in a task of its own (a view stacked over
/// the modal the click came from; the trigger dies in three seconds), with
/// the token of `workspace` (whose user clicked).
pub fn push(app: &Arc<AppState>, workspace: Workspace, trigger_id: &str, view: Value) {
    let app = app.clone();
    let body = json!({"trigger_id": trigger_id, "view": view});
    tokio::spawn(async move {
        if let Err(err) = app.slack.call(&workspace, "views.push", &body).await {
            // A modal has no response_url: the log is the only place to say it.
            tracing::warn!(error = %err, "could not push a view");
        }
    });
}

/// Calls `views.update` on view `view_id` (of `workspace`'s user) in a task
/// of its own. With `hash`, Slack refuses an update based on a view that
/// changed meanwhile (a second quick click), which is then left as the later
/// click made it.
pub fn update(
    app: &Arc<AppState>,
    workspace: Workspace,
    view_id: &str,
    hash: Option<&str>,
    view: Value,
) {
    let app = app.clone();
    let mut body = json!({"view_id": view_id, "view": view});
    if let Some(h) = hash {
        body["hash"] = json!(h);
    }
    tokio::spawn(async move {
        match app.slack.call(&workspace, "views.update", &body).await {
            Ok(_) => {}
            Err(err) if err.code() == Some("hash_conflict") => {
                tracing::debug!("a view changed before its update; left as it is");
            }
            Err(err) => tracing::warn!(error = %err, "could not update a view"),
        }
    });
}

/// A view's JSON (works for every view type slack-morphism models).
fn view_json(view: &SlackStatefulView) -> Value {
    serde_json::to_value(view).unwrap_or(Value::Null)
}

/// A view's `callback_id`.
pub fn callback_id(view: &SlackStatefulView) -> Option<String> {
    view_json(view)
        .get("callback_id")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// What makes a submission one of a kind: its callback and the view's id
/// (Slack keeps the id while a modal is open, so a second delivery of an
/// accepted submission has the same key). `None` when the view has no id.
pub fn submission_key(view: &SlackStatefulView) -> Option<String> {
    let json = view_json(view);
    let id = json.get("id").and_then(Value::as_str)?;
    let callback = json
        .get("callback_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(format!("{callback}:{id}"))
}

/// A view's `private_metadata`.
pub fn private_metadata(view: &SlackStatefulView) -> Option<String> {
    view_json(view)
        .get("private_metadata")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// A view's `state.values` as Slack sent them (whatever the element types).
pub fn state_values(view: &SlackStatefulView) -> Value {
    view_json(view)
        .get("state")
        .and_then(|s| s.get("values"))
        .cloned()
        .unwrap_or(Value::Null)
}
