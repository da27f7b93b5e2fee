//! A session: one idea, one Slack thread.

use serde::Serialize;

use super::review::Status;

/// Longest idea we keep. Slack caps message text far above this; a title is a line.
pub const MAX_TITLE_CHARS: usize = 2000;

/// An idea's title: trimmed, non-empty, at most [`MAX_TITLE_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    #[error("the idea is empty")]
    Empty,
    #[error("the idea is {0} characters long; keep it under {MAX_TITLE_CHARS}")]
    TooLong(usize),
}

impl Title {
    pub fn parse(raw: &str) -> Result<Self, TitleError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TitleError::Empty);
        }
        let count = trimmed.chars().count();
        if count > MAX_TITLE_CHARS {
            return Err(TitleError::TooLong(count));
        }
        Ok(Self(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: i64,
    pub title: String,
    pub team_id: String,
    pub channel_id: String,
    pub thread_ts: String,
    pub created_by: String,
    pub created_at: String,
    /// Where it stands in the process (SPEC §5.1); last, as in the export.
    pub status: Status,
    /// The Enterprise Grid org of `team_id`, when it has one: with the team,
    /// whose installation the session belongs to. Not part of the export.
    #[serde(skip)]
    pub enterprise_id: Option<String>,
}

impl Session {
    /// The workspace the session's work is for (its jobs use its token).
    pub fn workspace(&self) -> super::tenant::Workspace {
        super::tenant::Workspace::new(self.team_id.clone(), self.enterprise_id.clone())
    }
}

/// A session with its counts, as `wb sessions` and `/wb list` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    #[serde(flatten)]
    pub session: Session,
    pub drafts: i64,
    pub questions: i64,
    /// The latest decision's outcome, if any (shown with the status).
    #[serde(skip)]
    pub decision: Option<super::review::Outcome>,
}

impl SessionSummary {
    /// The status as people read it: "Drafting", "In review", "Decided: Go".
    pub fn stage(&self) -> String {
        match (self.session.status, self.decision) {
            (super::review::Status::Decided, Some(o)) => format!("Decided: {}", o.label()),
            (status, _) => status.label().to_string(),
        }
    }
}

/// What is needed to store a session once Slack has returned the root `ts`.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub team_id: String,
    /// The Enterprise Grid org of `team_id`, when it has one.
    pub enterprise_id: Option<String>,
    pub channel_id: String,
    pub thread_ts: String,
    pub title: Title,
    pub created_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(
            Title::parse("  Smart fridge camera ").map(|t| t.0),
            Ok("Smart fridge camera".into())
        );
        assert_eq!(Title::parse(" \n "), Err(TitleError::Empty));
        let long = "é".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(
            Title::parse(&long),
            Err(TitleError::TooLong(MAX_TITLE_CHARS + 1))
        );
        assert!(Title::parse(&"é".repeat(MAX_TITLE_CHARS)).is_ok());
    }
}
