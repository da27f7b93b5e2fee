//! `/wb faq <question>`: the question joins the channel's most recently active
//! session and is posted into that thread by the bot ("❓ … — asked by @user"),
//! so the thread stays the record and a 👍 on the post votes. Without text, the
//! Ask modal opens. Slack runs custom slash commands only outside threads, so
//! the channel's current session is the target.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::capture::question_text;
use crate::domain::faq::{QuestionSource, MAX_TEXT_CHARS};
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::domain::truncate_chars;
use crate::flows::ask::{self, Ask};
use crate::flows::session;
use crate::slack::{modal, CommandReply};
use crate::views::ask::{ask_modal, AskMetadata};
use crate::views::escape_mrkdwn;

const NO_SESSION: &str = "There is no Working Backwards session in this channel yet, so there is no FAQ to add to. \
     Start one with `/wb pressrelease <idea>`, then ask with `/wb faq <question>` or in its thread (end the reply with `?`).";

pub async fn handle(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    question: Option<String>,
) -> CommandReply {
    let found = session::current_in_channel(app, ev.team_id, ev.channel_id).await;
    let session = match found {
        Ok(Some(session)) => session,
        Ok(None) => return CommandReply::ephemeral(NO_SESSION),
        Err(err) => return super::storage_failure(&err),
    };
    match question {
        None => {
            let meta = AskMetadata {
                session_id: session.id,
                ..AskMetadata::default()
            };
            modal::open(
                app,
                tenant.workspace(),
                ev.trigger_id,
                ask_modal(&meta, &session.title, None),
                Some(ev.response_url.to_string()),
                "Type `/wb faq <question>` instead.",
            );
            CommandReply::ephemeral(format!(
                ":question: Opening the question form for session #{}…",
                session.id
            ))
        }
        Some(text) => add(app, tenant, ev, session, &text).await,
    }
}

async fn add(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlashCommand<'_>,
    session: Session,
    text: &str,
) -> CommandReply {
    let (audience, question) = question_text(text);
    if question.chars().count() > MAX_TEXT_CHARS {
        return CommandReply::ephemeral(":warning: That question is too long for the FAQ.");
    }
    let asked = Ask {
        session_id: session.id,
        audience,
        question,
        asked_by: Some(ev.user_id.to_string()),
        source: QuestionSource::Command,
        message_ts: None,
        response_url: Some(ev.response_url.to_string()),
    };
    match ask::ask(app, tenant, asked).await {
        Ok(_) => CommandReply::ephemeral(format!(
            ":question: Added your {} question to the FAQ of session #{} *{}*; I'm posting it in that thread.",
            audience.as_str(),
            session.id,
            escape_mrkdwn(&truncate_chars(&session.title, 200)),
        )),
        Err(err) => super::storage_failure(&err),
    }
}
