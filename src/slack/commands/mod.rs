//! `/wb` slash commands: parsed once into [`WbCommand`], dispatched by an
//! exhaustive match, one file per subcommand. A handler returns the
//! acknowledgement; anything slow goes to the outbox or a spawned task.

mod export;
mod faq;
mod list;
mod pressrelease;

use std::sync::Arc;

use slack_morphism::prelude::SlackCommandEvent;

use super::views::help;
use super::CommandReply;
use crate::app::AppState;
use crate::domain::command::WbCommand;

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id))]
pub async fn handle(state: &Arc<AppState>, ev: SlackCommandEvent) -> CommandReply {
    let text = ev.text.clone().unwrap_or_default();
    match WbCommand::parse(&text) {
        WbCommand::PressRelease { idea: Some(idea) } => {
            pressrelease::start(state, &ev, &idea).await
        }
        WbCommand::PressRelease { idea: None } => pressrelease::open_form(state, &ev).await,
        WbCommand::Faq { question } => faq::handle(state, &ev, question).await,
        WbCommand::Export { session_id, target } => {
            export::handle(state, &ev, session_id, target).await
        }
        WbCommand::List => list::handle(state, &ev).await,
        WbCommand::Help => CommandReply::ephemeral(help::usage(None)),
        WbCommand::Unknown { word } => CommandReply::ephemeral(help::unknown(&word)),
        WbCommand::Invalid { message } => CommandReply::ephemeral(help::usage(Some(&message))),
    }
}

/// The reply when the database refused a write: nothing was posted, nothing half-done.
pub(crate) fn storage_failure(err: &anyhow::Error) -> CommandReply {
    tracing::error!(
        error = format!("{err:#}"),
        "a slash command could not be stored"
    );
    CommandReply::ephemeral(
        ":warning: I couldn't save that just now (database error), so nothing was posted. Please try again.",
    )
}
