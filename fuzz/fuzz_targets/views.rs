//! The session root message (`root_message`) for arbitrary titles, authors and
//! status stays within Slack's Block Kit limits and never lets user text ping
//! anyone (no raw `<` from user input reaches mrkdwn).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wb::domain::session::Title;
use wb::views::limits;
use wb::views::root::{root_message, RootStatus};

type Input = (
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fuzz_target!(|input: Input| {
    let (raw_title, created_by, session_id, headline, subheadline, drafts, questions) = input;
    // wb only builds root messages for titles that `Title::parse` accepted.
    let Ok(title) = Title::parse(&raw_title) else {
        return;
    };
    let title = title.as_str();
    let status = RootStatus {
        headline,
        subheadline,
        drafts,
        questions,
        ..RootStatus::default()
    };
    let msg = root_message(title, &created_by, session_id, &status).to_value();
    assert!(serde_json::to_string(&msg).is_ok());

    let text = msg["text"].as_str().unwrap_or_default();
    assert!(text.chars().count() <= limits::MESSAGE_TEXT);
    assert!(!text.contains('<'), "raw < in the fallback text: {text:?}");

    let blocks = msg["blocks"].as_array().cloned().unwrap_or_default();
    assert!(!blocks.is_empty() && blocks.len() <= limits::BLOCKS_PER_MESSAGE);
    for block in &blocks {
        if let Some(id) = block["block_id"].as_str() {
            assert!(!id.is_empty() && id.len() <= 255);
        }
        match block["type"].as_str().unwrap_or_default() {
            "header" => {
                assert_eq!(block["text"]["type"], "plain_text");
                let n = chars(&block["text"]["text"]);
                assert!((1..=limits::HEADER_TEXT).contains(&n), "header {n} chars");
            }
            "section" => {
                let n = chars(&block["text"]["text"]);
                assert!(n <= limits::SECTION_TEXT, "section {n} chars");
            }
            "context" => {
                let elements = block["elements"].as_array().cloned().unwrap_or_default();
                assert!(elements.len() <= 10);
                for e in &elements {
                    assert!(chars(&e["text"]) <= limits::CONTEXT_TEXT);
                }
            }
            "actions" => {
                let elements = block["elements"].as_array().cloned().unwrap_or_default();
                assert!(elements.len() <= 25);
                for e in &elements {
                    assert!(chars(&e["text"]["text"]) <= limits::BUTTON_TEXT);
                    assert!(chars(&e["value"]) <= 2000);
                    let id = e["action_id"].as_str().unwrap_or_default();
                    assert!(!id.is_empty() && id.len() <= 255);
                }
            }
            other => panic!("unexpected block type {other}"),
        }
    }

    // Mentions: the only `<` in the intro is the author's `<@…>`, and the status
    // line (headline, sub-headline) carries none at all.
    let intro = blocks[1]["text"]["text"].as_str().unwrap_or_default();
    assert!(intro.matches('<').count() <= 1, "{intro:?}");
    let status_text = blocks[2]["text"]["text"].as_str().unwrap_or_default();
    assert!(!status_text.contains('<'), "{status_text:?}");
});
