//! Press-release drafts: the canonical sections (McAllister's outline plus
//! Bryar & Carr's dateline) and a free-text body. Every save is a new version.

use serde::{Deserialize, Serialize};

/// The sections of one draft; `None` (or blank) means not filled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFields {
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub dateline_city: Option<String>,
    /// `YYYY-MM-DD`.
    pub launch_date: Option<String>,
    pub summary: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub leader_quote: Option<String>,
    pub getting_started: Option<String>,
    pub customer_quote: Option<String>,
    pub call_to_action: Option<String>,
    /// Free text, e.g. a `PR:` reply in the thread.
    pub body: Option<String>,
}

/// Where a draft came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftSource {
    Modal,
    Thread,
    Start,
}

impl DraftSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftSource::Modal => "modal",
            DraftSource::Thread => "thread",
            DraftSource::Start => "start",
        }
    }
}

/// A stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub session_id: i64,
    pub version: i64,
    pub author: String,
    pub created_at: String,
    pub source: String,
    pub fields: DraftFields,
}

impl DraftFields {
    /// Blank strings become `None`, the rest is trimmed.
    pub fn normalized(self) -> Self {
        let n = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Self {
            headline: n(self.headline),
            subheadline: n(self.subheadline),
            dateline_city: n(self.dateline_city),
            launch_date: n(self.launch_date),
            summary: n(self.summary),
            problem: n(self.problem),
            solution: n(self.solution),
            leader_quote: n(self.leader_quote),
            getting_started: n(self.getting_started),
            customer_quote: n(self.customer_quote),
            call_to_action: n(self.call_to_action),
            body: n(self.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_sections_are_not_filled() {
        let fields = DraftFields {
            headline: Some("  Fridge cam ".into()),
            summary: Some("   ".into()),
            ..Default::default()
        }
        .normalized();
        assert_eq!(fields.headline.as_deref(), Some("Fridge cam"));
        assert_eq!(fields.summary, None);
    }
}
