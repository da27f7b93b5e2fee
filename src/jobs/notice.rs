//! What a user is told when a job fails for good: the words for each failure,
//! and the job that carries them (an ephemeral message where Slack lets us).
//! The user's own text is given back, so nothing they wrote is lost.

use serde_json::json;

use super::{ExportFormat, ExportJob, Failure, Job, Step};
use crate::domain::tenant::Workspace;
use crate::views::escape_mrkdwn;
use crate::webapi::{ApiError, NOT_INSTALLED};

/// The words for a Slack failure the user can act on.
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
            "my Slack token was refused; ask the admin who installed wb to reinstall it (or to check SLACK_BOT_TOKEN)."
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

/// The words for any failure: Slack's, or our database's.
fn explain_failure(failure: &Failure) -> String {
    match failure {
        Failure::Slack(err) => explain(err),
        Failure::Unconfirmed(_) => {
            "Slack could not tell me whether an earlier try was posted, so I did not post again (to avoid a duplicate).".into()
        }
        Failure::Storage(_) => {
            "my database kept failing; I gave up after several tries (the admin can see why in wb's log).".into()
        }
    }
}

/// Words for export failures, canvas ones first.
pub fn explain_export(failure: &Failure) -> String {
    const INSTEAD: &str = "`/wb export md` uploads the same doc set as a file instead.";
    let Failure::Slack(err) = failure else {
        return explain_failure(failure);
    };
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
        _ => explain(err),
    }
}

/// Canvas refusals no retry can change (turned off, or not in the
/// workspace's plan): a reading copy falls back to the Markdown file.
pub fn canvas_unavailable(err: &ApiError) -> bool {
    matches!(
        err.code(),
        Some(
            "canvas_disabled_user_team"
                | "canvas_disabled"
                | "canvases_disabled"
                | "not_allowed_type"
                | "team_tier_cannot_create_channel_canvases"
                | "free_teams_cannot_create_non_tabbed_canvases"
                | "free_teams_cannot_create_non_channel_canvases"
                | "free_team_canvas_tab_already_exists"
                | "channel_canvas_already_exists"
                | "canvas_tab_creation_failed"
                | "restricted_action"
                | "access_denied"
                | "canvas_creation_failed"
        )
    )
}

/// The message telling a user that a job failed for good, with their text.
pub fn failure_text(what: &str, failure: &Failure, content: Option<&str>) -> String {
    let mut text = format!(":warning: I couldn't {what}: {}", explain_failure(failure));
    if let Some(c) = content {
        text.push_str(&format!(
            "\nNothing you wrote is lost; here it is to try again:\n>{}",
            escape_mrkdwn(&crate::domain::truncate_chars(c, 2500)).replace('\n', "\n>")
        ));
    }
    text
}

/// Where and how to tell the user that `job` (of `workspace`) failed for
/// good, if anyone. Nobody is told when the workspace has no token any more
/// (it uninstalled wb): there is no way to reach them.
pub fn failure_notice(job: &Job, workspace: &Workspace, failure: &Failure) -> Option<Job> {
    if failure.api_error().and_then(ApiError::code) == Some(NOT_INSTALLED) {
        return None;
    }
    match job {
        Job::StartSession {
            response_url: Some(url),
            title,
            ..
        } => Some(Job::respond_ephemeral(
            url,
            &failure_text("start the session", failure, Some(title)),
        )),
        Job::Call {
            notify: Some(n), ..
        } => {
            let text = failure_text(&n.what, failure, None);
            Some(match &n.response_url {
                Some(url) => Job::respond_ephemeral(url, &text),
                None => {
                    let mut body =
                        json!({"channel": n.channel_id, "user": n.user_id, "text": text});
                    if let Some(ts) = &n.thread_ts {
                        body["thread_ts"] = json!(ts);
                    }
                    Job::call(workspace, "chat.postEphemeral", body)
                }
            })
        }
        Job::Export(export) => export_notice(export, workspace, failure),
        Job::ReminderZone {
            session_id,
            user_id,
            channel_id,
            response_url,
            at_time,
            ..
        } => {
            let text = format!(
                "{} No reminder is set; try `/wb remind {session_id} daily {at_time}` again.",
                failure_text(
                    &format!(
                        "look up your time zone for the daily reminder of session #{session_id}"
                    ),
                    failure,
                    None
                )
            );
            Some(match response_url {
                Some(url) => Job::respond_ephemeral(url, &text),
                None => Job::call(
                    workspace,
                    "chat.postEphemeral",
                    json!({"channel": channel_id, "user": user_id, "text": text}),
                ),
            })
        }
        _ => None,
    }
}

/// An ephemeral message to whoever asked for an export (in `workspace`).
pub fn tell_exporter(job: &ExportJob, workspace: &Workspace, text: &str) -> Job {
    match &job.response_url {
        Some(url) => Job::respond_ephemeral(url, text),
        None => Job::call(
            workspace,
            "chat.postEphemeral",
            json!({"channel": job.channel_id, "user": job.user_id, "text": text}),
        ),
    }
}

fn export_notice(job: &ExportJob, workspace: &Workspace, failure: &Failure) -> Option<Job> {
    if matches!(job.step, Step::Confirm { .. }) {
        // Delivered already; only the confirmation failed to queue.
        return None;
    }
    let what = match job.format {
        _ if job.reading.is_some() => format!(
            "post the reading copy of session #{} into its thread",
            job.session_id
        ),
        ExportFormat::Canvas => format!("open session #{} as a canvas", job.session_id),
        f => format!(
            "export session #{} as {} into its thread",
            job.session_id,
            f.label()
        ),
    };
    Some(tell_exporter(
        job,
        workspace,
        &format!(":warning: I couldn't {what}: {}", explain_export(failure)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    #[test]
    fn a_failed_start_gives_the_idea_back_to_its_author() {
        let job = Job::StartSession {
            team_id: "T".into(),
            enterprise_id: None,
            channel_id: "C".into(),
            user_id: "U".into(),
            title: "<!channel> fridge".into(),
            response_url: Some("http://x/r".into()),
            joined: true,
            posted_ts: None,
            first_draft: None,
            session_id: None,
        };
        let failure = Failure::Slack(ApiError::Permanent("not_in_channel".into()));
        let ws = Workspace::new("T", None);
        let Some(Job::Respond { body, .. }) = failure_notice(&job, &ws, &failure) else {
            panic!("expected a response_url notice");
        };
        let text = body["text"].as_str().unwrap_or_default();
        assert!(text.contains("/invite @wb"), "{text}");
        assert!(text.contains("&lt;!channel&gt; fridge"), "{text}");
        assert_eq!(body["response_type"], "ephemeral");
    }

    #[test]
    fn a_database_failure_is_not_blamed_on_slack() {
        let failure = Failure::Storage(StoreError::Unavailable("disk I/O".into()));
        let text = failure_text("post your question", &failure, Some("How much?"));
        assert!(text.contains("database"), "{text}");
        assert!(!text.contains("Slack"), "{text}");
        assert!(text.contains("How much?"), "{text}");
    }

    #[test]
    fn a_job_without_anyone_to_tell_stays_silent() {
        let ws = Workspace::new("T", None);
        let job = Job::call(&ws, "reactions.add", json!({}));
        let failure = Failure::Slack(ApiError::Permanent("x".into()));
        assert!(failure_notice(&job, &ws, &failure).is_none());
    }

    #[test]
    fn nobody_is_told_in_a_workspace_that_uninstalled_wb() {
        let ws = Workspace::new("T", None);
        let job = Job::call(&ws, "chat.postMessage", json!({})).with_notify(super::super::Notify {
            user_id: "U".into(),
            channel_id: "C".into(),
            thread_ts: None,
            response_url: None,
            what: "post it".into(),
        });
        let gone = Failure::Slack(ApiError::Permanent(NOT_INSTALLED.into()));
        assert!(failure_notice(&job, &ws, &gone).is_none());
        let other = Failure::Slack(ApiError::Permanent("is_archived".into()));
        let Some(Job::Call { workspace, .. }) = failure_notice(&job, &ws, &other) else {
            panic!("expected an ephemeral notice");
        };
        assert_eq!(workspace, ws, "the notice goes with the job's token");
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
            let text = explain_export(&Failure::Slack(ApiError::Permanent(code.into())));
            assert!(text.contains("/wb export md"), "{code}: {text}");
        }
        let text = explain_export(&Failure::Slack(ApiError::Permanent(
            "not_in_channel".into(),
        )));
        assert!(text.contains("/invite"));
    }
}
