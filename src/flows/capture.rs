//! Thread messages: a human reply in a session thread is stored as what its
//! prefix makes it (`domain::capture::classify`) — an FAQ question, a `PR:`
//! draft version, a customer-experience story, a user-manual section or
//! discussion; an edit updates (and re-classifies) it; a deletion retires it.
//! All of it runs inside the event's write, with the confirmation reaction
//! (and a root refresh when the counts change) queued in the same commit.
//!
//! The reactions: `question` ❓ for an external question, `lock` 🔒 for an
//! internal one, `memo` 📝 for a draft, `busts_in_silhouette` 👥 for a
//! customer-experience story, `book` 📖 for a user-manual section; plain
//! discussion gets none.
//!
//! A reply may carry files (`file_share`): their names and permalinks are kept
//! with the message (`message_files`), a file with no text is discussion, and
//! an edit's file list replaces the stored one.

use serde_json::json;

use super::{draft, root};
use crate::domain::capture::{classify, Capture, EntryKind};
use crate::domain::docset::{AttachedFile, Audience};
use crate::domain::faq::QuestionSource;
use crate::domain::session::Session;
use crate::domain::tenant::{Tenant, Workspace};
use crate::jobs::Job;
use crate::store::entries::{Captured, NewEntry};
use crate::store::questions::NewQuestion;
use crate::store::sessions::KeptIn;
use crate::store::{StoreResult, Tx};

/// A new reply in a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub channel: String,
    pub thread_ts: String,
    pub ts: String,
    pub user: String,
    pub text: String,
    /// Files attached to the reply (a `file_share`), in Slack's order.
    pub files: Vec<AttachedFile>,
}

/// An edited message (Slack names only its `ts`, not its thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub channel: String,
    pub ts: String,
    pub user: Option<String>,
    pub text: String,
    /// The message's files now; `None` when the edit does not say.
    pub files: Option<Vec<AttachedFile>>,
}

/// A deleted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub channel: String,
    pub ts: String,
}

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

/// The table a capture of this kind is kept in.
fn kept_in(capture: &Capture) -> KeptIn {
    match capture {
        Capture::Question { .. } => KeptIn::Questions,
        Capture::Draft { .. } => KeptIn::Drafts,
        Capture::Entry { .. } => KeptIn::Entries,
    }
}

/// Whether a capture of this kind changes the counts on the root message.
fn counts(capture: &Capture) -> bool {
    matches!(capture, Capture::Question { .. } | Capture::Draft { .. })
}

fn counts_stored(captured: &Captured) -> bool {
    matches!(captured, Captured::Question { .. } | Captured::Draft { .. })
}

/// A new reply: stored if its thread is a session of `tenant`.
pub fn reply_in(tx: &mut Tx<'_>, tenant: &Tenant, reply: &Reply) -> StoreResult<()> {
    if reply.text.trim().is_empty() && reply.files.is_empty() {
        // Nothing said, nothing shared.
        return Ok(());
    }
    // A file alone classifies as discussion (its text is empty). The kind
    // follows from the text alone, so the same message delivered again is
    // looked for where it would have been kept.
    let capture = classify(&reply.text);
    let Some(found) = tx
        .thread_session(
            &reply.channel,
            &reply.thread_ts,
            &reply.ts,
            kept_in(&capture),
        )?
        .filter(|t| tenant.owns_workspace(&t.workspace))
    else {
        return Ok(());
    };
    if found.captured {
        // Stored already (`events::record`: a reply is kept once by its
        // message); whatever it queued was queued then.
        tracing::debug!(ts = %reply.ts, "reply already stored");
        return Ok(());
    }
    store(tx, found.id, &capture, &reply.user, &reply.ts)?;
    if !reply.files.is_empty() {
        tx.set_message_files(found.id, &reply.ts, &reply.files)?;
    }
    react(
        tx,
        &found.workspace,
        &reply.channel,
        &reply.ts,
        None,
        reaction_of(&capture),
    )?;
    tx.touch_session_since(found.id, &found.active_at)?;
    // A pending refresh renders the counts when it runs.
    if counts(&capture) && !found.refresh_pending {
        root::refresh_in(tx, found.id, root::DEBOUNCE_MS)?;
    }
    Ok(())
}

/// Stores a capture of message `ts` by `author` in session `session_id`.
fn store(
    tx: &mut Tx<'_>,
    session_id: i64,
    capture: &Capture,
    author: &str,
    ts: &str,
) -> StoreResult<()> {
    match capture {
        Capture::Question { audience, text } => {
            tx.insert_question(NewQuestion {
                session_id,
                audience: *audience,
                question: text,
                asked_by: Some(author),
                source: QuestionSource::Thread,
                message_ts: Some(ts),
            })?;
        }
        Capture::Draft { text } => {
            // A draft announces itself with the whole session (a question
            // or an entry needs only its number).
            if let Some(session) = tx.session(session_id)? {
                draft::save_thread_in(tx, &session, author, ts, text)?;
            }
        }
        Capture::Entry { kind, text } => {
            tx.insert_entry(NewEntry {
                session_id,
                kind: *kind,
                body: text,
                author: Some(author),
                message_ts: Some(ts),
            })?;
        }
    }
    Ok(())
}

/// Marks what a message had become as deleted (the message was deleted, or
/// was edited into another kind).
fn retire(tx: &mut Tx<'_>, session: &Session, captured: &Captured) -> StoreResult<()> {
    match captured {
        Captured::Question { id, .. } => tx.delete_question(*id),
        Captured::Draft { version, .. } => tx.delete_draft(session.id, *version),
        Captured::Entry { id, .. } => tx.delete_entry(*id),
    }
}

/// What message `ts` of `channel` became, when its session is `tenant`'s.
fn captured(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    channel: &str,
    ts: &str,
) -> StoreResult<Option<(Session, Captured)>> {
    Ok(tx
        .captured_by_message(channel, ts)?
        .filter(|(s, _)| tenant.owns_workspace(&s.workspace())))
}

/// Swaps the bot's confirmation reaction on a message of a session's
/// thread (in `workspace`); true when jobs were queued.
pub fn react(
    tx: &mut Tx<'_>,
    workspace: &Workspace,
    channel: &str,
    ts: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> StoreResult<bool> {
    if old == new {
        return Ok(false);
    }
    if let Some(name) = old {
        let body = json!({"channel": channel, "timestamp": ts, "name": name});
        tx.enqueue(&Job::call(workspace, "reactions.remove", body))?;
    }
    if let Some(name) = new {
        let body = json!({"channel": channel, "timestamp": ts, "name": name});
        tx.enqueue(&Job::call(workspace, "reactions.add", body))?;
    }
    Ok(true)
}

/// An edit: the stored capture is found by `ts` alone (within the channel).
pub fn edit_in(tx: &mut Tx<'_>, tenant: &Tenant, edit: &Edit) -> StoreResult<()> {
    let Some((session, stored)) = captured(tx, tenant, &edit.channel, &edit.ts)? else {
        return Ok(());
    };
    if let Some(files) = &edit.files {
        if tx.message_files(session.id, &edit.ts)? != *files {
            tx.set_message_files(session.id, &edit.ts, files)?;
        }
    }
    if edit.text.trim().is_empty() && tx.message_files(session.id, &edit.ts)?.is_empty() {
        // Neither words nor files left: as good as deleted.
        let deletion = Deletion {
            channel: edit.channel.clone(),
            ts: edit.ts.clone(),
        };
        return delete_in(tx, tenant, &deletion);
    }
    let capture = classify(&edit.text);
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
                return Ok(());
            }
            tx.update_question(*id, *new_audience, new_text)?;
        }
        (Captured::Draft { version, text }, Capture::Draft { text: new_text }) => {
            if text == new_text {
                return Ok(());
            }
            tx.update_thread_draft_body(session.id, *version, new_text)?;
        }
        (
            Captured::Entry { id, kind, text },
            Capture::Entry {
                kind: new_kind,
                text: new_text,
            },
        ) => {
            if kind == new_kind && text == new_text {
                return Ok(());
            }
            tx.update_entry(*id, *new_kind, new_text)?;
        }
        _ => {
            // The prefix moved it to another table: retire the old row and
            // capture the message anew.
            let Some(author) = edit.user.as_deref() else {
                tracing::warn!(ts = %edit.ts, "an edit without its author cannot be re-classified");
                return Ok(());
            };
            retire(tx, &session, &stored)?;
            store(tx, session.id, &capture, author, &edit.ts)?;
            refresh = counts_stored(&stored) || counts(&capture);
        }
    }
    react(
        tx,
        &session.workspace(),
        &edit.channel,
        &edit.ts,
        reaction_of_stored(&stored),
        reaction_of(&capture),
    )?;
    tx.touch_session(session.id)?;
    if refresh {
        root::refresh_in(tx, session.id, root::DEBOUNCE_MS)?;
    }
    Ok(())
}

/// A deletion: whatever the message had become leaves the doc set; the row
/// stays.
pub fn delete_in(tx: &mut Tx<'_>, tenant: &Tenant, deletion: &Deletion) -> StoreResult<()> {
    let Some((session, stored)) = captured(tx, tenant, &deletion.channel, &deletion.ts)? else {
        return Ok(());
    };
    retire(tx, &session, &stored)?;
    if counts_stored(&stored) {
        root::refresh_in(tx, session.id, root::DEBOUNCE_MS)?;
    }
    Ok(())
}
