//! An export as outbox data: which session, in which format, for whom, and
//! how far delivery got — every step that must not run twice is recorded, so
//! a retry or a restart resumes where it stopped.

use serde::{Deserialize, Serialize};

use crate::domain::command::ExportTarget;

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
    /// Set for a review's reading copy: the press release as reviewed, and a
    /// canvas the workspace refuses becomes the Markdown file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<ReadingCopy>,
}

/// What makes an export a review's reading copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingCopy {
    pub review_id: i64,
    /// The draft version the review reads (`None`: there was none).
    pub version: Option<i64>,
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
    pub fn label(&self) -> String {
        format!(
            "export of session {} as {}",
            self.session_id,
            self.format.label()
        )
    }

    /// The same export, moved on to `step`.
    pub fn at(&self, step: Step) -> Self {
        let mut next = self.clone();
        next.step = step;
        next
    }
}

#[cfg(test)]
mod tests {
    use super::super::Job;
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
            reading: Some(ReadingCopy {
                review_id: 2,
                version: Some(4),
            }),
        });
        let text = serde_json::to_string(&job).expect("json");
        assert!(text.contains("\"kind\":\"export\""), "{text}");
        assert_eq!(serde_json::from_str::<Job>(&text).expect("back"), job);
        let old = r#"{"kind":"export","session_id":1,"format":"markdown","user_id":"U","channel_id":"C"}"#;
        let Job::Export(job) = serde_json::from_str::<Job>(old).expect("defaults") else {
            panic!("not an export job");
        };
        assert_eq!(job.step, Step::Start);
        assert_eq!(job.reading, None);
    }
}
