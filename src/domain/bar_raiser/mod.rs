//! The bar-raiser: reads a press-release draft the way a Working Backwards
//! reviewer would and names what to fix. Pure (no Slack, no SQL), linear in the
//! length of the draft, and advice only: a draft is always saved.
//!
//! Every [`Finding`] names its rule (an id from [`RULES`]), how much it matters,
//! the writer's own words and a suggested fix. The rules follow
//! WORKING_BACKWARDS.md ("Writing rules a bar-raiser checks"):
//!
//! | rule id | what it flags |
//! |---|---|
//! | `missing_section` | headline, sub-headline, problem, solution, customer quote or call to action left empty |
//! | `launch_date_missing` | no launch date in the dateline (or not a date) |
//! | `launch_date_past` | a launch date before `today` |
//! | `too_long` | the release runs over one page: more than [`WORD_BUDGET`] words |
//! | `long_sentence` | a sentence over [`MAX_SENTENCE_WORDS`] words |
//! | `long_paragraph` | a paragraph over [`MAX_PARAGRAPH_SENTENCES`] sentences |
//! | `weasel_word` | “nearly all”, “significantly”, “seamless”… (whole words, any case) |
//! | `unquantified_claim` | a claim (“faster”, “saves”…) with no number in the same sentence — a heuristic |
//! | `acronym_undefined` | an acronym whose first use is not spelled out |
//! | `jargon` | words a customer would not use: “leverage”, “synergy”, “API”… |
//! | `faq-coverage` | one of Bill Carr's four internal-FAQ families has no question yet ([`faq_coverage`]) |
//!
//! The one-page budget is 500 words: WORKING_BACKWARDS.md puts a page at
//! 400–500 words and McAllister calls 1.5 pages too long, so the top of that
//! range flags a release that is clearly over a page without nagging a tight
//! one; the headline and every section count, the dateline does not.
//!
//! `unquantified_claim` is a heuristic: it knows a list of claim words and
//! looks for a digit, a `%` or a number word in the same sentence; it skips the
//! quotes (speakers may enthuse) and the call to action.

mod lists;
mod rules;
#[cfg(test)]
mod tests;
mod text;

use serde::Serialize;

use crate::domain::draft::{DraftFields, Section};
use crate::domain::family::{Coverage, Family};

/// One page of press release, in words (see the module docs for why 500).
pub const WORD_BUDGET: usize = 500;
/// "Sentences over 30 words" (WORKING_BACKWARDS.md).
pub const MAX_SENTENCE_WORDS: usize = 30;
/// "Paragraphs over 3–4 sentences": four is allowed, five is not.
pub const MAX_PARAGRAPH_SENTENCES: usize = 4;
/// A quote is cut to this many characters (ending with `…`).
pub const MAX_QUOTE_CHARS: usize = 120;

/// The sections a press release cannot do without.
pub const REQUIRED: [Section; 6] = [
    Section::Headline,
    Section::Subheadline,
    Section::Problem,
    Section::Solution,
    Section::CustomerQuote,
    Section::CallToAction,
];

/// How much a finding matters. Advice at every level: nothing blocks a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// A rule: its stable id, the title people read, and its severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
}

/// Every rule, in the order findings are reported.
pub const RULES: [Rule; 11] = [
    Rule {
        id: "missing_section",
        title: "Missing section",
        severity: Severity::High,
    },
    Rule {
        id: "launch_date_missing",
        title: "No launch date",
        severity: Severity::Medium,
    },
    Rule {
        id: "launch_date_past",
        title: "Launch date in the past",
        severity: Severity::High,
    },
    Rule {
        id: "too_long",
        title: "Longer than one page",
        severity: Severity::High,
    },
    Rule {
        id: "long_sentence",
        title: "Sentence over 30 words",
        severity: Severity::Medium,
    },
    Rule {
        id: "long_paragraph",
        title: "Paragraph over 4 sentences",
        severity: Severity::Medium,
    },
    Rule {
        id: "weasel_word",
        title: "Weasel word",
        severity: Severity::Medium,
    },
    Rule {
        id: "jargon",
        title: "Jargon",
        severity: Severity::Medium,
    },
    Rule {
        id: "unquantified_claim",
        title: "Claim without a number",
        severity: Severity::Low,
    },
    Rule {
        id: "acronym_undefined",
        title: "Acronym not spelled out",
        severity: Severity::Low,
    },
    Rule {
        id: FAQ_COVERAGE,
        title: "Internal FAQ coverage",
        severity: Severity::Medium,
    },
];

/// The rule on the internal FAQ rather than the release (SPEC §5.2 names it).
pub const FAQ_COVERAGE: &str = "faq-coverage";

/// The finding on an internal FAQ that leaves one of Carr's four families
/// without a question — "a missing family (often economics) is the most common
/// reason to iterate" (WORKING_BACKWARDS.md); `None` when all four are asked.
pub fn faq_coverage(coverage: &Coverage) -> Option<Finding> {
    let gap = coverage.gap_text()?;
    let asks: Vec<&str> = coverage
        .missing()
        .into_iter()
        .map(|f| match f {
            Family::Customer => "who the customer is and how big the market is",
            Family::Solution => "which problems, solutions and assumptions it rests on",
            Family::Economics => "what it costs and what the P&L looks like",
            Family::Risks => "what it depends on and what could go wrong",
        })
        .collect();
    Some(Finding::new(
        FAQ_COVERAGE,
        None,
        None,
        format!(
            "The internal FAQ has {gap}. Before the review, ask {} (reply `IQ: …` in the thread).",
            asks.join("; ")
        ),
    ))
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One thing the bar-raiser would point out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A [`RULES`] id, e.g. `long_sentence`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The section the quote comes from (its field name, e.g. `problem`);
    /// `None` for the release as a whole.
    pub section: Option<Section>,
    /// The writer's words (at most [`MAX_QUOTE_CHARS`] characters); `None`
    /// when there is nothing to quote (a missing section).
    pub quote: Option<String>,
    /// What to do about it, in one or two sentences.
    pub suggestion: String,
}

impl Finding {
    fn new(
        rule_id: &'static str,
        section: Option<Section>,
        quote: Option<String>,
        suggestion: impl Into<String>,
    ) -> Self {
        let severity = rule(rule_id).map_or(Severity::Medium, |r| r.severity);
        Self {
            rule: rule_id,
            severity,
            section,
            quote,
            suggestion: suggestion.into(),
        }
    }
}

/// Reviews one draft. `today` decides whether the launch date has passed.
/// Findings come grouped by rule (in [`RULES`] order), then in reading order.
pub fn review(fields: &DraftFields, today: jiff::civil::Date) -> Vec<Finding> {
    let parts = rules::analyse(fields);
    let mut out = Vec::new();
    rules::missing_sections(fields, &mut out);
    rules::launch_date(fields, today, &mut out);
    rules::too_long(&parts, &mut out);
    rules::long_sentences(&parts, &mut out);
    rules::long_paragraphs(&parts, &mut out);
    rules::weasel_words(&parts, &mut out);
    rules::jargon(&parts, &mut out);
    rules::unquantified_claims(&parts, &mut out);
    rules::acronyms(&parts, &mut out);
    let order = |f: &Finding| RULES.iter().position(|r| r.id == f.rule);
    out.sort_by_key(order);
    out
}
