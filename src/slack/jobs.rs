//! The Web API actions wb owes its users, as durable jobs. A job is written to
//! the outbox (with the content it is about) before it is attempted; the worker
//! in `outbox.rs` runs it, retries transient failures and, when it finally gives
//! up, tells the user where Slack lets us.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::ApiError;
use super::export_job::{self, ExportJob};
use super::views::root::{root_message, RootStatus};
use crate::app::AppState;
use crate::domain::draft::DraftFields;
use crate::domain::now_rfc3339;
use crate::domain::session::{NewSession, Title};
use crate::slack::interactions::draft::save_first_draft_in;
use crate::store::Store;

/// Who to tell when a job fails for good, and what it was for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notify {
    pub user_id: String,
    pub channel_id: String,
    #[serde(default)]
    pub thread_ts: Option<String>,
    #[serde(default)]
    pub response_url: Option<String>,
    /// Completes "I couldn't …", e.g. "post your question in the thread".
    pub what: String,
}

/// Work to do after a call succeeded, with what Slack returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "then", rename_all = "snake_case")]
pub enum Then {
    /// The bot posted a question into the thread: remember that message, so a
    /// 👍 on it votes for the question.
    QuestionMessage { question_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Post a new session's root message, then store the session with its `ts`.
    StartSession {
        team_id: String,
        channel_id: String,
        user_id: String,
        title: String,
        #[serde(default)]
        response_url: Option<String>,
        /// Set once `conversations.join` succeeded, so we join at most once.
        #[serde(default)]
        joined: bool,
        /// Set once Slack accepted the post, so a retry never posts twice.
        #[serde(default)]
        posted_ts: Option<String>,
        /// A first draft from the new-session modal, stored as version 1.
        #[serde(default)]
        first_draft: Option<Box<DraftFields>>,
        /// The session's number, reserved when the job was queued, so the
        /// root message shows it (and its buttons carry it) from the start.
        #[serde(default)]
        session_id: Option<i64>,
    },
    /// One Web API method with a JSON body.
    Call {
        method: String,
        body: Value,
        #[serde(default)]
        notify: Option<Notify>,
        #[serde(default)]
        then: Option<Then>,
        #[serde(default)]
        joined: bool,
    },
    /// A message sent to an interaction's `response_url`.
    Respond { response_url: String, body: Value },
    /// Export a session's doc set into its thread (file or canvas), in steps.
    Export(ExportJob),
}

impl Job {
    /// A Web API call with nothing to do afterwards.
    pub fn call(method: &str, body: Value) -> Self {
        Self::Call {
            method: method.to_string(),
            body,
            notify: None,
            then: None,
            joined: false,
        }
    }

    pub fn with_notify(mut self, who: Notify) -> Self {
        if let Self::Call { notify, .. } = &mut self {
            *notify = Some(who);
        }
        self
    }

    pub fn with_then(mut self, next: Then) -> Self {
        if let Self::Call { then, .. } = &mut self {
            *then = Some(next);
        }
        self
    }

    /// An ephemeral message through a `response_url`.
    pub fn respond_ephemeral(response_url: &str, text: &str) -> Self {
        Self::Respond {
            response_url: response_url.to_string(),
            body: json!({"response_type": "ephemeral", "replace_original": false, "text": text}),
        }
    }

    /// What the job is, for logs (never its content).
    pub fn label(&self) -> String {
        match self {
            Self::StartSession { channel_id, .. } => format!("start_session in {channel_id}"),
            Self::Call { method, .. } => method.clone(),
            Self::Respond { .. } => "response_url".into(),
            Self::Export(job) => job.label(),
        }
    }
}

/// The result of one attempt.
#[derive(Debug)]
pub enum Attempt {
    Done,
    /// Done, and already marked so in the write that stored its result.
    Finished,
    /// The job made durable progress and should run again at once.
    Progress(Job),
    Failed(ApiError),
}

/// Runs one attempt of job `id`.
pub async fn run(state: &AppState, id: i64, job: &Job) -> Attempt {
    match job {
        Job::StartSession { .. } => start_session(state, id, job).await,
        Job::Call {
            method,
            body,
            then,
            joined,
            ..
        } => match state.slack.call(method, body).await {
            Ok(answer) => {
                if let Some(next) = then {
                    if let Err(err) = after(state, next, &answer).await {
                        return Attempt::Failed(ApiError::Transient(format!(
                            "storing the result: {err}"
                        )));
                    }
                }
                Attempt::Done
            }
            Err(err) if is_not_in_channel(&err) && !joined => {
                let channel = body["channel"].as_str().unwrap_or_default();
                match join(state, channel).await {
                    Ok(()) => {
                        let mut next = job.clone();
                        if let Job::Call { joined, .. } = &mut next {
                            *joined = true;
                        }
                        Attempt::Progress(next)
                    }
                    Err(_) => Attempt::Failed(err),
                }
            }
            Err(err) => Attempt::Failed(err),
        },
        Job::Respond { response_url, body } => {
            match state.slack.respond(response_url, body).await {
                Ok(()) => Attempt::Done,
                Err(err) => Attempt::Failed(err),
            }
        }
        Job::Export(export) => export_job::run(state, export).await,
    }
}

async fn after(state: &AppState, next: &Then, answer: &Value) -> anyhow::Result<()> {
    match next {
        Then::QuestionMessage { question_id } => {
            if let Some(ts) = answer["ts"].as_str() {
                state.store.set_question_message(*question_id, ts).await?;
            }
            Ok(())
        }
    }
}

fn is_not_in_channel(err: &ApiError) -> bool {
    matches!(err.code(), Some("not_in_channel"))
}

/// Joins a public channel (needs `channels:join`); fails for private channels.
async fn join(state: &AppState, channel: &str) -> Result<(), ApiError> {
    if channel.is_empty() {
        return Err(ApiError::Permanent("not_in_channel".into()));
    }
    state
        .slack
        .call("conversations.join", &json!({"channel": channel}))
        .await
        .map(|_| ())
}

/// Queues a new session's start: reserves its number and writes the job in
/// one write, before the command or form is acknowledged.
pub async fn queue_start(state: &AppState, job: Job) -> anyhow::Result<()> {
    state
        .store
        .write(move |conn| {
            let mut job = job.clone();
            if let Job::StartSession { session_id, .. } = &mut job {
                *session_id = Some(Store::reserve_session_id_in(conn)?);
            }
            AppState::enqueue_in(conn, &job)
        })
        .await?;
    state.wake_outbox();
    Ok(())
}

/// What a new session's root message shows: its first draft, if any.
fn first_status(first_draft: Option<&DraftFields>) -> RootStatus {
    let fields = first_draft
        .map(|f| f.clone().normalized())
        .filter(|f| !f.is_empty());
    RootStatus {
        drafts: i64::from(fields.is_some()),
        headline: fields.as_ref().and_then(|f| f.headline.clone()),
        subheadline: fields.as_ref().and_then(|f| f.subheadline.clone()),
        questions: 0,
    }
}

async fn start_session(state: &AppState, id: i64, job: &Job) -> Attempt {
    let Job::StartSession {
        team_id,
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
        return Attempt::Failed(ApiError::Permanent("invalid_title".into()));
    };
    let Some(session_id) = *session_id else {
        // Queued by an older wb: reserve the number now, then post.
        let mut next = job.clone();
        let reserved = state
            .store
            .write(|conn| Ok(Store::reserve_session_id_in(conn)?))
            .await;
        return match reserved {
            Ok(reserved) => {
                if let Job::StartSession { session_id, .. } = &mut next {
                    *session_id = Some(reserved);
                }
                Attempt::Progress(next)
            }
            Err(err) => Attempt::Failed(ApiError::Transient(format!(
                "reserving a session number: {err:#}"
            ))),
        };
    };
    let ts = match posted_ts {
        Some(ts) => ts.clone(),
        None => {
            let status = first_status(first_draft.as_deref());
            let mut body = root_message(title, user_id, Some(session_id), &status);
            body["channel"] = json!(channel_id);
            match state.slack.call("chat.postMessage", &body).await {
                Ok(answer) => match answer["ts"].as_str() {
                    Some(ts) => ts.to_string(),
                    None => {
                        return Attempt::Failed(ApiError::Transient(
                            "chat.postMessage answered without a ts".into(),
                        ))
                    }
                },
                Err(err) if is_not_in_channel(&err) && !joined => {
                    return match join(state, channel_id).await {
                        Ok(()) => {
                            let mut next = job.clone();
                            if let Job::StartSession { joined, .. } = &mut next {
                                *joined = true;
                            }
                            Attempt::Progress(next)
                        }
                        Err(_) => Attempt::Failed(err),
                    };
                }
                Err(err) => return Attempt::Failed(err),
            }
        }
    };
    let new = NewSession {
        team_id: team_id.clone(),
        channel_id: channel_id.clone(),
        thread_ts: ts.clone(),
        title: parsed,
        created_by: user_id.clone(),
    };
    let first_draft = first_draft.clone();
    let today = crate::slack::interactions::draft::today(state);
    // One write stores the session (idempotent on its number and its root
    // ts), its first draft (which the root message already shows) and this
    // job's completion. No `chat.update` is owed: the message was complete.
    let stored = state
        .store
        .write(move |conn| {
            let now = now_rfc3339();
            let session = Store::insert_session_in(conn, Some(session_id), &new, &now)?;
            if let Some(fields) = &first_draft {
                save_first_draft_in(conn, &session, &new.created_by, fields, today)?;
            }
            Store::finish_job_in(conn, id, &now)?;
            Ok(session.id)
        })
        .await;
    match stored {
        Ok(session) => {
            tracing::info!(session, channel = %channel_id, "session started");
            state.wake_outbox();
            Attempt::Finished
        }
        Err(err) if posted_ts.is_some() => {
            Attempt::Failed(ApiError::Transient(format!("storing the session: {err:#}")))
        }
        Err(err) => {
            tracing::warn!(
                error = format!("{err:#}"),
                "could not store a started session"
            );
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

/// The words for a failure the user can act on.
pub fn explain(err: &ApiError) -> String {
    match err.code() {
        Some("not_in_channel") | Some("channel_not_found") => {
            "I'm not a member of this channel. Invite me with `/invite @wb` and try again.".into()
        }
        Some("is_archived") => "this channel is archived.".into(),
        Some("invalid_auth")
        | Some("not_authed")
        | Some("token_revoked")
        | Some("account_inactive") => {
            "my Slack token was refused; ask the admin who installed wb to check SLACK_BOT_TOKEN."
                .into()
        }
        Some("missing_scope") => {
            "I'm missing a permission; ask the admin to reinstall wb from manifest.yml.".into()
        }
        Some("msg_too_long") | Some("invalid_blocks") => {
            "the message was too long for Slack.".into()
        }
        Some(code) => format!("Slack answered `{code}`."),
        None => "Slack kept failing; I gave up after several tries.".into(),
    }
}

/// The message telling a user that a job failed for good.
pub fn failure_text(what: &str, err: &ApiError, content: Option<&str>) -> String {
    let mut text = format!(":warning: I couldn't {what}: {}", explain(err));
    if let Some(c) = content {
        text.push_str(&format!(
            "\nNothing you wrote is lost; here it is to try again:\n>{}",
            crate::slack::escape_mrkdwn(&crate::domain::truncate_chars(c, 2500))
                .replace('\n', "\n>")
        ));
    }
    text
}

/// Where and how to tell the user that `job` failed for good, if anyone.
pub fn failure_notice(job: &Job, err: &ApiError) -> Option<Job> {
    match job {
        Job::StartSession {
            response_url: Some(url),
            title,
            ..
        } => Some(Job::respond_ephemeral(
            url,
            &failure_text("start the session", err, Some(title)),
        )),
        Job::Call {
            notify: Some(n), ..
        } => {
            let text = failure_text(&n.what, err, None);
            Some(match &n.response_url {
                Some(url) => Job::respond_ephemeral(url, &text),
                None => {
                    let mut body =
                        json!({"channel": n.channel_id, "user": n.user_id, "text": text});
                    if let Some(ts) = &n.thread_ts {
                        body["thread_ts"] = json!(ts);
                    }
                    Job::call("chat.postEphemeral", body)
                }
            })
        }
        Job::Export(export) => export_job::failure_notice(export, err),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_round_trip_through_json() {
        let job = Job::call(
            "reactions.add",
            json!({"channel": "C1", "name": "memo", "timestamp": "1.2"}),
        )
        .with_then(Then::QuestionMessage { question_id: 4 });
        let text = serde_json::to_string(&job).expect("json");
        assert_eq!(serde_json::from_str::<Job>(&text).expect("back"), job);
    }

    #[test]
    fn a_failed_start_gives_the_idea_back_to_its_author() {
        let job = Job::StartSession {
            team_id: "T".into(),
            channel_id: "C".into(),
            user_id: "U".into(),
            title: "<!channel> fridge".into(),
            response_url: Some("http://x/r".into()),
            joined: true,
            posted_ts: None,
            first_draft: None,
            session_id: None,
        };
        let notice = failure_notice(&job, &ApiError::Permanent("not_in_channel".into()));
        let Some(Job::Respond { body, .. }) = notice else {
            panic!("expected a response_url notice");
        };
        let text = body["text"].as_str().unwrap_or_default();
        assert!(text.contains("/invite @wb"), "{text}");
        assert!(text.contains("&lt;!channel&gt; fridge"), "{text}");
        assert_eq!(body["response_type"], "ephemeral");
    }

    #[test]
    fn a_job_without_anyone_to_tell_stays_silent() {
        let job = Job::call("reactions.add", json!({}));
        assert!(failure_notice(&job, &ApiError::Permanent("x".into())).is_none());
    }
}
