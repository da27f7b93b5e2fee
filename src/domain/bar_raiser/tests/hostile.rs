//! Input no writer would send, at sizes Slack allows: nothing panics and every
//! quote stays short.

use super::*;

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
