//! `/wb pressrelease <idea>`: start a session. The idea is written to the outbox
//! with the root-message job before we answer, so it survives a Slack outage.

use std::sync::Arc;

use serde_json::json;
use slack_morphism::prelude::SlackCommandEvent;

use crate::app::AppState;
use crate::domain::session::Title;
use crate::slack::interactions::draft::why_not_opened;
use crate::slack::interactions::tell;
use crate::slack::jobs::Job;
use crate::slack::views::new_session::{new_session_modal, NewSessionMeta};
use crate::slack::{escape_mrkdwn, CommandReply};

pub async fn start(state: &Arc<AppState>, ev: &SlackCommandEvent, idea: &str) -> CommandReply {
    let title = match Title::parse(idea) {
        Ok(t) => t,
        Err(err) => {
            return CommandReply::ephemeral(format!(
                ":warning: {err}. Try `/wb pressrelease Smart fridge camera`."
            ))
        }
    };
    let job = Job::StartSession {
        team_id: ev.team_id.to_string(),
        channel_id: ev.channel_id.to_string(),
        user_id: ev.user_id.to_string(),
        title: title.as_str().to_string(),
        response_url: Some(ev.response_url.0.to_string()),
        joined: false,
        posted_ts: None,
        first_draft: None,
        session_id: None,
    };
    match crate::slack::jobs::queue_start(state, job).await {
        Ok(_) => CommandReply::ephemeral(format!(
            ":memo: Starting a Working Backwards session for *{}*. Its thread is the room: draft the press release, ask questions, vote with :+1:.",
            escape_mrkdwn(&crate::domain::truncate_chars(title.as_str(), 300))
        )),
        Err(err) => super::storage_failure(&err),
    }
}

/// `/wb pressrelease` with no idea: opens the new-session modal. `views.open`
/// runs in its own task at once (the trigger_id dies after 3 s) while the
/// acknowledgement goes back; if Slack refuses, the user is told through the
/// command's response_url.
pub async fn open_form(state: &Arc<AppState>, ev: &SlackCommandEvent) -> CommandReply {
    let meta = NewSessionMeta {
        channel_id: ev.channel_id.to_string(),
        response_url: Some(ev.response_url.0.to_string()),
    };
    let body = json!({"trigger_id": ev.trigger_id.0, "view": new_session_modal(&meta)});
    let state = state.clone();
    let response_url = ev.response_url.clone();
    tokio::spawn(async move {
        if let Err(err) = state.slack.call("views.open", &body).await {
            tracing::warn!(%err, "views.open failed for the new-session modal");
            let text = format!(
                ":warning: I couldn't open the form: {} Type `/wb pressrelease Smart fridge camera` to start a session directly.",
                why_not_opened(&err)
            );
            tell(&state, Some(&response_url), &text).await;
        }
    });
    CommandReply::ephemeral(
        ":memo: Opening the new-session form… (or type `/wb pressrelease <idea>`).",
    )
}
