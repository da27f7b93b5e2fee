//! `/wb faq <question>`: the question joins the channel's most recently active
//! session and is posted into that thread by the bot ("❓ … — asked by @user"),
//! so the thread stays the record and a 👍 on the post votes. Without text, the
//! Ask modal opens. Slash commands never run inside threads (FACTS.md A1), so
//! the channel's current session is the target.

use std::sync::Arc;

use slack_morphism::prelude::SlackCommandEvent;

use crate::app::AppState;
use crate::domain::capture::question_text;
use crate::domain::faq::{QuestionSource, MAX_TEXT_CHARS};
use crate::domain::now_rfc3339;
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::slack::interactions::ask::{open_for, post_question_job};
use crate::slack::jobs::Notify;
use crate::slack::{escape_mrkdwn, root, CommandReply};
use crate::store::questions::NewQuestion;
use crate::store::Store;

const NO_SESSION: &str = "There is no Working Backwards session in this channel yet, so there is no FAQ to add to. \
     Start one with `/wb pressrelease <idea>`, then ask with `/wb faq <question>` or in its thread (end the reply with `?`).";

pub async fn handle(
    state: &Arc<AppState>,
    ev: &SlackCommandEvent,
    question: Option<String>,
) -> CommandReply {
    let session = match state
        .store
        .latest_session_in_channel(ev.team_id.as_ref(), ev.channel_id.as_ref())
        .await
    {
        Ok(Some(session)) => session,
        Ok(None) => return CommandReply::ephemeral(NO_SESSION),
        Err(err) => return super::storage_failure(&err.into()),
    };
    match question {
        None => {
            open_for(
                state,
                &ev.trigger_id.0,
                Some(ev.response_url.0.to_string()),
                &session,
            );
            CommandReply::ephemeral(format!(
                ":question: Opening the question form for session #{}…",
                session.id
            ))
        }
        Some(text) => add(state, ev, session, &text).await,
    }
}

async fn add(
    state: &Arc<AppState>,
    ev: &SlackCommandEvent,
    session: Session,
    text: &str,
) -> CommandReply {
    let (audience, question) = question_text(text);
    if question.chars().count() > MAX_TEXT_CHARS {
        return CommandReply::ephemeral(":warning: That question is too long for the FAQ.");
    }
    let user_id = ev.user_id.to_string();
    let response_url = ev.response_url.0.to_string();
    let sess = session.clone();
    let owned_question = question.clone();
    let stored = state
        .store
        .write(move |tx| {
            let question = &owned_question;
            let now = now_rfc3339();
            let new = NewQuestion {
                session_id: sess.id,
                audience,
                question,
                asked_by: Some(&user_id),
                source: QuestionSource::Command,
                message_ts: None,
                now: &now,
            };
            let id = Store::insert_question_in(tx, new)?;
            let job = post_question_job(&sess, id, audience, question, Some(&user_id)).with_notify(
                Notify {
                    user_id: user_id.clone(),
                    channel_id: sess.channel_id.clone(),
                    thread_ts: Some(sess.thread_ts.clone()),
                    response_url: Some(response_url.clone()),
                    what: "post your question in the thread (it is saved in the FAQ)".into(),
                },
            );
            AppState::enqueue_in(tx, &job)?;
            Store::touch_session_in(tx, sess.id, &now)?;
            Ok(())
        })
        .await;
    if let Err(err) = stored {
        return super::storage_failure(&err);
    }
    state.wake_outbox();
    let reply = CommandReply::ephemeral(format!(
        ":question: Added your {} question to the FAQ of session #{} *{}*; I'm posting it in that thread.",
        audience.as_str(),
        session.id,
        escape_mrkdwn(&truncate_chars(&session.title, 200)),
    ));
    root::refresh_soon(state, session);
    reply
}
