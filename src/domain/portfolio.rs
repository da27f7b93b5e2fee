//! The Home tab's portfolio: every session of a workspace with where it
//! stands, and the reviews the viewing user is asked to read.

use super::family::Coverage;
use super::review::{Outcome, Status};
use super::session::Session;

/// One session as the portfolio shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioEntry {
    pub session: Session,
    pub last_activity_at: String,
    /// The latest press-release version; `None` before the first draft.
    pub latest_version: Option<i64>,
    /// Questions still waiting for an answer (open or needing data).
    pub open_questions: i64,
    /// The thread's link, when known (cached by exports and the Home tab).
    pub permalink: Option<String>,
    /// The latest decision's outcome.
    pub decision: Option<Outcome>,
    /// The review scheduled or reading now.
    pub review: Option<OpenReview>,
    /// The internal FAQ by family (SPEC §5.2).
    pub coverage: Coverage,
}

/// A review that is scheduled or in silent reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReview {
    pub id: i64,
    /// When reading starts (or started).
    pub scheduled_at: String,
    /// When reading ends, once it started.
    pub ends_at: Option<String>,
    /// The viewing user is one of its reviewers.
    pub you_review: bool,
}

impl PortfolioEntry {
    pub fn status(&self) -> Status {
        self.session.status
    }

    /// A review the viewing user is asked to read (scheduled or open).
    pub fn is_your_review(&self) -> bool {
        self.review.as_ref().is_some_and(|r| r.you_review)
    }
}

/// How many sessions are at each stage (all of them, shown or not).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageCounts {
    pub drafting: i64,
    pub in_review: i64,
    pub decided: i64,
    /// Of the decided: Go and No-go.
    pub go: i64,
    pub no_go: i64,
}

impl StageCounts {
    pub fn of(&self, status: Status) -> i64 {
        match status {
            Status::Drafting => self.drafting,
            Status::InReview => self.in_review,
            Status::Decided => self.decided,
        }
    }

    pub fn total(&self) -> i64 {
        self.drafting + self.in_review + self.decided
    }
}

/// A workspace's sessions for one viewer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Portfolio {
    /// The most recently active sessions, most recent first (at most what
    /// the Home tab can show).
    pub recent: Vec<PortfolioEntry>,
    /// Sessions whose scheduled or open review the viewer is asked to read,
    /// soonest first.
    pub yours: Vec<PortfolioEntry>,
    pub counts: StageCounts,
}
