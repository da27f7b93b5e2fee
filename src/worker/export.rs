//! Delivering an export: resolve display names and the thread's link, render
//! the doc set, and deliver it — a file uploaded into the session's thread
//! with Slack's three-step upload, or a canvas linked from the thread — then
//! confirm to the user. Each step that must not run twice is recorded in the
//! job (`Attempt::Progress`), so a retry or a restart resumes where it stopped.

use serde_json::json;

use super::pace;
use super::recover::{already_shared, post_once, JobRun};
use crate::app::AppState;
use crate::domain::docset::DocSet;
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::export::{self, ExportContext, Format};
use crate::flows;
use crate::jobs::{
    canvas_unavailable, tell_exporter, Attempt, ExportFormat, ExportJob, Failure, Job, Step,
};
use crate::views::escape_mrkdwn;
use crate::webapi::ApiError;

/// `canvases.create` takes at most 1 MiB of Markdown; stay clear of it.
const CANVAS_MAX_BYTES: usize = 1_000_000;

type Outcome = Result<Attempt, Failure>;

fn at(job: &ExportJob, step: Step) -> Attempt {
    Attempt::Progress(Job::Export(job.at(step)))
}

/// Runs the next step of `job`.
pub async fn run(app: &AppState, run: &JobRun, job: &ExportJob) -> Attempt {
    let ticket = pace::ticket(run.id);
    let result = match &job.step {
        Step::Start => start(app, &ticket, job).await,
        Step::Uploaded {
            file_id,
            title,
            confirmation,
        } => share_file(app, run, &ticket, job, file_id, title, confirmation).await,
        Step::CanvasCreated {
            url,
            title,
            confirmation,
        } => link_canvas(app, run, &ticket, job, url, title, confirmation).await,
        Step::Confirm { text } => confirm(app, job, text).await,
    };
    match result {
        // A review's reading copy: where the workspace has no canvases, the
        // Markdown file instead.
        Err(Failure::Slack(err))
            if job.reading.is_some()
                && job.format == ExportFormat::Canvas
                && canvas_unavailable(&err) =>
        {
            tracing::info!(session = job.session_id, error = %err, "no canvas for the reading copy; uploading the Markdown file");
            let mut next = job.at(Step::Start);
            next.format = ExportFormat::Markdown;
            Attempt::Progress(Job::Export(next))
        }
        other => other.unwrap_or_else(Attempt::Failed),
    }
}

/// After delivery: the exporter's confirmation, except for a reading copy
/// (the thread already shows it; nobody asked).
fn delivered(job: &ExportJob, confirmation: &str) -> Attempt {
    if job.reading.is_some() {
        return Attempt::Done;
    }
    at(
        job,
        Step::Confirm {
            text: confirmation.to_string(),
        },
    )
}

fn gone() -> Failure {
    Failure::Slack(ApiError::Permanent("session_not_found".into()))
}

async fn session(app: &AppState, id: i64) -> Result<Session, Failure> {
    app.store
        .read(move |tx| tx.session(id))
        .await?
        .ok_or_else(gone)
}

async fn start(app: &AppState, ticket: &str, job: &ExportJob) -> Outcome {
    let first_call = match job.format {
        ExportFormat::Canvas => "canvases.create",
        _ => "files.getUploadURLExternal",
    };
    if let Some(wait) = pace::gate(app, ticket, first_call, None) {
        return Ok(wait);
    }
    let mut docset = flows::export::docset(&app.store, job.session_id)
        .await?
        .ok_or_else(gone)?;
    if let Some(version) = job.reading.and_then(|r| r.version) {
        flows::export::pin_version(&app.store, &mut docset, version).await?;
    }
    let ctx = super::names::context(app, &docset).await;
    let title = truncate_chars(&docset.session.title, 200);
    match job.format {
        ExportFormat::Canvas => create_canvas(app, job, &docset, &ctx, &title).await,
        format => upload_file(app, job, &docset, &ctx, &title, format).await,
    }
}

/// Steps 1 and 2 of the upload: an upload URL for exactly these bytes, then
/// the bytes. Both run in one attempt (the URL is bound to the length), and a
/// retry starts over with a fresh URL; an abandoned one is never shared.
async fn upload_file(
    app: &AppState,
    job: &ExportJob,
    docset: &DocSet,
    ctx: &ExportContext,
    title: &str,
    format: ExportFormat,
) -> Outcome {
    let format = match format {
        ExportFormat::Html => Format::Html,
        _ => Format::Markdown,
    };
    let content = export::render(docset, ctx, format);
    let stem = export::file_stem(&docset.session.title, docset.session.id);
    let filename = match job.reading {
        Some(r) => format!("{stem}-review-{}.{}", r.review_id, format.extension()),
        None => format!("{stem}.{}", format.extension()),
    };
    let answer = app
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
        )
        .into());
    };
    app.slack
        .upload(upload_url, format.content_type(), content.as_bytes())
        .await?;
    let mut confirmation = format!(
        ":white_check_mark: Exported *{}* as {} (`{}`) into {}.",
        escape_mrkdwn(title),
        job.format.label(),
        escape_mrkdwn(&filename),
        thread_link(ctx)
    );
    confirmation.push_str(&missing_note(docset));
    Ok(at(
        job,
        Step::Uploaded {
            file_id: file_id.to_string(),
            title: match job.reading {
                Some(r) => format!("{title} — reading copy of review #{}", r.review_id),
                None => format!("{title} — Working Backwards doc set"),
            },
            confirmation,
        },
    ))
}

/// Step 3: share the uploaded file in the session's thread.
async fn share_file(
    app: &AppState,
    run: &JobRun,
    ticket: &str,
    job: &ExportJob,
    file_id: &str,
    title: &str,
    confirmation: &str,
) -> Outcome {
    let session = session(app, job.session_id).await?;
    let shared = already_shared(app, run, &session.channel_id, &session.thread_ts, file_id).await?;
    if !shared {
        let channel = Some(session.channel_id.as_str());
        if let Some(wait) = pace::gate(app, ticket, "files.completeUploadExternal", channel) {
            return Ok(wait);
        }
        app.slack
            .call(
                "files.completeUploadExternal",
                &json!({
                    "files": [{"id": file_id, "title": title}],
                    "channel_id": session.channel_id,
                    "thread_ts": session.thread_ts,
                }),
            )
            .await?;
    }
    tracing::info!(
        session = job.session_id,
        format = job.format.label(),
        "doc set exported"
    );
    Ok(delivered(job, confirmation))
}

async fn create_canvas(
    app: &AppState,
    job: &ExportJob,
    docset: &DocSet,
    ctx: &ExportContext,
    title: &str,
) -> Outcome {
    let markdown = canvas_markdown(docset, ctx);
    let canvas_title = format!("{} — PR/FAQ", truncate_chars(title, 120));
    let answer = app
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
        return Err(
            ApiError::Unknown("canvases.create answered without a canvas_id".into()).into(),
        );
    };
    let url = canvas_url(ctx.permalink.as_deref(), &docset.session.team_id, canvas_id);
    let mut confirmation = format!(
        ":white_check_mark: Opened *{}* as a canvas: <{}|open it>. It is linked in {} and tabbed in the channel.",
        escape_mrkdwn(title),
        url,
        thread_link(ctx)
    );
    confirmation.push_str(&missing_note(docset));
    Ok(at(
        job,
        Step::CanvasCreated {
            url,
            title: title.to_string(),
            confirmation,
        },
    ))
}

async fn link_canvas(
    app: &AppState,
    run: &JobRun,
    ticket: &str,
    job: &ExportJob,
    url: &str,
    title: &str,
    confirmation: &str,
) -> Outcome {
    let session = session(app, job.session_id).await?;
    let channel = Some(session.channel_id.as_str());
    if let Some(wait) = pace::gate(app, ticket, "chat.postMessage", channel) {
        return Ok(wait);
    }
    let body = json!({
        "channel": session.channel_id,
        "thread_ts": session.thread_ts,
        "text": match job.reading {
            Some(r) => format!(
                ":page_facing_up: The reading copy of review #{} ({}) as a canvas: <{}|open the canvas>.",
                r.review_id,
                r.version.map(|v| format!("draft v{v}")).unwrap_or_else(|| "no draft yet".into()),
                url
            ),
            None => format!(
                ":page_facing_up: The doc set of *{}* is now a canvas: <{}|open the canvas>.",
                escape_mrkdwn(title),
                url
            ),
        },
    });
    post_once(app, run, &body, None).await?;
    tracing::info!(session = job.session_id, "doc set exported as a canvas");
    Ok(delivered(job, confirmation))
}

/// Queues the confirmation (its own job: a dead response_url must not turn a
/// delivered export into a failure).
async fn confirm(app: &AppState, job: &ExportJob, text: &str) -> Outcome {
    flows::notify::enqueue(app, tell_exporter(job, text)).await?;
    Ok(Attempt::Done)
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
    fn a_canvas_too_big_for_slack_loses_the_discussion_then_is_cut() {
        use crate::domain::docset::{Entry, SCHEMA};
        let entry = |id: i64, text: String| Entry {
            id,
            text,
            author: Some("U1".into()),
            created_at: "2026-11-21T10:00:00Z".into(),
            files: Vec::new(),
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
                status: Default::default(),
            },
            press_release: None,
            press_release_history: Vec::new(),
            faq: Vec::new(),
            customer_experience: vec![entry(1, "a story".into())],
            user_manual: Vec::new(),
            discussion: (0..2_000).map(|i| entry(i, "chat ".repeat(200))).collect(),
            reviews: Vec::new(),
            decisions: Vec::new(),
            decision: None,
            coverage: Default::default(),
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
