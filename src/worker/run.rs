//! One attempt of a job: the Web API call it owes, and the follow-up it
//! records (through the use cases) once Slack has answered.

use serde_json::Value;

use super::channel::{is_not_in_channel, join};
use super::{export, remind, start};
use crate::app::AppState;
use crate::flows;
use crate::jobs::{Attempt, Failure, Job, Then};

/// Runs one attempt of job `id`.
pub async fn run(app: &AppState, id: i64, job: &Job) -> Attempt {
    match job {
        Job::StartSession { .. } => start::run(app, id, job).await,
        Job::Call {
            method,
            body,
            then,
            joined,
            ..
        } => match app.slack.call(method, body).await {
            Ok(answer) => match then {
                Some(next) => match after(app, next, &answer).await {
                    Ok(()) => Attempt::Done,
                    Err(failure) => Attempt::Failed(failure),
                },
                None => Attempt::Done,
            },
            Err(err) if is_not_in_channel(&err) && !joined => {
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
            Err(err) => Attempt::Failed(err.into()),
        },
        Job::Respond { response_url, body } => match app.slack.respond(response_url, body).await {
            Ok(()) => Attempt::Done,
            Err(err) => Attempt::Failed(err.into()),
        },
        Job::Export(export) => export::run(app, export).await,
        Job::RefreshRoot { session_id } => refresh_root(app, *session_id).await,
        Job::Remind { .. } => remind::fire(app, id, job).await,
        Job::ReminderZone { .. } => remind::zone(app, id, job).await,
    }
}

async fn after(app: &AppState, next: &Then, answer: &Value) -> Result<(), Failure> {
    match next {
        Then::QuestionMessage { question_id } => {
            if let Some(ts) = answer["ts"].as_str() {
                flows::ask::posted(app, *question_id, ts).await?;
            }
            Ok(())
        }
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
