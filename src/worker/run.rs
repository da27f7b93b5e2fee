//! One attempt of a job: the Web API call it owes, and the follow-up it
//! records (through the use cases) once Slack has answered.

use serde_json::Value;

use super::channel::{is_not_in_channel, join};
use super::recover::{post_once, JobRun};
use super::then::after;
use super::{export, home, posts, start, timers};
use crate::app::AppState;
use crate::flows;
use crate::jobs::{Attempt, Failure, Job};

/// Runs one attempt of `job`.
pub async fn run(app: &AppState, run: &JobRun, job: &Job) -> Attempt {
    match job {
        Job::StartSession { .. } => start::run(app, run, job).await,
        Job::Call {
            method,
            body,
            then,
            joined,
            ..
        } => match call(app, run, method, body).await {
            Ok(answer) => match then {
                Some(next) => match after(app, next, &answer).await {
                    Ok(()) => Attempt::Done,
                    Err(failure) => Attempt::Failed(failure),
                },
                None => Attempt::Done,
            },
            Err(Failure::Slack(err)) if is_not_in_channel(&err) && !joined => {
                let channel = body["channel"].as_str().unwrap_or_default();
                match join(app, channel).await {
                    Ok(()) => {
                        let mut next = job.clone();
                        if let Job::Call { joined, .. } = &mut next {
                            *joined = true;
                        }
                        Attempt::Progress(next)
                    }
                    Err(_) => Attempt::Failed(err.into()),
                }
            }
            Err(failure) => Attempt::Failed(failure),
        },
        Job::Respond { response_url, body } => match app.slack.respond(response_url, body).await {
            Ok(()) => Attempt::Done,
            Err(err) => Attempt::Failed(err.into()),
        },
        Job::Export(export) => export::run(app, run, export).await,
        Job::RefreshRoot { session_id } => refresh_root(app, *session_id).await,
        Job::ReviewStart { .. } | Job::ReviewEnd { .. } | Job::ReviewNudge { .. } => {
            timers::run(app, run.id, job).await
        }
        Job::Posts { .. } => posts::run(app, run, job).await,
        Job::PublishHome { team_id, user_id } => home::run(app, team_id, user_id).await,
    }
}

/// One Web API call; a post goes through [`post_once`].
async fn call(app: &AppState, run: &JobRun, method: &str, body: &Value) -> Result<Value, Failure> {
    if method == "chat.postMessage" {
        post_once(app, run, body, None).await
    } else {
        Ok(app.slack.call(method, body).await?)
    }
}

/// Renders the root message from the database now and updates it.
async fn refresh_root(app: &AppState, session_id: i64) -> Attempt {
    match flows::root::current(app, session_id).await {
        Ok(Some(body)) => match app.slack.call("chat.update", &body).await {
            Ok(_) => Attempt::Done,
            Err(err) => Attempt::Failed(err.into()),
        },
        // The session is gone: nothing to show.
        Ok(None) => Attempt::Done,
        Err(err) => Attempt::Failed(err.into()),
    }
}
