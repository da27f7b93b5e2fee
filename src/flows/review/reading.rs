//! Silent reading: its start (a durable timer that may run late, after wb
//! was down — then it says so and still gives the full reading time), its
//! end (time up, *End reading*, `/wb review end`, a replacing review or a
//! decision), and the open-question reminders before a review. Comments are
//! in [`super::comment`].

use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

use super::{session_in, timer_key};
use crate::app::AppState;
use crate::domain::format_rfc3339;
use crate::domain::review::{Phase, Review};
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::flows::root;
use crate::jobs::{ExportFormat, ExportJob, Job, ReadingCopy, Then};
use crate::store::outbox::Schedule;
use crate::store::{StoreResult, Tx};
use crate::views::meeting::comments::{comment_messages, EndedBy};
use crate::views::meeting::reading::{reading_messages, ReadingState, ReadingView};
use crate::views::meeting::schedule::nudge_note;

/// A timer that runs this much after its due time was missed (wb was not
/// running): its post says it is late. The worker otherwise runs a due job
/// within a few milliseconds.
pub const LATE_AFTER_MS: i64 = 60_000;

/// The reading copy's messages for `review` in `state`.
fn copy(
    tx: &mut Tx<'_>,
    session: &Session,
    review: &Review,
    state: ReadingState,
) -> StoreResult<Vec<Value>> {
    let draft = match review.version {
        Some(v) => tx.draft(session.id, v)?,
        None => None,
    };
    let since = match tx.previously_read_version(session.id, review.id)? {
        Some(prev) => {
            let before = tx.draft(session.id, prev)?;
            let changes = draft
                .as_ref()
                .map(|d| d.fields.changes_since(before.as_ref().map(|b| &b.fields)))
                .unwrap_or_default();
            Some((prev, changes))
        }
        None => None,
    };
    Ok(reading_messages(&ReadingView {
        session,
        review,
        draft: draft.as_ref(),
        since,
        state,
    }))
}

/// The timer `job_id`: starts silent reading of `review_id`, due at
/// `due_ms`. Posts the reading copy (and a canvas of the doc set, or the
/// Markdown file), queues the end, and finishes the job — one write. Does
/// nothing but finish when the review was replaced or already started.
pub async fn begin(app: &AppState, job_id: i64, review_id: i64, due_ms: i64) -> StoreResult<()> {
    app.store
        .write(move |tx| {
            begin_in(tx, review_id, due_ms)?;
            tx.finish_job(job_id)
        })
        .await?;
    app.wake_outbox();
    Ok(())
}

fn begin_in(tx: &mut Tx<'_>, review_id: i64, due_ms: i64) -> StoreResult<()> {
    let Some(review) = tx.review(review_id)? else {
        return Ok(());
    };
    if review.phase() != Phase::Scheduled {
        return Ok(());
    }
    let Some(session) = tx.session(review.session_id)? else {
        return Ok(());
    };
    let now = tx.now();
    let ends = now + SignedDuration::from_mins(review.reading_minutes);
    if !tx.start_review(review.id, &format_rfc3339(ends))? {
        return Ok(());
    }
    let late_from = (tx.now_ms() - due_ms > LATE_AFTER_MS)
        .then(|| Timestamp::from_millisecond(due_ms).ok())
        .flatten();
    let Some(review) = tx.review(review.id)? else {
        return Ok(());
    };
    let messages = copy(
        tx,
        &session,
        &review,
        ReadingState::Open {
            ends_at: ends,
            late_from,
        },
    )?;
    tx.enqueue(&Job::posts(
        &session.workspace(),
        &session.channel_id,
        &session.thread_ts,
        messages,
        Some(Then::ReadingMessage { review_id }),
    ))?;
    tx.enqueue(&Job::Export(ExportJob {
        session_id: session.id,
        format: ExportFormat::Canvas,
        user_id: review.created_by.clone(),
        channel_id: session.channel_id.clone(),
        response_url: None,
        step: Default::default(),
        reading: Some(ReadingCopy {
            review_id,
            version: review.version,
        }),
    }))?;
    let key = timer_key(review_id, "end");
    tx.enqueue_with(
        &Job::ReviewEnd {
            review_id,
            due_ms: ends.as_millisecond(),
        },
        Schedule {
            delay_ms: ends.as_millisecond() - tx.now_ms(),
            dedupe_key: Some(&key),
        },
    )?;
    tx.touch_session(session.id)?;
    root::refresh_in(tx, session.id, 0)
}

/// Ends silent reading of `review` (it must be reading): the comments to
/// post, grouped by section, and the reading copy's update queued. `None`
/// when it was not reading.
pub(crate) fn end_in(
    tx: &mut Tx<'_>,
    session: &Session,
    review: &Review,
    ended: EndedBy<'_>,
) -> StoreResult<Option<Vec<Value>>> {
    let by = match ended {
        EndedBy::User(u) => Some(u),
        _ => None,
    };
    if !tx.end_review(review.id, by)? {
        return Ok(None);
    }
    tx.cancel_pending(&timer_key(review.id, "end"))?;
    let comments = tx.review_comments(review.id)?;
    let Some(ended_review) = tx.review(review.id)? else {
        return Ok(None);
    };
    update_copy(tx, session, &ended_review)?;
    root::refresh_in(tx, session.id, 0)?;
    Ok(Some(comment_messages(
        session.id,
        &ended_review,
        &comments,
        ended,
    )))
}

/// Queues the `chat.update` that turns an ended review's reading copy's
/// buttons into *Comment* (late) and *Decide*, once its `ts` is known.
fn update_copy(tx: &mut Tx<'_>, session: &Session, review: &Review) -> StoreResult<()> {
    let (Some(ts), Some(at)) = (&review.reading_ts, &review.ended_at) else {
        return Ok(());
    };
    let state = ReadingState::Ended { at: at.clone() };
    let Some(mut first) = copy(tx, session, review, state)?.into_iter().next() else {
        return Ok(());
    };
    first["channel"] = json!(session.channel_id);
    first["ts"] = json!(ts);
    tx.enqueue(&Job::call(&session.workspace(), "chat.update", first))?;
    Ok(())
}

/// The reading copy of `review_id` was posted as `ts`: remembered, and
/// updated at once if reading ended meanwhile.
pub async fn copy_posted(app: &AppState, review_id: i64, ts: &str) -> StoreResult<()> {
    let ts = ts.to_string();
    app.store
        .write(move |tx| {
            tx.set_reading_ts(review_id, &ts)?;
            let Some(review) = tx.review(review_id)? else {
                return Ok(());
            };
            if review.phase() == Phase::Ended {
                if let Some(session) = tx.session(review.session_id)? {
                    update_copy(tx, &session, &review)?;
                }
            }
            Ok(())
        })
        .await?;
    app.wake_outbox();
    Ok(())
}

/// The timer `job_id`: reading of `review_id` is over (time up). Finishes
/// the job in the same write; nothing else when reading already ended.
pub async fn time_up(app: &AppState, job_id: i64, review_id: i64) -> StoreResult<()> {
    app.store
        .write(move |tx| {
            if let Some(review) = tx.review(review_id)? {
                if let Some(session) = tx.session(review.session_id)? {
                    if let Some(messages) = end_in(tx, &session, &review, EndedBy::Time)? {
                        tx.enqueue(&Job::posts(
                            &session.workspace(),
                            &session.channel_id,
                            &session.thread_ts,
                            messages,
                            None,
                        ))?;
                    }
                }
            }
            tx.finish_job(job_id)
        })
        .await?;
    app.wake_outbox();
    Ok(())
}

/// What ending reading by hand came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndOutcome {
    Ended {
        review_id: i64,
    },
    /// The review is scheduled, reading has not started.
    NotStarted {
        review_id: i64,
        scheduled_at: String,
    },
    /// No review is reading (it ended, or there is none).
    NotReading,
    /// Only the session's creator, the review's creator and its reviewers may.
    Refused {
        review_id: i64,
    },
    NoSession,
}

/// Ends reading for `user`: of review `review_id` (a button), or of the
/// session's open review (`/wb review end`).
pub async fn end_by(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    review_id: Option<i64>,
    user: &str,
) -> StoreResult<EndOutcome> {
    let (tenant, user) = (tenant.clone(), user.to_string());
    let outcome = app
        .store
        .write(move |tx| {
            let Some(session) = session_in(tx, &tenant, session_id)? else {
                return Ok(EndOutcome::NoSession);
            };
            let review = match review_id {
                Some(id) => tx.review(id)?.filter(|r| r.session_id == session.id),
                None => tx.open_review(session.id)?,
            };
            let Some(review) = review else {
                return Ok(EndOutcome::NotReading);
            };
            match review.phase() {
                Phase::Reading => {}
                Phase::Scheduled => {
                    return Ok(EndOutcome::NotStarted {
                        review_id: review.id,
                        scheduled_at: review.scheduled_at,
                    })
                }
                Phase::Ended | Phase::Canceled => return Ok(EndOutcome::NotReading),
            }
            if !review.may_end(&session.created_by, &user) {
                return Ok(EndOutcome::Refused {
                    review_id: review.id,
                });
            }
            let Some(messages) = end_in(tx, &session, &review, EndedBy::User(&user))? else {
                return Ok(EndOutcome::NotReading);
            };
            tx.enqueue(&Job::posts(
                &session.workspace(),
                &session.channel_id,
                &session.thread_ts,
                messages,
                None,
            ))?;
            Ok(EndOutcome::Ended {
                review_id: review.id,
            })
        })
        .await?;
    app.wake_outbox();
    Ok(outcome)
}

/// The timer `job_id`: `hours` before review `review_id`, the thread gets
/// the count of open questions. Skipped when the review was replaced,
/// cancelled or has started (a reminder run late after wb was down).
pub async fn nudge(app: &AppState, job_id: i64, review_id: i64, hours: i64) -> StoreResult<()> {
    app.store
        .write(move |tx| {
            if let Some(review) = tx.review(review_id)? {
                let ahead = review
                    .scheduled_at
                    .parse::<Timestamp>()
                    .is_ok_and(|at| at > tx.now());
                if review.phase() == Phase::Scheduled && ahead {
                    if let Some(session) = tx.session(review.session_id)? {
                        let open = tx.unresolved_count(session.id)?;
                        let mut note = nudge_note(&review, hours, open);
                        note["channel"] = json!(session.channel_id);
                        note["thread_ts"] = json!(session.thread_ts);
                        tx.enqueue(&Job::call(&session.workspace(), "chat.postMessage", note))?;
                    }
                }
            }
            tx.finish_job(job_id)
        })
        .await?;
    app.wake_outbox();
    Ok(())
}
