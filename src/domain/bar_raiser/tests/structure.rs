//! The rules on the release's shape: required sections, the launch date, one
//! page, sentence and paragraph length.

use super::*;

#[test]
fn every_structure_rule_has_a_passing_and_a_failing_example() {
    let sentence_30 = format!("{}.", words(30, "smörgåsbord"));
    let sentence_31 = format!("{}.", words(31, "smörgåsbord"));
    let four = "One fridge. Two doors. Three shelves. Four photos.";
    let five = "One fridge. Two doors. Three shelves. Four photos. Five eggs.";
    let on_time = today().to_string();
    let yesterday = today().yesterday().expect("date").to_string();
    check(vec![
        (
            "missing_section",
            clean(),
            with(Section::Problem, None),
            None,
        ),
        (
            "missing_section",
            clean(),
            with(Section::CustomerQuote, Some("  ")),
            None,
        ),
        (
            "launch_date_missing",
            clean(),
            with(Section::LaunchDate, None),
            None,
        ),
        (
            "launch_date_missing",
            clean(),
            with(Section::LaunchDate, Some("next spring")),
            Some("next spring"),
        ),
        (
            "launch_date_past",
            with(Section::LaunchDate, Some(&on_time)),
            with(Section::LaunchDate, Some(&yesterday)),
            Some("2026-11-20"),
        ),
        (
            "too_long",
            padded_to(WORD_BUDGET),
            padded_to(WORD_BUDGET + 1),
            None,
        ),
        (
            "long_sentence",
            with(Section::Problem, Some(&sentence_30)),
            with(Section::Problem, Some(&sentence_31)),
            Some("smörgåsbord smörgåsbord"),
        ),
        (
            "long_paragraph",
            with(Section::Solution, Some(four)),
            with(Section::Solution, Some(five)),
            Some("One fridge."),
        ),
        (
            "long_paragraph",
            with(Section::Solution, Some(&format!("{four}\n{four}"))),
            with(Section::Solution, Some(&format!("{four}\n{five}"))),
            Some("One fridge."),
        ),
    ]);
}

#[test]
fn too_long_quotes_the_words_where_the_page_runs_out() {
    let base = word_count(&clean());
    let body = format!(
        "{}\nSpill starts here.",
        words(WORD_BUDGET - base, "fridge")
    );
    let found = review(&with(Section::Body, Some(&body)), today());
    let over: Vec<_> = found.iter().filter(|f| f.rule == "too_long").collect();
    assert_eq!(over.len(), 1, "{found:#?}");
    assert_eq!(over[0].quote.as_deref(), Some("Spill starts here."));
    assert_eq!(over[0].section, Some(Section::Body));
    assert!(
        over[0].suggestion.contains("503 words"),
        "{}",
        over[0].suggestion
    );
}

#[test]
fn a_free_text_draft_gets_one_missing_section_finding_not_six() {
    let fields = DraftFields {
        body: Some("Fridge cam: see your fridge from the shop.".into()),
        launch_date: None,
        ..Default::default()
    };
    let found = review(&fields, today());
    let missing: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "missing_section")
        .collect();
    assert_eq!(missing.len(), 1, "{found:#?}");
    assert_eq!(missing[0].section, None);
}
