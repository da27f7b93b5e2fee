//! Exactly once through a crash. A post is not idempotent: if wb dies (or a
//! call times out) between Slack accepting a message and wb recording it, a
//! plain retry posts it twice. So every post carries the job's identity in
//! message metadata (event type `wb_job`; the job id, its creation time and,
//! for a job of several posts, the post's place — never user text), and a
//! job whose last attempt may have posted unheard ("in doubt") first looks
//! for that message in the channel or thread since the job was created, and
//! adopts it instead of posting again. If the search fails, the job waits and
//! searches again: it never posts blind. The normal path costs nothing but
//! the metadata: only jobs in doubt search.
//!
//! After a crash in a burst, many jobs of one channel are in doubt at once:
//! one search of that conversation ([`Scans`]) serves them all, as long as it
//! began after their doubtful attempts had ended.
//!
//! What remains: a message Slack accepted but does not show in
//! `conversations.history` yet when the search runs would be posted again;
//! ephemeral messages and `response_url` replies cannot be looked up (a crash
//! in that window can repeat one, visible only to its user).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{json, Value};

use super::tag::{Tag, TagPayload, Tagged, TaggedMessage};
use crate::app::AppState;
use crate::domain::tenant::Workspace;
use crate::jobs::Failure;
use crate::views::kit::Message;
use crate::webapi::{ApiError, JsonBody};

/// The metadata event type of wb's own posts.
pub const EVENT_TYPE: &str = "wb_job";
/// Messages per page of a search (Slack's maximum is 999).
const PAGE: usize = 999;
/// Pages searched at most before giving up for now (never posting blind).
const MAX_PAGES: usize = 200;
/// How far before the job's creation the search starts (clock skew).
const MARGIN_SECS: i64 = 120;
/// How long a finished search is kept for other jobs of the conversation.
const KEEP_MS: i64 = 300_000;

/// The job an attempt belongs to, and whether its last attempt may have made
/// its call unheard.
#[derive(Clone)]
pub struct JobRun {
    pub id: i64,
    /// When the job was queued (RFC 3339), part of its tag.
    pub created_at: String,
    /// When the doubtful attempt had ended (unix ms), if there was one.
    pub in_doubt_since_ms: Option<i64>,
    pub scans: Arc<Scans>,
    /// One root refresh per session at a time.
    pub roots: Arc<super::turns::RootTurns>,
    /// Whose token its calls go out with.
    pub workspace: Workspace,
}

/// A tagged post's identity: job id, job creation time, place in the job.
type PostKey = (i64, String, Option<u64>);

impl JobRun {
    /// The metadata of the job's post (`part`: which of a job's several posts).
    fn tag(&self, part: Option<usize>) -> Tag<'_> {
        Tag {
            event_type: EVENT_TYPE,
            event_payload: TagPayload {
                job: self.id,
                at: &self.created_at,
                part,
            },
        }
    }

    fn key(&self, part: Option<usize>) -> PostKey {
        (self.id, self.created_at.clone(), part.map(|p| p as u64))
    }

    /// The oldest time worth searching from (unix seconds).
    fn oldest(&self) -> i64 {
        self.created_at
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_second() - MARGIN_SECS)
            .unwrap_or(0)
            .max(0)
    }
}

/// The identity a message's metadata carries, if it is one of wb's posts.
fn key_of(message: &Value) -> Option<PostKey> {
    let meta = &message["metadata"];
    if meta["event_type"] != EVENT_TYPE {
        return None;
    }
    let payload = &meta["event_payload"];
    Some((
        payload["job"].as_i64()?,
        payload["at"].as_str()?.to_string(),
        payload["part"].as_u64(),
    ))
}

/// Posts `body` (`chat.postMessage`, with its `channel` and maybe
/// `thread_ts` inside) once for `job`: see [`post_once_to`].
pub async fn post_once(
    app: &AppState,
    job: &JobRun,
    body: &Value,
    part: Option<usize>,
) -> Result<Value, Failure> {
    let channel = body["channel"].as_str().unwrap_or_default();
    let thread = body["thread_ts"].as_str();
    post_once_to(app, job, channel, thread, body, part).await
}

/// Posts `body` (`chat.postMessage` into `channel`, in `thread` if given)
/// once for `job` (`part` of it, when a job posts several): tagged with the
/// job's identity, and only after making sure an attempt in doubt did not
/// post it already. Returns Slack's answer (or the adopted message as one).
pub async fn post_once_to<B: Serialize + Send + Sync + ?Sized>(
    app: &AppState,
    job: &JobRun,
    channel: &str,
    thread: Option<&str>,
    body: &B,
    part: Option<usize>,
) -> Result<Value, Failure> {
    post_tagged_once(app, job, channel, thread, part, |metadata| Tagged {
        body,
        metadata,
    })
    .await
}

/// [`post_once_to`] for a typed message (a root message), written by hand
/// (`views::kit::Message::write_fields`) rather than through serde: the
/// same bytes.
pub async fn post_message_once(
    app: &AppState,
    job: &JobRun,
    channel: &str,
    thread_ts: Option<&str>,
    message: &Message<'_>,
    part: Option<usize>,
) -> Result<Value, Failure> {
    post_tagged_once(app, job, channel, thread_ts, part, |metadata| {
        TaggedMessage {
            channel,
            thread_ts,
            message,
            metadata,
        }
    })
    .await
}

async fn post_tagged_once<'j, T: JsonBody>(
    app: &AppState,
    job: &'j JobRun,
    channel: &str,
    thread: Option<&str>,
    part: Option<usize>,
    tagged: impl FnOnce(Tag<'j>) -> T,
) -> Result<Value, Failure> {
    if let Some(since) = job.in_doubt_since_ms {
        let scan = job
            .scans
            .get(app, &job.workspace, channel, thread, job.oldest(), since)
            .await
            .map_err(Failure::Unconfirmed)?;
        if let Some(message) = scan.posts.get(&job.key(part)) {
            tracing::info!(job = job.id, "adopted a post made by an earlier attempt");
            return Ok(
                json!({"ok": true, "channel": channel, "ts": message["ts"], "message": message}),
            );
        }
    }
    let body = tagged(job.tag(part));
    Ok(app
        .slack
        .call(&job.workspace, "chat.postMessage", &body)
        .await?)
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
    let Some(since) = job.in_doubt_since_ms else {
        return Ok(false);
    };
    let scan = job
        .scans
        .get(
            app,
            &job.workspace,
            channel,
            Some(thread_ts),
            job.oldest(),
            since,
        )
        .await
        .map_err(Failure::Unconfirmed)?;
    Ok(scan.files.contains(file_id))
}

/// What one search of a conversation found.
struct Scan {
    /// When the search began (unix ms): it sees every post made before.
    started_ms: i64,
    /// The oldest time it covers (unix seconds).
    oldest: i64,
    posts: HashMap<PostKey, Value>,
    files: HashSet<String>,
}

type Slot = Arc<tokio::sync::Mutex<Option<Arc<Scan>>>>;

/// Searches of conversations, shared by the jobs in doubt of one process.
#[derive(Default)]
pub struct Scans {
    slots: Mutex<HashMap<(String, Option<String>), Slot>>,
}

impl Scans {
    /// A search of the conversation that covers `oldest` and began after
    /// `not_before_ms`: a kept one, or a new one (one at a time per
    /// conversation; the others wait and share it).
    async fn get(
        &self,
        app: &AppState,
        ws: &Workspace,
        channel: &str,
        thread: Option<&str>,
        oldest: i64,
        not_before_ms: i64,
    ) -> Result<Arc<Scan>, ApiError> {
        let now = app.clock.unix_ms();
        let slot = match self.slots.lock() {
            Ok(mut slots) => slots
                .entry((channel.to_string(), thread.map(str::to_string)))
                .or_default()
                .clone(),
            Err(_) => return Err(ApiError::Unknown("search state poisoned".into())),
        };
        let mut kept = slot.lock().await;
        if let Some(scan) = kept.as_ref() {
            let fresh = now - scan.started_ms < KEEP_MS;
            if fresh && scan.started_ms >= not_before_ms && scan.oldest <= oldest {
                return Ok(scan.clone());
            }
        }
        // Boxed: rare (a job in doubt), and its future would otherwise size
        // every post's.
        let scan = Arc::new(Box::pin(search(app, ws, channel, thread, oldest, now)).await?);
        *kept = Some(scan.clone());
        drop(kept);
        self.forget_old(now);
        Ok(scan)
    }

    fn forget_old(&self, now: i64) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.retain(|_, slot| match slot.try_lock() {
                Ok(kept) => kept.as_ref().is_some_and(|s| now - s.started_ms < KEEP_MS),
                Err(_) => true,
            });
        }
    }
}

/// Reads the conversation (a thread, or the channel's top level) since
/// `oldest`, keeping wb's tagged posts and the files shared.
async fn search(
    app: &AppState,
    ws: &Workspace,
    channel: &str,
    thread: Option<&str>,
    oldest: i64,
    started_ms: i64,
) -> Result<Scan, ApiError> {
    let mut params = vec![
        ("channel", channel.to_string()),
        ("oldest", format!("{oldest}.000000")),
        ("include_all_metadata", "true".to_string()),
        ("limit", PAGE.to_string()),
    ];
    let method = match thread {
        Some(ts) => {
            params.push(("ts", ts.to_string()));
            "conversations.replies"
        }
        None => "conversations.history",
    };
    let mut scan = Scan {
        started_ms,
        oldest,
        posts: HashMap::new(),
        files: HashSet::new(),
    };
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut page = params.clone();
        if let Some(c) = &cursor {
            page.push(("cursor", c.clone()));
        }
        let answer = app.slack.get(ws, method, &page).await?;
        for message in answer["messages"].as_array().into_iter().flatten() {
            if let Some(key) = key_of(message) {
                scan.posts.insert(key, message.clone());
            }
            for file in message["files"].as_array().into_iter().flatten() {
                if let Some(id) = file["id"].as_str() {
                    scan.files.insert(id.to_string());
                }
            }
        }
        cursor = answer["response_metadata"]["next_cursor"]
            .as_str()
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if cursor.is_none() {
            return Ok(scan);
        }
    }
    // Too much history to be sure: better late than twice.
    Err(ApiError::Unknown(format!(
        "{method} has more than {} messages since the job began",
        MAX_PAGES * PAGE
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doubt: Option<i64>) -> JobRun {
        JobRun {
            id: 42,
            created_at: "2026-11-30T10:00:00Z".into(),
            in_doubt_since_ms: doubt,
            scans: Arc::default(),
            roots: Arc::default(),
            workspace: Workspace::default(),
        }
    }

    #[test]
    fn a_post_is_known_by_its_job_creation_time_and_part_only() {
        let job = run(Some(1));
        let whole = json!({"ts": "1.2", "metadata": job.tag(None)});
        assert_eq!(key_of(&whole), Some(job.key(None)));
        assert_ne!(
            key_of(&whole),
            Some(job.key(Some(0))),
            "a part of another job"
        );
        let second = json!({"ts": "1.4", "metadata": job.tag(Some(1))});
        assert_eq!(key_of(&second), Some(job.key(Some(1))));
        let elsewhere = json!({"metadata": {"event_type": EVENT_TYPE,
            "event_payload": {"job": 42, "at": "2026-01-01T00:00:00Z"}}});
        assert_ne!(
            key_of(&elsewhere),
            Some(job.key(None)),
            "the same id in another deployment"
        );
        assert_eq!(key_of(&json!({"ts": "1.3", "text": "no metadata"})), None);
        let foreign =
            json!({"metadata": {"event_type": "other_app", "event_payload": {"job": 42}}});
        assert_eq!(key_of(&foreign), None);
    }

    #[test]
    fn the_search_starts_a_little_before_the_job() {
        assert_eq!(run(None).oldest(), 1_796_032_800 - MARGIN_SECS);
        let odd = JobRun {
            created_at: "not a time".into(),
            ..run(None)
        };
        assert_eq!(odd.oldest(), 0);
    }

    #[test]
    fn the_tag_carries_no_user_text() {
        let tag = json!(run(None).tag(Some(3)));
        assert_eq!(tag["event_type"], EVENT_TYPE);
        let payload = tag["event_payload"].as_object().expect("object");
        let keys: Vec<&str> = payload.keys().map(String::as_str).collect();
        assert_eq!(keys, ["at", "job", "part"]);
    }
}
