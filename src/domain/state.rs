//! Where an FAQ question stands: its triage state (a leaf module, so the doc
//! set and the FAQ rules can both name it).

use serde::Serialize;

/// Where a question stands (SPEC §5.2). A new question is `Open`; answering
/// makes it `Answered` (from any state but `Merged`); people set `NeedsData`
/// and `WontAnswer` in Triage, and may re-open any of them; merging a
/// duplicate makes it `Merged` until it is un-merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionState {
    Open,
    Answered,
    NeedsData,
    WontAnswer,
    Merged,
}

impl QuestionState {
    pub const ALL: [QuestionState; 5] = [
        QuestionState::Open,
        QuestionState::Answered,
        QuestionState::NeedsData,
        QuestionState::WontAnswer,
        QuestionState::Merged,
    ];

    /// The `questions.state` column value (and the export's).
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionState::Open => "open",
            QuestionState::Answered => "answered",
            QuestionState::NeedsData => "needs_data",
            QuestionState::WontAnswer => "wont_answer",
            QuestionState::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            QuestionState::Open => "Open",
            QuestionState::Answered => "Answered",
            QuestionState::NeedsData => "Needs data",
            QuestionState::WontAnswer => "Won't answer",
            QuestionState::Merged => "Merged",
        }
    }

    /// Still waiting for an answer: digests, reminders and the open count
    /// list these (a question that needs data is not answered yet).
    pub fn is_unresolved(self) -> bool {
        matches!(self, QuestionState::Open | QuestionState::NeedsData)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_only_open_ones_are_unresolved() {
        for state in QuestionState::ALL {
            assert_eq!(QuestionState::parse(state.as_str()), Some(state));
            let json = serde_json::to_value(state).expect("json");
            assert_eq!(json, state.as_str());
        }
        assert_eq!(QuestionState::parse("closed"), None);
        let unresolved: Vec<_> = QuestionState::ALL
            .into_iter()
            .filter(|s| s.is_unresolved())
            .collect();
        assert_eq!(
            unresolved,
            [QuestionState::Open, QuestionState::NeedsData],
            "needs data is still waiting for an answer"
        );
    }
}
