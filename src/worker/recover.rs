//! Exactly once through a crash. A post is not idempotent: if wb dies (or a
//! call times out) between Slack accepting a message and wb recording it, a
//! plain retry posts it twice. So every post carries the job's identity in
//! message metadata (event type `wb_job`; the job id and its creation time —
//! never user text), and a job whose last attempt may have posted unheard
//! (`in_doubt`) first looks for that message in the channel or thread since
//! the job was created, and adopts it instead of posting again. If the lookup
//! itself fails, the job waits and looks again: it never posts blind. The
//! normal path costs nothing but the metadata: only jobs in doubt look.
//!
//! What remains: a message Slack accepted but does not show in
//! `conversations.history` yet when the lookup runs would be posted again;
//! ephemeral messages and `response_url` replies cannot be looked up (a
//! crash in that window can repeat one, visible only to its user).

use serde_json::{json, Value};

use crate::app::AppState;
use crate::jobs::Failure;
use crate::webapi::ApiError;

/// The metadata event type of wb's own posts.
pub const EVENT_TYPE: &str = "wb_job";
/// Pages of history searched at most (200 messages each).
const MAX_PAGES: usize = 25;
/// How far before the job's creation the search starts (clock skew).
const MARGIN_SECS: i64 = 120;

/// The job an attempt belongs to, and whether its last attempt may have
/// made its call unheard.
#[derive(Debug, Clone)]
pub struct JobRun {
    pub id: i64,
    /// When the job was queued (RFC 3339), part of its tag.
    pub created_at: String,
    pub in_doubt: bool,
}

impl JobRun {
    /// The metadata of the job's post (`part`: which of a job's several posts).
    fn tag(&self, part: Option<usize>) -> Value {
        let mut payload = json!({"job": self.id, "at": self.created_at});
        if let Some(part) = part {
            payload["part"] = json!(part);
        }
        json!({"event_type": EVENT_TYPE, "event_payload": payload})
    }

    fn is_tagged(&self, message: &Value, part: Option<usize>) -> bool {
        let meta = &message["metadata"];
        let payload = &meta["event_payload"];
        meta["event_type"] == EVENT_TYPE
            && payload["job"] == self.id
            && payload["at"] == self.created_at.as_str()
            && payload["part"].as_u64() == part.map(|p| p as u64)
    }

    /// The oldest `ts` worth searching from, as Slack writes timestamps.
    fn oldest(&self) -> String {
        let since = self
            .created_at
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_second() - MARGIN_SECS)
            .unwrap_or(0)
            .max(0);
        format!("{since}.000000")
    }
}

/// Posts `body` (`chat.postMessage`) once for `job` (`part` of it, when a job
/// posts several): tagged with the job's identity, and only after making
/// sure an attempt in doubt did not post it already. Returns Slack's answer
/// (or the adopted message as one).
pub async fn post_once(
    app: &AppState,
    job: &JobRun,
    body: &Value,
    part: Option<usize>,
) -> Result<Value, Failure> {
    let channel = body["channel"].as_str().unwrap_or_default();
    let thread = body["thread_ts"].as_str();
    if job.in_doubt {
        match find(app, job, channel, thread, |m| job.is_tagged(m, part)).await {
            Ok(Some(message)) => {
                tracing::info!(job = job.id, "adopted a post made by an earlier attempt");
                return Ok(
                    json!({"ok": true, "channel": channel, "ts": message["ts"], "message": message}),
                );
            }
            Ok(None) => {}
            Err(err) => return Err(Failure::Unconfirmed(err)),
        }
    }
    let mut tagged = body.clone();
    tagged["metadata"] = job.tag(part);
    Ok(app.slack.call("chat.postMessage", &tagged).await?)
}

/// True when an attempt in doubt already shared file `file_id` in the thread
/// (`files.completeUploadExternal` takes no metadata; the file id is unique).
pub async fn already_shared(
    app: &AppState,
    job: &JobRun,
    channel: &str,
    thread_ts: &str,
    file_id: &str,
) -> Result<bool, Failure> {
    if !job.in_doubt {
        return Ok(false);
    }
    let has_file = |m: &Value| {
        m["files"]
            .as_array()
            .is_some_and(|files| files.iter().any(|f| f["id"] == file_id))
    };
    match find(app, job, channel, Some(thread_ts), has_file).await {
        Ok(found) => Ok(found.is_some()),
        Err(err) => Err(Failure::Unconfirmed(err)),
    }
}

/// The first message since the job was created (in the thread, or at the
/// channel's top level) that `wanted` accepts.
async fn find(
    app: &AppState,
    job: &JobRun,
    channel: &str,
    thread_ts: Option<&str>,
    wanted: impl Fn(&Value) -> bool,
) -> Result<Option<Value>, ApiError> {
    let mut params = vec![
        ("channel", channel.to_string()),
        ("oldest", job.oldest()),
        ("include_all_metadata", "true".to_string()),
        ("limit", "200".to_string()),
    ];
    let method = match thread_ts {
        Some(ts) => {
            params.push(("ts", ts.to_string()));
            "conversations.replies"
        }
        None => "conversations.history",
    };
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut page = params.clone();
        if let Some(c) = &cursor {
            page.push(("cursor", c.clone()));
        }
        let answer = app.slack.get(method, &page).await?;
        let messages = answer["messages"].as_array().cloned().unwrap_or_default();
        if let Some(found) = messages.into_iter().find(|m| wanted(m)) {
            return Ok(Some(found));
        }
        cursor = answer["response_metadata"]["next_cursor"]
            .as_str()
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if cursor.is_none() {
            return Ok(None);
        }
    }
    // Too much history to be sure: better late than twice.
    Err(ApiError::Unknown(format!(
        "{method} has more than {} messages since the job began",
        MAX_PAGES * 200
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(in_doubt: bool) -> JobRun {
        JobRun {
            id: 42,
            created_at: "2026-11-30T10:00:00Z".into(),
            in_doubt,
        }
    }

    #[test]
    fn a_post_is_recognised_by_its_job_creation_time_and_part_only() {
        let job = run(true);
        let mut message = json!({"ts": "1.2", "metadata": job.tag(None)});
        assert!(job.is_tagged(&message, None));
        assert!(
            !job.is_tagged(&message, Some(0)),
            "a part of a several-post job"
        );
        let second = json!({"ts": "1.4", "metadata": job.tag(Some(1))});
        assert!(job.is_tagged(&second, Some(1)));
        assert!(!job.is_tagged(&second, Some(0)));
        message["metadata"]["event_payload"]["job"] = json!(43);
        assert!(!job.is_tagged(&message, None), "another job");
        message["metadata"] = json!({"event_type": EVENT_TYPE, "event_payload": {"job": 42, "at": "2026-01-01T00:00:00Z"}});
        assert!(
            !job.is_tagged(&message, None),
            "the same id in another deployment"
        );
        let untagged = json!({"ts": "1.3", "text": "no metadata"});
        assert!(!job.is_tagged(&untagged, None));
    }

    #[test]
    fn the_search_starts_a_little_before_the_job() {
        assert_eq!(
            run(true).oldest(),
            format!("{}.000000", 1_796_032_800 - MARGIN_SECS)
        );
        let odd = JobRun {
            created_at: "not a time".into(),
            ..run(true)
        };
        assert_eq!(odd.oldest(), "0.000000");
    }

    #[test]
    fn the_tag_carries_no_user_text() {
        let tag = run(false).tag(None);
        assert_eq!(tag["event_type"], EVENT_TYPE);
        let payload = tag["event_payload"].as_object().expect("object");
        let keys: Vec<&str> = payload.keys().map(String::as_str).collect();
        assert_eq!(keys, ["at", "job"]);
    }
}
