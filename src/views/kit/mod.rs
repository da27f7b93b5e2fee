//! Block Kit as types that serialize straight to JSON, for the messages on the
//! hot path (the root message is posted once per slash command). They write
//! the same JSON as the `serde_json::Value` builders of [`super`] (`header`,
//! `section`, `context`, `button`), without building a `Value` tree first.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use super::limits;
use crate::domain::truncate_chars;

mod write;

/// A text object: `plain_text` (with `emoji: true`) or `mrkdwn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    text: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emoji: Option<bool>,
}

impl<'a> Text<'a> {
    pub fn plain(text: Cow<'a, str>) -> Self {
        Self {
            kind: "plain_text",
            text,
            emoji: Some(true),
        }
    }

    pub fn mrkdwn(text: Cow<'a, str>) -> Self {
        Self {
            kind: "mrkdwn",
            text,
            emoji: None,
        }
    }
}

/// A button element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Button<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    action_id: &'a str,
    text: Text<'a>,
    value: ButtonValue<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    style: Option<&'static str>,
}

impl<'a> Button<'a> {
    pub fn new(action_id: &'a str, text: &'a str, value: Cow<'a, str>, primary: bool) -> Self {
        Self::with_value(action_id, text, ButtonValue::Text(value), primary)
    }

    /// A button whose value is a number (a session's), written as its
    /// digits: the root message's buttons share one number without a copy
    /// of it each. `None` is an empty value.
    pub fn numbered(action_id: &'a str, text: &'a str, number: Option<i64>, primary: bool) -> Self {
        let value = match number {
            Some(n) => ButtonValue::Number(n),
            None => ButtonValue::Text(Cow::Borrowed("")),
        };
        Self::with_value(action_id, text, value, primary)
    }

    fn with_value(
        action_id: &'a str,
        text: &'a str,
        value: ButtonValue<'a>,
        primary: bool,
    ) -> Self {
        Self {
            kind: "button",
            action_id,
            text: Text::plain(truncate_cow(text, limits::BUTTON_TEXT)),
            value,
            style: primary.then_some("primary"),
        }
    }
}

/// A button's value: Slack's is always a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonValue<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

impl Serialize for ButtonValue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Number(n) => serializer.collect_str(n),
        }
    }
}

/// The blocks of the hot-path messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block<'a> {
    Header {
        block_id: &'a str,
        text: Text<'a>,
    },
    Section {
        #[serde(skip_serializing_if = "Option::is_none")]
        block_id: Option<&'a str>,
        text: Text<'a>,
    },
    Context {
        elements: [Text<'a>; 1],
    },
    Actions {
        block_id: &'a str,
        elements: Vec<Button<'a>>,
    },
}

impl<'a> Block<'a> {
    /// Same as [`super::header`].
    pub fn header(block_id: &'a str, text: &'a str) -> Self {
        Block::Header {
            block_id,
            text: Text::plain(truncate_cow(text, limits::HEADER_TEXT)),
        }
    }

    /// Same as [`super::section`]; `mrkdwn` must already be escaped.
    pub fn section(block_id: Option<&'a str>, mrkdwn: Cow<'a, str>) -> Self {
        let text = match mrkdwn {
            Cow::Borrowed(s) => truncate_cow(s, limits::SECTION_TEXT),
            Cow::Owned(s) if s.chars().count() <= limits::SECTION_TEXT => Cow::Owned(s),
            Cow::Owned(s) => Cow::Owned(truncate_chars(&s, limits::SECTION_TEXT)),
        };
        Block::Section {
            block_id,
            text: Text::mrkdwn(text),
        }
    }

    /// Same as [`super::context`].
    pub fn context(mrkdwn: &'a str) -> Self {
        Block::Context {
            elements: [Text::mrkdwn(truncate_cow(mrkdwn, limits::CONTEXT_TEXT))],
        }
    }
}

/// A message's `text` and `blocks`, with link and media unfurling off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message<'a> {
    pub text: String,
    pub blocks: Vec<Block<'a>>,
    pub unfurl_links: bool,
    pub unfurl_media: bool,
}

impl Message<'_> {
    /// The message as a JSON value (for callers that add fields to it).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `text` cut to `max` characters, borrowed when it fits.
fn truncate_cow(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max || text.chars().count() <= max {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(truncate_chars(text, max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{button, context, header, section};

    fn json<T: Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap_or(Value::Null)
    }

    #[test]
    fn typed_blocks_write_what_the_value_builders_write() {
        let long = "x".repeat(5_000);
        let cases: Vec<(Value, Value)> = vec![
            (json(&Block::header("b1", "Title")), header("b1", "Title")),
            (json(&Block::header("b1", &long)), header("b1", &long)),
            (
                json(&Block::section(None, Cow::Borrowed("*hi*"))),
                section(None, "*hi*"),
            ),
            (
                json(&Block::section(Some("s"), Cow::Owned(long.clone()))),
                section(Some("s"), &long),
            ),
            (
                json(&Block::section(Some("s"), Cow::Borrowed(&long))),
                section(Some("s"), &long),
            ),
            (json(&Block::context("ctx")), context("ctx")),
            (json(&Block::context(&long)), context(&long)),
            (
                json(&Button::new("a", "Go", Cow::Borrowed("7"), true)),
                button("a", "Go", "7", true),
            ),
            (
                json(&Button::new("a", &long, Cow::Borrowed(""), false)),
                button("a", &long, "", false),
            ),
            (
                json(&Button::numbered("a", "Go", Some(-12), true)),
                button("a", "Go", "-12", true),
            ),
            (
                json(&Button::numbered("a", "Go", None, false)),
                button("a", "Go", "", false),
            ),
        ];
        for (i, (typed, built)) in cases.iter().enumerate() {
            assert_eq!(typed, built, "case {i}");
        }
    }
}
