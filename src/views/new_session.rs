//! The modal of `/wb pressrelease` without an idea: the idea, and optionally a
//! first draft in the canonical sections.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::draft::field_inputs;
use super::{context, limits};
use crate::domain::session::MAX_TITLE_CHARS;
use crate::domain::truncate_chars;
use crate::views::ids::VIEW_NEW_SESSION;

/// The idea's input.
pub const BLOCK_IDEA: &str = "wb_idea";

/// What the modal must remember: a view submission carries no channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSessionMeta {
    pub channel_id: String,
    /// Where to tell the user if starting the session fails.
    #[serde(default)]
    pub response_url: Option<String>,
}

impl NewSessionMeta {
    /// The `private_metadata` (≤ 3,000 characters: an oversized response_url is dropped).
    pub fn encode(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        if text.chars().count() <= limits::PRIVATE_METADATA {
            return text;
        }
        let lean = Self {
            channel_id: self.channel_id.clone(),
            response_url: None,
        };
        serde_json::to_string(&lean).unwrap_or_default()
    }

    pub fn decode(metadata: &str) -> Option<Self> {
        serde_json::from_str::<Self>(metadata)
            .ok()
            .filter(|m| !m.channel_id.trim().is_empty())
    }
}

fn plain(text: &str) -> Value {
    json!({"type": "plain_text", "text": text})
}

/// The new-session modal.
pub fn new_session_modal(meta: &NewSessionMeta) -> Value {
    let mut blocks = vec![
        json!({
            "type": "input",
            "block_id": BLOCK_IDEA,
            "label": plain("Idea"),
            "hint": plain("The product or feature, in a few words. It becomes the thread's title."),
            "element": {
                "type": "plain_text_input",
                "action_id": super::draft::ACTION_VALUE,
                "max_length": MAX_TITLE_CHARS,
                "placeholder": plain("Smart fridge camera"),
            },
        }),
        json!({"type": "divider"}),
        context(
            "*Optional: a first draft of the press release.* Leave it empty to draft later with \
             *Draft press release* on the session's message. If you start one, give it a headline.",
        ),
    ];
    blocks.extend(field_inputs(None, false));
    json!({
        "type": "modal",
        "callback_id": VIEW_NEW_SESSION,
        "private_metadata": meta.encode(),
        "title": plain(&truncate_chars("New session", limits::MODAL_TITLE)),
        "submit": plain("Start"),
        "close": plain("Cancel"),
        "blocks": blocks,
    })
}

/// The idea typed in the modal (untrimmed; `Title::parse` judges it).
pub fn parse_idea(values: &Value) -> String {
    values
        .get(BLOCK_IDEA)
        .and_then(|b| b.get(super::draft::ACTION_VALUE))
        .and_then(|a| a.get("value"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::test_support::assert_within_limits;

    #[test]
    fn the_modal_asks_for_the_idea_then_an_optional_first_draft() {
        let meta = NewSessionMeta {
            channel_id: "C1".into(),
            response_url: Some("https://hooks.slack.com/commands/T/1/x".into()),
        };
        let view = new_session_modal(&meta);
        assert_eq!(view["callback_id"], VIEW_NEW_SESSION);
        assert!(
            view["title"]["text"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .count()
                <= 24
        );
        let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
        assert_eq!(blocks[0]["block_id"], BLOCK_IDEA);
        assert!(blocks[0].get("optional").is_none());
        let inputs: Vec<&Value> = blocks.iter().filter(|b| b["type"] == "input").collect();
        assert_eq!(inputs.len(), 12);
        assert!(inputs[1..].iter().all(|b| b["optional"] == true));
        assert_within_limits(&blocks, limits::BLOCKS_PER_MODAL);
        let meta_back =
            NewSessionMeta::decode(view["private_metadata"].as_str().unwrap_or_default());
        assert_eq!(meta_back, Some(meta));
    }

    #[test]
    fn metadata_stays_within_the_limit_and_garbage_is_refused() {
        let meta = NewSessionMeta {
            channel_id: "C1".into(),
            response_url: Some("x".repeat(4000)),
        };
        let text = meta.encode();
        assert!(text.len() <= 3000);
        assert_eq!(
            NewSessionMeta::decode(&text).map(|m| m.response_url),
            Some(None)
        );
        for bad in ["", "{}", "{\"channel_id\":\" \"}", "nope"] {
            assert_eq!(NewSessionMeta::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_idea_is_read_from_the_state() {
        let values =
            json!({BLOCK_IDEA: {"value": {"type": "plain_text_input", "value": " Fridge 🧊 "}}});
        assert_eq!(parse_idea(&values), " Fridge 🧊 ");
        assert_eq!(parse_idea(&json!({})), "");
    }
}
