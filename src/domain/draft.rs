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

/// One section of a draft, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Headline,
    Subheadline,
    DatelineCity,
    LaunchDate,
    Summary,
    Problem,
    Solution,
    LeaderQuote,
    GettingStarted,
    CustomerQuote,
    CallToAction,
    Body,
}

impl Section {
    /// Every section, in the order a press release is read.
    pub const ALL: [Section; 12] = [
        Section::Headline,
        Section::Subheadline,
        Section::DatelineCity,
        Section::LaunchDate,
        Section::Summary,
        Section::Problem,
        Section::Solution,
        Section::LeaderQuote,
        Section::GettingStarted,
        Section::CustomerQuote,
        Section::CallToAction,
        Section::Body,
    ];

    /// The field name (as in the database and the `wb.docset/1` JSON).
    pub fn key(self) -> &'static str {
        match self {
            Section::Headline => "headline",
            Section::Subheadline => "subheadline",
            Section::DatelineCity => "dateline_city",
            Section::LaunchDate => "launch_date",
            Section::Summary => "summary",
            Section::Problem => "problem",
            Section::Solution => "solution",
            Section::LeaderQuote => "leader_quote",
            Section::GettingStarted => "getting_started",
            Section::CustomerQuote => "customer_quote",
            Section::CallToAction => "call_to_action",
            Section::Body => "body",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Section::Headline => "Headline",
            Section::Subheadline => "Sub-headline",
            Section::DatelineCity => "Dateline city",
            Section::LaunchDate => "Launch date",
            Section::Summary => "Summary",
            Section::Problem => "Problem",
            Section::Solution => "Solution",
            Section::LeaderQuote => "Leader quote",
            Section::GettingStarted => "How to get started",
            Section::CustomerQuote => "Customer quote",
            Section::CallToAction => "Call to action",
            Section::Body => "Free text",
        }
    }
}

/// How a section differs from the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Edited,
    Removed,
}

/// One section that changed between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub section: Section,
    pub kind: ChangeKind,
}

impl DraftFields {
    /// The text of one section (`None` when not filled).
    pub fn get(&self, section: Section) -> Option<&str> {
        let v = match section {
            Section::Headline => &self.headline,
            Section::Subheadline => &self.subheadline,
            Section::DatelineCity => &self.dateline_city,
            Section::LaunchDate => &self.launch_date,
            Section::Summary => &self.summary,
            Section::Problem => &self.problem,
            Section::Solution => &self.solution,
            Section::LeaderQuote => &self.leader_quote,
            Section::GettingStarted => &self.getting_started,
            Section::CustomerQuote => &self.customer_quote,
            Section::CallToAction => &self.call_to_action,
            Section::Body => &self.body,
        };
        v.as_deref().filter(|s| !s.trim().is_empty())
    }

    /// Sets one section.
    pub fn set(&mut self, section: Section, value: Option<String>) {
        let slot = match section {
            Section::Headline => &mut self.headline,
            Section::Subheadline => &mut self.subheadline,
            Section::DatelineCity => &mut self.dateline_city,
            Section::LaunchDate => &mut self.launch_date,
            Section::Summary => &mut self.summary,
            Section::Problem => &mut self.problem,
            Section::Solution => &mut self.solution,
            Section::LeaderQuote => &mut self.leader_quote,
            Section::GettingStarted => &mut self.getting_started,
            Section::CustomerQuote => &mut self.customer_quote,
            Section::CallToAction => &mut self.call_to_action,
            Section::Body => &mut self.body,
        };
        *slot = value;
    }

    /// True when no section is filled.
    pub fn is_empty(&self) -> bool {
        Section::ALL.iter().all(|s| self.get(*s).is_none())
    }

    /// The sections that differ from `previous`, in reading order. Against no
    /// previous version (a first draft) every filled section counts as added.
    /// Surrounding whitespace is not a change.
    pub fn changes_since(&self, previous: Option<&DraftFields>) -> Vec<FieldChange> {
        Section::ALL
            .iter()
            .filter_map(|&section| {
                let now = self.get(section).map(str::trim);
                let before = previous.and_then(|p| p.get(section)).map(str::trim);
                let kind = match (before, now) {
                    (None, Some(_)) => ChangeKind::Added,
                    (Some(_), None) => ChangeKind::Removed,
                    (Some(a), Some(b)) if a != b => ChangeKind::Edited,
                    _ => return None,
                };
                Some(FieldChange { section, kind })
            })
            .collect()
    }

    /// The launch date, when it is a valid `YYYY-MM-DD`.
    pub fn launch_date(&self) -> Option<jiff::civil::Date> {
        parse_date(self.get(Section::LaunchDate)?)
    }

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

/// The sections of an exported press release (e.g. to review it in the export).
impl From<&crate::domain::docset::PressRelease> for DraftFields {
    fn from(pr: &crate::domain::docset::PressRelease) -> Self {
        Self {
            headline: pr.headline.clone(),
            subheadline: pr.subheadline.clone(),
            dateline_city: pr.dateline_city.clone(),
            launch_date: pr.launch_date.clone(),
            summary: pr.summary.clone(),
            problem: pr.problem.clone(),
            solution: pr.solution.clone(),
            leader_quote: pr.leader_quote.clone(),
            getting_started: pr.getting_started.clone(),
            customer_quote: pr.customer_quote.clone(),
            call_to_action: pr.call_to_action.clone(),
            body: pr.body.clone(),
        }
    }
}

/// Parses a `YYYY-MM-DD` date (what Slack's datepicker sends).
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    text.trim().parse::<jiff::civil::Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_each_section_that_was_added_edited_or_removed() {
        let v1 = DraftFields {
            headline: Some("Fridge cam".into()),
            problem: Some("Food goes off".into()),
            summary: Some("Old".into()),
            ..Default::default()
        };
        let v2 = DraftFields {
            headline: Some(" Fridge cam ".into()),
            summary: Some("New".into()),
            solution: Some("A camera".into()),
            ..Default::default()
        };
        let got = v2.changes_since(Some(&v1));
        assert_eq!(
            got,
            vec![
                FieldChange {
                    section: Section::Summary,
                    kind: ChangeKind::Edited
                },
                FieldChange {
                    section: Section::Problem,
                    kind: ChangeKind::Removed
                },
                FieldChange {
                    section: Section::Solution,
                    kind: ChangeKind::Added
                },
            ]
        );
        assert!(v2.changes_since(Some(&v2)).is_empty());
        let first = v1.changes_since(None);
        assert_eq!(first.len(), 3);
        assert!(first.iter().all(|c| c.kind == ChangeKind::Added));
    }

    #[test]
    fn get_and_set_cover_every_section() {
        let mut fields = DraftFields::default();
        assert!(fields.is_empty());
        for (i, s) in Section::ALL.iter().enumerate() {
            fields.set(*s, Some(format!("v{i}")));
        }
        for (i, s) in Section::ALL.iter().enumerate() {
            assert_eq!(fields.get(*s), Some(format!("v{i}").as_str()), "{s:?}");
        }
        fields.set(Section::Body, Some("  ".into()));
        assert_eq!(fields.get(Section::Body), None);
        let keys: std::collections::HashSet<_> = Section::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys.len(), Section::ALL.len());
    }

    #[test]
    fn an_exported_press_release_converts_back_to_its_sections() {
        let pr = crate::domain::docset::PressRelease {
            version: 2,
            author: "U1".into(),
            created_at: "x".into(),
            headline: Some("h".into()),
            subheadline: None,
            summary: Some("s".into()),
            problem: None,
            solution: None,
            leader_quote: None,
            getting_started: None,
            customer_quote: Some("c".into()),
            call_to_action: None,
            body: Some("b".into()),
            dateline_city: Some("Paris".into()),
            launch_date: Some("2027-03-01".into()),
            files: Vec::new(),
        };
        let fields = DraftFields::from(&pr);
        assert_eq!(fields.get(Section::Headline), Some("h"));
        assert_eq!(fields.get(Section::CustomerQuote), Some("c"));
        assert_eq!(fields.get(Section::DatelineCity), Some("Paris"));
        assert_eq!(fields.get(Section::Body), Some("b"));
        assert_eq!(fields.launch_date(), Some(jiff::civil::date(2027, 3, 1)));
    }

    #[test]
    fn launch_dates_parse_only_when_valid() {
        let with = |d: &str| DraftFields {
            launch_date: Some(d.into()),
            ..Default::default()
        };
        assert_eq!(
            with("2027-03-01").launch_date(),
            Some(jiff::civil::date(2027, 3, 1))
        );
        assert_eq!(with("2027-02-30").launch_date(), None);
        assert_eq!(with("next spring").launch_date(), None);
        assert_eq!(DraftFields::default().launch_date(), None);
    }

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
