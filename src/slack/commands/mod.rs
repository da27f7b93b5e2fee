//! `/wb` slash commands: parsed once into [`WbCommand`], dispatched by an
//! exhaustive match, one file per subcommand. A handler returns the
//! acknowledgement; anything slow goes to the outbox or a spawned task.

mod decide;
mod export;
mod faq;
mod list;
mod pressrelease;
mod remind;
mod review;
mod triage;

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use super::CommandReply;
use crate::app::AppState;
use crate::domain::command::WbCommand;
use crate::domain::tenant::Tenant;
use crate::store::StoreError;
use crate::views::help;

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id))]
pub async fn handle(app: &Arc<AppState>, tenant: &Tenant, ev: SlashCommand<'_>) -> CommandReply {
    match WbCommand::parse(ev.text) {
        WbCommand::PressRelease { idea: Some(idea) } => {
            pressrelease::start(app, tenant, &ev, &idea).await
        }
        WbCommand::PressRelease { idea: None } => pressrelease::open_form(app, tenant, &ev),
        WbCommand::Faq { question } => faq::handle(app, tenant, &ev, question).await,
        WbCommand::Export { session_id, target } => {
            export::handle(app, tenant, &ev, session_id, target).await
        }
        WbCommand::Triage { session_id } => triage::handle(app, tenant, &ev, session_id).await,
        WbCommand::Remind { session_id, what } => {
            remind::handle(app, tenant, &ev, session_id, what).await
        }
        WbCommand::List => list::handle(app, &ev).await,
        WbCommand::Review { session_id, action } => {
            review::handle(app, tenant, &ev, session_id, action).await
        }
        WbCommand::Decide { session_id } => decide::handle(app, tenant, &ev, session_id).await,
        WbCommand::Help => CommandReply::ephemeral(help::usage(None)),
        WbCommand::Unknown { word } => CommandReply::ephemeral(help::unknown(&word)),
        WbCommand::Invalid { message } => CommandReply::ephemeral(help::usage(Some(&message))),
    }
}

/// The reply when the session a command names is not there.
fn no_session(session_id: Option<i64>) -> CommandReply {
    CommandReply::ephemeral(not_found(session_id))
}

/// What to say when there is no such session (or none in this channel).
fn not_found(session_id: Option<i64>) -> String {
    match session_id {
        Some(id) => format!(
            ":warning: There is no session #{id} in this workspace. `/wb list` shows this channel's sessions."
        ),
        None => "There is no Working Backwards session in this channel yet. Start one with `/wb pressrelease <idea>`.".into(),
    }
}

/// The reply when the database failed: nothing was posted, nothing half-done.
fn storage_failure(err: &StoreError) -> CommandReply {
    tracing::error!(%err, "a slash command could not be stored");
    CommandReply::ephemeral(
        ":warning: I couldn't save that just now (database error), so nothing was posted. Please try again.",
    )
}
