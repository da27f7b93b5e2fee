//! Sessions: starting one (its number is reserved and its root message owed
//! in one write, before the user is answered), storing it once Slack has
//! accepted the root message, and finding the session a command or a button
//! means.

use super::draft;
use crate::app::backlog::Hold;
use crate::app::AppState;
use crate::domain::draft::DraftFields;
use crate::domain::session::{NewSession, Session, SessionSummary, Title};
use crate::domain::tenant::{Tenant, Workspace};
use crate::jobs::Job;
use crate::store::StoreResult;

/// What starting a session needs.
#[derive(Debug, Clone)]
pub struct Start {
    pub team_id: String,
    /// The Enterprise Grid org of `team_id`, when it has one.
    pub enterprise_id: Option<String>,
    pub channel_id: String,
    pub user_id: String,
    pub title: Title,
    pub response_url: Option<String>,
    pub first_draft: Option<DraftFields>,
}

/// Reserves the session's number and queues its root message in one write;
/// returns the number. While the outbox is behind, the command is held first
/// (back-pressure, [`crate::app::backlog`]).
pub async fn start(app: &AppState, start: Start) -> StoreResult<i64> {
    if let Hold::Held(waited) = app.backlog.hold(|| app.clock.unix_ms()).await {
        app.metrics.backlog_held();
        tracing::debug!(
            waited_ms = waited.as_millis() as u64,
            "held a new session: the outbox is behind"
        );
    }
    // The start job goes straight to the worker when it has room
    // (`AppState::write_handing`).
    let (number, job_id) = app
        .write_handing(move |tx| {
            let number = tx.reserve_session_id()?;
            let draft = start
                .first_draft
                .clone()
                .filter(|d| !d.is_empty())
                .map(Box::new);
            let job = tx.enqueue(&Job::StartSession {
                team_id: start.team_id.clone(),
                enterprise_id: start.enterprise_id.clone(),
                channel_id: start.channel_id.clone(),
                user_id: start.user_id.clone(),
                title: start.title.as_str().to_string(),
                response_url: start.response_url.clone(),
                joined: false,
                posted_ts: None,
                first_draft: draft,
                session_id: Some(number),
            })?;
            Ok((number, job))
        })
        .await?;
    app.backlog.queued(job_id, app.clock.unix_ms());
    Ok(number)
}

/// A number for a start job queued by an older wb, which reserved none.
pub async fn reserve_number(app: &AppState) -> StoreResult<i64> {
    app.store.write(|tx| tx.reserve_session_id()).await
}

/// Stores a session whose root message Slack accepted, its first draft
/// (which the root message already shows) and the start job's completion,
/// in one write. Idempotent on the session's number and its root ts.
pub async fn record_started(
    app: &AppState,
    job_id: i64,
    number: i64,
    new: NewSession,
    first_draft: Option<DraftFields>,
) -> StoreResult<Session> {
    let (stored, pending) = app
        .store
        .write(move |tx| {
            let session = tx.insert_session(Some(number), &new)?;
            if let Some(fields) = &first_draft {
                draft::save_first_in(tx, &session, &new.created_by, fields)?;
            }
            tx.finish_job(job_id)?;
            Ok((session, tx.queued_pending()))
        })
        .await?;
    // A finished job needs no look at the table; a job it queued does.
    if pending {
        app.wake_outbox();
    }
    Ok(stored)
}

/// Session `id`, if it belongs to `tenant`'s installation (another
/// workspace's is as good as absent).
pub async fn owned(app: &AppState, tenant: &Tenant, id: i64) -> StoreResult<Option<Session>> {
    let found = app.store.read(move |tx| tx.session(id)).await?;
    Ok(found.filter(|s| tenant.owns_workspace(&s.workspace())))
}

/// The workspace session `id`'s work is for (none when it is gone).
pub async fn workspace_of(app: &AppState, id: i64) -> StoreResult<Workspace> {
    let found = app.store.read(move |tx| tx.session(id)).await?;
    Ok(found.map(|s| s.workspace()).unwrap_or_default())
}

/// The channel's most recently active session.
pub async fn current_in_channel(
    app: &AppState,
    team: &str,
    channel: &str,
) -> StoreResult<Option<Session>> {
    let (team, channel) = (team.to_string(), channel.to_string());
    app.store
        .read(move |tx| tx.latest_session_in_channel(&team, &channel))
        .await
}

/// Session `id` of `tenant`, or the channel's current one without an id.
pub async fn find(
    app: &AppState,
    tenant: &Tenant,
    channel: &str,
    id: Option<i64>,
) -> StoreResult<Option<Session>> {
    match id {
        Some(id) => owned(app, tenant, id).await,
        None => current_in_channel(app, &tenant.team_id, channel).await,
    }
}

/// The session a root-message button belongs to: the message it sits on, or
/// the session number carried in the button's value (same installation only).
pub async fn of_button(
    app: &AppState,
    tenant: &Tenant,
    channel: Option<&str>,
    message_ts: Option<&str>,
    value: Option<&str>,
) -> StoreResult<Option<Session>> {
    let (channel, message_ts) = (channel.map(str::to_string), message_ts.map(str::to_string));
    // The meeting's buttons carry "session:review".
    let number = value.and_then(|v| v.split(':').next()?.trim().parse::<i64>().ok());
    let found = app
        .store
        .read(move |tx| {
            if let (Some(channel), Some(ts)) = (&channel, &message_ts) {
                if let Some(session) = tx.session_by_thread(channel, ts)? {
                    return Ok(Some(session));
                }
            }
            match number {
                Some(id) => tx.session(id),
                None => Ok(None),
            }
        })
        .await?;
    Ok(found.filter(|s| tenant.owns_workspace(&s.workspace())))
}

/// The session of `tenant` whose thread is `thread_ts` in `channel`.
pub async fn by_thread(
    app: &AppState,
    tenant: &Tenant,
    channel: &str,
    thread_ts: &str,
) -> StoreResult<Option<Session>> {
    let (channel, thread_ts) = (channel.to_string(), thread_ts.to_string());
    let found = app
        .store
        .read(move |tx| tx.session_by_thread(&channel, &thread_ts))
        .await?;
    Ok(found.filter(|s| tenant.owns_workspace(&s.workspace())))
}

/// A channel's sessions with counts, most recently active first.
pub async fn in_channel(
    app: &AppState,
    team: &str,
    channel: &str,
    limit: i64,
) -> StoreResult<Vec<SessionSummary>> {
    let (team, channel) = (team.to_string(), channel.to_string());
    app.store
        .read(move |tx| tx.channel_sessions(&team, &channel, limit))
        .await
}
