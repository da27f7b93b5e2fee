//! The review meeting and the decision (SPEC §5.1; WORKING_BACKWARDS.md, "The
//! review and the decision"): a session's status, the sections a comment is
//! about, the outcomes, and the rules a review form must meet. No Slack, no SQL.

mod form;

pub use form::*;

use serde::Serialize;

/// Where a session stands in the process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Drafting,
    InReview,
    Decided,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Drafting, Status::InReview, Status::Decided];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Drafting => "drafting",
            Status::InReview => "in_review",
            Status::Decided => "decided",
        }
    }

    /// Unknown text reads as drafting (the column's CHECK allows only the three).
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Drafting => "Drafting",
            Status::InReview => "In review",
            Status::Decided => "Decided",
        }
    }
}

/// What a decision says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Go,
    Iterate,
    NoGo,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Go, Outcome::Iterate, Outcome::NoGo];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Go => "go",
            Outcome::Iterate => "iterate",
            Outcome::NoGo => "no_go",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Go => "Go",
            Outcome::Iterate => "Iterate",
            Outcome::NoGo => "No-go",
        }
    }

    /// The status a decision leaves the session in: `iterate` sends it back
    /// to drafting (the decision is kept).
    pub fn status_after(self) -> Status {
        match self {
            Outcome::Go | Outcome::NoGo => Status::Decided,
            Outcome::Iterate => Status::Drafting,
        }
    }
}

/// What a review comment is about: one of the nine press-release sections,
/// the FAQ, or the document as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentSection {
    Headline,
    Subheadline,
    Summary,
    Problem,
    Solution,
    LeaderQuote,
    GettingStarted,
    CustomerQuote,
    CallToAction,
    Faq,
    General,
}

impl CommentSection {
    /// In reading order: the comments are posted in this order.
    pub const ALL: [CommentSection; 11] = [
        CommentSection::Headline,
        CommentSection::Subheadline,
        CommentSection::Summary,
        CommentSection::Problem,
        CommentSection::Solution,
        CommentSection::LeaderQuote,
        CommentSection::GettingStarted,
        CommentSection::CustomerQuote,
        CommentSection::CallToAction,
        CommentSection::Faq,
        CommentSection::General,
    ];

    /// The stored and exported name (the press-release ones are the
    /// `wb.docset/1` field names).
    pub fn key(self) -> &'static str {
        match self {
            CommentSection::Headline => "headline",
            CommentSection::Subheadline => "subheadline",
            CommentSection::Summary => "summary",
            CommentSection::Problem => "problem",
            CommentSection::Solution => "solution",
            CommentSection::LeaderQuote => "leader_quote",
            CommentSection::GettingStarted => "getting_started",
            CommentSection::CustomerQuote => "customer_quote",
            CommentSection::CallToAction => "call_to_action",
            CommentSection::Faq => "faq",
            CommentSection::General => "general",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CommentSection::Headline => "Headline",
            CommentSection::Subheadline => "Sub-headline",
            CommentSection::Summary => "Summary",
            CommentSection::Problem => "Problem",
            CommentSection::Solution => "Solution",
            CommentSection::LeaderQuote => "Leader quote",
            CommentSection::GettingStarted => "How to get started",
            CommentSection::CustomerQuote => "Customer quote",
            CommentSection::CallToAction => "Call to action",
            CommentSection::Faq => "FAQ",
            CommentSection::General => "General",
        }
    }
}

/// Where a review is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading starts at `scheduled_at`.
    Scheduled,
    /// Silent reading: comments are stored, shown to nobody else.
    Reading,
    /// Comments were posted; a comment now is a late one, posted at once.
    Ended,
    /// Replaced or cancelled before reading started.
    Canceled,
}

/// A stored review meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub session_id: i64,
    /// The draft version it reads; `None` when there was no draft.
    pub version: Option<i64>,
    pub scheduled_at: String,
    pub reading_minutes: i64,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub ends_at: Option<String>,
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    pub canceled_at: Option<String>,
    pub reading_ts: Option<String>,
    pub reviewers: Vec<String>,
}

impl Review {
    pub fn phase(&self) -> Phase {
        if self.ended_at.is_some() {
            Phase::Ended
        } else if self.started_at.is_some() {
            Phase::Reading
        } else if self.canceled_at.is_some() {
            Phase::Canceled
        } else {
            Phase::Scheduled
        }
    }

    /// Scheduled or reading: the review a new one would replace.
    pub fn is_open(&self) -> bool {
        matches!(self.phase(), Phase::Scheduled | Phase::Reading)
    }

    /// May `user` end its reading: the session's creator, the review's
    /// creator, or one of its reviewers.
    pub fn may_end(&self, session_creator: &str, user: &str) -> bool {
        user == session_creator || user == self.created_by || self.is_reviewer(user)
    }

    pub fn is_reviewer(&self, user: &str) -> bool {
        self.reviewers.iter().any(|r| r == user)
    }
}

/// May `user` decide: the session's creator, or a reviewer of its current
/// review (the latest one not retired before it started).
pub fn may_decide(session_creator: &str, current: Option<&Review>, user: &str) -> bool {
    user == session_creator || current.is_some_and(|r| r.is_reviewer(user))
}

/// The status a session returns to when its open review is called off: what
/// its latest decision left (drafting when there is none).
pub fn status_without_review(latest: Option<Outcome>) -> Status {
    latest.map_or(Status::Drafting, Outcome::status_after)
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub review_id: i64,
    pub section: CommentSection,
    pub text: String,
    pub author: String,
    pub created_at: String,
    /// Written after reading ended (posted at once).
    pub late: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_move_the_status_and_names_round_trip() {
        assert_eq!(Outcome::Go.status_after(), Status::Decided);
        assert_eq!(Outcome::NoGo.status_after(), Status::Decided);
        assert_eq!(Outcome::Iterate.status_after(), Status::Drafting);
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), s);
        }
        for c in CommentSection::ALL {
            assert_eq!(CommentSection::parse(c.key()), Some(c));
        }
        assert_eq!(Outcome::parse("maybe"), None);
        assert_eq!(Status::parse("weird"), Status::Drafting);
        assert_eq!(Outcome::NoGo.as_str(), "no_go");
    }

    #[test]
    fn a_review_knows_its_phase_and_who_may_end_it() {
        let mut r = Review {
            id: 1,
            session_id: 1,
            version: Some(4),
            scheduled_at: "2026-12-01T10:00:00Z".into(),
            reading_minutes: 20,
            created_by: "UPM".into(),
            created_at: "2026-11-30T10:00:00Z".into(),
            started_at: None,
            ends_at: None,
            ended_at: None,
            ended_by: None,
            canceled_at: None,
            reading_ts: None,
            reviewers: vec!["UA".into(), "UB".into()],
        };
        assert_eq!(r.phase(), Phase::Scheduled);
        assert!(r.is_open());
        assert!(r.may_end("UCREATOR", "UA"));
        assert!(r.may_end("UCREATOR", "UCREATOR"));
        assert!(r.may_end("UCREATOR", "UPM"));
        assert!(!r.may_end("UCREATOR", "USTRANGER"));
        assert!(may_decide("UCREATOR", Some(&r), "UB"));
        assert!(may_decide("UCREATOR", None, "UCREATOR"));
        assert!(
            !may_decide("UCREATOR", Some(&r), "UPM"),
            "scheduling gives no vote"
        );
        assert!(!may_decide("UCREATOR", None, "UA"));
        assert_eq!(status_without_review(None), Status::Drafting);
        assert_eq!(status_without_review(Some(Outcome::NoGo)), Status::Decided);
        r.started_at = Some("2026-12-01T10:00:00Z".into());
        assert_eq!(r.phase(), Phase::Reading);
        r.ended_at = Some("2026-12-01T10:20:00Z".into());
        assert_eq!(r.phase(), Phase::Ended);
        assert!(!r.is_open());
        r.started_at = None;
        r.ended_at = None;
        r.canceled_at = Some("2026-11-30T11:00:00Z".into());
        assert_eq!(r.phase(), Phase::Canceled);
    }
}
