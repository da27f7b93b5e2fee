//! `/wb decide [ID]`: the decision form (Go / Iterate / No-go) for the
//! session's creator and its current reviewers; anyone else is told why not,
//! and nothing opens.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::tenant::Tenant;
use crate::flows::decision::{self, Access};
use crate::flows::session;
use crate::slack::meeting::refusal;
use crate::slack::{modal, CommandReply};
use crate::views::meeting::decide::decide_modal;

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id, session = ?session_id))]
pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    session_id: Option<i64>,
) -> CommandReply {
    let found = session::find(app, tenant, ev.channel_id, session_id).await;
    let session = match found {
        Ok(Some(s)) => s,
        Ok(None) => return super::no_session(session_id),
        Err(err) => return super::storage_failure(&err),
    };
    match decision::access(app, tenant, session.id, ev.user_id).await {
        Ok(Access::Allowed {
            session,
            version,
            current,
        }) => {
            modal::open(
                app,
                tenant.workspace(),
                ev.trigger_id,
                decide_modal(&session, version, current.as_ref()),
                Some(ev.response_url.to_string()),
                "Type `/wb decide` again, or click *Decide* on the session's message.",
            );
            CommandReply::ephemeral(format!(
                ":scales: Opening the decision form for session #{}…",
                session.id
            ))
        }
        Ok(Access::Refused { session }) => CommandReply::ephemeral(refusal(&session)),
        Ok(Access::NoSession) => super::no_session(session_id),
        Err(err) => super::storage_failure(&err),
    }
}
