//! `message` events in session threads. A human reply is stored as what its
//! prefix makes it ([`classify`]): an FAQ question, a `PR:` draft version, a
//! customer-experience story, a user-manual section or discussion. Edits
//! (`message_changed`) update the stored text and re-classify it; deletions
//! (`message_deleted`) mark it deleted. Everything runs in the event's
//! transaction, with the confirmation reaction queued in the same commit.
//!
//! The bot confirms a capture with a reaction on the message (plain discussion
//! gets none): `question` ❓ for an external question, `lock` 🔒 for an
//! internal one, `memo` 📝 for a draft, `busts_in_silhouette` 👥 for a
//! customer-experience story, `book` 📖 for a user-manual section.

use std::sync::Arc;

use crate::store::Conn;
use serde_json::json;
use slack_morphism::prelude::*;

use super::Handled;
use crate::app::AppState;
use crate::domain::capture::{classify, Capture, EntryKind};
use crate::domain::docset::Audience;
use crate::domain::faq::QuestionSource;
use crate::domain::now_rfc3339;
use crate::domain::session::Session;
use crate::slack::interactions::draft;
use crate::slack::jobs::Job;
use crate::store::entries::{Captured, NewEntry};
use crate::store::questions::NewQuestion;
use crate::store::Store;

/// The reaction confirming a question of `audience`.
pub fn question_reaction(audience: Audience) -> &'static str {
    match audience {
        Audience::External => "question",
        Audience::Internal => "lock",
    }
}

const DRAFT_REACTION: &str = "memo";

/// The reaction confirming an entry of `kind` (none for discussion).
pub fn entry_reaction(kind: EntryKind) -> Option<&'static str> {
    match kind {
        EntryKind::CustomerExperience => Some("busts_in_silhouette"),
        EntryKind::Manual(_) => Some("book"),
        EntryKind::Discussion => None,
    }
}

fn reaction_of(capture: &Capture) -> Option<&'static str> {
    match capture {
        Capture::Question { audience, .. } => Some(question_reaction(*audience)),
        Capture::Draft { .. } => Some(DRAFT_REACTION),
        Capture::Entry { kind, .. } => entry_reaction(*kind),
    }
}

fn reaction_of_stored(captured: &Captured) -> Option<&'static str> {
    match captured {
        Captured::Question { audience, .. } => Some(question_reaction(*audience)),
        Captured::Draft { .. } => Some(DRAFT_REACTION),
        Captured::Entry { kind, .. } => entry_reaction(*kind),
    }
}

/// Whether a capture of this kind changes the counts on the root message.
fn counts(capture: &Capture) -> bool {
    matches!(capture, Capture::Question { .. } | Capture::Draft { .. })
}

fn counts_stored(captured: &Captured) -> bool {
    matches!(captured, Captured::Question { .. } | Captured::Draft { .. })
}

/// Messages that can change something: human thread replies (incl.
/// `thread_broadcast`), edits and deletions. Channel chatter outside threads,
/// bots and other subtypes are acknowledged without a transaction.
pub fn is_relevant(msg: &SlackMessageEvent) -> bool {
    match &msg.subtype {
        None | Some(SlackMessageEventType::ThreadBroadcast) => {
            msg.sender.bot_id.is_none()
                && msg
                    .origin
                    .thread_ts
                    .as_ref()
                    .is_some_and(|t| *t != msg.origin.ts)
        }
        Some(SlackMessageEventType::MessageChanged) => msg
            .message
            .as_ref()
            .is_some_and(|m| m.sender.bot_id.is_none()),
        Some(SlackMessageEventType::MessageDeleted) => msg.deleted_ts.is_some(),
        Some(_) => false,
    }
}

#[tracing::instrument(skip_all, fields(channel = ?msg.origin.channel, ts = %msg.origin.ts))]
pub fn handle(
    state: &Arc<AppState>,
    tx: &Conn,
    _cb: &SlackPushEventCallback,
    msg: &SlackMessageEvent,
) -> anyhow::Result<Handled> {
    if !is_relevant(msg) {
        return Ok(Handled::default());
    }
    match &msg.subtype {
        Some(SlackMessageEventType::MessageChanged) => edited(state, tx, msg),
        Some(SlackMessageEventType::MessageDeleted) => deleted(tx, msg),
        _ => reply(state, tx, msg),
    }
}

/// A new reply in a thread: stored if the thread is a session's.
fn reply(state: &Arc<AppState>, tx: &Conn, msg: &SlackMessageEvent) -> anyhow::Result<Handled> {
    let (Some(channel), Some(thread_ts), Some(user)) = (
        msg.origin.channel.as_ref(),
        msg.origin.thread_ts.as_ref(),
        msg.sender.user.as_ref(),
    ) else {
        return Ok(Handled::default());
    };
    let Some(session) = Store::session_by_thread_in(tx, &channel.0, &thread_ts.0)? else {
        return Ok(Handled::default());
    };
    let text = msg
        .content
        .as_ref()
        .and_then(|c| c.text.as_deref())
        .unwrap_or_default();
    if text.trim().is_empty() {
        // A file or an image alone: nothing to capture.
        return Ok(Handled::default());
    }
    let capture = classify(text);
    let now = now_rfc3339();
    let ts = &msg.origin.ts.0;
    store(state, tx, &session, &capture, &user.0, ts, &now)?;
    let queued = react(tx, &channel.0, ts, None, reaction_of(&capture))?;
    Store::touch_session_in(tx, session.id, &now)?;
    Ok(Handled {
        queued_jobs: queued,
        refresh: counts(&capture).then_some(session),
    })
}

/// Stores a capture of message `ts` by `author`.
fn store(
    state: &AppState,
    tx: &Conn,
    session: &Session,
    capture: &Capture,
    author: &str,
    ts: &str,
    now: &str,
) -> anyhow::Result<()> {
    match capture {
        Capture::Question { audience, text } => {
            let new = NewQuestion {
                session_id: session.id,
                audience: *audience,
                question: text,
                asked_by: Some(author),
                source: QuestionSource::Thread,
                message_ts: Some(ts),
                now,
            };
            Store::insert_question_in(tx, new)?;
        }
        Capture::Draft { text } => {
            draft::save_thread_draft_in(state, tx, session, author, ts, now, text)?;
        }
        Capture::Entry { kind, text } => {
            let new = NewEntry {
                session_id: session.id,
                kind: *kind,
                body: text,
                author: Some(author),
                message_ts: Some(ts),
                now,
            };
            Store::insert_entry_in(tx, new)?;
        }
    }
    Ok(())
}

/// Marks what a message had become as deleted (the message was deleted, or
/// was edited into another kind).
fn retire(tx: &Conn, session: &Session, captured: &Captured, now: &str) -> anyhow::Result<()> {
    match captured {
        Captured::Question { id, .. } => Store::delete_question_in(tx, *id, now)?,
        Captured::Draft { version, .. } => Store::delete_draft_in(tx, session.id, *version, now)?,
        Captured::Entry { id, .. } => Store::delete_entry_in(tx, *id, now)?,
    }
    Ok(())
}

/// Swaps the bot's confirmation reaction on a message; true when jobs were queued.
pub(crate) fn react(
    tx: &Conn,
    channel: &str,
    ts: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> anyhow::Result<bool> {
    if old == new {
        return Ok(false);
    }
    if let Some(name) = old {
        let body = json!({"channel": channel, "timestamp": ts, "name": name});
        AppState::enqueue_in(tx, &Job::call("reactions.remove", body))?;
    }
    if let Some(name) = new {
        let body = json!({"channel": channel, "timestamp": ts, "name": name});
        AppState::enqueue_in(tx, &Job::call("reactions.add", body))?;
    }
    Ok(true)
}

/// `message_changed`: the edited message carries its `ts` but no `thread_ts`,
/// so the stored capture is found by `ts` alone (within the channel).
fn edited(state: &Arc<AppState>, tx: &Conn, msg: &SlackMessageEvent) -> anyhow::Result<Handled> {
    let (Some(channel), Some(message)) = (msg.origin.channel.as_ref(), msg.message.as_ref()) else {
        return Ok(Handled::default());
    };
    let ts = &message.ts.0;
    let Some((session, stored)) = Store::captured_by_message_in(tx, &channel.0, ts)? else {
        return Ok(Handled::default());
    };
    let text = message
        .content
        .as_ref()
        .and_then(|c| c.text.as_deref())
        .unwrap_or_default();
    let capture = classify(text);
    let now = now_rfc3339();
    let mut refresh = false;
    match (&stored, &capture) {
        (
            Captured::Question { id, audience, text },
            Capture::Question {
                audience: new_audience,
                text: new_text,
            },
        ) => {
            if audience == new_audience && text == new_text {
                return Ok(Handled::default());
            }
            Store::update_question_in(tx, *id, *new_audience, new_text, &now)?;
        }
        (Captured::Draft { version, text }, Capture::Draft { text: new_text }) => {
            if text == new_text {
                return Ok(Handled::default());
            }
            Store::update_thread_draft_body_in(tx, session.id, *version, new_text)?;
        }
        (
            Captured::Entry { id, kind, text },
            Capture::Entry {
                kind: new_kind,
                text: new_text,
            },
        ) => {
            if kind == new_kind && text == new_text {
                return Ok(Handled::default());
            }
            Store::update_entry_in(tx, *id, *new_kind, new_text, &now)?;
        }
        _ => {
            // The prefix moved it to another table: retire the old row and
            // capture the message anew.
            let Some(author) = message.sender.user.as_ref() else {
                tracing::warn!(ts, "an edit without its author cannot be re-classified");
                return Ok(Handled::default());
            };
            retire(tx, &session, &stored, &now)?;
            store(state, tx, &session, &capture, &author.0, ts, &now)?;
            refresh = counts_stored(&stored) || counts(&capture);
        }
    }
    let queued = react(
        tx,
        &channel.0,
        ts,
        reaction_of_stored(&stored),
        reaction_of(&capture),
    )?;
    Store::touch_session_in(tx, session.id, &now)?;
    Ok(Handled {
        queued_jobs: queued,
        refresh: refresh.then_some(session),
    })
}

/// `message_deleted`: whatever the message had become leaves the doc set; the
/// row stays.
fn deleted(tx: &Conn, msg: &SlackMessageEvent) -> anyhow::Result<Handled> {
    let (Some(channel), Some(ts)) = (msg.origin.channel.as_ref(), msg.deleted_ts.as_ref()) else {
        return Ok(Handled::default());
    };
    let Some((session, stored)) = Store::captured_by_message_in(tx, &channel.0, &ts.0)? else {
        return Ok(Handled::default());
    };
    let now = now_rfc3339();
    retire(tx, &session, &stored, &now)?;
    Ok(Handled {
        queued_jobs: false,
        refresh: counts_stored(&stored).then_some(session),
    })
}
