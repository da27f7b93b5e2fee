//! Triage of a session's FAQ: the pages of the Triage modal, one question's
//! edit (state, owner, family, merge into another question) saved in one
//! write with what it owes — the owner's notice, the thread's "merged into …"
//! post, the root message's refresh — and un-merging.

use serde_json::json;

use super::root;
use crate::app::AppState;
use crate::domain::docset::Audience;
use crate::domain::family::{Coverage, Family};
use crate::domain::faq::QuestionState;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::domain::triage::{
    clamp_page, rank_merge_targets, Filter, StateCounts, TriageQuestion, PAGE_SIZE,
};
use crate::jobs::{Job, Notify};
use crate::store::{StoreResult, Tx};
use crate::views::triage::posts::{merged_post, owner_notice, unmerged_post};
use crate::views::triage::{triage_modal, ListPage};

/// Questions read to rank merge targets: far more than a busy thread holds.
const TARGETS_READ: i64 = 5_000;

/// One page of the Triage modal, as stored now.
#[derive(Debug, Clone)]
pub struct Page {
    pub session: Session,
    pub filter: Filter,
    pub page: i64,
    pub counts: StateCounts,
    pub coverage: Coverage,
    pub questions: Vec<TriageQuestion>,
}

impl Page {
    /// The Triage modal showing this page, with `notice` on top.
    pub fn modal(&self, notice: Option<String>) -> serde_json::Value {
        triage_modal(&ListPage {
            session_id: self.session.id,
            session_title: &self.session.title,
            filter: self.filter,
            page: self.page,
            counts: self.counts,
            coverage: self.coverage,
            questions: &self.questions,
            notice,
        })
    }

    /// True when the session has no question at all (merged ones included).
    pub fn is_empty(&self) -> bool {
        self.counts.listed(Filter::All) == 0
    }
}

/// Session `session_id` if it is `tenant`'s: another workspace's is as
/// good as absent.
fn session_of(tx: &mut Tx<'_>, tenant: &Tenant, session_id: i64) -> StoreResult<Option<Session>> {
    Ok(tx
        .session(session_id)?
        .filter(|s| tenant.owns_workspace(&s.workspace())))
}

/// Page `page` of the questions `filter` lists in session `session_id` of
/// `tenant` (a page that emptied meanwhile shows the last one); `None` when
/// there is no such session of theirs.
pub async fn page(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    filter: Filter,
    page: i64,
) -> StoreResult<Option<Page>> {
    let tenant = tenant.clone();
    app.store
        .read(move |tx| {
            let Some(session) = session_of(tx, &tenant, session_id)? else {
                return Ok(None);
            };
            let counts = tx.triage_counts(session_id)?;
            let page = clamp_page(page, counts.listed(filter));
            let offset = page * PAGE_SIZE as i64;
            let questions = tx.triage_page(session_id, filter, offset, PAGE_SIZE as i64)?;
            let coverage = tx.coverage(session_id)?;
            Ok(Some(Page {
                session,
                filter,
                page,
                counts,
                coverage,
                questions,
            }))
        })
        .await
}

/// A question of `session_id` of `tenant` and the questions it may be
/// merged into, worded most alike first; `None` when it is not that
/// session's, or the session not theirs.
pub async fn question_to_edit(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    question_id: i64,
) -> StoreResult<Option<(TriageQuestion, Vec<TriageQuestion>)>> {
    let tenant = tenant.clone();
    app.store
        .read(move |tx| {
            if session_of(tx, &tenant, session_id)?.is_none() {
                return Ok(None);
            }
            let question = match tx.triage_question(question_id)? {
                Some((session, q)) if session == session_id => q,
                _ => return Ok(None),
            };
            let targets = tx.merge_targets(session_id, TARGETS_READ)?;
            let ranked = rank_merge_targets(&question, targets);
            Ok(Some((question, ranked)))
        })
        .await
}

/// What a person changed on one question in the *Edit* view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub question_id: i64,
    pub state: Option<QuestionState>,
    /// The owner wanted from now on (`None`: nobody).
    pub owner: Option<String>,
    pub family: Option<Family>,
    pub merge_into: Option<i64>,
}

/// What saving an edit came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edited {
    Saved {
        /// The question was merged into this one.
        merged_into: Option<i64>,
    },
    /// The question (or its session) is gone, or belongs elsewhere.
    Gone,
    /// The merge cannot be done; the words say why (nothing was saved).
    MergeRefused(String),
}

/// Saves `edit` by `actor` of `tenant` on a question of session
/// `session_id`, with everything it owes, in one write.
pub async fn save(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    actor: &str,
    edit: Edit,
) -> StoreResult<Edited> {
    let (tenant, actor) = (tenant.clone(), actor.to_string());
    let outcome = app
        .store
        .write(move |tx| save_in(tx, &tenant, session_id, &actor, &edit))
        .await?;
    app.wake_outbox();
    Ok(outcome)
}

fn save_in(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    session_id: i64,
    actor: &str,
    edit: &Edit,
) -> StoreResult<Edited> {
    let Some(session) = session_of(tx, tenant, session_id)? else {
        return Ok(Edited::Gone);
    };
    let question = match tx.triage_question(edit.question_id)? {
        Some((s, q)) if s == session.id => q,
        _ => return Ok(Edited::Gone),
    };
    // Validate the merge before anything is written.
    let kept = match edit.merge_into {
        None => None,
        Some(id) => match merge_target(tx, &session, &question, id)? {
            Ok(kept) => Some(kept),
            Err(why) => return Ok(Edited::MergeRefused(why)),
        },
    };
    let mut changed = false;
    if question.owner != edit.owner {
        tx.set_question_owner(question.id, edit.owner.as_deref())?;
        changed = true;
        if let Some(owner) = edit.owner.as_deref().filter(|o| *o != actor) {
            tell_owner(tx, &session, &question, owner, actor)?;
        }
    }
    if let (Audience::Internal, Some(family)) = (question.audience, edit.family) {
        if question.family != Some(family) {
            tx.set_question_family(question.id, family, actor)?;
            changed = true;
        }
    }
    match &kept {
        Some(kept) => {
            tx.merge_question(question.id, kept.id)?;
            let votes = tx.votes(kept.id)?;
            let text = merged_post(
                (question.id, &question.question),
                (kept.id, &kept.question),
                votes,
                actor,
            );
            tx.enqueue(&thread_post(&session, &text))?;
            changed = true;
        }
        None => {
            // `answered` is set by answering; the form offers it only to keep it.
            let wanted = edit.state.filter(|s| {
                *s != QuestionState::Answered || question.state == QuestionState::Answered
            });
            if let Some(state) = wanted {
                changed |= tx.set_question_state(question.id, state)?;
            }
        }
    }
    if changed {
        tx.touch_session(session.id)?;
        root::refresh_in(tx, session.id, root::DEBOUNCE_MS)?;
    }
    Ok(Edited::Saved {
        merged_into: kept.map(|k| k.id),
    })
}

/// The question `duplicate` may be merged into: `id`, or the question `id`
/// was itself merged into; `Err` with the words when it cannot be.
fn merge_target(
    tx: &mut Tx<'_>,
    session: &Session,
    duplicate: &TriageQuestion,
    id: i64,
) -> StoreResult<Result<TriageQuestion, String>> {
    let mut target = match tx.triage_question(id)? {
        Some((s, q)) if s == session.id => q,
        _ => {
            return Ok(Err(format!(
                "Session #{} has no question #{id}.",
                session.id
            )))
        }
    };
    if let Some(root) = target.merged_into {
        // Merging into a duplicate means merging into what it duplicates.
        match tx.triage_question(root)? {
            Some((s, q)) if s == session.id => target = q,
            _ => {
                return Ok(Err(format!(
                    "Question #{id} is merged into a question that is gone."
                )))
            }
        }
    }
    if target.id == duplicate.id {
        return Ok(Err("A question cannot be merged into itself.".into()));
    }
    if duplicate.merged_into == Some(target.id) {
        return Ok(Err(format!(
            "#{} is already merged into #{}.",
            duplicate.id, target.id
        )));
    }
    Ok(Ok(target))
}

/// Tells `owner`, once, ephemerally in the session's channel, that `actor`
/// asked them to answer `question`; if Slack refuses, `actor` hears why.
fn tell_owner(
    tx: &mut Tx<'_>,
    session: &Session,
    question: &TriageQuestion,
    owner: &str,
    actor: &str,
) -> StoreResult<()> {
    let text = owner_notice(
        session.id,
        &session.title,
        (question.id, &question.question),
        actor,
    );
    let job = Job::call(
        &session.workspace(),
        "chat.postEphemeral",
        json!({"channel": session.channel_id, "user": owner, "text": text}),
    )
    .with_notify(Notify {
        user_id: actor.to_string(),
        channel_id: session.channel_id.clone(),
        thread_ts: None,
        response_url: None,
        what: format!(
            "tell <@{owner}> about question #{} (they are its owner all the same)",
            question.id
        ),
    });
    tx.enqueue(&job)?;
    Ok(())
}

/// A post in the session's thread (with its workspace's token).
fn thread_post(session: &Session, text: &str) -> Job {
    Job::post_in_thread(
        &session.workspace(),
        &session.channel_id,
        &session.thread_ts,
        text,
    )
}

/// What un-merging came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmerged {
    /// Apart again from `kept`.
    Done {
        kept: i64,
    },
    /// It was not merged (any more).
    NotMerged,
    Gone,
}

/// Un-merges duplicate `question_id` of session `session_id` of `tenant`:
/// both questions count their own voters again, and the thread is told.
pub async fn unmerge(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    question_id: i64,
    actor: &str,
) -> StoreResult<Unmerged> {
    let (tenant, actor) = (tenant.clone(), actor.to_string());
    let outcome = app
        .store
        .write(move |tx| {
            let Some(session) = session_of(tx, &tenant, session_id)? else {
                return Ok(Unmerged::Gone);
            };
            let duplicate = match tx.triage_question(question_id)? {
                Some((s, q)) if s == session.id => q,
                _ => return Ok(Unmerged::Gone),
            };
            let Some(kept_id) = duplicate.merged_into else {
                return Ok(Unmerged::NotMerged);
            };
            if !tx.unmerge_question(duplicate.id)? {
                return Ok(Unmerged::NotMerged);
            }
            let kept_text = tx
                .triage_question(kept_id)?
                .map(|(_, q)| q.question)
                .unwrap_or_default();
            let text = unmerged_post(
                (duplicate.id, &duplicate.question, tx.votes(duplicate.id)?),
                (kept_id, &kept_text, tx.votes(kept_id)?),
                &actor,
            );
            tx.enqueue(&thread_post(&session, &text))?;
            tx.touch_session(session.id)?;
            root::refresh_in(tx, session.id, root::DEBOUNCE_MS)?;
            Ok(Unmerged::Done { kept: kept_id })
        })
        .await?;
    app.wake_outbox();
    Ok(outcome)
}
