//! The review meeting (SPEC §5.1): scheduling a review (which pins the
//! current draft version, replaces an open one, and queues its durable
//! timers: the start of reading and the 24 h and 1 h reminders), calling one
//! off, and — in [`reading`] and [`comment`] — silent reading itself: its
//! start, comments, its end, and the reminders. Every change is one write
//! holding the rows, the timers and the thread posts it owes.

pub mod comment;
pub mod reading;

use jiff::Timestamp;
use serde_json::{json, Value};

use super::root;
use crate::app::AppState;
use crate::domain::format_rfc3339;
use crate::domain::review::{status_without_review, Phase, Review, Status};
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::jobs::Job;
use crate::store::outbox::Schedule;
use crate::store::reviews::NewReview;
use crate::store::{StoreResult, Tx};
use crate::views::meeting::comments::EndedBy;
use crate::views::meeting::schedule::{canceled_note, scheduled_note, Scheduled};

/// The reminders before a review: hours ahead.
pub const NUDGE_HOURS: [i64; 2] = [24, 1];

/// The dedupe keys of a review's timers (one pending job each), so a
/// replaced review's timers can be called off.
pub fn timer_key(review_id: i64, which: &str) -> String {
    format!("review:{review_id}:{which}")
}

/// Calls off a review's pending timers.
pub(crate) fn cancel_timers(tx: &mut Tx<'_>, review_id: i64) -> StoreResult<()> {
    for which in ["start", "end", "nudge24", "nudge1"] {
        tx.cancel_pending(&timer_key(review_id, which))?;
    }
    Ok(())
}

/// Session `id` when it belongs to `tenant`'s installation.
pub(crate) fn session_in(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    id: i64,
) -> StoreResult<Option<Session>> {
    Ok(tx
        .session(id)?
        .filter(|s| tenant.owns_workspace(&s.workspace())))
}

/// What the review form shows.
#[derive(Debug, Clone)]
pub struct Form {
    pub session: Session,
    /// The current draft version (what a review would read).
    pub version: Option<i64>,
    pub open: Option<Review>,
    /// The last review's reviewers, to prefill.
    pub reviewers: Vec<String>,
}

/// The review form's content for session `session_id` of `tenant`.
pub async fn form(app: &AppState, tenant: &Tenant, session_id: i64) -> StoreResult<Option<Form>> {
    let tenant = tenant.clone();
    app.store
        .read(move |tx| {
            let Some(session) = session_in(tx, &tenant, session_id)? else {
                return Ok(None);
            };
            let version = tx.latest_draft(session.id)?.map(|d| d.version);
            let open = tx.open_review(session.id)?;
            let reviewers = tx
                .current_review(session.id)?
                .map(|r| r.reviewers)
                .unwrap_or_default();
            Ok(Some(Form {
                session,
                version,
                open,
                reviewers,
            }))
        })
        .await
}

/// Review `review_id` of session `session_id` (or, without an id, the
/// session's open review, else its latest), when the session is `tenant`'s.
pub async fn review_of(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    review_id: Option<i64>,
) -> StoreResult<Option<Review>> {
    let tenant = tenant.clone();
    app.store
        .read(move |tx| {
            let Some(session) = session_in(tx, &tenant, session_id)? else {
                return Ok(None);
            };
            let found = match review_id {
                Some(id) => tx.review(id)?,
                None => match tx.open_review(session.id)? {
                    Some(r) => Some(r),
                    None => tx.current_review(session.id)?,
                },
            };
            Ok(found.filter(|r| r.session_id == session.id))
        })
        .await
}

/// A validated review form.
#[derive(Debug, Clone)]
pub struct ScheduleReview {
    /// Who asks: the session must be theirs.
    pub tenant: Tenant,
    pub session_id: i64,
    pub user_id: String,
    /// The submitted view's id: a second delivery schedules nothing.
    pub view_key: Option<String>,
    /// When reading starts (now or later; validated by `domain::review`).
    pub starts: Timestamp,
    pub minutes: i64,
    pub reviewers: Vec<String>,
}

/// What scheduling came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleOutcome {
    Scheduled {
        review_id: i64,
        version: Option<i64>,
        /// The review it replaced.
        replaced: Option<i64>,
    },
    /// The same submission was already acted on.
    Duplicate,
    NoSession,
}

/// Stores a review against the current draft version, replaces an open one
/// (its timers called off; a reading one ends and its comments are posted),
/// queues the start and the reminders, and tells the thread — one write.
pub async fn schedule(app: &AppState, s: ScheduleReview) -> StoreResult<ScheduleOutcome> {
    let outcome = app
        .store
        .write(move |tx| {
            let Some(session) = session_in(tx, &s.tenant, s.session_id)? else {
                return Ok(ScheduleOutcome::NoSession);
            };
            if let Some(key) = &s.view_key {
                if !tx.claim_submission(key)? {
                    return Ok(ScheduleOutcome::Duplicate);
                }
            }
            let version = tx.latest_draft(session.id)?.map(|d| d.version);
            let open = tx.open_review(session.id)?;
            let now = tx.now();
            let starts = s.starts.max(now);
            let id = tx.insert_review(&NewReview {
                session_id: session.id,
                version,
                scheduled_at: &format_rfc3339(starts),
                reading_minutes: s.minutes,
                created_by: &s.user_id,
                reviewers: &s.reviewers,
            })?;
            let mut messages: Vec<Value> = Vec::new();
            if let Some(old) = &open {
                match old.phase() {
                    Phase::Reading => {
                        messages.extend(
                            reading::end_in(tx, &session, old, EndedBy::Replaced)?
                                .unwrap_or_default(),
                        );
                    }
                    _ => {
                        tx.cancel_review(old.id, Some(id))?;
                        cancel_timers(tx, old.id)?;
                    }
                }
            }
            tx.set_session_status(session.id, Status::InReview)?;
            let Some(review) = tx.review(id)? else {
                return Ok(ScheduleOutcome::NoSession);
            };
            let starts_now = starts <= now;
            messages.push(scheduled_note(&Scheduled {
                review: &review,
                starts,
                now: starts_now,
                replaced: open.as_ref().map(|o| (o, o.phase() == Phase::Reading)),
            }));
            tx.enqueue(&Job::posts(
                &session.workspace(),
                &session.channel_id,
                &session.thread_ts,
                messages,
                None,
            ))?;
            queue_timers(tx, id, starts)?;
            tx.touch_session(session.id)?;
            root::refresh_in(tx, session.id, 0)?;
            Ok(ScheduleOutcome::Scheduled {
                review_id: id,
                version,
                replaced: open.map(|o| o.id),
            })
        })
        .await?;
    app.wake_outbox();
    Ok(outcome)
}

/// The start of reading at `starts`, and the reminders 24 h and 1 h before
/// it that are still ahead.
fn queue_timers(tx: &mut Tx<'_>, review_id: i64, starts: Timestamp) -> StoreResult<()> {
    let now = tx.now_ms();
    let due = starts.as_millisecond();
    let key = timer_key(review_id, "start");
    tx.enqueue_with(
        &Job::ReviewStart {
            review_id,
            due_ms: due,
        },
        Schedule {
            delay_ms: due - now,
            dedupe_key: Some(&key),
        },
    )?;
    for hours in NUDGE_HOURS {
        let at = due - hours * 3_600_000;
        if at <= now {
            continue;
        }
        let key = timer_key(review_id, &format!("nudge{hours}"));
        tx.enqueue_with(
            &Job::ReviewNudge {
                review_id,
                hours,
                due_ms: at,
            },
            Schedule {
                delay_ms: at - now,
                dedupe_key: Some(&key),
            },
        )?;
    }
    Ok(())
}

/// What calling a review off came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    Canceled {
        review_id: i64,
    },
    /// Nothing scheduled.
    NothingScheduled,
    /// Reading has started: end it instead.
    Reading {
        review_id: i64,
    },
    /// Not the session's creator, nor the review's, nor a reviewer.
    Refused {
        review_id: i64,
    },
    NoSession,
}

/// Calls off the session's scheduled review (reading not started) for
/// `user`: its timers are cancelled and the status goes back to what the
/// latest decision left.
pub async fn cancel(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    user: &str,
) -> StoreResult<CancelOutcome> {
    let (tenant, user) = (tenant.clone(), user.to_string());
    let outcome = app
        .store
        .write(move |tx| {
            let Some(session) = session_in(tx, &tenant, session_id)? else {
                return Ok(CancelOutcome::NoSession);
            };
            let Some(review) = tx.open_review(session.id)? else {
                return Ok(CancelOutcome::NothingScheduled);
            };
            if review.phase() == Phase::Reading {
                return Ok(CancelOutcome::Reading {
                    review_id: review.id,
                });
            }
            if !review.may_end(&session.created_by, &user) {
                return Ok(CancelOutcome::Refused {
                    review_id: review.id,
                });
            }
            tx.cancel_review(review.id, None)?;
            cancel_timers(tx, review.id)?;
            let latest = tx.latest_decision(session.id)?.map(|d| d.outcome);
            tx.set_session_status(session.id, status_without_review(latest))?;
            let mut note = canceled_note(&review, &user, "the review is off.");
            note["channel"] = json!(session.channel_id);
            note["thread_ts"] = json!(session.thread_ts);
            tx.enqueue(&Job::call(&session.workspace(), "chat.postMessage", note))?;
            root::refresh_in(tx, session.id, 0)?;
            Ok(CancelOutcome::Canceled {
                review_id: review.id,
            })
        })
        .await?;
    app.wake_outbox();
    Ok(outcome)
}
