//! Renderers of a [`DocSet`]: pure functions, no database, no Slack.
//!
//! Markdown, HTML and the Slack canvas carry the same content in the order of
//! the four Working Backwards documents — press release, FAQ, customer
//! experience, user manual — then an appendix (draft history, decision
//! history, review comments by section, bar-raiser report, thread
//! discussion); the status and the decision sit under the title. JSON is
//! the stable `wb.docset/1` schema.
//! What a renderer needs beyond the doc set (display names, the thread's
//! permalink, the export time, the review) comes in an [`ExportContext`], which
//! the caller assembles.

mod faq;
mod format;
pub mod html;
pub mod json;
pub mod markdown;
pub mod meeting;
pub mod mrkdwn;

pub use format::{render, Format};

use std::collections::{BTreeSet, HashMap};

use crate::domain::docset::{DocSet, ManualKind, PressRelease};

/// One finding of the bar-raiser on the latest draft, as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    /// The rule, e.g. "sentence over 30 words".
    pub rule: String,
    /// e.g. "warning", "info".
    pub severity: String,
    /// The words the finding is about.
    pub quote: String,
    pub suggestion: String,
}

/// Everything a renderer needs besides the doc set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportContext {
    /// Display names by user id; an id missing here shows as `@U123`.
    pub names: HashMap<String, String>,
    /// The thread's permalink, when known.
    pub permalink: Option<String>,
    /// RFC 3339, UTC.
    pub exported_at: String,
    /// The bar-raiser's findings on the latest draft (empty: no section).
    pub review: Vec<ReviewItem>,
}

impl ExportContext {
    /// A person as the export names them: the display name, or `@U123`.
    pub fn person(&self, user_id: &str) -> String {
        match self.names.get(user_id) {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => format!("@{user_id}"),
        }
    }

    /// A `<@U…>` mention as text: `@name`, else Slack's own label, else `@U123`.
    pub fn mention(&self, user_id: &str, label: Option<&str>) -> String {
        match (self.names.get(user_id), label) {
            (Some(name), _) if !name.trim().is_empty() => format!("@{name}"),
            (_, Some(label)) => format!("@{}", label.trim_start_matches('@')),
            _ => format!("@{user_id}"),
        }
    }
}

/// The bar-raiser's findings on the exported press release (the latest
/// version; none before the first draft) and on the internal FAQ's coverage
/// (`faq-coverage`), for the appendix.
pub fn review_items(docset: &DocSet, today: jiff::civil::Date) -> Vec<ReviewItem> {
    use crate::domain::bar_raiser;
    let mut findings = match &docset.press_release {
        Some(pr) => bar_raiser::review(&crate::domain::draft::DraftFields::from(pr), today),
        None => Vec::new(),
    };
    findings.extend(bar_raiser::faq_coverage(&docset.coverage));
    findings
        .into_iter()
        .map(|f| ReviewItem {
            rule: crate::domain::bar_raiser::rule(f.rule)
                .map(|r| r.title)
                .unwrap_or(f.rule)
                .to_string(),
            severity: f.severity.as_str().to_string(),
            quote: f.quote.unwrap_or_default(),
            suggestion: f.suggestion,
        })
        .collect()
}

/// The header's plain facts (status, decision, progress, channel, creator,
/// export time), unescaped;
/// each renderer escapes them and adds its own thread link.
pub fn header_facts(d: &DocSet, ctx: &ExportContext) -> Vec<(&'static str, String)> {
    let s = &d.session;
    let mut facts = vec![("Status", meeting::stage(d))];
    if let Some(decision) = &d.decision {
        facts.push(("Decision", meeting::decision_fact(decision, ctx)));
    }
    facts.extend([
        ("Progress", status(d)),
        ("Channel", format!("#{}", s.channel_id)),
        (
            "Created by",
            format!(
                "{}, {}",
                ctx.person(&s.created_by),
                human_time(&s.created_at)
            ),
        ),
        ("Exported", human_time(&ctx.exported_at)),
    ]);
    facts
}

/// Every user id the export will name: authors, askers, answerers, owners,
/// mentions.
pub fn user_ids(docset: &DocSet) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut texts: Vec<&str> = vec![&docset.session.title];
    ids.insert(docset.session.created_by.clone());
    for d in &docset.press_release_history {
        ids.insert(d.author.clone());
    }
    if let Some(pr) = &docset.press_release {
        texts.extend(
            press_release_sections(pr)
                .into_iter()
                .filter_map(|s| s.text),
        );
    }
    for q in &docset.faq {
        ids.extend(q.asked_by.iter().cloned());
        ids.extend(q.answered_by.iter().cloned());
        ids.extend(q.owner.iter().cloned());
        texts.push(&q.question);
        texts.extend(q.answer.as_deref());
    }
    for e in docset.customer_experience.iter().chain(&docset.discussion) {
        ids.extend(e.author.iter().cloned());
        texts.push(&e.text);
    }
    for m in &docset.user_manual {
        ids.extend(m.author.iter().cloned());
        texts.push(&m.text);
    }
    for r in &docset.reviews {
        ids.extend(r.reviewers.iter().cloned());
        for c in &r.comments {
            ids.insert(c.author.clone());
            texts.push(&c.text);
        }
    }
    for d in &docset.decisions {
        ids.insert(d.decided_by.clone());
        texts.push(&d.rationale);
        texts.extend(d.next_steps.as_deref());
    }
    for text in texts {
        ids.extend(mrkdwn::mentioned_users(text).map(str::to_string));
    }
    ids.retain(|id| !id.is_empty());
    ids
}

/// One section of the press release, in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub text: Option<&'a str>,
    /// Shown as a quotation.
    pub quote: bool,
}

/// The press release's sections in McAllister's order (the dateline is
/// rendered with the summary; `body` is free text from a `PR:` reply).
pub fn press_release_sections(pr: &PressRelease) -> Vec<Section<'_>> {
    fn s<'a>(
        key: &'static str,
        label: &'static str,
        text: &'a Option<String>,
        quote: bool,
    ) -> Section<'a> {
        Section {
            key,
            label,
            text: text.as_deref().filter(|t| !t.trim().is_empty()),
            quote,
        }
    }
    vec![
        s("headline", "Headline", &pr.headline, false),
        s("subheadline", "Sub-headline", &pr.subheadline, false),
        s("summary", "Summary", &pr.summary, false),
        s("problem", "Problem", &pr.problem, false),
        s("solution", "Solution", &pr.solution, false),
        s("leader_quote", "Leader quote", &pr.leader_quote, true),
        s(
            "getting_started",
            "Getting started",
            &pr.getting_started,
            false,
        ),
        s("customer_quote", "Customer quote", &pr.customer_quote, true),
        s(
            "call_to_action",
            "Call to action",
            &pr.call_to_action,
            false,
        ),
        s("body", "Draft text", &pr.body, false),
    ]
}

/// Sections a press release must have (WORKING_BACKWARDS.md), by label.
const REQUIRED: [&str; 6] = [
    "headline",
    "subheadline",
    "problem",
    "solution",
    "customer_quote",
    "call_to_action",
];

/// Required sections the latest draft leaves empty, as labels. A draft with
/// only free text (a `PR:` reply) is not held to the outline.
pub fn missing_sections(pr: &PressRelease) -> Vec<&'static str> {
    let sections = press_release_sections(pr);
    let structured = sections.iter().any(|s| s.key != "body" && s.text.is_some());
    if !structured {
        return Vec::new();
    }
    sections
        .iter()
        .filter(|s| REQUIRED.contains(&s.key) && s.text.is_none())
        .map(|s| s.label)
        .collect()
}

/// The dateline ("Seattle — 2027-03-01"), when either part is filled.
pub fn dateline(pr: &PressRelease) -> Option<String> {
    let parts: Vec<&str> = [pr.dateline_city.as_deref(), pr.launch_date.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" — "))
}

/// Documents of the set that are still empty, in order (for the header and
/// the confirmation in Slack).
pub fn missing_documents(docset: &DocSet) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if docset.press_release.is_none() {
        missing.push("press release");
    }
    if docset.faq.is_empty() {
        missing.push("FAQ");
    }
    if docset.customer_experience.is_empty() {
        missing.push("customer experience");
    }
    if docset.user_manual.is_empty() {
        missing.push("user manual");
    }
    missing
}

/// One line on where the session stands.
pub fn status(docset: &DocSet) -> String {
    let mut parts = Vec::new();
    match &docset.press_release {
        Some(pr) => parts.push(format!(
            "press release version {} of {}",
            pr.version,
            docset.press_release_history.len().max(1)
        )),
        None => parts.push("no press release yet".into()),
    }
    // Merged duplicates are part of their kept question, not questions.
    let questions: Vec<_> = docset
        .faq
        .iter()
        .filter(|q| q.state != crate::domain::faq::QuestionState::Merged)
        .collect();
    let open = questions.iter().filter(|q| q.state.is_unresolved()).count();
    parts.push(format!(
        "{} ({open} open)",
        plural(questions.len(), "question")
    ));
    parts.push(plural(docset.customer_experience.len(), "story"));
    parts.push(plural(docset.user_manual.len(), "manual section"));
    parts.push(plural(docset.discussion.len(), "discussion message"));
    parts.join(" · ")
}

/// `1 vote`, `2 votes`, `1 story`, `3 stories`.
pub fn plural(n: usize, word: &str) -> String {
    let many = if n == 1 {
        word.to_string()
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    };
    format!("{n} {many}")
}

/// `2026-11-21T10:00:00Z` → `2026-11-21 10:00 UTC`; anything else unchanged.
pub fn human_time(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// The user-manual groups in order, with their headings and thread prefix.
pub const MANUAL_GROUPS: [(ManualKind, &str, &str); 3] = [
    (ManualKind::Concept, "Concepts", "Concept:"),
    (ManualKind::Howto, "How-to", "How-to:"),
    (ManualKind::Reference, "Reference", "Reference:"),
];

/// A file name stem after the idea: `Smart fridge camera` → `smart-fridge-camera`.
/// Letters and digits are kept (Unicode too), everything else becomes one `-`;
/// at most 60 characters; `session-<id>` when nothing is left.
pub fn file_stem(title: &str, session_id: i64) -> String {
    let mut stem = String::new();
    let mut dash = false;
    for c in mrkdwn::decode_entities(title).chars() {
        if c.is_alphanumeric() {
            if dash && !stem.is_empty() {
                stem.push('-');
            }
            dash = false;
            stem.extend(c.to_lowercase());
        } else {
            dash = true;
        }
        if stem.chars().count() >= 60 {
            break;
        }
    }
    if stem.is_empty() {
        format!("session-{session_id}")
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_the_idea() {
        let cases = [
            ("Smart fridge camera", "smart-fridge-camera"),
            ("  Smart   fridge -- camera! ", "smart-fridge-camera"),
            ("Caméra 🧊 frigo", "caméra-frigo"),
            ("../../etc/passwd", "etc-passwd"),
            ("🧊🧊", "session-7"),
            ("R&amp;D &lt;tool&gt;", "r-d-tool"),
        ];
        for (title, want) in cases {
            assert_eq!(file_stem(title, 7), want, "{title}");
        }
        assert!(file_stem(&"a".repeat(500), 1).chars().count() <= 60);
    }

    #[test]
    fn plurals_and_times_read_naturally() {
        assert_eq!(plural(1, "vote"), "1 vote");
        assert_eq!(plural(0, "vote"), "0 votes");
        assert_eq!(plural(2, "story"), "2 stories");
        assert_eq!(human_time("2026-11-21T10:00:00Z"), "2026-11-21 10:00 UTC");
        assert_eq!(human_time("yesterday"), "yesterday");
    }

    #[test]
    fn people_are_named_or_shown_by_id() {
        let ctx = ExportContext {
            names: HashMap::from([("U1".to_string(), "Ada".to_string())]),
            ..ExportContext::default()
        };
        assert_eq!(ctx.person("U1"), "Ada");
        assert_eq!(ctx.person("U2"), "@U2");
        assert_eq!(ctx.mention("U1", Some("old")), "@Ada");
        assert_eq!(ctx.mention("U2", Some("bob")), "@bob");
        assert_eq!(ctx.mention("U3", None), "@U3");
    }
}
