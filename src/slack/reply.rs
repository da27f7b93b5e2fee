//! What a handler answers Slack in the HTTP (or Socket Mode) acknowledgement.

use std::collections::BTreeMap;

use serde::Serialize;
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

    /// [`CommandReply::to_json`] written straight to bytes (the same JSON,
    /// keys in the same order): every slash command's acknowledgement,
    /// without building a `Value` first.
    pub fn to_bytes(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            blocks: Option<&'a [Value]>,
            response_type: &'static str,
            text: &'a str,
        }
        let body = Body {
            blocks: self.blocks.as_deref(),
            response_type: if self.in_channel {
                "in_channel"
            } else {
                "ephemeral"
            },
            text: &self.text,
        };
        serde_json::to_vec(&body).unwrap_or_else(|_| self.to_json().to_string().into_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_serialise_as_slack_expects() {
        let reply = CommandReply::ephemeral("hi");
        assert_eq!(
            reply.to_json(),
            json!({"response_type": "ephemeral", "text": "hi"})
        );
        assert_eq!(InteractionReply::Empty.to_json(), None);
        for reply in [
            CommandReply::ephemeral("Hi \"there\" <@U1>\n✨"),
            CommandReply {
                text: "in".into(),
                blocks: Some(vec![json!({"type": "section", "b": [1, null]})]),
                in_channel: true,
            },
        ] {
            assert_eq!(
                String::from_utf8(reply.to_bytes()).ok(),
                Some(reply.to_json().to_string()),
                "{reply:?}"
            );
        }
        assert_eq!(
            InteractionReply::error("wb_headline", "Add a headline").to_json(),
            Some(json!({"response_action": "errors", "errors": {"wb_headline": "Add a headline"}}))
        );
    }
}
