//! Reminder jobs: the setter's time zone (`users.info`, paced and retried
//! like any call), and the due daily reminder, which the use case turns into
//! the digest's post (a `chat.postMessage` job of its own: paced, posted
//! exactly once) and the next reminder in the write that finishes the job.

use serde_json::json;

use super::pace;
use super::recover::JobRun;
use crate::app::AppState;
use crate::flows::remind::{self, Fired};
use crate::jobs::{Attempt, Job};
use crate::webapi::users;

/// `Job::ReminderZone`: look the time zone up (with the token of the
/// session's workspace), then schedule and confirm.
pub async fn zone(app: &AppState, run: &JobRun, job: &Job) -> Attempt {
    let Job::ReminderZone {
        session_id,
        generation,
        user_id,
        channel_id,
        response_url,
        ..
    } = job
    else {
        return Attempt::Done;
    };
    let (id, ws) = (run.id, &run.workspace);
    if let Some(wait) = pace::gate(app, &ws.team_id, &pace::ticket(id), "users.info", None) {
        return wait;
    }
    let tz = match users::info(&app.slack, ws, user_id).await {
        Ok(info) => info.tz,
        Err(err) => return Attempt::Failed(err.into()),
    };
    let (url, channel, user) = (response_url.clone(), channel_id.clone(), user_id.clone());
    let ws = ws.clone();
    let tell = move |text: &str| match &url {
        Some(url) => Job::respond_ephemeral(url, text),
        None => Job::call(
            &ws,
            "chat.postEphemeral",
            json!({"channel": channel, "user": user, "text": text}),
        ),
    };
    match remind::zone_found(app, id, *session_id, *generation, tz, tell).await {
        Ok(true) => {
            tracing::info!(session = session_id, "daily reminder scheduled");
            Attempt::Finished
        }
        Ok(false) => {
            tracing::info!(
                session = session_id,
                "a reminder changed before its time zone came back"
            );
            Attempt::Finished
        }
        Err(err) => Attempt::Failed(err.into()),
    }
}

/// `Job::Remind`: the due digest and the next reminder, in one write.
pub async fn fire(app: &AppState, run: &JobRun, job: &Job) -> Attempt {
    let Job::Remind {
        session_id,
        due_ms,
        generation,
        ..
    } = job
    else {
        return Attempt::Done;
    };
    match remind::fire(app, run.id, *session_id, *due_ms, *generation).await {
        Ok(fired) => {
            match fired {
                Fired::Posted {
                    shown,
                    open,
                    late_minutes,
                } => {
                    tracing::info!(
                        session = session_id,
                        shown,
                        open,
                        ?late_minutes,
                        "daily reminder posted"
                    )
                }
                Fired::NothingOpen => {
                    tracing::info!(
                        session = session_id,
                        "daily reminder: nothing open, nothing posted"
                    )
                }
                Fired::Skipped { late_minutes } => tracing::warn!(
                    session = session_id,
                    late_minutes,
                    "daily reminder skipped: wb was down at its time and it is over an hour late"
                ),
                Fired::Replaced => {
                    tracing::debug!(session = session_id, "a replaced reminder job did nothing")
                }
            }
            Attempt::Finished
        }
        Err(err) => Attempt::Failed(err.into()),
    }
}
