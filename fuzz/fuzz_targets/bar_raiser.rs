//! The bar-raiser on arbitrary text in every section: never panics, and every
//! quote stays within MAX_QUOTE_CHARS characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wb::domain::bar_raiser::{review, MAX_QUOTE_CHARS};
use wb::domain::draft::DraftFields;

fuzz_target!(|input: (String, String, i16, u8, u8)| {
    let (text, date, year, month, day) = input;
    let t = || Some(text.clone());
    let fields = DraftFields {
        headline: t(),
        subheadline: t(),
        dateline_city: t(),
        launch_date: Some(date),
        summary: t(),
        problem: t(),
        solution: t(),
        leader_quote: t(),
        getting_started: t(),
        customer_quote: t(),
        call_to_action: t(),
        body: t(),
    };
    let today = jiff::civil::Date::new(year.clamp(1, 9999), month.clamp(1, 12) as i8, day.clamp(1, 28) as i8)
        .unwrap_or(jiff::civil::date(2026, 11, 21));
    for finding in review(&fields, today) {
        if let Some(q) = finding.quote {
            assert!(q.chars().count() <= MAX_QUOTE_CHARS, "quote too long");
        }
    }
});
