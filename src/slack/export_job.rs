//! The export job: resolve display names and the thread's link, render the doc
//! set, and deliver it — a file uploaded into the session's thread with
//! Slack's three-step upload, or a canvas linked from the thread — then
//! confirm to the user. Every step that must not run twice is recorded in the
//! job (`Attempt::Progress`), so a retry or a restart resumes where it stopped.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::api::ApiError;
use super::escape_mrkdwn;
use super::jobs::{self, Attempt, Job};
use crate::app::AppState;
use crate::domain::command::ExportTarget;
use crate::domain::docset::DocSet;
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::export::{self, ExportContext};

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
    let ctx = super::export_context::context(state, &docset).await;
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
