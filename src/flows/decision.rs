//! Deciding (SPEC §5.1): Go, Iterate or No-go, by the session's creator or a
//! current reviewer, stored with who, when and the version decided on, posted
//! in the thread, and shown on the root message. Every decision is kept; the
//! latest sets the status (`iterate` back to drafting). A decision closes the
//! open review: reading ends (its comments are posted first), a scheduled one
//! is called off.

use serde_json::Value;

use super::review::{cancel_timers, reading, session_in};
use super::root;
use crate::app::AppState;
use crate::domain::docset::DecisionRecord;
use crate::domain::review::{may_decide, Outcome, Phase};
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::jobs::Job;
use crate::store::decisions::NewDecision;
use crate::store::StoreResult;
use crate::views::meeting::comments::EndedBy;
use crate::views::meeting::decide::decision_messages;
use crate::views::meeting::schedule::canceled_note;

/// What the decision form shows, or why it does not open.
#[derive(Debug, Clone)]
pub enum Access {
    Allowed {
        session: Session,
        /// The latest draft version (what is decided on).
        version: Option<i64>,
        current: Option<DecisionRecord>,
    },
    /// Neither the creator nor a current reviewer.
    Refused {
        session: Session,
    },
    NoSession,
}

/// Whether `user` of `tenant` may decide on session `session_id`, and the
/// form's content when they may.
pub async fn access(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    user: &str,
) -> StoreResult<Access> {
    let (tenant, user) = (tenant.clone(), user.to_string());
    app.store
        .read(move |tx| {
            let Some(session) = session_in(tx, &tenant, session_id)? else {
                return Ok(Access::NoSession);
            };
            let review = tx.current_review(session.id)?;
            if !may_decide(&session.created_by, review.as_ref(), &user) {
                return Ok(Access::Refused { session });
            }
            let version = tx.latest_draft(session.id)?.map(|d| d.version);
            let current = tx.latest_decision(session.id)?;
            Ok(Access::Allowed {
                session,
                version,
                current,
            })
        })
        .await
}

/// A decision from the form.
#[derive(Debug, Clone)]
pub struct Decide {
    /// Who decides: the session must be theirs.
    pub tenant: Tenant,
    pub session_id: i64,
    pub user_id: String,
    pub outcome: Outcome,
    pub rationale: String,
    pub next_steps: Option<String>,
    /// The submitted view's id: a second delivery records nothing.
    pub view_key: Option<String>,
}

/// What deciding came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    Recorded {
        outcome: Outcome,
        version: Option<i64>,
    },
    Duplicate,
    /// Neither the creator nor a current reviewer: nothing stored.
    Refused,
    NoSession,
}

/// Records a decision — one write with the status, the closing of an open
/// review, the thread post and the root refresh.
pub async fn decide(app: &AppState, d: Decide) -> StoreResult<Decided> {
    let outcome = app
        .store
        .write(move |tx| {
            let Some(session) = session_in(tx, &d.tenant, d.session_id)? else {
                return Ok(Decided::NoSession);
            };
            let current = tx.current_review(session.id)?;
            if !may_decide(&session.created_by, current.as_ref(), &d.user_id) {
                return Ok(Decided::Refused);
            }
            if let Some(key) = &d.view_key {
                if !tx.claim_submission(key)? {
                    return Ok(Decided::Duplicate);
                }
            }
            let mut messages: Vec<Value> = Vec::new();
            if let Some(open) = tx.open_review(session.id)? {
                if open.phase() == Phase::Reading {
                    let ended = reading::end_in(tx, &session, &open, EndedBy::Decision)?;
                    messages.extend(ended.unwrap_or_default());
                } else if tx.cancel_review(open.id, None)? {
                    cancel_timers(tx, open.id)?;
                    messages.push(canceled_note(
                        &open,
                        &d.user_id,
                        "a decision was recorded before it started.",
                    ));
                }
            }
            let previous = tx.latest_decision(session.id)?;
            let version = tx.latest_draft(session.id)?.map(|v| v.version);
            let record = tx.insert_decision(&NewDecision {
                session_id: session.id,
                outcome: d.outcome,
                rationale: &d.rationale,
                next_steps: d.next_steps.as_deref(),
                decided_by: &d.user_id,
                version,
                review_id: current.as_ref().map(|r| r.id),
            })?;
            tx.set_session_status(session.id, d.outcome.status_after())?;
            messages.extend(decision_messages(&record, previous.as_ref()));
            tx.enqueue(&Job::posts(
                &session.workspace(),
                &session.channel_id,
                &session.thread_ts,
                messages,
                None,
            ))?;
            tx.touch_session(session.id)?;
            root::refresh_in(tx, session.id, 0)?;
            Ok(Decided::Recorded {
                outcome: d.outcome,
                version,
            })
        })
        .await?;
    app.wake_outbox();
    Ok(outcome)
}
