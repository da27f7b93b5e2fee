//! FAQ questions outside the thread text itself: where a question came from,
//! where it stands (its triage state), what counts as a vote, and the list
//! the Answer form picks from.

use super::docset::Audience;
pub use super::state::QuestionState;

/// Longest question or answer text kept: Slack's own message limit, so a
/// question copied from the thread is never cut.
pub const MAX_TEXT_CHARS: usize = 40_000;

/// How a question reached the FAQ (the `questions.source` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionSource {
    /// A reply in the session thread.
    Thread,
    /// `/wb faq <question>`.
    Command,
    /// The Ask form (button or `/wb faq` without text).
    Modal,
    /// The *Add to FAQ* message shortcut.
    Shortcut,
}

impl QuestionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionSource::Thread => "thread",
            QuestionSource::Command => "command",
            QuestionSource::Modal => "modal",
            QuestionSource::Shortcut => "shortcut",
        }
    }
}

/// A question as the Answer form lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenQuestion {
    pub id: i64,
    pub audience: Audience,
    pub question: String,
    /// Distinct voters, its merged duplicates' included.
    pub votes: i64,
    /// Answered or closed (won't answer): listed after the unresolved ones.
    pub answered: bool,
    pub state: QuestionState,
    /// Who is asked to answer it.
    pub owner: Option<String>,
}

/// True for 👍 in any skin tone: Slack names it `+1` (or `thumbsup`), with
/// `::skin-tone-2` … `::skin-tone-6` appended for a tone.
pub fn is_vote(reaction: &str) -> bool {
    let base = match reaction.split_once("::") {
        Some((base, tone)) => {
            let valid_tone = tone
                .strip_prefix("skin-tone-")
                .is_some_and(|n| matches!(n, "2" | "3" | "4" | "5" | "6"));
            if !valid_tone {
                return false;
            }
            base
        }
        None => reaction,
    };
    matches!(base, "+1" | "thumbsup")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbs_up_in_every_skin_tone_is_a_vote_and_nothing_else_is() {
        let cases = [
            ("+1", true),
            ("thumbsup", true),
            ("+1::skin-tone-2", true),
            ("+1::skin-tone-6", true),
            ("thumbsup::skin-tone-4", true),
            ("+1::skin-tone-7", false),
            ("+1::", false),
            ("-1", false),
            ("thumbsdown", false),
            ("heart", false),
            ("+10", false),
            ("", false),
        ];
        for (reaction, want) in cases {
            assert_eq!(is_vote(reaction), want, "{reaction}");
        }
    }
}
