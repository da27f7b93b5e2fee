//! What a reply in a session thread becomes (README, "In the thread"): an FAQ
//! question, a press-release draft, a customer-experience story, a user-manual
//! section, or plain discussion. Pure: text in, [`Capture`] out.
//!
//! Prefixes are matched case-insensitively at the start of the (trimmed) text,
//! followed by `:` (or the full-width `：`, as East Asian keyboards type it),
//! optionally with spaces before the colon. The prefix and the whitespace around
//! the rest are stripped; everything else is kept exactly as Slack sent it.

use super::docset::{Audience, ManualKind};

/// The kind of a non-question, non-draft thread message, as the `entries`
/// table stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    CustomerExperience,
    Manual(ManualKind),
    Discussion,
}

impl EntryKind {
    /// The `entries.kind` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::CustomerExperience => "customer_experience",
            EntryKind::Manual(kind) => kind.as_str(),
            EntryKind::Discussion => "discussion",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer_experience" => Some(EntryKind::CustomerExperience),
            "discussion" => Some(EntryKind::Discussion),
            other => ManualKind::parse(other).map(EntryKind::Manual),
        }
    }
}

/// What a thread reply is, with its text (prefix stripped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    Question {
        audience: Audience,
        text: String,
    },
    /// `PR:` — a new press-release draft version with this free-text body.
    Draft {
        text: String,
    },
    /// `CX:`, `Story:`, `Concept:`, `How-to:`, `Reference:` and plain discussion.
    Entry {
        kind: EntryKind,
        text: String,
    },
}

impl Capture {
    pub fn text(&self) -> &str {
        match self {
            Capture::Question { text, .. }
            | Capture::Draft { text }
            | Capture::Entry { text, .. } => text,
        }
    }

    /// True for everything but plain discussion: the bot confirms these.
    pub fn is_captured(&self) -> bool {
        !matches!(
            self,
            Capture::Entry {
                kind: EntryKind::Discussion,
                ..
            }
        )
    }
}

/// What a prefix turns a reply into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Question(Audience),
    Draft,
    Entry(EntryKind),
}

/// Every prefix word (without its colon), in no particular order: no word is a
/// prefix of another followed by a colon, so the first match is the only one.
const PREFIXES: [(&str, Target); 12] = [
    ("q", Target::Question(Audience::External)),
    ("faq", Target::Question(Audience::External)),
    ("iq", Target::Question(Audience::Internal)),
    ("internal", Target::Question(Audience::Internal)),
    ("pr", Target::Draft),
    ("cx", Target::Entry(EntryKind::CustomerExperience)),
    ("story", Target::Entry(EntryKind::CustomerExperience)),
    (
        "concept",
        Target::Entry(EntryKind::Manual(ManualKind::Concept)),
    ),
    (
        "how-to",
        Target::Entry(EntryKind::Manual(ManualKind::Howto)),
    ),
    ("howto", Target::Entry(EntryKind::Manual(ManualKind::Howto))),
    (
        "how to",
        Target::Entry(EntryKind::Manual(ManualKind::Howto)),
    ),
    (
        "reference",
        Target::Entry(EntryKind::Manual(ManualKind::Reference)),
    ),
];

/// Classifies one thread reply. A prefix with nothing after it is discussion
/// (there is nothing to capture); a reply ending in `?` (or `？`) without a
/// prefix is an external question.
pub fn classify(raw: &str) -> Capture {
    let text = raw.trim();
    if let Some((target, rest)) = split_prefix(text) {
        if !rest.is_empty() {
            let text = rest.to_string();
            return match target {
                Target::Question(audience) => Capture::Question { audience, text },
                Target::Draft => Capture::Draft { text },
                Target::Entry(kind) => Capture::Entry { kind, text },
            };
        }
    }
    if text.ends_with('?') || text.ends_with('？') {
        return Capture::Question {
            audience: Audience::External,
            text: text.to_string(),
        };
    }
    Capture::Entry {
        kind: EntryKind::Discussion,
        text: text.to_string(),
    }
}

/// A question typed after `/wb faq` or into the Ask form: `Q:`/`FAQ:` and
/// `IQ:`/`Internal:` are honoured and stripped; any other text is external.
pub fn question_text(raw: &str) -> (Audience, String) {
    let text = raw.trim();
    match split_prefix(text) {
        Some((Target::Question(audience), rest)) if !rest.is_empty() => {
            (audience, rest.to_string())
        }
        _ => (Audience::External, text.to_string()),
    }
}

/// The prefix of `text` (already trimmed) and the trimmed rest after its colon.
fn split_prefix(text: &str) -> Option<(Target, &str)> {
    PREFIXES.iter().find_map(|(word, target)| {
        let head = text.get(..word.len())?;
        if !head.eq_ignore_ascii_case(word) {
            return None;
        }
        let after = text[word.len()..].trim_start_matches([' ', '\t']);
        let rest = after
            .strip_prefix(':')
            .or_else(|| after.strip_prefix('：'))?;
        Some((*target, rest.trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Audience::*;

    fn q(audience: Audience, text: &str) -> Capture {
        Capture::Question {
            audience,
            text: text.into(),
        }
    }
    fn entry(kind: EntryKind, text: &str) -> Capture {
        Capture::Entry {
            kind,
            text: text.into(),
        }
    }
    fn talk(text: &str) -> Capture {
        entry(EntryKind::Discussion, text)
    }

    #[test]
    fn every_rule_of_the_thread_classifies_as_specified() {
        use EntryKind::*;
        let cases: Vec<(&str, Capture)> = vec![
            (
                "How much will it cost?",
                q(External, "How much will it cost?"),
            ),
            ("Q: price", q(External, "price")),
            ("q:price", q(External, "price")),
            ("FAQ: Where can I buy it", q(External, "Where can I buy it")),
            ("faq :  spaced ", q(External, "spaced")),
            ("IQ: What is the TAM?", q(Internal, "What is the TAM?")),
            ("iq: margins", q(Internal, "margins")),
            (
                "Internal: Who owns support?",
                q(Internal, "Who owns support?"),
            ),
            ("INTERNAL:dependencies", q(Internal, "dependencies")),
            (
                "PR: Fridge cam launches today",
                Capture::Draft {
                    text: "Fridge cam launches today".into(),
                },
            ),
            (
                "pr: Is this the headline?",
                Capture::Draft {
                    text: "Is this the headline?".into(),
                },
            ),
            (
                "CX: Ana opens the app",
                entry(CustomerExperience, "Ana opens the app"),
            ),
            (
                "Story: Bo sees the milk",
                entry(CustomerExperience, "Bo sees the milk"),
            ),
            (
                "Concept: a session",
                entry(Manual(ManualKind::Concept), "a session"),
            ),
            (
                "How-to: install",
                entry(Manual(ManualKind::Howto), "install"),
            ),
            (
                "HOWTO: install",
                entry(Manual(ManualKind::Howto), "install"),
            ),
            ("how to: export", entry(Manual(ManualKind::Howto), "export")),
            (
                "Reference: /wb",
                entry(Manual(ManualKind::Reference), "/wb"),
            ),
            ("Looks good to me", talk("Looks good to me")),
            ("  padded words  ", talk("padded words")),
            // Not prefixes: no colon, or the word runs on.
            ("Q and A later", talk("Q and A later")),
            ("Question: is it?", q(External, "Question: is it?")),
            ("PRs: merged", talk("PRs: merged")),
            ("Preview: soon", talk("Preview: soon")),
            ("How to ship it", talk("How to ship it")),
            // A bare prefix captures nothing.
            ("Q:", talk("Q:")),
            ("PR:   ", talk("PR:")),
            ("IQ: ?", q(Internal, "?")),
            ("", talk("")),
            // A `?` inside the text is not enough.
            ("Why? Because.", talk("Why? Because.")),
        ];
        for (input, want) in cases {
            assert_eq!(classify(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn unicode_and_slack_escaping_are_kept_verbatim() {
        let cases: Vec<(&str, Capture)> = vec![
            (
                "Q: Ça coûte combien ? 🧊",
                q(External, "Ça coûte combien ? 🧊"),
            ),
            (
                "冷蔵庫はいくらですか？",
                q(External, "冷蔵庫はいくらですか？"),
            ),
            ("IQ：市場規模は", q(Internal, "市場規模は")),
            (
                "CX: <@U123> &amp; &lt;b&gt; <https://x.io|docs>",
                entry(
                    EntryKind::CustomerExperience,
                    "<@U123> &amp; &lt;b&gt; <https://x.io|docs>",
                ),
            ),
            ("ÉQ: not a prefix", talk("ÉQ: not a prefix")),
            ("🧊: emoji first", talk("🧊: emoji first")),
            ("é", talk("é")),
            (
                "Qé: multibyte after a prefix letter",
                talk("Qé: multibyte after a prefix letter"),
            ),
            (
                "PR:\nline one\nline two",
                Capture::Draft {
                    text: "line one\nline two".into(),
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(classify(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn long_texts_are_not_cut() {
        let body = "🧊".repeat(40_000);
        assert_eq!(classify(&format!("CX: {body}")).text(), body);
    }

    #[test]
    fn only_discussion_goes_unconfirmed() {
        assert!(!classify("hello").is_captured());
        assert!(classify("hello?").is_captured());
        assert!(classify("PR: x").is_captured());
        assert!(classify("Reference: x").is_captured());
    }

    #[test]
    fn commands_and_forms_honour_question_prefixes_only() {
        assert_eq!(question_text(" IQ: TAM? "), (Internal, "TAM?".into()));
        assert_eq!(question_text("Q: price"), (External, "price".into()));
        assert_eq!(question_text("How much"), (External, "How much".into()));
        assert_eq!(question_text("PR: x"), (External, "PR: x".into()));
        assert_eq!(question_text("IQ:"), (External, "IQ:".into()));
    }

    #[test]
    fn entry_kinds_round_trip_through_their_column_values() {
        for kind in [
            EntryKind::CustomerExperience,
            EntryKind::Discussion,
            EntryKind::Manual(ManualKind::Concept),
            EntryKind::Manual(ManualKind::Howto),
            EntryKind::Manual(ManualKind::Reference),
        ] {
            assert_eq!(EntryKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EntryKind::parse("question"), None);
    }
}
