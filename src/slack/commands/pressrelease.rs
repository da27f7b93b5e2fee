//! `/wb pressrelease <idea>`: start a session. The idea is written to the outbox
//! with the root-message job before we answer, so it survives a Slack outage.
//! Without an idea, the new-session modal opens.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::session::Title;
use crate::domain::tenant::Tenant;
use crate::flows::session::{self, Start};
use crate::slack::{modal, CommandReply};
use crate::views::escape_mrkdwn;
use crate::views::new_session::{new_session_modal, NewSessionMeta};

pub async fn start(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    idea: &str,
) -> CommandReply {
    let title = match Title::parse(idea) {
        Ok(t) => t,
        Err(err) => {
            return CommandReply::ephemeral(format!(
                ":warning: {err}. Try `/wb pressrelease Smart fridge camera`."
            ))
        }
    };
    let shown = escape_mrkdwn(&crate::domain::truncate_chars(title.as_str(), 300));
    let start = Start {
        team_id: ev.team_id.to_string(),
        enterprise_id: tenant.enterprise_id.clone(),
        channel_id: ev.channel_id.to_string(),
        user_id: ev.user_id.to_string(),
        title,
        response_url: Some(ev.response_url.to_string()),
        first_draft: None,
    };
    match session::start(app, start).await {
        Ok(_) => CommandReply::ephemeral(format!(
            ":memo: Starting a Working Backwards session for *{shown}*. Its thread is the room: draft the press release, ask questions, vote with :+1:."
        )),
        Err(err) => super::storage_failure(&err),
    }
}

/// `/wb pressrelease` with no idea: opens the new-session modal while the
/// acknowledgement goes back.
pub fn open_form(app: &Arc<AppState>, tenant: &Tenant, ev: &SlashCommand<'_>) -> CommandReply {
    let meta = NewSessionMeta {
        channel_id: ev.channel_id.to_string(),
        response_url: Some(ev.response_url.to_string()),
    };
    modal::open(
        app,
        tenant.workspace(),
        ev.trigger_id,
        new_session_modal(&meta),
        Some(ev.response_url.to_string()),
        "Type `/wb pressrelease Smart fridge camera` to start a session directly.",
    );
    CommandReply::ephemeral(
        ":memo: Opening the new-session form… (or type `/wb pressrelease <idea>`).",
    )
}
