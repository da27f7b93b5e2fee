//! Table tests: for every rule, a draft that passes and one that fails; then
//! Unicode, hostile and very long input.

use std::time::{Duration, Instant};

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

#[test]
fn the_clean_draft_has_no_findings() {
    assert_eq!(review(&clean(), today()), vec![]);
}

#[test]
fn every_rule_has_a_passing_and_a_failing_example() {
    let sentence_30 = format!("{}.", words(30, "smörgåsbord"));
    let sentence_31 = format!("{}.", words(31, "smörgåsbord"));
    let four = "One fridge. Two doors. Three shelves. Four photos.";
    let five = "One fridge. Two doors. Three shelves. Four photos. Five eggs.";
    let on_time = today().to_string();
    let yesterday = today().yesterday().expect("date").to_string();
    // (rule, passing draft, failing draft, the quote the failure must carry)
    let cases: Vec<(&str, DraftFields, DraftFields, Option<&str>)> = vec![
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
        (
            "weasel_word",
            with(
                Section::Problem,
                Some("It works in every fridge we tested."),
            ),
            with(Section::Problem, Some("It works in VERY old fridges.")),
            Some("VERY"),
        ),
        (
            "weasel_word",
            with(
                Section::Problem,
                Some("Nearly 87% of all fridges are white."),
            ),
            with(Section::Problem, Some("Nearly  all fridges are white.")),
            Some("Nearly all"),
        ),
        (
            "weasel_word",
            with(
                Section::Solution,
                Some("The almost-new shelf is mostly empty."),
            ),
            with(Section::Solution, Some("A Seamless, world-class photo.")),
            Some("Seamless"),
        ),
        (
            "jargon",
            with(
                Section::Solution,
                Some("We use the camera you already own."),
            ),
            with(
                Section::Solution,
                Some("We leverage the camera you already own."),
            ),
            Some("leverage"),
        ),
        (
            "jargon",
            with(Section::Solution, Some("The rapid photo is kept.")),
            with(Section::Solution, Some("The photo API is open.")),
            Some("API"),
        ),
        (
            "unquantified_claim",
            with(
                Section::Solution,
                Some("Checking takes 3 seconds, faster than walking home."),
            ),
            with(
                Section::Solution,
                Some("Checking is faster than walking home."),
            ),
            Some("Checking is faster than walking home."),
        ),
        (
            "unquantified_claim",
            with(
                Section::Solution,
                Some("It saves a third of the food, or 20% of the bill."),
            ),
            with(Section::Solution, Some("It saves food and money.")),
            Some("It saves food and money."),
        ),
        (
            "unquantified_claim",
            with(
                Section::CustomerQuote,
                Some("“It is so much easier,” said Sam."),
            ),
            with(Section::Summary, Some("It is so much easier.")),
            Some("It is so much easier."),
        ),
        (
            "acronym_undefined",
            with(
                Section::Summary,
                Some("Its Net Promoter Score (NPS) is 70. The NPS holds."),
            ),
            with(
                Section::Summary,
                Some("Its NPS is 70. The Net Promoter Score (NPS) holds."),
            ),
            Some("NPS"),
        ),
        (
            "acronym_undefined",
            with(
                Section::Summary,
                Some("The OCR (optical character reading) is on the box."),
            ),
            with(
                Section::Summary,
                Some("The OCRs read the labels in 2 seconds."),
            ),
            Some("OCRs"),
        ),
        (
            "acronym_undefined",
            with(Section::Headline, Some("BUY THE FRIDGE CAM NOW")),
            with(Section::Headline, Some("Buy the fridge cam NOW")),
            Some("NOW"),
        ),
        (
            "acronym_undefined",
            with(Section::Summary, Some("Watch it on your TV in the USA.")),
            with(Section::Summary, Some("Watch it on your HDMI screen.")),
            Some("HDMI"),
        ),
    ];
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

#[test]
fn findings_are_grouped_by_rule_in_reading_order_and_serialise_plainly() {
    let mut fields = with(Section::Problem, Some("Many fridges. Very many fridges."));
    fields.subheadline = Some("Various shoppers".into());
    fields.launch_date = None;
    let found = review(&fields, today());
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        [
            "launch_date_missing",
            "weasel_word",
            "weasel_word",
            "weasel_word",
            "weasel_word"
        ]
    );
    let quotes: Vec<&str> = found[1..]
        .iter()
        .filter_map(|f| f.quote.as_deref())
        .collect();
    assert_eq!(quotes, ["Various", "Many", "Very", "many"]);
    let json = serde_json::to_value(&found[1]).expect("json");
    assert_eq!(
        json,
        serde_json::json!({
            "rule": "weasel_word", "severity": "medium", "section": "subheadline",
            "quote": "Various", "suggestion": "Name them."
        })
    );
    assert_eq!(
        serde_json::to_value(&found[0]).expect("json")["quote"],
        serde_json::Value::Null
    );
}

#[test]
fn unicode_text_is_matched_by_whole_words_and_quoted_on_character_boundaries() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Ça marche — very bien, SIGNIFICANTLY mieux 🧊.",
            &["very", "SIGNIFICANTLY"],
        ),
        ("Ünïcödé everyday robustness; ROBUST 冰箱。", &["ROBUST"]),
        ("مرحبا many 🇫🇷 e\u{301}very", &["many"]),
        ("Lotsof noise but lots  of   fridges.", &["lots of"]),
    ];
    for (text, want) in cases {
        let found = review(&with(Section::Solution, Some(text)), today());
        let got: Vec<String> = found
            .iter()
            .filter(|f| f.rule == "weasel_word")
            .filter_map(|f| f.quote.clone())
            .collect();
        assert_eq!(got, *want, "{text}");
    }
    let long = format!("{} 🧊", "é".repeat(400));
    for f in review(&with(Section::Summary, Some(&long)), today()) {
        if let Some(q) = f.quote {
            assert!(q.chars().count() <= MAX_QUOTE_CHARS);
        }
    }
}

fn stress_text(sentences: usize) -> String {
    let pieces = [
        "Many shoppers see a faster fridge",
        "with the NPS score and an API that we leverage",
        "because nearly all of them buy twice",
        "and the photo arrives in 2 seconds",
    ];
    let mut out = String::new();
    for i in 0..sentences {
        out.push_str(pieces[i % pieces.len()]);
        out.push_str(if i % 7 == 6 { ".\n" } else { ". " });
    }
    out
}

#[test]
fn hostile_and_huge_input_never_panics() {
    let megabyte_word = "a.".repeat(500_000);
    let no_punctuation = words(200_000, "fridge");
    let one_line = "Fridge. ".repeat(100_000);
    let capitals = "ABCDEFG ".repeat(50_000);
    let newlines = "\n".repeat(100_000);
    let mixed = "é\u{301}🧊冰箱。 ".repeat(50_000);
    for text in [
        megabyte_word,
        no_punctuation,
        one_line,
        capitals,
        newlines,
        mixed,
        stress_text(10_000),
    ] {
        // The body (a `PR:` reply) is the one field Slack lets grow this long.
        let mut fields = clean();
        fields.set(Section::Body, Some(text));
        let found = review(&fields, today());
        for f in &found {
            assert!(
                f.quote
                    .as_deref()
                    .is_none_or(|q| q.chars().count() <= MAX_QUOTE_CHARS),
                "{f:?}"
            );
        }
    }
}

fn fastest_of_three(fields: &DraftFields) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let found = review(fields, today());
            let took = start.elapsed();
            assert!(!found.is_empty());
            took
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn review_time_grows_linearly_with_the_length_of_the_draft() {
    let small = with(Section::Summary, Some(&stress_text(2_000)));
    let large = with(Section::Summary, Some(&stress_text(8_000)));
    let t_small = fastest_of_three(&small);
    let t_large = fastest_of_three(&large);
    // 4× the text: linear is ~4×, quadratic would be ~16×. 10× leaves room for noise.
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
    assert!(
        ratio < 10.0,
        "4× the input took {ratio:.1}× as long ({t_small:?} → {t_large:?})"
    );
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
