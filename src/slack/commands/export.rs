//! `/wb export [ID] [md|html|canvas]`: find the session, queue the export job,
//! and acknowledge at once; the file (or canvas) arrives in the session's
//! thread from the outbox a few seconds later.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::command::ExportTarget;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::domain::truncate_chars;
use crate::flows::{export, session};
use crate::jobs::ExportFormat;
use crate::slack::CommandReply;
use crate::views::escape_mrkdwn;

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id, session = ?session_id))]
pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    session_id: Option<i64>,
    target: ExportTarget,
) -> CommandReply {
    let channel = ev.channel_id.to_string();
    let session = match session::find(app, tenant, &channel, session_id).await {
        Err(err) => return super::storage_failure(&err),
        Ok(Some(s)) => s,
        Ok(None) => return CommandReply::ephemeral(super::not_found(session_id)),
    };
    if session.channel_id != channel {
        return CommandReply::ephemeral(format!(
            "Session #{} lives in <#{}>: run `/wb export {}` there (its thread is where the file goes).",
            session.id,
            escape_mrkdwn(&session.channel_id),
            session.id
        ));
    }
    let format = ExportFormat::from(target);
    let asked = export::queue(
        app,
        &session,
        format,
        ev.user_id,
        &channel,
        Some(ev.response_url),
    );
    match asked.await {
        Ok(()) => CommandReply::ephemeral(queued(&session, format)),
        Err(err) => super::storage_failure(&err),
    }
}

/// The acknowledgement: what is coming, and where.
fn queued(session: &Session, format: ExportFormat) -> String {
    let title = escape_mrkdwn(&truncate_chars(&session.title, 200));
    match format {
        ExportFormat::Canvas => format!(
            ":hourglass_flowing_sand: Opening *{title}* as a canvas — I'll link it in the session's thread in a few seconds."
        ),
        f => format!(
            ":hourglass_flowing_sand: Exporting *{title}* as {} — the file will appear in the session's thread in a few seconds.",
            f.label()
        ),
    }
}
