//! The Web API actions wb owes its users, as data. A use case writes a job to
//! the outbox in the transaction that stores what the job is about; the worker
//! (`crate::worker`) runs it, retries transient failures and, when it finally
//! gives up, queues the notice [`failure_notice`] describes. Nothing here does
//! I/O.

mod export;
mod notice;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use export::{ExportFormat, ExportJob, ReadingCopy, Step};
pub use notice::{
    canvas_unavailable, explain, explain_export, failure_notice, failure_text, tell_exporter,
};

use crate::domain::draft::DraftFields;
use crate::domain::tenant::{InstallKey, Workspace};
use crate::store::StoreError;
use crate::webapi::ApiError;

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
    /// The bot posted a review's reading copy (with *Comment* and *End
    /// reading*): remember that message, so the end of reading can update it.
    ReadingMessage { review_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Post a new session's root message, then store the session with its `ts`.
    StartSession {
        team_id: String,
        /// The Enterprise Grid org of `team_id` (absent in jobs queued by an
        /// older wb, and outside an org).
        #[serde(default)]
        enterprise_id: Option<String>,
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
        notify: Option<Box<Notify>>,
        #[serde(default)]
        then: Option<Then>,
        #[serde(default)]
        joined: bool,
        /// Whose token makes the call (absent in jobs queued by an older wb:
        /// those go with SLACK_BOT_TOKEN).
        #[serde(default, skip_serializing_if = "Workspace::is_unknown")]
        workspace: Workspace,
    },
    /// A message sent to an interaction's `response_url`.
    Respond { response_url: String, body: Value },
    /// Export a session's doc set into its thread (file or canvas), in steps.
    Export(ExportJob),
    /// Bring a session's root message up to date (`chat.update`), rendered
    /// from the database when the job runs, so one refresh shows every change
    /// made before it.
    RefreshRoot { session_id: i64 },
    /// Durable timer: silent reading of a review starts. Due at the
    /// scheduled time `due_ms` (unix ms), which it carries so that a run
    /// after wb was down can say it is late.
    ReviewStart { review_id: i64, due_ms: i64 },
    /// Durable timer: silent reading ends because its time is up.
    ReviewEnd { review_id: i64, due_ms: i64 },
    /// Durable timer: `hours` (24 or 1) before a review, the thread gets the
    /// count of open questions.
    ReviewNudge {
        review_id: i64,
        hours: i64,
        due_ms: i64,
    },
    /// Messages into one thread, in order (a post split by Slack's limits,
    /// or one thing said after another). `posted` counts the messages Slack
    /// accepted, so a retry never posts one twice; `then` follows the first.
    Posts {
        channel: String,
        thread_ts: String,
        messages: Vec<Value>,
        #[serde(default)]
        posted: usize,
        #[serde(default)]
        then: Option<Then>,
        #[serde(default)]
        joined: bool,
        /// Whose token posts them (absent in older jobs).
        #[serde(default, skip_serializing_if = "Workspace::is_unknown")]
        workspace: Workspace,
    },
    /// Publish a user's Home tab, rendered from the database when it runs.
    PublishHome {
        team_id: String,
        user_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        enterprise_id: Option<String>,
    },
    /// Durable timer: refresh a rotating token before it expires (due
    /// `due_ms`, with a margin). One pending per installation; it queues the
    /// next one when it has run.
    RefreshToken { install: InstallKey, due_ms: i64 },
    /// Delete an installation's sessions (`WB_PURGE_ON_UNINSTALL`), a batch
    /// per attempt; `deleted` counts them so far.
    Purge {
        scope: InstallKey,
        #[serde(default)]
        deleted: i64,
    },
    /// A session's daily reminder is due: the digest of open questions is
    /// queued (if any is open) and the next reminder scheduled, in the write
    /// that finishes this job, so it fires once even across a restart.
    /// `due_ms` is when it was meant to run (a run after downtime knows how
    /// late it is); `generation` is the reminder setting that queued it.
    Remind {
        session_id: i64,
        due_ms: i64,
        generation: i64,
        /// The session's workspace (absent in jobs queued by an older wb:
        /// found through the session when it runs).
        #[serde(default, skip_serializing_if = "Workspace::is_unknown")]
        workspace: Workspace,
    },
    /// A daily reminder was set: look up its setter's time zone
    /// (`users.info`, with the workspace's token), then schedule the first
    /// digest and confirm.
    ReminderZone {
        session_id: i64,
        generation: i64,
        user_id: String,
        channel_id: String,
        #[serde(default)]
        response_url: Option<String>,
        /// `HH:MM`, for the words of a failure notice.
        at_time: String,
        /// As in [`Job::Remind`].
        #[serde(default, skip_serializing_if = "Workspace::is_unknown")]
        workspace: Workspace,
    },
}

impl Job {
    /// A Web API call for work of `workspace`, with nothing to do afterwards.
    pub fn call(workspace: &Workspace, method: &str, body: Value) -> Self {
        Self::Call {
            method: method.to_string(),
            body,
            notify: None,
            then: None,
            joined: false,
            workspace: workspace.clone(),
        }
    }

    pub fn with_notify(mut self, who: Notify) -> Self {
        if let Self::Call { notify, .. } = &mut self {
            *notify = Some(Box::new(who));
        }
        self
    }

    pub fn with_then(mut self, next: Then) -> Self {
        if let Self::Call { then, .. } = &mut self {
            *then = Some(next);
        }
        self
    }

    /// `messages` into the thread `thread_ts` of `channel` (of
    /// `workspace`), in order; `then` runs once the first is posted.
    pub fn posts(
        workspace: &Workspace,
        channel: &str,
        thread_ts: &str,
        messages: Vec<Value>,
        then: Option<Then>,
    ) -> Self {
        Self::Posts {
            channel: channel.to_string(),
            thread_ts: thread_ts.to_string(),
            messages,
            posted: 0,
            then,
            joined: false,
            workspace: workspace.clone(),
        }
    }

    /// The workspace a job names itself (jobs about a session find theirs
    /// through it when they run).
    pub fn workspace(&self) -> Option<Workspace> {
        match self {
            Self::StartSession {
                team_id,
                enterprise_id,
                ..
            } => Some(Workspace::new(team_id.clone(), enterprise_id.clone())),
            Self::Call { workspace, .. } | Self::Posts { workspace, .. } => Some(workspace.clone()),
            Self::RefreshToken { install, .. } => Some(install.workspace()),
            Self::PublishHome {
                team_id,
                enterprise_id,
                ..
            } => Some(Workspace::new(team_id.clone(), enterprise_id.clone())),
            Self::Purge { scope, .. } => Some(scope.workspace()),
            // Older reminder jobs name none: their session's is found.
            Self::Remind { workspace, .. } | Self::ReminderZone { workspace, .. } => {
                Some(workspace.clone()).filter(|ws| !ws.is_unknown())
            }
            Self::Respond { .. }
            | Self::Export(_)
            | Self::RefreshRoot { .. }
            | Self::ReviewStart { .. }
            | Self::ReviewEnd { .. }
            | Self::ReviewNudge { .. } => None,
        }
    }

    /// A message of wb's in a thread of `channel` (of `workspace`), links
    /// and media not unfurled.
    pub fn post_in_thread(
        workspace: &Workspace,
        channel: &str,
        thread_ts: &str,
        text: &str,
    ) -> Self {
        Self::call(
            workspace,
            "chat.postMessage",
            json!({
                "channel": channel,
                "thread_ts": thread_ts,
                "text": text,
                "unfurl_links": false,
                "unfurl_media": false,
            }),
        )
    }

    /// An ephemeral message through a `response_url`.
    pub fn respond_ephemeral(response_url: &str, text: &str) -> Self {
        Self::Respond {
            response_url: response_url.to_string(),
            body: json!({"response_type": "ephemeral", "replace_original": false, "text": text}),
        }
    }

    /// The job's kind for metrics and log fields: its Web API method (from
    /// the closed table `webapi::scopes::METHODS`) or its kind. Never content.
    pub fn method(&self) -> &'static str {
        match self {
            Self::StartSession { .. } => "start_session",
            Self::Call { method, .. } => crate::webapi::scopes::static_name(method),
            Self::Respond { .. } => "response_url",
            Self::Export(_) => "export",
            Self::RefreshRoot { .. } => "refresh_root",
            Self::ReviewStart { .. } => "review_start",
            Self::ReviewEnd { .. } => "review_end",
            Self::ReviewNudge { .. } => "review_nudge",
            Self::Posts { .. } => "chat.postMessage",
            Self::PublishHome { .. } => "views.publish",
            Self::RefreshToken { .. } => "token_refresh",
            Self::Purge { .. } => "purge",
            Self::Remind { .. } => "remind",
            Self::ReminderZone { .. } => "users.info",
        }
    }

    /// What the job is, for logs (never its content).
    pub fn label(&self) -> String {
        match self {
            Self::StartSession { channel_id, .. } => format!("start_session in {channel_id}"),
            Self::Call { method, .. } => method.clone(),
            Self::Respond { .. } => "response_url".into(),
            Self::Export(job) => job.label(),
            Self::RefreshRoot { session_id } => format!("root refresh of session {session_id}"),
            Self::ReviewStart { review_id, .. } => format!("start of review {review_id}"),
            Self::ReviewEnd { review_id, .. } => format!("end of review {review_id}"),
            Self::ReviewNudge {
                review_id, hours, ..
            } => format!("{hours} h reminder of review {review_id}"),
            Self::Posts {
                channel, messages, ..
            } => format!("{} message(s) into a thread of {channel}", messages.len()),
            Self::PublishHome { user_id, .. } => format!("Home tab of {user_id}"),
            Self::RefreshToken { install, .. } => {
                format!("token refresh of {}", install.stored())
            }
            Self::Purge { scope, deleted } => {
                format!("purge of {} ({deleted} sessions so far)", scope.stored())
            }
            Self::Remind { session_id, .. } => format!("daily reminder of session {session_id}"),
            Self::ReminderZone { session_id, .. } => {
                format!("time zone of the reminder of session {session_id}")
            }
        }
    }
}

/// Why an attempt failed, by whose fault: Slack's answer, or our database.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Slack(#[from] ApiError),
    #[error("{0}")]
    Storage(#[from] StoreError),
    /// An earlier attempt may have posted, and Slack could not tell us
    /// whether it did: never post blind, try the lookup again later.
    #[error("could not find out whether an earlier attempt was posted: {0}")]
    Unconfirmed(ApiError),
}

impl Failure {
    /// True when retrying cannot help. A database failure is always retried
    /// (up to the worker's limit): the job holds what a user is owed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Failure::Slack(ApiError::Permanent(_)))
    }

    /// True when this attempt may have made its call to Slack anyway, so the
    /// next one must find out before calling again: no answer we can trust,
    /// a database failure after the call, or a lookup that failed.
    pub fn leaves_doubt(&self) -> bool {
        match self {
            Failure::Slack(err) => err.outcome_unknown(),
            Failure::Storage(_) | Failure::Unconfirmed(_) => true,
        }
    }

    /// The Slack error behind it, if any (for backoff and words).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Failure::Slack(err) | Failure::Unconfirmed(err) => Some(err),
            Failure::Storage(_) => None,
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
    Failed(Failure),
    /// Not attempted: Slack's rate for its channel or method is used up
    /// (`crate::pacing`). Due again at `until_ms` (unix ms); no attempt counted.
    Wait {
        until_ms: i64,
    },
}

#[cfg(test)]
mod tests;
