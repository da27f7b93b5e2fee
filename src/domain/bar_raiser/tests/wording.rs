//! The rules on the words themselves: weasel words, jargon, claims without a
//! number, acronyms not spelled out; whole words in any script and case.

use super::*;

#[test]
fn every_wording_rule_has_a_passing_and_a_failing_example() {
    check(vec![
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
    ]);
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
