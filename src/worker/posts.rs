//! Posting several messages into a thread, in order, one per attempt: each
//! one Slack accepted is recorded in the job (`Attempt::Progress`), so a
//! retry or a restart goes on with the next; each is tagged with its place
//! in the job, so one posted just before a crash is found, not posted again.
//! A public channel the bot is not in is joined once.

use super::channel::{is_not_in_channel, join};
use super::pace;
use super::recover::{post_once, JobRun};
use super::then::after;
use crate::app::AppState;
use crate::jobs::{Attempt, Failure, Job};

pub async fn run(app: &AppState, run: &JobRun, job: &Job) -> Attempt {
    let Job::Posts {
        channel,
        thread_ts,
        messages,
        posted,
        then,
        joined,
        ..
    } = job
    else {
        return Attempt::Done;
    };
    let Some(message) = messages.get(*posted) else {
        return Attempt::Done;
    };
    let ticket = pace::ticket(run.id);
    let team = &run.workspace.team_id;
    if let Some(wait) = pace::gate(app, team, &ticket, "chat.postMessage", Some(channel)) {
        return wait;
    }
    let mut body = message.clone();
    body["channel"] = serde_json::json!(channel);
    body["thread_ts"] = serde_json::json!(thread_ts);
    match post_once(app, run, &body, Some(*posted)).await {
        Ok(answer) => {
            if *posted == 0 {
                if let Some(next) = then {
                    if let Err(failure) = after(app, next, &answer).await {
                        // Posted: record that much, and the follow-up is lost
                        // rather than posted twice.
                        tracing::warn!(%failure, "could not record a posted message's ts");
                    }
                }
            }
            if *posted + 1 >= messages.len() {
                return Attempt::Done;
            }
            let mut next = job.clone();
            if let Job::Posts { posted, .. } = &mut next {
                *posted += 1;
            }
            Attempt::Progress(next)
        }
        Err(Failure::Slack(err)) if is_not_in_channel(&err) && !joined => {
            match join(app, &run.workspace, channel).await {
                Ok(()) => {
                    let mut next = job.clone();
                    if let Job::Posts { joined, .. } = &mut next {
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
