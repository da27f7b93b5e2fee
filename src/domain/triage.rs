//! Triage of a session's FAQ: the questions as the Triage modal, the digest
//! and the owner's notice see them, the filters and pages of the modal, and
//! the ranking of the questions a duplicate may be merged into.

use std::collections::HashSet;

use super::docset::Audience;
use super::family::Family;
use super::faq::QuestionState;

/// Questions on one page of the Triage modal: one block each keeps a page
/// far below Slack's 100 blocks per modal, with room for the controls.
pub const PAGE_SIZE: usize = 25;

/// A question with everything triage knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageQuestion {
    pub id: i64,
    pub audience: Audience,
    pub question: String,
    pub asked_by: Option<String>,
    /// Distinct voters of the question and its merged duplicates (a merged
    /// duplicate shows its own voters).
    pub votes: i64,
    pub state: QuestionState,
    pub owner: Option<String>,
    /// Internal questions only: as set by a person, or guessed from the words.
    pub family: Option<Family>,
    pub merged_into: Option<i64>,
}

/// How many of a session's live questions are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub open: i64,
    pub needs_data: i64,
    pub answered: i64,
    pub wont_answer: i64,
    pub merged: i64,
    /// Unresolved questions nobody owns yet.
    pub unowned: i64,
}

impl StateCounts {
    /// Questions still waiting for an answer (open or needing data).
    pub fn unresolved(&self) -> i64 {
        self.open + self.needs_data
    }

    /// Distinct questions: everything but merged duplicates.
    pub fn questions(&self) -> i64 {
        self.open + self.needs_data + self.answered + self.wont_answer
    }

    /// How many questions `filter` lists.
    pub fn listed(&self, filter: Filter) -> i64 {
        match filter {
            Filter::Unresolved => self.unresolved(),
            Filter::Unowned => self.unowned,
            Filter::NeedsData => self.needs_data,
            Filter::Answered => self.answered,
            Filter::WontAnswer => self.wont_answer,
            Filter::Merged => self.merged,
            Filter::All => self.questions() + self.merged,
        }
    }
}

/// Which questions the Triage modal lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Open or needing data: what still wants an answer (the default).
    #[default]
    Unresolved,
    /// Unresolved and nobody owns it.
    Unowned,
    NeedsData,
    Answered,
    WontAnswer,
    Merged,
    All,
}

impl Filter {
    pub const ALL: [Filter; 7] = [
        Filter::Unresolved,
        Filter::Unowned,
        Filter::NeedsData,
        Filter::Answered,
        Filter::WontAnswer,
        Filter::Merged,
        Filter::All,
    ];

    /// Short and stable: it travels in the modal's metadata and option values.
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::Unresolved => "unresolved",
            Filter::Unowned => "unowned",
            Filter::NeedsData => "needs_data",
            Filter::Answered => "answered",
            Filter::WontAnswer => "wont_answer",
            Filter::Merged => "merged",
            Filter::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Filter::Unresolved => "Open and needs data",
            Filter::Unowned => "Open, no owner",
            Filter::NeedsData => "Needs data",
            Filter::Answered => "Answered",
            Filter::WontAnswer => "Won't answer",
            Filter::Merged => "Merged duplicates",
            Filter::All => "All questions",
        }
    }
}

/// The pages `listed` questions fill (at least one, to show "nothing here").
pub fn pages(listed: i64) -> i64 {
    ((listed.max(0) as usize).div_ceil(PAGE_SIZE)).max(1) as i64
}

/// `page` kept within `0..pages(listed)` (a page may have emptied meanwhile).
pub fn clamp_page(page: i64, listed: i64) -> i64 {
    page.clamp(0, pages(listed) - 1)
}

/// Words worth comparing: lowercase, three letters or more, minus the words
/// every question has.
fn words(text: &str) -> HashSet<String> {
    const COMMON: [&str; 24] = [
        "the", "and", "for", "are", "was", "will", "what", "who", "how", "why", "when", "where",
        "does", "did", "can", "could", "would", "should", "this", "that", "with", "our", "you",
        "have",
    ];
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(w))
        .map(str::to_string)
        .collect()
}

/// Orders the questions a duplicate may be merged into: most words in
/// common with `duplicate` first (duplicates are usually worded alike), then
/// most votes. Merged duplicates and the duplicate itself are left out.
pub fn rank_merge_targets(
    duplicate: &TriageQuestion,
    mut candidates: Vec<TriageQuestion>,
) -> Vec<TriageQuestion> {
    let mine = words(&duplicate.question);
    candidates.retain(|c| c.id != duplicate.id && c.state != QuestionState::Merged);
    let mut scored: Vec<(usize, TriageQuestion)> = candidates
        .into_iter()
        .map(|c| (words(&c.question).intersection(&mine).count(), c))
        .collect();
    scored.sort_by(|(sa, a), (sb, b)| sb.cmp(sa).then(b.votes.cmp(&a.votes)).then(a.id.cmp(&b.id)));
    scored.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn question(id: i64, text: &str, votes: i64) -> TriageQuestion {
        TriageQuestion {
            id,
            audience: Audience::External,
            question: text.into(),
            asked_by: None,
            votes,
            state: QuestionState::Open,
            owner: None,
            family: None,
            merged_into: None,
        }
    }

    #[test]
    fn merge_targets_worded_alike_come_first() {
        let dup = question(1, "How much will the camera cost?", 3);
        let mut merged = question(5, "What will the camera cost us?", 9);
        merged.state = QuestionState::Merged;
        let candidates = vec![
            question(2, "Where do I buy it?", 10),
            question(3, "What will it cost?", 1),
            question(4, "Does the camera cost extra per month?", 0),
            dup.clone(),
            merged,
        ];
        let ids: Vec<i64> = rank_merge_targets(&dup, candidates)
            .iter()
            .map(|q| q.id)
            .collect();
        assert_eq!(ids, [4, 3, 2]);
    }

    #[test]
    fn pages_hold_twenty_five_questions() {
        assert_eq!(pages(0), 1);
        assert_eq!(pages(25), 1);
        assert_eq!(pages(26), 2);
        assert_eq!(pages(300), 12);
        assert_eq!(clamp_page(40, 300), 11);
        assert_eq!(clamp_page(-1, 300), 0);
        assert_eq!(clamp_page(3, 0), 0);
    }

    #[test]
    fn filters_round_trip_and_count() {
        for f in Filter::ALL {
            assert_eq!(Filter::parse(f.as_str()), Some(f));
            assert!(f.label().chars().count() <= 75);
        }
        let counts = StateCounts {
            open: 5,
            needs_data: 2,
            answered: 3,
            wont_answer: 1,
            merged: 4,
            unowned: 6,
        };
        assert_eq!(counts.unresolved(), 7);
        assert_eq!(counts.questions(), 11);
        assert_eq!(counts.listed(Filter::All), 15);
        assert_eq!(counts.listed(Filter::Unowned), 6);
    }
}
