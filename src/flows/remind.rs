//! Reminders that nudge a session's thread: `/wb remind now` posts the digest
//! of open questions at once; `/wb remind daily HH:MM` stores the reminder
//! and asks (through the outbox) for the setter's time zone, then schedules
//! the digest as a durable job; each due job posts the digest (if anything is
//! open) and schedules the next one in the write that finishes it, so a
//! reminder fires once, across restarts too. A reminder wb was down for is
//! still sent at start when under an hour late, otherwise skipped.

use crate::app::AppState;
use crate::domain::remind::{lateness, next_due, zone, Lateness, TimeOfDay, DIGEST_SIZE};
use crate::domain::session::Session;
use crate::jobs::Job;
use crate::store::outbox::Schedule;
use crate::store::reminders::Reminder;
use crate::store::{StoreResult, Tx};
use crate::views::remind::{daily_set, digest, Occasion};

/// The outbox keys of a session's pending reminder jobs.
fn remind_key(session_id: i64) -> String {
    format!("remind:{session_id}")
}

fn zone_key(session_id: i64) -> String {
    format!("remind-zone:{session_id}")
}

/// Queues the digest of `session`'s open questions in its thread; the
/// number shown and open, `(0, 0)` (nothing queued) when nothing is open.
fn queue_digest(
    tx: &mut Tx<'_>,
    session: &Session,
    occasion: Occasion,
) -> StoreResult<(usize, i64)> {
    let questions = tx.unresolved_questions(session.id, DIGEST_SIZE as i64)?;
    if questions.is_empty() {
        return Ok((0, 0));
    }
    let open = tx.unresolved_count(session.id)?;
    let text = digest(session.id, &session.title, &questions, open, occasion);
    tx.enqueue(&Job::post_in_thread(
        &session.workspace(),
        &session.channel_id,
        &session.thread_ts,
        &text,
    ))?;
    Ok((questions.len(), open))
}

/// `/wb remind now`: the digest, queued now. `(shown, open)`; `(0, 0)` when
/// nothing is open (nothing is posted).
pub async fn now(app: &AppState, session: &Session) -> StoreResult<(usize, i64)> {
    let session = session.clone();
    let queued = app
        .store
        .write(move |tx| queue_digest(tx, &session, Occasion::Asked))
        .await?;
    if queued.0 > 0 {
        app.wake_outbox();
    }
    Ok(queued)
}

/// `/wb remind daily HH:MM` by `user`: stores the reminder (replacing any)
/// and queues the time-zone lookup that schedules it (`session` is the
/// caller's, found through their tenant).
pub async fn set_daily(
    app: &AppState,
    session: &Session,
    at: TimeOfDay,
    user: &str,
    response_url: Option<&str>,
) -> StoreResult<()> {
    let (session_id, channel) = (session.id, session.channel_id.clone());
    let workspace = session.workspace();
    let (user, response_url) = (user.to_string(), response_url.map(str::to_string));
    app.store
        .write(move |tx| {
            let at_time = at.to_string();
            let generation = tx.set_reminder(session_id, &at_time, &user)?;
            tx.cancel_pending(&remind_key(session_id))?;
            tx.cancel_pending(&zone_key(session_id))?;
            let key = zone_key(session_id);
            tx.enqueue_with(
                &Job::ReminderZone {
                    session_id,
                    generation,
                    user_id: user.clone(),
                    channel_id: channel.clone(),
                    response_url: response_url.clone(),
                    at_time,
                    workspace: workspace.clone(),
                },
                Schedule {
                    delay_ms: 0,
                    dedupe_key: Some(&key),
                },
            )?;
            Ok(())
        })
        .await?;
    app.wake_outbox();
    Ok(())
}

/// `/wb remind off` on the caller's `session`: true when a reminder was on.
pub async fn off(app: &AppState, session: &Session) -> StoreResult<bool> {
    let session_id = session.id;
    app.store
        .write(move |tx| {
            let was_on = tx.stop_reminder(session_id)?;
            tx.cancel_pending(&remind_key(session_id))?;
            tx.cancel_pending(&zone_key(session_id))?;
            Ok(was_on)
        })
        .await
}

/// The caller's `session`'s reminder, if one is on.
pub async fn current(app: &AppState, session: &Session) -> StoreResult<Option<Reminder>> {
    let session_id = session.id;
    let found = app.store.read(move |tx| tx.reminder(session_id)).await?;
    Ok(found.filter(|r| r.enabled))
}

/// "Tue 2026-12-01 09:30 Europe/Paris".
pub fn show_time(at_ms: i64, tz_name: &str) -> String {
    let tz = zone(tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(at_ms)
        .map(|t| t.to_zoned(tz).strftime("%a %Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The time zone of reminder `generation` of session `session_id` is
/// known (`tz`, `None` when Slack gave none: UTC): the first digest is
/// scheduled, the setter told, and job `job_id` finished, in one write.
/// False when the reminder changed meanwhile (the job is finished anyway).
pub async fn zone_found(
    app: &AppState,
    job_id: i64,
    session_id: i64,
    generation: i64,
    tz: Option<String>,
    tell: impl Fn(&str) -> Job + Send + 'static,
) -> StoreResult<bool> {
    let scheduled = app
        .store
        .write(move |tx| {
            let (zone_name, guessed, tz) = match tz.as_deref().and_then(|n| zone(n).map(|z| (n, z)))
            {
                Some((name, z)) => (name.to_string(), false, z),
                None => ("UTC".to_string(), true, jiff::tz::TimeZone::UTC),
            };
            let reminder = tx.reminder(session_id)?;
            let session = tx.session(session_id)?;
            let (Some(reminder), Some(session)) = (reminder, session) else {
                tx.finish_job(job_id)?;
                return Ok(false);
            };
            let Ok(at) = TimeOfDay::parse(&reminder.at_time) else {
                tx.finish_job(job_id)?;
                return Ok(false);
            };
            let due = next_due(tx.now(), at, &tz).as_millisecond();
            if !tx.reminder_zone(session_id, generation, &zone_name, due)? {
                tx.finish_job(job_id)?;
                return Ok(false);
            }
            schedule(tx, &session, generation, due)?;
            let text = daily_set(
                session.id,
                &session.title,
                &reminder.at_time,
                &zone_name,
                guessed,
                &show_time(due, &zone_name),
            );
            tx.enqueue(&tell(&text))?;
            tx.finish_job(job_id)?;
            Ok(true)
        })
        .await?;
    app.wake_outbox();
    Ok(scheduled)
}

/// The next digest of `session`, due at `due_ms` (it names the session's
/// workspace, whose token posts it).
fn schedule(tx: &mut Tx<'_>, session: &Session, generation: i64, due_ms: i64) -> StoreResult<()> {
    let key = remind_key(session.id);
    tx.enqueue_with(
        &Job::Remind {
            session_id: session.id,
            due_ms,
            generation,
            workspace: session.workspace(),
        },
        Schedule {
            delay_ms: due_ms - tx.now_ms(),
            dedupe_key: Some(&key),
        },
    )?;
    Ok(())
}

/// What a due reminder came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fired {
    /// The digest of `shown` of `open` questions is queued.
    Posted {
        shown: usize,
        open: i64,
        late_minutes: Option<i64>,
    },
    /// Nothing is open: nothing posted.
    NothingOpen,
    /// Too late after downtime: skipped.
    Skipped { late_minutes: i64 },
    /// The reminder was changed or stopped since this job was queued.
    Replaced,
}

/// Reminder job `job_id` (due at `due_ms`, of `generation`) runs: the digest
/// is queued unless nothing is open or it is an hour late, the next one is
/// scheduled, and the job finished — all in one write.
pub async fn fire(
    app: &AppState,
    job_id: i64,
    session_id: i64,
    due_ms: i64,
    generation: i64,
) -> StoreResult<Fired> {
    let fired = app
        .store
        .write(move |tx| {
            let reminder = tx.reminder(session_id)?;
            let session = tx.session(session_id)?;
            let current = reminder.filter(|r| r.enabled && r.generation == generation);
            let (Some(reminder), Some(session)) = (current, session) else {
                tx.finish_job(job_id)?;
                return Ok(Fired::Replaced);
            };
            let (Ok(at), Some(tz)) = (
                TimeOfDay::parse(&reminder.at_time),
                reminder.tz.as_deref().and_then(zone),
            ) else {
                tx.finish_job(job_id)?;
                return Ok(Fired::Replaced);
            };
            let fired = match lateness(due_ms, tx.now_ms()) {
                Lateness::Skip { minutes } => Fired::Skipped {
                    late_minutes: minutes,
                },
                other => {
                    let late_minutes = match other {
                        Lateness::Late { minutes } => Some(minutes),
                        _ => None,
                    };
                    match queue_digest(tx, &session, Occasion::Daily { late_minutes })? {
                        (0, _) => Fired::NothingOpen,
                        (shown, open) => Fired::Posted {
                            shown,
                            open,
                            late_minutes,
                        },
                    }
                }
            };
            let next = next_due(tx.now(), at, &tz).as_millisecond();
            tx.reminder_next(session_id, generation, next)?;
            schedule(tx, &session, generation, next)?;
            tx.finish_job(job_id)?;
            Ok(fired)
        })
        .await?;
    app.wake_outbox();
    Ok(fired)
}
