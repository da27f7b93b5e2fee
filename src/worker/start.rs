//! Starting a session: post its root message (joining a public channel first
//! if Slack says the bot is not in it), then store the session through the
//! use case. The posted `ts` is kept as progress when the write fails, so a
//! retry never posts the root message twice.

use super::channel::{is_not_in_channel, join};
use super::pace;
use super::recover::{post_message_once, JobRun};
use crate::app::AppState;
use crate::domain::draft::DraftFields;
use crate::domain::session::{NewSession, Title};
use crate::flows;
use crate::jobs::{Attempt, Failure, Job};
use crate::views::root::{root_message, RootStatus};
use crate::webapi::ApiError;

/// What a new session's root message shows: its first draft, if any.
fn first_status(first_draft: Option<&DraftFields>) -> RootStatus {
    let fields = first_draft
        .map(|f| f.clone().normalized())
        .filter(|f| !f.is_empty());
    RootStatus {
        drafts: i64::from(fields.is_some()),
        headline: fields.as_ref().and_then(|f| f.headline.clone()),
        subheadline: fields.as_ref().and_then(|f| f.subheadline.clone()),
        ..RootStatus::default()
    }
}

pub async fn run(app: &AppState, run: &JobRun, job: &Job) -> Attempt {
    let Job::StartSession {
        team_id,
        enterprise_id,
        channel_id,
        user_id,
        title,
        joined,
        posted_ts,
        first_draft,
        session_id,
        ..
    } = job
    else {
        return Attempt::Done;
    };
    let Ok(parsed) = Title::parse(title) else {
        return Attempt::Failed(ApiError::Permanent("invalid_title".into()).into());
    };
    let Some(number) = *session_id else {
        // Queued by an older wb: reserve the number now, then post.
        return match flows::session::reserve_number(app).await {
            Ok(reserved) => {
                let mut next = job.clone();
                if let Job::StartSession { session_id, .. } = &mut next {
                    *session_id = Some(reserved);
                }
                Attempt::Progress(next)
            }
            Err(err) => Attempt::Failed(err.into()),
        };
    };
    let ts = match posted_ts {
        Some(ts) => ts.clone(),
        None => {
            if let Some(wait) = pace::gate(
                app,
                &run.workspace.team_id,
                &pace::ticket(run.id),
                "chat.postMessage",
                Some(channel_id),
            ) {
                return wait;
            }
            let status = first_status(first_draft.as_deref());
            let message = root_message(title, user_id, Some(number), &status);
            match post_message_once(app, run, channel_id, None, &message, None).await {
                Ok(answer) => match answer["ts"].as_str() {
                    Some(ts) => ts.to_string(),
                    None => {
                        return Attempt::Failed(
                            ApiError::Unknown("chat.postMessage answered without a ts".into())
                                .into(),
                        )
                    }
                },
                Err(Failure::Slack(err)) if is_not_in_channel(&err) && !joined => {
                    return match join(app, &run.workspace, channel_id).await {
                        Ok(()) => {
                            let mut next = job.clone();
                            if let Job::StartSession { joined, .. } = &mut next {
                                *joined = true;
                            }
                            Attempt::Progress(next)
                        }
                        Err(_) => Attempt::Failed(err.into()),
                    };
                }
                Err(failure) => return Attempt::Failed(failure),
            }
        }
    };
    let new = NewSession {
        team_id: team_id.clone(),
        enterprise_id: enterprise_id.clone(),
        channel_id: channel_id.clone(),
        thread_ts: ts.clone(),
        title: parsed,
        created_by: user_id.clone(),
    };
    let draft = first_draft.as_deref().cloned();
    match flows::session::record_started(app, run.id, number, new, draft).await {
        Ok(session) => {
            tracing::info!(session = session.id, channel = %channel_id, "session started");
            Attempt::Finished
        }
        Err(err) if posted_ts.is_some() => Attempt::Failed(err.into()),
        Err(err) => {
            tracing::warn!(%err, "could not store a started session; keeping its root ts");
            // Keep the posted ts, so the retry stores the session without
            // posting its root message twice.
            let mut next = job.clone();
            if let Job::StartSession { posted_ts, .. } = &mut next {
                *posted_ts = Some(ts);
            }
            Attempt::Progress(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::tag::{write_addressed, Addressed};

    /// The reference program of the load benchmark (`bench/`, workref) posts
    /// the same root message: when this one changes, so must the fixture and
    /// workref (`bench/src/bin/workref/slack.rs`).
    #[test]
    fn a_new_sessions_root_message_is_the_benchmarks_fixture() {
        let fixture = include_str!("../../bench/fixtures/root_message.json");
        let message = root_message(
            "Bench thread session",
            "U2147483697",
            Some(1),
            &first_status(None),
        );
        let body = Addressed {
            channel: "C2147483705",
            thread_ts: None,
            body: &message,
        };
        let json = serde_json::to_string(&body).expect("serializes");
        // What is posted: the same, written by hand.
        let mut posted = b"{".to_vec();
        write_addressed(&mut posted, "C2147483705", None, &message).expect("writes");
        posted.push(b'}');
        assert_eq!(
            String::from_utf8(posted).ok().as_deref(),
            Some(json.as_str())
        );
        assert_eq!(json, fixture.trim_end());
    }
}
