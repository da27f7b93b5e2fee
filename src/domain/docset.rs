//! The doc set of one session — press release, FAQ, customer experience, user
//! manual, discussion — as one value that every export format renders. Field
//! order here is the key order of the `wb.docset/1` JSON.

use serde::Serialize;

use super::family::{Coverage, Family};
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
}

/// A customer-experience story or a discussion message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub text: String,
    pub author: Option<String>,
    pub created_at: String,
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
}
