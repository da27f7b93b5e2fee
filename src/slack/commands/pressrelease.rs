//! `/wb pressrelease <idea>`: start a session. The idea is written to the outbox
//! with the root-message job before we answer, so it survives a Slack outage.

use std::sync::Arc;

use slack_morphism::prelude::SlackCommandEvent;

use crate::app::AppState;
use crate::domain::session::Title;
use crate::slack::jobs::Job;
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
    };
    match state.enqueue(&job).await {
        Ok(_) => CommandReply::ephemeral(format!(
            ":memo: Starting a Working Backwards session for *{}*. Its thread is the room: draft the press release, ask questions, vote with :+1:.",
            escape_mrkdwn(&crate::domain::truncate_chars(title.as_str(), 300))
        )),
        Err(err) => super::storage_failure(&err),
    }
}

/// `/wb pressrelease` with no idea: the form comes with the drafting issue.
pub async fn open_form(_state: &Arc<AppState>, _ev: &SlackCommandEvent) -> CommandReply {
    CommandReply::ephemeral(
        "Tell me the idea: `/wb pressrelease Smart fridge camera` starts a session for it.",
    )
}
