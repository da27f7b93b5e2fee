//! Everything that speaks Slack: the Web API client, the durable outbox, and the
//! handlers shared by both transports (HTTP and Socket Mode), grouped by kind.

pub mod api;
pub mod commands;
pub mod events;
pub mod export_context;
pub mod export_job;
pub mod ids;
pub mod interactions;
pub mod jobs;
pub mod outbox;
pub mod root;
pub mod signature;
pub mod views;

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// What a slash command answers in its acknowledgement.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandReply {
    pub text: String,
    pub blocks: Option<Vec<Value>>,
    pub in_channel: bool,
}

impl CommandReply {
    /// A message only the invoking user sees.
    pub fn ephemeral(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            blocks: None,
            in_channel: false,
        }
    }

    pub fn with_blocks(mut self, blocks: Vec<Value>) -> Self {
        self.blocks = Some(blocks);
        self
    }

    /// The JSON body Slack expects as the HTTP acknowledgement.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "response_type": if self.in_channel { "in_channel" } else { "ephemeral" },
            "text": self.text,
        });
        if let Some(blocks) = &self.blocks {
            body["blocks"] = Value::Array(blocks.clone());
        }
        body
    }
}

/// What an interaction answers in its acknowledgement.
#[derive(Debug, Clone, PartialEq)]
pub enum InteractionReply {
    /// A plain 200.
    Empty,
    /// `response_action: errors` — the modal stays open with these messages by block_id.
    Errors(BTreeMap<String, String>),
    /// `response_action: update` with a new view.
    Update(Value),
    /// `response_action: clear` — closes every view of the modal.
    Clear,
}

impl InteractionReply {
    /// One error message on one block.
    pub fn error(block_id: &str, message: impl Into<String>) -> Self {
        Self::Errors(BTreeMap::from([(block_id.to_string(), message.into())]))
    }

    /// The HTTP body, or `None` for an empty 200.
    pub fn to_json(&self) -> Option<Value> {
        match self {
            Self::Empty => None,
            Self::Errors(errors) => Some(json!({"response_action": "errors", "errors": errors})),
            Self::Update(view) => Some(json!({"response_action": "update", "view": view})),
            Self::Clear => Some(json!({"response_action": "clear"})),
        }
    }
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

    #[test]
    fn replies_serialise_as_slack_expects() {
        let reply = CommandReply::ephemeral("hi");
        assert_eq!(
            reply.to_json(),
            json!({"response_type": "ephemeral", "text": "hi"})
        );
        assert_eq!(InteractionReply::Empty.to_json(), None);
        assert_eq!(
            InteractionReply::error("wb_headline", "Add a headline").to_json(),
            Some(json!({"response_action": "errors", "errors": {"wb_headline": "Add a headline"}}))
        );
    }
}
