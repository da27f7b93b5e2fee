//! `/wb triage [ID]`: opens the Triage modal of the channel's current
//! session (or session ID) while the acknowledgement goes back.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::tenant::Tenant;
use crate::domain::triage::Filter;
use crate::flows::{session, triage};
use crate::slack::{modal, CommandReply};

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id, session = ?session_id))]
pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    session_id: Option<i64>,
) -> CommandReply {
    let session = match session::find(app, tenant, ev.channel_id, session_id).await {
        Err(err) => return super::storage_failure(&err),
        Ok(Some(s)) => s,
        Ok(None) => return CommandReply::ephemeral(super::not_found(session_id)),
    };
    let page = match triage::page(app, tenant, session.id, Filter::default(), 0).await {
        Err(err) => return super::storage_failure(&err),
        Ok(None) => return CommandReply::ephemeral(super::not_found(Some(session.id))),
        Ok(Some(page)) => page,
    };
    if page.is_empty() {
        return CommandReply::ephemeral(format!(
            "Session #{} has no questions to triage yet. Ask one in its thread (end it with `?`, or `IQ:` for an internal one) or with `/wb faq <question>`.",
            session.id
        ));
    }
    modal::open(
        app,
        tenant.workspace(),
        ev.trigger_id,
        page.modal(None),
        Some(ev.response_url.to_string()),
        "Click *Triage* on the session's message instead.",
    );
    CommandReply::ephemeral(format!(
        ":card_index_dividers: Opening the triage of session #{} ({} open of {} questions)…",
        session.id,
        page.counts.unresolved(),
        page.counts.questions()
    ))
}
