//! `/wb review [ID]` opens the review form for the channel's current session
//! (or session ID); `/wb review end [ID]` ends silent reading now (the
//! session's creator, the review's creator or a reviewer); `/wb review
//! cancel [ID]` calls off a review that has not started.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::command::ReviewAction;
use crate::domain::tenant::Tenant;
use crate::flows::review::reading;
use crate::flows::review::{self, CancelOutcome};
use crate::flows::session;
use crate::slack::meeting::end_words;
use crate::slack::{modal, CommandReply};
use crate::views::meeting::schedule::{review_modal, ReviewForm};

#[tracing::instrument(skip_all, fields(team = %ev.team_id, channel = %ev.channel_id, user = %ev.user_id, session = ?session_id))]
pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    session_id: Option<i64>,
    action: ReviewAction,
) -> CommandReply {
    let found = session::find(app, tenant, ev.channel_id, session_id).await;
    let session = match found {
        Ok(Some(s)) => s,
        Ok(None) => return super::no_session(session_id),
        Err(err) => return super::storage_failure(&err),
    };
    let user = ev.user_id.to_string();
    match action {
        ReviewAction::Schedule => {
            let form = match review::form(app, tenant, session.id).await {
                Ok(Some(form)) => form,
                Ok(None) => return super::no_session(session_id),
                Err(err) => return super::storage_failure(&err),
            };
            let view = review_modal(&ReviewForm {
                session: &form.session,
                version: form.version,
                open: form.open.as_ref(),
                reviewers: &form.reviewers,
            });
            modal::open(
                app,
                tenant.workspace(),
                ev.trigger_id,
                view,
                Some(ev.response_url.to_string()),
                "Type `/wb review` again, or click *Review* on the session's message.",
            );
            CommandReply::ephemeral(format!(
                ":calendar: Opening the review form for session #{}…",
                session.id
            ))
        }
        ReviewAction::End => match reading::end_by(app, tenant, session.id, None, &user).await {
            Ok(outcome) => CommandReply::ephemeral(end_words(session.id, &outcome)),
            Err(err) => super::storage_failure(&err),
        },
        ReviewAction::Cancel => match review::cancel(app, tenant, session.id, &user).await {
            Ok(outcome) => CommandReply::ephemeral(cancel_words(session.id, &outcome)),
            Err(err) => super::storage_failure(&err),
        },
    }
}

fn cancel_words(session_id: i64, outcome: &CancelOutcome) -> String {
    match outcome {
        CancelOutcome::Canceled { review_id } => format!(
            ":no_entry_sign: Review #{review_id} of session #{session_id} is cancelled; the thread is told."
        ),
        CancelOutcome::NothingScheduled => {
            format!("Session #{session_id} has no review scheduled.")
        }
        CancelOutcome::Reading { review_id } => format!(
            "Silent reading of review #{review_id} has started: end it with `/wb review end {session_id}` (its comments are posted)."
        ),
        CancelOutcome::Refused { review_id } => format!(
            ":no_entry: Only the session's creator, whoever scheduled review #{review_id} and its reviewers may cancel it. Nothing changed."
        ),
        CancelOutcome::NoSession => format!(":warning: There is no session #{session_id} in this workspace."),
    }
}
