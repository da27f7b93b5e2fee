//! The export job: resolve display names and the thread's link, render the doc
//! set, and deliver it — a file uploaded into the session's thread with
//! Slack's three-step upload, or a canvas linked from the thread — then
//! confirm to the user. Every step that must not run twice is recorded in the
//! job (`Attempt::Progress`), so a retry or a restart resumes where it stopped.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::ApiError;
use super::escape_mrkdwn;
use super::jobs::{self, Attempt, Job};
use crate::app::AppState;
use crate::domain::command::ExportTarget;
use crate::domain::docset::DocSet;
use crate::domain::session::Session;
use crate::domain::{now_rfc3339, truncate_chars};
use crate::export::{self, ExportContext};

/// A cached name is trusted this long before `users.info` is asked again.
const NAME_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// At most this many `users.info` calls per export (Tier 4: ~100 a minute)…
const MAX_LOOKUPS: usize = 50;
/// …and no longer than this in all: past it, ids show as `@U123`.
const LOOKUP_BUDGET: Duration = Duration::from_secs(10);
/// `canvases.create` takes at most 1 MiB of Markdown; stay clear of it.
const CANVAS_MAX_BYTES: usize = 1_000_000;

/// What the doc set becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Markdown,
    Html,
    Canvas,
}

impl From<ExportTarget> for ExportFormat {
    fn from(t: ExportTarget) -> Self {
        match t {
            ExportTarget::Markdown => Self::Markdown,
            ExportTarget::Html => Self::Html,
            ExportTarget::Canvas => Self::Canvas,
        }
    }
}

impl ExportFormat {
    /// For messages: "Markdown", "HTML", "a canvas".
    pub fn label(self) -> &'static str {
        match self {
            Self::Markdown => "Markdown",
            Self::Html => "HTML",
            Self::Canvas => "a canvas",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Markdown | Self::Canvas => "md",
            Self::Html => "html",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Markdown | Self::Canvas => "text/markdown; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
        }
    }
}

/// One export, as stored in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportJob {
    pub session_id: i64,
    pub format: ExportFormat,
    /// Who asked (told the outcome, ephemerally).
    pub user_id: String,
    /// Where they asked.
    pub channel_id: String,
    #[serde(default)]
    pub response_url: Option<String>,
    #[serde(default)]
    pub step: Step,
}

/// How far the export got.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum Step {
    #[default]
    Start,
    /// The file's bytes are at Slack under `file_id`; it is not shared yet.
    Uploaded {
        file_id: String,
        title: String,
        confirmation: String,
    },
    /// The canvas exists; its link is not in the thread yet.
    CanvasCreated {
        url: String,
        title: String,
        confirmation: String,
    },
    /// Delivered: only the confirmation to the user is left.
    Confirm { text: String },
}

impl ExportJob {
    pub fn new(
        session: &Session,
        format: ExportFormat,
        user_id: &str,
        channel_id: &str,
        response_url: Option<&str>,
    ) -> Self {
        Self {
            session_id: session.id,
            format,
            user_id: user_id.to_string(),
            channel_id: channel_id.to_string(),
            response_url: response_url.map(str::to_string),
            step: Step::Start,
        }
    }

    pub fn label(&self) -> String {
        format!(
            "export of session {} as {}",
            self.session_id,
            self.format.label()
        )
    }

    fn at(&self, step: Step) -> Attempt {
        let mut next = self.clone();
        next.step = step;
        Attempt::Progress(Job::Export(next))
    }
}

/// Runs the next step of `job`.
pub async fn run(state: &AppState, job: &ExportJob) -> Attempt {
    let result = match &job.step {
        Step::Start => start(state, job).await,
        Step::Uploaded {
            file_id,
            title,
            confirmation,
        } => share_file(state, job, file_id, title, confirmation).await,
        Step::CanvasCreated {
            url,
            title,
            confirmation,
        } => link_canvas(state, job, url, title, confirmation).await,
        Step::Confirm { text } => confirm(state, job, text).await,
    };
    result.unwrap_or_else(Attempt::Failed)
}

async fn session(state: &AppState, id: i64) -> Result<Session, ApiError> {
    match state.store.session(id).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(ApiError::Permanent("session_not_found".into())),
        Err(err) => Err(ApiError::Transient(format!("reading session {id}: {err}"))),
    }
}

async fn start(state: &AppState, job: &ExportJob) -> Result<Attempt, ApiError> {
    let docset = match state.store.docset(job.session_id).await {
        Ok(Some(d)) => d,
        Ok(None) => return Err(ApiError::Permanent("session_not_found".into())),
        Err(err) => {
            return Err(ApiError::Transient(format!(
                "reading session {}: {err}",
                job.session_id
            )))
        }
    };
    let ctx = context(state, &docset).await;
    let title = truncate_chars(&docset.session.title, 200);
    match job.format {
        ExportFormat::Canvas => create_canvas(state, job, &docset, &ctx, &title).await,
        format => upload_file(state, job, &docset, &ctx, &title, format).await,
    }
}

/// Steps 1 and 2 of the upload: an upload URL for exactly these bytes, then
/// the bytes. Both run in one attempt (the URL is bound to the length), and a
/// retry starts over with a fresh URL; an abandoned one is never shared.
async fn upload_file(
    state: &AppState,
    job: &ExportJob,
    docset: &DocSet,
    ctx: &ExportContext,
    title: &str,
    format: ExportFormat,
) -> Result<Attempt, ApiError> {
    let content = match format {
        ExportFormat::Html => export::html::render(docset, ctx),
        _ => export::markdown::render(docset, ctx),
    };
    let filename = format!(
        "{}.{}",
        export::file_stem(&docset.session.title, docset.session.id),
        format.extension()
    );
    let answer = state
        .slack
        .get(
            "files.getUploadURLExternal",
            &[
                ("filename", filename.clone()),
                ("length", content.len().to_string()),
            ],
        )
        .await?;
    let (Some(upload_url), Some(file_id)) =
        (answer["upload_url"].as_str(), answer["file_id"].as_str())
    else {
        return Err(ApiError::Transient(
            "files.getUploadURLExternal answered without upload_url or file_id".into(),
        ));
    };
    state
        .slack
        .upload(upload_url, format.content_type(), content.as_bytes())
        .await?;
    let mut confirmation = format!(
        ":white_check_mark: Exported *{}* as {} (`{}`) into {}.",
        escape_mrkdwn(title),
        format.label(),
        escape_mrkdwn(&filename),
        thread_link(ctx)
    );
    confirmation.push_str(&missing_note(docset));
    Ok(job.at(Step::Uploaded {
        file_id: file_id.to_string(),
        title: format!("{title} — Working Backwards doc set"),
        confirmation,
    }))
}

/// Step 3: share the uploaded file in the session's thread.
async fn share_file(
    state: &AppState,
    job: &ExportJob,
    file_id: &str,
    title: &str,
    confirmation: &str,
) -> Result<Attempt, ApiError> {
    let session = session(state, job.session_id).await?;
    state
        .slack
        .call(
            "files.completeUploadExternal",
            &json!({
                "files": [{"id": file_id, "title": title}],
                "channel_id": session.channel_id,
                "thread_ts": session.thread_ts,
            }),
        )
        .await?;
    tracing::info!(
        session = job.session_id,
        format = job.format.label(),
        "doc set exported"
    );
    Ok(job.at(Step::Confirm {
        text: confirmation.to_string(),
    }))
}

async fn create_canvas(
    state: &AppState,
    job: &ExportJob,
    docset: &DocSet,
    ctx: &ExportContext,
    title: &str,
) -> Result<Attempt, ApiError> {
    let markdown = canvas_markdown(docset, ctx);
    let canvas_title = format!("{} — PR/FAQ", truncate_chars(title, 120));
    let answer = state
        .slack
        .call(
            "canvases.create",
            &json!({
                "title": canvas_title,
                "channel_id": docset.session.channel_id,
                "document_content": {"type": "markdown", "markdown": markdown},
            }),
        )
        .await?;
    let Some(canvas_id) = answer["canvas_id"].as_str() else {
        return Err(ApiError::Transient(
            "canvases.create answered without a canvas_id".into(),
        ));
    };
    let url = canvas_url(ctx.permalink.as_deref(), &docset.session.team_id, canvas_id);
    let mut confirmation = format!(
        ":white_check_mark: Opened *{}* as a canvas: <{}|open it>. It is linked in {} and tabbed in the channel.",
        escape_mrkdwn(title),
        url,
        thread_link(ctx)
    );
    confirmation.push_str(&missing_note(docset));
    Ok(job.at(Step::CanvasCreated {
        url,
        title: title.to_string(),
        confirmation,
    }))
}

async fn link_canvas(
    state: &AppState,
    job: &ExportJob,
    url: &str,
    title: &str,
    confirmation: &str,
) -> Result<Attempt, ApiError> {
    let session = session(state, job.session_id).await?;
    state
        .slack
        .call(
            "chat.postMessage",
            &json!({
                "channel": session.channel_id,
                "thread_ts": session.thread_ts,
                "text": format!(
                    ":page_facing_up: The doc set of *{}* is now a canvas: <{}|open the canvas>.",
                    escape_mrkdwn(title),
                    url
                ),
            }),
        )
        .await?;
    tracing::info!(session = job.session_id, "doc set exported as a canvas");
    Ok(job.at(Step::Confirm {
        text: confirmation.to_string(),
    }))
}

/// Queues the confirmation (its own job: a dead response_url must not turn a
/// delivered export into a failure).
async fn confirm(state: &AppState, job: &ExportJob, text: &str) -> Result<Attempt, ApiError> {
    state
        .enqueue(&tell(job, text))
        .await
        .map_err(|e| ApiError::Transient(format!("queueing the confirmation: {e:#}")))?;
    Ok(Attempt::Done)
}

/// An ephemeral message to whoever asked for the export.
fn tell(job: &ExportJob, text: &str) -> Job {
    match &job.response_url {
        Some(url) => Job::respond_ephemeral(url, text),
        None => Job::call(
            "chat.postEphemeral",
            json!({"channel": job.channel_id, "user": job.user_id, "text": text}),
        ),
    }
}

/// The message telling the user that the export failed for good.
pub fn failure_notice(job: &ExportJob, err: &ApiError) -> Option<Job> {
    if matches!(job.step, Step::Confirm { .. }) {
        // Delivered already; only the confirmation failed to queue.
        return None;
    }
    let what = match job.format {
        ExportFormat::Canvas => format!("open session #{} as a canvas", job.session_id),
        f => format!(
            "export session #{} as {} into its thread",
            job.session_id,
            f.label()
        ),
    };
    Some(tell(
        job,
        &format!(":warning: I couldn't {what}: {}", explain(err)),
    ))
}

/// Words for export failures, canvas ones first.
pub fn explain(err: &ApiError) -> String {
    const INSTEAD: &str = "`/wb export md` uploads the same doc set as a file instead.";
    match err.code() {
        Some(
            "canvas_disabled_user_team"
            | "canvas_disabled"
            | "canvases_disabled"
            | "not_allowed_type"
            | "team_tier_cannot_create_channel_canvases"
            | "free_teams_cannot_create_non_tabbed_canvases"
            | "free_teams_cannot_create_non_channel_canvases",
        ) => format!(
            "canvases aren't available in this workspace (turned off by an admin, or not part of its Slack plan). {INSTEAD}"
        ),
        Some(
            "free_team_canvas_tab_already_exists"
            | "channel_canvas_already_exists"
            | "canvas_tab_creation_failed",
        ) => format!(
            "this channel already has a canvas tab and the workspace's plan allows no more. {INSTEAD}"
        ),
        Some("restricted_action" | "access_denied") => {
            format!("an admin restricts who may create canvases here. {INSTEAD}")
        }
        Some("canvas_creation_failed") => {
            format!("Slack could not create the canvas. {INSTEAD}")
        }
        Some("session_not_found") => "that session no longer exists.".into(),
        _ => jobs::explain(err),
    }
}

/// ` <permalink|the session's thread>` when the link is known.
fn thread_link(ctx: &ExportContext) -> String {
    match &ctx.permalink {
        Some(link) => format!("<{link}|the session's thread>"),
        None => "the session's thread".into(),
    }
}

fn missing_note(docset: &DocSet) -> String {
    let missing = export::missing_documents(docset);
    if missing.is_empty() {
        String::new()
    } else {
        format!(
            "\nNot written yet: {} — the export says so where they belong.",
            missing.join(", ")
        )
    }
}

/// The canvas Markdown, kept under the 1 MiB limit: without the discussion
/// first, then cut at a paragraph with a note.
fn canvas_markdown(docset: &DocSet, ctx: &ExportContext) -> String {
    const CUT_NOTE: &str =
        "\n\n*The rest did not fit in a canvas (1 MiB). `/wb export md` gives the whole doc set.*";
    let full = export::markdown::render_canvas(docset, ctx);
    if full.len() <= CANVAS_MAX_BYTES {
        return full;
    }
    let mut lean = docset.clone();
    lean.discussion.clear();
    let mut text = export::markdown::render_canvas(&lean, ctx);
    if text.len() + CUT_NOTE.len() > CANVAS_MAX_BYTES {
        let mut cut = CANVAS_MAX_BYTES - CUT_NOTE.len();
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let at = text[..cut].rfind("\n\n").unwrap_or(cut);
        text.truncate(at);
    }
    text.push_str(CUT_NOTE);
    text
}

/// A canvas's address: on the workspace's own host when the permalink shows it.
fn canvas_url(permalink: Option<&str>, team_id: &str, canvas_id: &str) -> String {
    let host = permalink
        .and_then(|p| url::Url::parse(p).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .filter(|h| h.ends_with(".slack.com"))
        .unwrap_or_else(|| "app.slack.com".into());
    format!("https://{host}/docs/{team_id}/{canvas_id}")
}

/// Names and the thread's link; neither can fail the export.
async fn context(state: &AppState, docset: &DocSet) -> ExportContext {
    ExportContext {
        names: names(state, docset).await,
        permalink: permalink(state, &docset.session).await,
        exported_at: now_rfc3339(),
        review: Vec::new(),
    }
}

/// Display names: from the cache while fresh, else `users.info` (within a
/// budget), else a stale cached name, else nothing (the export shows `@U123`).
async fn names(state: &AppState, docset: &DocSet) -> HashMap<String, String> {
    let team = &docset.session.team_id;
    let ids: Vec<String> = export::user_ids(docset).into_iter().collect();
    let cached = state
        .store
        .display_names(team, &ids)
        .await
        .unwrap_or_else(|err| {
            tracing::warn!(%err, "could not read cached display names");
            HashMap::new()
        });
    let now = jiff::Timestamp::now();
    let fresh = |fetched_at: &str| {
        fetched_at
            .parse::<jiff::Timestamp>()
            .ok()
            .and_then(|t| now.duration_since(t).try_into().ok())
            .is_some_and(|age: Duration| age < NAME_TTL)
    };
    let started = Instant::now();
    let mut lookups = 0;
    let mut give_up = false;
    let mut names = HashMap::with_capacity(ids.len());
    for id in ids {
        let known = cached.get(&id);
        if let Some(c) = known.filter(|c| fresh(&c.fetched_at)) {
            names.insert(id, c.display_name.clone());
            continue;
        }
        let can_ask = !give_up
            && lookups < MAX_LOOKUPS
            && started.elapsed() < LOOKUP_BUDGET
            && looks_like_user(&id);
        if can_ask {
            lookups += 1;
            match lookup(state, &id).await {
                Ok(name) => {
                    if let Err(err) = state
                        .store
                        .save_display_name(team, &id, &name, &now_rfc3339())
                        .await
                    {
                        tracing::warn!(%err, user = %id, "could not cache a display name");
                    }
                    names.insert(id, name);
                    continue;
                }
                Err(err) => {
                    tracing::info!(user = %id, error = %err, "users.info failed; the export shows the id");
                    give_up = matches!(err, ApiError::RateLimited { .. });
                }
            }
        }
        if let Some(c) = known {
            names.insert(id, c.display_name.clone());
        }
    }
    names
}

fn looks_like_user(id: &str) -> bool {
    (id.starts_with('U') || id.starts_with('W'))
        && id.len() <= 32
        && id.chars().all(|c| c.is_ascii_alphanumeric())
}

async fn lookup(state: &AppState, user_id: &str) -> Result<String, ApiError> {
    let answer = state
        .slack
        .get("users.info", &[("user", user_id.to_string())])
        .await?;
    display_name(&answer["user"])
        .ok_or_else(|| ApiError::Permanent("users.info answered without a name".into()))
}

/// The name Slack shows for a user: display name, real name, then handle.
fn display_name(user: &Value) -> Option<String> {
    [
        &user["profile"]["display_name"],
        &user["profile"]["real_name"],
        &user["real_name"],
        &user["name"],
    ]
    .into_iter()
    .filter_map(Value::as_str)
    .map(str::trim)
    .find(|s| !s.is_empty())
    .map(|s| truncate_chars(s, 80))
}

async fn permalink(state: &AppState, session: &Session) -> Option<String> {
    match state.store.session_permalink(session.id).await {
        Ok(Some(link)) => return Some(link),
        Ok(None) => {}
        Err(err) => tracing::warn!(%err, "could not read the cached permalink"),
    }
    let answer = state
        .slack
        .get(
            "chat.getPermalink",
            &[
                ("channel", session.channel_id.clone()),
                ("message_ts", session.thread_ts.clone()),
            ],
        )
        .await;
    match answer {
        Ok(a) => {
            let link = a["permalink"].as_str()?.to_string();
            if let Err(err) = state.store.set_session_permalink(session.id, &link).await {
                tracing::warn!(%err, "could not cache the permalink");
            }
            Some(link)
        }
        Err(err) => {
            tracing::info!(error = %err, "chat.getPermalink failed; the export goes without the link");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_jobs_round_trip_through_json() {
        let job = Job::Export(ExportJob {
            session_id: 3,
            format: ExportFormat::Html,
            user_id: "U1".into(),
            channel_id: "C1".into(),
            response_url: Some("http://x/r".into()),
            step: Step::Uploaded {
                file_id: "F1".into(),
                title: "t".into(),
                confirmation: "c".into(),
            },
        });
        let text = serde_json::to_string(&job).expect("json");
        assert!(text.contains("\"kind\":\"export\""), "{text}");
        assert_eq!(serde_json::from_str::<Job>(&text).expect("back"), job);
        let old = r#"{"kind":"export","session_id":1,"format":"markdown","user_id":"U","channel_id":"C"}"#;
        let Job::Export(job) = serde_json::from_str::<Job>(old).expect("defaults") else {
            panic!("not an export job");
        };
        assert_eq!(job.step, Step::Start);
    }

    #[test]
    fn canvas_errors_are_explained_with_a_way_out() {
        for code in [
            "canvas_disabled_user_team",
            "not_allowed_type",
            "free_teams_cannot_create_non_channel_canvases",
            "free_team_canvas_tab_already_exists",
            "restricted_action",
        ] {
            let text = explain(&ApiError::Permanent(code.into()));
            assert!(text.contains("/wb export md"), "{code}: {text}");
        }
        assert!(explain(&ApiError::Permanent("not_in_channel".into())).contains("/invite"));
    }

    #[test]
    fn names_come_from_the_profile_first() {
        let user = json!({"name": "ada.l", "real_name": "Ada L", "profile": {"display_name": "", "real_name": "Ada Lovelace"}});
        assert_eq!(display_name(&user), Some("Ada Lovelace".into()));
        assert_eq!(display_name(&json!({"name": "bob"})), Some("bob".into()));
        assert_eq!(display_name(&json!({})), None);
    }

    #[test]
    fn a_canvas_too_big_for_slack_loses_the_discussion_then_is_cut() {
        use crate::domain::docset::{Entry, SCHEMA};
        let entry = |id: i64, text: String| Entry {
            id,
            text,
            author: Some("U1".into()),
            created_at: "2026-11-21T10:00:00Z".into(),
        };
        let mut docset = DocSet {
            schema: SCHEMA,
            session: Session {
                id: 1,
                title: "Big".into(),
                team_id: "T".into(),
                channel_id: "C".into(),
                thread_ts: "1.1".into(),
                created_by: "U1".into(),
                created_at: "2026-11-21T10:00:00Z".into(),
            },
            press_release: None,
            press_release_history: Vec::new(),
            faq: Vec::new(),
            customer_experience: vec![entry(1, "a story".into())],
            user_manual: Vec::new(),
            discussion: (0..2_000).map(|i| entry(i, "chat ".repeat(200))).collect(),
        };
        let ctx = ExportContext::default();
        let lean = canvas_markdown(&docset, &ctx);
        assert!(lean.len() <= CANVAS_MAX_BYTES);
        assert!(lean.contains("a story") && !lean.contains("chat chat"));
        assert!(lean.ends_with("gives the whole doc set.*"));

        docset.customer_experience = (0..3_000).map(|i| entry(i, "story ".repeat(100))).collect();
        let cut = canvas_markdown(&docset, &ctx);
        assert!(cut.len() <= CANVAS_MAX_BYTES, "{}", cut.len());
        assert!(cut.ends_with("gives the whole doc set.*"));

        docset.customer_experience.truncate(1);
        docset.discussion.truncate(1);
        assert_eq!(
            canvas_markdown(&docset, &ctx),
            export::markdown::render_canvas(&docset, &ctx)
        );
    }

    #[test]
    fn canvas_links_use_the_workspace_host() {
        assert_eq!(
            canvas_url(Some("https://acme.slack.com/archives/C1/p1"), "T1", "F9"),
            "https://acme.slack.com/docs/T1/F9"
        );
        assert_eq!(
            canvas_url(Some("http://127.0.0.1:9/x"), "T1", "F9"),
            "https://app.slack.com/docs/T1/F9"
        );
        assert_eq!(
            canvas_url(None, "T1", "F9"),
            "https://app.slack.com/docs/T1/F9"
        );
    }
}
