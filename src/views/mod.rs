//! Pure Block Kit builders: values in, JSON out, no I/O. Every builder keeps
//! Slack's documented Block Kit limits, so a long title or text never makes Slack
//! refuse a message.

pub mod answer;
pub mod ask;
pub mod coverage;
pub mod draft;
pub mod help;
pub mod home;
pub mod ids;
pub mod install;
pub mod kit;
pub mod meeting;
pub mod new_session;
pub mod remind;
pub mod review;
pub mod root;
pub mod triage;

use serde_json::{json, Value};

use crate::domain::truncate_chars;

/// Slack's limits we build against.
pub mod limits {
    pub const HEADER_TEXT: usize = 150;
    pub const SECTION_TEXT: usize = 3000;
    pub const CONTEXT_TEXT: usize = 2000;
    pub const BUTTON_TEXT: usize = 75;
    pub const BLOCKS_PER_MESSAGE: usize = 50;
    pub const BLOCKS_PER_MODAL: usize = 100;
    pub const MODAL_TITLE: usize = 24;
    pub const OPTION_TEXT: usize = 75;
    pub const OPTIONS: usize = 100;
    pub const PRIVATE_METADATA: usize = 3000;
    /// Fallback `text` of a message (Slack truncates above 40,000).
    pub const MESSAGE_TEXT: usize = 40_000;
}

pub fn header(block_id: &str, text: &str) -> Value {
    json!({
        "type": "header",
        "block_id": block_id,
        "text": {"type": "plain_text", "text": truncate_chars(text, limits::HEADER_TEXT), "emoji": true}
    })
}

/// A mrkdwn section; `text` must already be escaped where it holds user text.
pub fn section(block_id: Option<&str>, mrkdwn: &str) -> Value {
    let mut block = json!({
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate_chars(mrkdwn, limits::SECTION_TEXT)}
    });
    if let Some(id) = block_id {
        block["block_id"] = json!(id);
    }
    block
}

pub fn context(mrkdwn: &str) -> Value {
    json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate_chars(mrkdwn, limits::CONTEXT_TEXT)}]
    })
}

/// Escapes the three characters Slack's mrkdwn treats as control characters,
/// so echoed user text can never form `<!channel>`, `<@U…>` or a link.
pub fn escape_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn button(action_id: &str, text: &str, value: &str, primary: bool) -> Value {
    let mut b = json!({
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": truncate_chars(text, limits::BUTTON_TEXT), "emoji": true},
        "value": value,
    });
    if primary {
        b["style"] = json!("primary");
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_defuses_mentions_and_links() {
        let cases = [
            ("plain", "plain"),
            ("<!channel> hi", "&lt;!channel&gt; hi"),
            ("<@U123>", "&lt;@U123&gt;"),
            ("a & b", "a &amp; b"),
            ("<https://x|y>", "&lt;https://x|y&gt;"),
            ("🧊 ünïcode", "🧊 ünïcode"),
        ];
        for (input, want) in cases {
            assert_eq!(escape_mrkdwn(input), want);
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use serde_json::Value;

    use super::limits;

    /// Asserts the Block Kit limits wb relies on, for any message or modal.
    pub fn assert_within_limits(blocks: &[Value], max_blocks: usize) {
        assert!(blocks.len() <= max_blocks, "{} blocks", blocks.len());
        for block in blocks {
            let kind = block["type"].as_str().unwrap_or_default();
            let text = block["text"]["text"].as_str().unwrap_or_default();
            match kind {
                "header" => assert!(text.chars().count() <= limits::HEADER_TEXT),
                "section" => assert!(text.chars().count() <= limits::SECTION_TEXT),
                _ => {}
            }
            if let Some(id) = block["block_id"].as_str() {
                assert!(id.len() <= 255);
            }
            if let Some(elements) = block["elements"].as_array() {
                assert!(elements.len() <= 25);
                for e in elements {
                    if e["type"] == "button" {
                        let t = e["text"]["text"].as_str().unwrap_or_default();
                        assert!(t.chars().count() <= limits::BUTTON_TEXT);
                        assert!(e["action_id"].as_str().unwrap_or_default().len() <= 255);
                    }
                }
            }
        }
    }
}
