//! `/wb remind [ID] daily HH:MM | off | now`: the thread's nudges. `now`
//! queues the digest of open questions at once (nothing when nothing is
//! open); `daily` stores the reminder and confirms once the caller's time
//! zone is known (`users.info`, through the outbox); `off` stops it; nothing
//! after the id says what is set.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::command::{Remind, REMIND_USAGE};
use crate::domain::tenant::Tenant;
use crate::flows::{remind, session};
use crate::slack::CommandReply;
use crate::views::remind::{nothing_open, posted_now, setting_daily, status, stopped};

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id, session = ?session_id))]
pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    session_id: Option<i64>,
    what: Remind,
) -> CommandReply {
    let session = match session::find(app, tenant, ev.channel_id, session_id).await {
        Err(err) => return super::storage_failure(&err),
        Ok(Some(s)) => s,
        Ok(None) => {
            let text = format!("{} {REMIND_USAGE}", super::not_found(session_id));
            return CommandReply::ephemeral(text);
        }
    };
    let id = session.id;
    match what {
        Remind::Now => match remind::now(app, &session).await {
            Ok((0, _)) => CommandReply::ephemeral(nothing_open(id)),
            Ok((shown, open)) => CommandReply::ephemeral(posted_now(id, shown, open)),
            Err(err) => super::storage_failure(&err),
        },
        Remind::Daily(at) => {
            let url = ev.response_url;
            match remind::set_daily(app, &session, at, ev.user_id, Some(url)).await {
                Ok(()) => CommandReply::ephemeral(setting_daily(id, &at.to_string())),
                Err(err) => super::storage_failure(&err),
            }
        }
        Remind::Off => match remind::off(app, &session).await {
            Ok(was_on) => CommandReply::ephemeral(stopped(id, was_on)),
            Err(err) => super::storage_failure(&err),
        },
        Remind::Show => match remind::current(app, &session).await {
            Ok(None) => CommandReply::ephemeral(status(id, None)),
            Ok(Some(r)) => {
                let next = match (r.next_due_ms, r.tz.as_deref()) {
                    (Some(at), Some(tz)) => Some(remind::show_time(at, tz)),
                    _ => None,
                };
                CommandReply::ephemeral(status(
                    id,
                    Some((&r.at_time, r.tz.as_deref(), next.as_deref())),
                ))
            }
            Err(err) => super::storage_failure(&err),
        },
    }
}
