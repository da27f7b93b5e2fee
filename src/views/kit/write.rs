//! The hot-path messages written as JSON by hand: the same bytes serde
//! writes for them (tested), but the keys and the type names, which are ours
//! and need no escaping, are copied as they are, and only the text is
//! escaped (by serde_json, so exactly as before). Through serde, a root
//! message escaped about 155 strings, a hundred of them keys and type names:
//! a sixth of a slash command's instructions on the tokio threads
//! (bench/README.md, eighth round).

use super::{Block, Button, ButtonValue, Message, Text};

/// Appends `s` as a JSON string. Most text needs no escape at all (no
/// quote, backslash or control character): it is copied between quotes
/// after one pass that the compiler vectorizes (serde_json looks each byte
/// up in a table on its way). Text that needs one goes through serde_json.
fn string(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if needs_escape(s.as_bytes()) {
        return serde_json::to_writer(&mut *out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// Whether JSON needs any byte of `bytes` escaped: `"`, `\` or a control
/// character below 0x20 (what serde_json escapes; it leaves DEL and
/// non-ASCII as they are).
fn needs_escape(bytes: &[u8]) -> bool {
    // Whole chunks without an early exit, so the loop is vectorized.
    let mut chunks = bytes.chunks_exact(16);
    let mut found = false;
    for chunk in &mut chunks {
        found |= chunk
            .iter()
            .fold(false, |f, &b| f | (b < 0x20) | (b == b'"') | (b == b'\\'));
        if found {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Appends a name of ours (a block or element type, a button style) as a
/// JSON string: these are `&'static str` literals with nothing to escape
/// (checked in debug builds and by the tests).
fn name(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(!needs_escape(s.as_bytes()), "{s}");
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

fn raw(out: &mut Vec<u8>, json: &str) {
    out.extend_from_slice(json.as_bytes());
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    raw(out, if b { "true" } else { "false" });
}

impl Message<'_> {
    /// Appends the message's fields — `"text":…,"blocks":[…],"unfurl_links":…,
    /// "unfurl_media":…` — without braces, so a body can put its own around
    /// them (its channel first, its tag after).
    pub fn write_fields(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        raw(out, "\"text\":");
        string(out, &self.text)?;
        raw(out, ",\"blocks\":[");
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            block.write(out)?;
        }
        raw(out, "],\"unfurl_links\":");
        boolean(out, self.unfurl_links);
        raw(out, ",\"unfurl_media\":");
        boolean(out, self.unfurl_media);
        Ok(())
    }
}

impl Block<'_> {
    fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            Block::Header { block_id, text } => {
                raw(out, "{\"type\":\"header\",\"block_id\":");
                string(out, block_id)?;
                raw(out, ",\"text\":");
                text.write(out)?;
            }
            Block::Section { block_id, text } => {
                raw(out, "{\"type\":\"section\",");
                if let Some(id) = block_id {
                    raw(out, "\"block_id\":");
                    string(out, id)?;
                    out.push(b',');
                }
                raw(out, "\"text\":");
                text.write(out)?;
            }
            Block::Context { elements: [text] } => {
                raw(out, "{\"type\":\"context\",\"elements\":[");
                text.write(out)?;
                out.push(b']');
            }
            Block::Actions { block_id, elements } => {
                raw(out, "{\"type\":\"actions\",\"block_id\":");
                string(out, block_id)?;
                raw(out, ",\"elements\":[");
                for (i, button) in elements.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    button.write(out)?;
                }
                out.push(b']');
            }
        }
        out.push(b'}');
        Ok(())
    }
}

impl Text<'_> {
    fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        raw(out, "{\"type\":");
        name(out, self.kind);
        raw(out, ",\"text\":");
        string(out, &self.text)?;
        if let Some(emoji) = self.emoji {
            raw(out, ",\"emoji\":");
            boolean(out, emoji);
        }
        out.push(b'}');
        Ok(())
    }
}

impl Button<'_> {
    fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        raw(out, "{\"type\":");
        name(out, self.kind);
        raw(out, ",\"action_id\":");
        string(out, self.action_id)?;
        raw(out, ",\"text\":");
        self.text.write(out)?;
        raw(out, ",\"value\":");
        match &self.value {
            ButtonValue::Text(text) => string(out, text)?,
            ButtonValue::Number(n) => {
                out.push(b'"');
                raw(out, itoa::Buffer::new().format(*n));
                out.push(b'"');
            }
        }
        if let Some(style) = self.style {
            raw(out, ",\"style\":");
            name(out, style);
        }
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn by_hand(message: &Message<'_>) -> String {
        let mut out = b"{".to_vec();
        message.write_fields(&mut out).expect("writes");
        out.push(b'}');
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        let mut texts: Vec<String> = (0u32..0x80)
            .filter_map(char::from_u32)
            .flat_map(|c| {
                [
                    c.to_string(),
                    format!("{c}0123456789abcdef0123456789"),
                    format!("0123456789abcdef{c}"),
                    format!("0123456789abcdef0123456789abcde{c}xyz"),
                ]
            })
            .collect();
        texts.extend(["", "é🚀 ünïcode", "\u{2028}\u{2029}", &"z".repeat(100)].map(String::from));
        for text in &texts {
            let mut ours = Vec::new();
            string(&mut ours, text).expect("writes");
            let theirs = serde_json::to_vec(text).expect("serializes");
            assert_eq!(ours, theirs, "{text:?}");
        }
        for kind in ["plain_text", "mrkdwn", "button", "primary"] {
            assert!(!needs_escape(kind.as_bytes()));
        }
    }

    #[test]
    fn messages_are_written_as_serde_writes_them() {
        let awkward = "Quotes \" back\\slash\ttab\nline \u{1} ctl \u{7f} del é 🚀 </script> <@U1>";
        let long = "y".repeat(4_000);
        let blocks = vec![
            Block::header("wb_title", awkward),
            Block::header("b\"id", &long),
            Block::section(None, Cow::Borrowed(awkward)),
            Block::section(Some("wb_status"), Cow::Owned(long.clone())),
            Block::context(awkward),
            Block::Actions {
                block_id: "wb_actions",
                elements: vec![
                    Button::numbered("wb_draft_pr", "Draft press release", Some(1), true),
                    Button::numbered("wb_ask", awkward, Some(i64::MIN), false),
                    Button::numbered("wb_x", "X", Some(i64::MAX), false),
                    Button::numbered("wb_none", "None", None, true),
                    Button::new("wb_text", "Text", Cow::Borrowed(awkward), false),
                ],
            },
            Block::Actions {
                block_id: "empty",
                elements: Vec::new(),
            },
        ];
        let cases = [
            Message {
                text: awkward.to_string(),
                blocks,
                unfurl_links: false,
                unfurl_media: true,
            },
            Message {
                text: String::new(),
                blocks: Vec::new(),
                unfurl_links: true,
                unfurl_media: false,
            },
        ];
        for message in &cases {
            let by_serde = serde_json::to_string(message).expect("serializes");
            assert_eq!(by_hand(message), by_serde);
        }
    }
}
