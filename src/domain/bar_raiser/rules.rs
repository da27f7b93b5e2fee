//! One function per rule. Each walks the analysed sections once, so the whole
//! review is linear in the length of the draft.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::lists::{CLAIMS, JARGON, KNOWN_ACRONYMS, NUMBER_WORDS, WEASEL};
use super::text::{self, Paragraph, Sentence};
use super::{
    Finding, MAX_PARAGRAPH_SENTENCES, MAX_QUOTE_CHARS, MAX_SENTENCE_WORDS, REQUIRED, WORD_BUDGET,
};
use crate::domain::draft::{DraftFields, Section};
use crate::domain::truncate_chars;

/// Sections read as prose, in reading order (the dateline is not prose).
const PROSE: [Section; 10] = [
    Section::Headline,
    Section::Subheadline,
    Section::Summary,
    Section::Problem,
    Section::Solution,
    Section::LeaderQuote,
    Section::GettingStarted,
    Section::CustomerQuote,
    Section::CallToAction,
    Section::Body,
];

/// One filled prose section, split once for every rule.
pub(super) struct Part<'a> {
    pub section: Section,
    pub text: &'a str,
    pub paragraphs: Vec<Paragraph<'a>>,
}

impl<'a> Part<'a> {
    fn sentences(&self) -> impl Iterator<Item = &Sentence<'a>> {
        self.paragraphs.iter().flat_map(|p| p.sentences.iter())
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        &self.text[start..end]
    }
}

pub(super) fn analyse(fields: &DraftFields) -> Vec<Part<'_>> {
    PROSE
        .iter()
        .filter_map(|&section| {
            let text = fields.get(section)?;
            Some(Part {
                section,
                text,
                paragraphs: text::paragraphs(text),
            })
        })
        .collect()
}

/// A quote of the writer's words: trimmed, on one line, at most [`MAX_QUOTE_CHARS`].
pub(super) fn quote(text: &str) -> String {
    // Look at a bounded prefix only: quoting a megabyte sentence stays cheap.
    let head: String = text.trim().chars().take(MAX_QUOTE_CHARS + 1).collect();
    truncate_chars(
        &head.split_whitespace().collect::<Vec<_>>().join(" "),
        MAX_QUOTE_CHARS,
    )
}

pub(super) fn missing_sections(fields: &DraftFields, out: &mut Vec<Finding>) {
    let structured = Section::ALL
        .iter()
        .any(|s| *s != Section::Body && fields.get(*s).is_some());
    if !structured && fields.get(Section::Body).is_some() {
        out.push(Finding::new(
            "missing_section",
            None,
            None,
            "This draft is free text. Use the Draft press release form to put it in the canonical \
             sections: headline, sub-headline, problem, solution, customer quote, call to action.",
        ));
        return;
    }
    for section in REQUIRED {
        if fields.get(section).is_none() {
            out.push(Finding::new(
                "missing_section",
                Some(section),
                None,
                format!(
                    "Add the {}: {}",
                    section.label().to_lowercase(),
                    purpose(section)
                ),
            ));
        }
    }
}

fn purpose(section: Section) -> &'static str {
    match section {
        Section::Headline => "the product's name in words the customer understands.",
        Section::Subheadline => "one sentence on who the customer is and what they get.",
        Section::Problem => "the problem, from the customer's side.",
        Section::Solution => "how the product solves it.",
        Section::CustomerQuote => "a customer describing the benefit in their own words.",
        Section::CallToAction => "where the reader goes next.",
        _ => "see WORKING_BACKWARDS.md.",
    }
}

pub(super) fn launch_date(fields: &DraftFields, today: jiff::civil::Date, out: &mut Vec<Finding>) {
    let Some(raw) = fields.get(Section::LaunchDate) else {
        out.push(Finding::new(
            "launch_date_missing",
            Some(Section::LaunchDate),
            None,
            "Give the dateline a launch date: the day a customer can get it.",
        ));
        return;
    };
    match fields.launch_date() {
        None => out.push(Finding::new(
            "launch_date_missing",
            Some(Section::LaunchDate),
            Some(quote(raw)),
            "Write the launch date as a calendar date (YYYY-MM-DD).",
        )),
        Some(date) if date < today => out.push(Finding::new(
            "launch_date_past",
            Some(Section::LaunchDate),
            Some(date.to_string()),
            format!("This date has passed (today is {today}): pick the day customers will get it."),
        )),
        Some(_) => {}
    }
}

pub(super) fn too_long(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    let mut total = 0;
    let mut over_at: Option<(Section, &str)> = None;
    for part in parts {
        for s in part.sentences() {
            for w in &s.words {
                total += 1;
                if total == WORD_BUDGET + 1 {
                    over_at = Some((part.section, &part.text[w.start..]));
                }
            }
        }
    }
    if let Some((section, rest)) = over_at {
        out.push(Finding::new(
            "too_long",
            Some(section),
            Some(quote(rest)),
            format!(
                "The release is {total} words; one page holds about {WORD_BUDGET}. \
                 Cut {} (the page runs out at the quoted words): move details to the FAQ.",
                plural(total - WORD_BUDGET, "word")
            ),
        ));
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub(super) fn long_sentences(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    for part in parts {
        for s in part.sentences() {
            if s.words.len() > MAX_SENTENCE_WORDS {
                out.push(Finding::new(
                    "long_sentence",
                    Some(part.section),
                    Some(quote(part.slice(s.start, s.end))),
                    format!(
                        "{} words: split it so no sentence runs over {MAX_SENTENCE_WORDS}.",
                        s.words.len()
                    ),
                ));
            }
        }
    }
}

pub(super) fn long_paragraphs(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    for part in parts {
        for p in &part.paragraphs {
            if p.sentences.len() > MAX_PARAGRAPH_SENTENCES {
                let first = &p.sentences[0];
                out.push(Finding::new(
                    "long_paragraph",
                    Some(part.section),
                    Some(quote(part.slice(first.start, first.end))),
                    format!(
                        "This paragraph has {} sentences: keep paragraphs to {MAX_PARAGRAPH_SENTENCES} \
                         or fewer (start a new line).",
                        p.sentences.len()
                    ),
                ));
            }
        }
    }
}

type PhraseTable = HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>;

/// Phrases indexed by their first word, longest first.
fn table(list: &'static [(&'static str, &'static str)]) -> PhraseTable {
    let mut map: PhraseTable = HashMap::new();
    for (phrase, fix) in list {
        let words: Vec<&str> = phrase.split(' ').collect();
        map.entry(words[0]).or_default().push((words, fix));
    }
    for v in map.values_mut() {
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    map
}

fn weasel_table() -> &'static PhraseTable {
    static T: OnceLock<PhraseTable> = OnceLock::new();
    T.get_or_init(|| table(WEASEL))
}

fn jargon_table() -> &'static PhraseTable {
    static T: OnceLock<PhraseTable> = OnceLock::new();
    T.get_or_init(|| table(JARGON))
}

/// Whole-word matches of `table` in a sentence: (first word, word count, fix).
fn matches(s: &Sentence<'_>, table: &PhraseTable) -> Vec<(usize, usize, &'static str)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < s.lower.len() {
        let hit = table.get(s.lower[i].as_ref()).and_then(|candidates| {
            candidates.iter().find(|(words, _)| {
                s.lower.len() - i >= words.len()
                    && words
                        .iter()
                        .zip(&s.lower[i..])
                        .all(|(a, b)| *a == b.as_ref())
            })
        });
        match hit {
            Some((words, fix)) => {
                found.push((i, words.len(), *fix));
                i += words.len();
            }
            None => i += 1,
        }
    }
    found
}

fn word_list_rule(
    parts: &[Part<'_>],
    rule: &'static str,
    table: &PhraseTable,
    out: &mut Vec<Finding>,
) {
    for part in parts {
        for s in part.sentences() {
            for (i, n, fix) in matches(s, table) {
                let words = part.slice(s.words[i].start, s.words[i + n - 1].end());
                out.push(Finding::new(
                    rule,
                    Some(part.section),
                    Some(quote(words)),
                    fix,
                ));
            }
        }
    }
}

pub(super) fn weasel_words(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    word_list_rule(parts, "weasel_word", weasel_table(), out);
}

pub(super) fn jargon(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    word_list_rule(parts, "jargon", jargon_table(), out);
}

fn is_number(word: &str, lower: &str) -> bool {
    word.chars().any(char::is_numeric) || NUMBER_WORDS.contains(&lower)
}

/// Heuristic: a claim word in a sentence with no figure in it. Quotes are the
/// speakers' words and the call to action is an invitation, so they are skipped.
pub(super) fn unquantified_claims(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    let claims: &HashSet<&str> = {
        static T: OnceLock<HashSet<&'static str>> = OnceLock::new();
        T.get_or_init(|| CLAIMS.iter().copied().collect())
    };
    for part in parts.iter().filter(|p| {
        !matches!(
            p.section,
            Section::LeaderQuote | Section::CustomerQuote | Section::CallToAction
        )
    }) {
        for s in part.sentences() {
            let sentence = part.slice(s.start, s.end);
            let has_number = sentence.contains('%')
                || s.words
                    .iter()
                    .zip(&s.lower)
                    .any(|(w, l)| is_number(w.text, l.as_ref()));
            if has_number {
                continue;
            }
            if let Some(i) = s.lower.iter().position(|l| claims.contains(l.as_ref())) {
                out.push(Finding::new(
                    "unquantified_claim",
                    Some(part.section),
                    Some(quote(sentence)),
                    format!(
                        "“{}” claims a benefit with no number nearby: say how much, for whom, \
                         measured how (e.g. “in 2 minutes instead of 10”).",
                        s.words[i].text
                    ),
                ));
            }
        }
    }
}

/// `API`, `NPS`, `APIs`: 2–6 letters or digits, at least two capitals, no
/// lower case but a plural `s`. Returns the acronym without the plural.
fn acronym(word: &str) -> Option<&str> {
    let bare = word.strip_suffix('s').unwrap_or(word);
    let n = bare.chars().count();
    if !(2..=6).contains(&n) || !bare.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let capitals = bare.chars().filter(|c| c.is_uppercase()).count();
    let ok = bare.chars().all(|c| c.is_uppercase() || c.is_numeric());
    (ok && capitals >= 2).then_some(bare)
}

/// Only an acronym's first use must be spelled out: `Net Promoter Score (NPS)`
/// or `NPS (Net Promoter Score)`. Known acronyms and jargon (reported by its own
/// rule) are left alone, and so are sentences written all in capitals.
pub(super) fn acronyms(parts: &[Part<'_>], out: &mut Vec<Finding>) {
    let mut seen: HashSet<String> = HashSet::new();
    let jargon = jargon_table();
    for part in parts {
        for s in part.sentences() {
            let sentence = part.slice(s.start, s.end);
            if !sentence.chars().any(char::is_lowercase) {
                continue;
            }
            for (w, lower) in s.words.iter().zip(&s.lower) {
                let Some(bare) = acronym(w.text) else {
                    continue;
                };
                if !seen.insert(bare.to_string()) {
                    continue;
                }
                if KNOWN_ACRONYMS.contains(&bare) || jargon.contains_key(lower.as_ref()) {
                    continue;
                }
                let before = part.text[..w.start].chars().next_back();
                let after = &part.text[w.end()..];
                let in_parens = before == Some('(') && after.starts_with(')');
                let expanded_next = after.trim_start().starts_with('(');
                if !(in_parens || expanded_next) {
                    out.push(Finding::new(
                        "acronym_undefined",
                        Some(part.section),
                        Some(w.text.to_string()),
                        format!(
                            "Spell out “{bare}” at its first use, e.g. “Net Promoter Score (NPS)”, \
                             or use plain words."
                        ),
                    ));
                }
            }
        }
    }
}
