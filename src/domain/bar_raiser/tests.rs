//! Table tests: for every rule, a draft that passes and one that fails; then
//! Unicode, hostile and very long input. The shared drafts live here, the
//! tests by rule family in `tests/`.

mod hostile;
mod structure;
mod wording;

use super::*;

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 21)
}

/// A draft the bar-raiser has nothing to say about.
fn clean() -> DraftFields {
    DraftFields {
        headline: Some("Acme Fridge Cam shows you what is in your fridge while you shop".into()),
        subheadline: Some(
            "Home cooks see their fridge from the store and stop buying food they already have."
                .into(),
        ),
        dateline_city: Some("Seattle".into()),
        launch_date: Some("2027-03-01".into()),
        summary: Some(
            "Acme Fridge Cam is a camera that clips inside a fridge door and sends a photo to \
             your phone each time the door closes."
                .into(),
        ),
        problem: Some(
            "A family of four throws away 30% of the food it buys. Shoppers guess what is at \
             home, buy it twice, and it goes off."
                .into(),
        ),
        solution: Some(
            "Open the app in the store and see the shelves as they were when the door last \
             closed. The photo arrives in 2 seconds."
                .into(),
        ),
        leader_quote: Some(
            "“We built it because we kept buying milk we already had,” said Jane Doe, head of \
             Acme Home."
                .into(),
        ),
        getting_started: Some(
            "Clip the camera to the door, scan the code on the box with your phone, and it is \
             ready in 5 minutes."
                .into(),
        ),
        customer_quote: Some(
            "“I used to buy eggs every week. Now I check the app first and our bin is half as \
             full,” said Sam, a parent of three in Leeds."
                .into(),
        ),
        call_to_action: Some(
            "Order Acme Fridge Cam for $49 at acme.example/fridge from March 1.".into(),
        ),
        body: None,
    }
}

fn with(section: Section, text: Option<&str>) -> DraftFields {
    let mut f = clean();
    f.set(section, text.map(str::to_string));
    f
}

fn word_count(fields: &DraftFields) -> usize {
    rules::analyse(fields)
        .iter()
        .flat_map(|p| p.paragraphs.iter())
        .flat_map(|p| p.sentences.iter())
        .map(|s| s.words.len())
        .sum()
}

/// A summary that brings the release to exactly `total` words, in short lines.
fn padded_to(total: usize) -> DraftFields {
    let base = word_count(&with(Section::Summary, None));
    let mut need = total - base;
    let mut lines = Vec::new();
    while need >= 5 {
        lines.push("Photos arrive in 2 seconds.".to_string());
        need -= 5;
    }
    if need > 0 {
        lines.push(vec!["Photos"; need].join(" "));
    }
    with(Section::Summary, Some(&lines.join("\n")))
}

fn words(n: usize, word: &str) -> String {
    vec![word; n].join(" ")
}

/// (rule, passing draft, failing draft, the quote the failure must carry)
type Case<'a> = (&'a str, DraftFields, DraftFields, Option<&'a str>);

/// Each passing draft has no finding of its rule; each failing one has at
/// least one, quoting the given words, with a suggestion and the rule's severity.
fn check(cases: Vec<Case<'_>>) {
    for (rule_id, pass, fail, quote) in cases {
        assert!(rule(rule_id).is_some(), "{rule_id} is not in RULES");
        let passing = review(&pass, today());
        assert!(
            passing.iter().all(|f| f.rule != rule_id),
            "{rule_id} should pass: {passing:#?}"
        );
        let failing = review(&fail, today());
        let hits: Vec<&Finding> = failing.iter().filter(|f| f.rule == rule_id).collect();
        assert!(!hits.is_empty(), "{rule_id} should fail: {failing:#?}");
        if let Some(q) = quote {
            assert!(
                hits.iter()
                    .any(|f| f.quote.as_deref().is_some_and(|got| got.contains(q))),
                "{rule_id}: no quote with {q:?} in {hits:#?}"
            );
        }
        for f in &hits {
            assert!(!f.suggestion.is_empty());
            assert_eq!(Some(f.severity), rule(rule_id).map(|r| r.severity));
        }
    }
}

#[test]
fn the_clean_draft_has_no_findings() {
    assert_eq!(review(&clean(), today()), vec![]);
}

#[test]
fn faq_coverage_names_the_families_without_a_question() {
    use crate::domain::family::{Coverage, Family};
    let mut coverage = Coverage::default();
    coverage.add(Family::Customer, 2);
    coverage.add(Family::Solution, 1);
    let finding = super::faq_coverage(&coverage).expect("two families missing");
    assert_eq!(finding.rule, "faq-coverage");
    assert_eq!(
        Some(finding.severity),
        rule("faq-coverage").map(|r| r.severity)
    );
    assert!(
        finding
            .suggestion
            .starts_with("The internal FAQ has no Economics or Risks questions yet."),
        "{}",
        finding.suggestion
    );
    assert!(finding.suggestion.contains("P&L"), "{}", finding.suggestion);
    coverage.add(Family::Economics, 1);
    coverage.add(Family::Risks, 3);
    assert_eq!(super::faq_coverage(&coverage), None);
}
