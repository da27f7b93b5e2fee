//! The doc set of one session — press release, FAQ, customer experience, user
//! manual, discussion — as one value that every export format renders. Field
//! order here is the key order of the `wb.docset/1` JSON.

use serde::Serialize;

use super::family::{Coverage, Family};
use super::review::{CommentSection, Outcome};
use super::session::Session;
use super::state::QuestionState;

pub const SCHEMA: &str = "wb.docset/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocSet {
    pub schema: &'static str,
    pub session: Session,
    pub press_release: Option<PressRelease>,
    pub press_release_history: Vec<DraftMeta>,
    pub faq: Vec<FaqEntry>,
    pub customer_experience: Vec<Entry>,
    pub user_manual: Vec<ManualEntry>,
    pub discussion: Vec<Entry>,
    /// Review meetings, oldest first (SPEC §5.1); one replaced or cancelled
    /// before its reading started is left out.
    pub reviews: Vec<ReviewRecord>,
    /// Every decision, oldest first.
    pub decisions: Vec<DecisionRecord>,
    /// The latest decision, or `None`.
    pub decision: Option<DecisionRecord>,
    /// Internal, non-merged questions per family (SPEC §5.2): the last key.
    pub coverage: Coverage,
}

/// The latest press-release version. A field not filled is `None` (JSON null).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PressRelease {
    pub version: i64,
    pub author: String,
    pub created_at: String,
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub summary: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub leader_quote: Option<String>,
    pub getting_started: Option<String>,
    pub customer_quote: Option<String>,
    pub call_to_action: Option<String>,
    pub body: Option<String>,
    /// Dateline (Bryar & Carr): added after the schema's original keys, so readers of the
    /// original key set are unaffected.
    pub dateline_city: Option<String>,
    pub launch_date: Option<String>,
    /// Files attached to the `PR:` reply of this version (none for a modal draft).
    pub files: Vec<AttachedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftMeta {
    pub version: i64,
    pub author: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    External,
    Internal,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::External => "external",
            Audience::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "external" => Some(Audience::External),
            "internal" => Some(Audience::Internal),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaqEntry {
    pub id: i64,
    pub audience: Audience,
    pub question: String,
    /// `None` when asked anonymously.
    pub asked_by: Option<String>,
    pub asked_at: String,
    pub votes: i64,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub state: QuestionState,
    /// Who is asked to answer it.
    pub owner: Option<String>,
    /// Internal questions only.
    pub family: Option<Family>,
    /// The question this duplicate was merged into; its votes count there
    /// (`votes` is 0 here).
    pub merged_into: Option<i64>,
    /// Files attached to the thread message the question was asked in.
    pub files: Vec<AttachedFile>,
}

/// A customer-experience story or a discussion message. A reply that is only
/// a file (no text) is discussion with an empty `text` and its `files`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub text: String,
    pub author: Option<String>,
    pub created_at: String,
    pub files: Vec<AttachedFile>,
}

/// A file attached to a thread message, as Slack names it. wb keeps its name
/// and permalink, never its bytes: the permalink opens it in Slack for whoever
/// may see it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachedFile {
    /// Slack's file id (`F…`).
    pub id: String,
    /// The file name (`layout.png`), else its title, else its id.
    pub name: String,
    pub permalink: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ManualKind {
    Concept,
    Howto,
    Reference,
}

impl ManualKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ManualKind::Concept => "concept",
            ManualKind::Howto => "howto",
            ManualKind::Reference => "reference",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "concept" => Some(ManualKind::Concept),
            "howto" => Some(ManualKind::Howto),
            "reference" => Some(ManualKind::Reference),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualEntry {
    pub id: i64,
    pub kind: ManualKind,
    pub text: String,
    pub author: Option<String>,
    pub created_at: String,
    pub files: Vec<AttachedFile>,
}

/// One review meeting: the version it read, when, and its comments. The
/// comments of a review still in silent reading are left out: nobody sees
/// them before reading ends, in Slack or in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRecord {
    pub id: i64,
    pub version: Option<i64>,
    pub scheduled_at: String,
    pub reading_minutes: i64,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub reviewers: Vec<String>,
    pub comments: Vec<ReviewComment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewComment {
    pub id: i64,
    pub section: CommentSection,
    pub text: String,
    pub author: String,
    pub created_at: String,
    /// Written after reading ended. Not a `wb.docset/1` key: the Markdown
    /// and HTML say so.
    #[serde(skip_serializing)]
    pub late: bool,
}

/// A Go / Iterate / No-go decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    pub outcome: Outcome,
    pub rationale: String,
    pub next_steps: Option<String>,
    pub decided_by: String,
    pub decided_at: String,
    /// The draft version decided on; `None` before any draft.
    pub version: Option<i64>,
}
