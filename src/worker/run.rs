//! One attempt of a job: the Web API call it owes (after waiting for its turn
//! at Slack's rate, `pace`), and the follow-up it records (through the use
//! cases) once Slack has answered.

use serde_json::Value;

use super::channel::{is_not_in_channel, join};
use super::recover::{post_once, JobRun};
use super::then::after;
use super::{export, home, pace, posts, purge, remind, start, timers, tokens};
use crate::app::AppState;
use crate::flows;
use crate::jobs::{Attempt, Failure, Job, Then};

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
        } => {
            let channel = body["channel"].as_str();
            let team = &run.workspace.team_id;
            if let Some(wait) = pace::gate(app, team, &pace::ticket(run.id), method, channel) {
                return wait;
            }
            call(app, run, job, method, body, then.as_ref(), *joined).await
        }
        Job::Respond { response_url, body } => match app.slack.respond(response_url, body).await {
            Ok(()) => Attempt::Done,
            Err(err) => Attempt::Failed(err.into()),
        },
        // The rarer jobs run boxed: the future of this function is as large
        // as its largest branch, and every attempt's task carries it.
        Job::Export(export) => Box::pin(export::run(app, run, export)).await,
        Job::RefreshRoot { session_id } => Box::pin(refresh_root(app, run, *session_id)).await,
        Job::ReviewStart { .. } | Job::ReviewEnd { .. } | Job::ReviewNudge { .. } => {
            Box::pin(timers::run(app, run.id, job)).await
        }
        Job::Posts { .. } => Box::pin(posts::run(app, run, job)).await,
        Job::PublishHome { user_id, .. } => Box::pin(home::run(app, &run.workspace, user_id)).await,
        Job::RefreshToken { install, .. } => Box::pin(tokens::run(app, run.id, install)).await,
        Job::Purge { scope, deleted } => Box::pin(purge::run(app, scope, *deleted)).await,
        Job::Remind { .. } => Box::pin(remind::fire(app, run, job)).await,
        Job::ReminderZone { .. } => Box::pin(remind::zone(app, run, job)).await,
    }
}

/// A [`Job::Call`]: the call (a post through [`post_once`]), then what it
/// owes afterwards; joins a public channel once when Slack says the bot is
/// not in it.
async fn call(
    app: &AppState,
    run: &JobRun,
    job: &Job,
    method: &str,
    body: &Value,
    then: Option<&Then>,
    joined: bool,
) -> Attempt {
    let answer = if method == "chat.postMessage" {
        post_once(app, run, body, None).await
    } else {
        app.slack
            .call(&run.workspace, method, body)
            .await
            .map_err(Failure::from)
    };
    match answer {
        Ok(answer) => match then {
            Some(next) => match after(app, next, &answer).await {
                Ok(()) => Attempt::Done,
                Err(failure) => Attempt::Failed(failure),
            },
            None => Attempt::Done,
        },
        Err(Failure::Slack(err)) if is_not_in_channel(&err) && !joined => {
            let channel = body["channel"].as_str().unwrap_or_default();
            match join(app, &run.workspace, channel).await {
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
    }
}

/// Renders the root message from the database now and updates it, after
/// any refresh of the same session already running (`turns`).
async fn refresh_root(app: &AppState, run: &JobRun, session_id: i64) -> Attempt {
    let _turn = run.roots.take(session_id).await;
    match flows::root::current(app, session_id).await {
        Ok(Some(body)) => {
            // One place in line per session: its refreshes replace each other.
            let ticket = format!("root:{session_id}");
            let (ws, channel) = (&run.workspace, body["channel"].as_str());
            if let Some(wait) = pace::gate(app, &ws.team_id, &ticket, "chat.update", channel) {
                return wait;
            }
            match app.slack.call(ws, "chat.update", &body).await {
                Ok(_) => Attempt::Done,
                Err(err) => Attempt::Failed(err.into()),
            }
        }
        // The session is gone: nothing to show.
        Ok(None) => Attempt::Done,
        Err(err) => Attempt::Failed(err.into()),
    }
}
