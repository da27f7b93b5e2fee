//! Asking: a question from the Ask modal (button, `/wb faq` without text),
//! from `/wb faq <question>`, or a thread message made a question by the
//! *Add to FAQ* shortcut. The question is stored and, unless it already is a
//! thread message, posted in the session thread by the bot, so a 👍 on the
//! post votes.
//!
//! Anonymous questions: the asker's id is not stored, not put in any outbox job
//! (so a failed post is not reported to anyone) and not logged.

use serde_json::json;

use super::capture::{entry_reaction, question_reaction, react};
use super::root;
use crate::app::AppState;
use crate::domain::docset::Audience;
use crate::domain::faq::QuestionSource;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::jobs::{Job, Notify, Then};
use crate::store::entries::Captured;
use crate::store::questions::NewQuestion;
use crate::store::{StoreResult, Tx};
use crate::views::ask::question_post;

/// A question to store.
#[derive(Debug, Clone)]
pub struct Ask {
    pub session_id: i64,
    pub audience: Audience,
    pub question: String,
    /// `None` when asked anonymously.
    pub asked_by: Option<String>,
    pub source: QuestionSource,
    /// The thread message that becomes the question (the shortcut).
    pub message_ts: Option<String>,
    /// Where to tell the asker if the thread post fails for good.
    pub response_url: Option<String>,
}

/// Stores the question of someone of `tenant` and queues what announces
/// it, in one transaction. `None` when the session is gone (or another
/// workspace's).
pub async fn ask(app: &AppState, tenant: &Tenant, ask: Ask) -> StoreResult<Option<Session>> {
    let tenant = tenant.clone();
    let saved = app
        .store
        .write(move |tx| {
            let Some(session) = tx
                .session(ask.session_id)?
                .filter(|s| tenant.owns_workspace(&s.workspace()))
            else {
                return Ok(None);
            };
            match &ask.message_ts {
                Some(ts) => promote(tx, &session, ts, &ask)?,
                None => post_new(tx, &session, &ask)?,
            }
            tx.touch_session(session.id)?;
            root::refresh_in(tx, session.id, root::DEBOUNCE_MS)?;
            Ok(Some(session))
        })
        .await?;
    app.wake_outbox();
    Ok(saved)
}

/// A new question, posted into the thread by the bot.
fn post_new(tx: &mut Tx<'_>, session: &Session, ask: &Ask) -> StoreResult<()> {
    let id = tx.insert_question(NewQuestion {
        session_id: session.id,
        audience: ask.audience,
        question: &ask.question,
        asked_by: ask.asked_by.as_deref(),
        source: ask.source,
        message_ts: None,
    })?;
    let job = post_question_job(
        session,
        id,
        ask.audience,
        &ask.question,
        ask.asked_by.as_deref(),
    );
    let job = match &ask.asked_by {
        Some(user) => job.with_notify(Notify {
            user_id: user.clone(),
            channel_id: session.channel_id.clone(),
            thread_ts: Some(session.thread_ts.clone()),
            response_url: ask.response_url.clone(),
            what: "post your question in the thread (it is saved in the FAQ)".into(),
        }),
        None => job,
    };
    tx.enqueue(&job)?;
    Ok(())
}

/// The bot's thread post of question `id`; once posted, a 👍 on it votes.
fn post_question_job(
    session: &Session,
    id: i64,
    audience: Audience,
    question: &str,
    asked_by: Option<&str>,
) -> Job {
    Job::call(
        &session.workspace(),
        "chat.postMessage",
        json!({
            "channel": session.channel_id,
            "thread_ts": session.thread_ts,
            "text": question_post(audience, question, asked_by),
            "unfurl_links": false,
            "unfurl_media": false,
        }),
    )
    .with_then(Then::QuestionMessage { question_id: id })
}

/// The shortcut's message `ts` becomes the question: a question already
/// stored for it is updated, a story or discussion entry is retired in its
/// favour; the message gets the question reaction instead of a new post.
fn promote(tx: &mut Tx<'_>, session: &Session, ts: &str, ask: &Ask) -> StoreResult<()> {
    let audience = ask.audience;
    let existing = tx.captured_by_message(&session.channel_id, ts)?;
    let old_reaction = match existing.map(|(_, c)| c) {
        Some(Captured::Question {
            id, audience: old, ..
        }) => {
            tx.update_question(id, audience, &ask.question)?;
            react(
                tx,
                &session.workspace(),
                &session.channel_id,
                ts,
                Some(question_reaction(old)),
                Some(question_reaction(audience)),
            )?;
            return Ok(());
        }
        Some(Captured::Entry { id, kind, .. }) => {
            tx.delete_entry(id)?;
            entry_reaction(kind)
        }
        // A `PR:` draft stays a draft; the message is also a question now.
        Some(Captured::Draft { .. }) | None => None,
    };
    tx.insert_question(NewQuestion {
        session_id: session.id,
        audience,
        question: &ask.question,
        asked_by: ask.asked_by.as_deref(),
        source: QuestionSource::Shortcut,
        message_ts: Some(ts),
    })?;
    react(
        tx,
        &session.workspace(),
        &session.channel_id,
        ts,
        old_reaction,
        Some(question_reaction(audience)),
    )?;
    Ok(())
}

/// The question already stored for thread message `ts` of `tenant`, if any.
pub async fn question_of_message(
    app: &AppState,
    tenant: &Tenant,
    channel: &str,
    ts: &str,
) -> StoreResult<Option<i64>> {
    let (channel, ts) = (channel.to_string(), ts.to_string());
    let found = app
        .store
        .read(move |tx| tx.question_by_message(&channel, &ts))
        .await?;
    Ok(found
        .filter(|(_, s)| tenant.owns_workspace(&s.workspace()))
        .map(|(id, _)| id))
}

/// Links a question to the bot's post of it (after Slack accepted the post).
pub async fn posted(app: &AppState, question_id: i64, ts: &str) -> StoreResult<()> {
    let ts = ts.to_string();
    app.store
        .write(move |tx| tx.set_question_message(question_id, &ts))
        .await
}
