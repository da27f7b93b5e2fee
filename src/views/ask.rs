//! The Ask modal (button *Ask a question*, `/wb faq` without text, and the
//! *Add to FAQ* shortcut): the question, its audience, and an anonymous option.
//! Also reads its submission back, so the block ids live in one file.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{context, section};
use crate::domain::capture::question_text;
use crate::domain::docset::Audience;
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::ids::VIEW_ASK;

pub const BLOCK_QUESTION: &str = "wb_question";
pub const BLOCK_AUDIENCE: &str = "wb_audience";
pub const BLOCK_ANONYMOUS: &str = "wb_anonymous";
/// The action id of every input in the modal.
pub const ACTION_VALUE: &str = "value";
const ANONYMOUS: &str = "anonymous";
/// Longest question typed into the form (Slack's input limit).
pub const QUESTION_MAX: usize = 3000;

/// What the modal carries to its submission in `private_metadata`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskMetadata {
    pub session_id: i64,
    /// Set by the shortcut: the thread message that becomes the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_ts: Option<String>,
    /// The author of that message (the asker unless anonymous is ticked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// What the user submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskSubmission {
    pub question: String,
    pub audience: Audience,
    pub anonymous: bool,
}

/// The modal for session `session_title`; `prefill` is the shortcut's message text.
pub fn ask_modal(meta: &AskMetadata, session_title: &str, prefill: Option<&str>) -> Value {
    let mut question = json!({
        "type": "plain_text_input",
        "action_id": ACTION_VALUE,
        "multiline": true,
        "max_length": QUESTION_MAX,
        "placeholder": {"type": "plain_text", "text": "How much will it cost?"},
    });
    if let Some(text) = prefill.map(str::trim).filter(|t| !t.is_empty()) {
        question["initial_value"] = json!(truncate_chars(text, QUESTION_MAX));
    }
    let option = |value: &str, text: &str, description: &str| {
        json!({
            "text": {"type": "plain_text", "text": text},
            "value": value,
            "description": {"type": "plain_text", "text": description},
        })
    };
    let external = option(
        Audience::External.as_str(),
        "External — customers ask this",
        "Price, how it works, where to get it, support.",
    );
    let internal = option(
        Audience::Internal.as_str(),
        "Internal — stakeholders ask this",
        "Market, assumptions, economics, dependencies and risks.",
    );
    let mut blocks = vec![section(
        None,
        &format!(
            "Session: *{}*",
            escape_mrkdwn(&truncate_chars(session_title, 300))
        ),
    )];
    if let Some(author) = &meta.author {
        blocks.push(context(&format!(
            "From a message by <@{}> in the thread.",
            escape_mrkdwn(author)
        )));
    }
    blocks.extend([
        json!({
            "type": "input",
            "block_id": BLOCK_QUESTION,
            "label": {"type": "plain_text", "text": "Question"},
            "element": question,
        }),
        json!({
            "type": "input",
            "block_id": BLOCK_AUDIENCE,
            "label": {"type": "plain_text", "text": "Who asks it?"},
            "element": {
                "type": "radio_buttons",
                "action_id": ACTION_VALUE,
                "options": [external.clone(), internal],
                "initial_option": external,
            },
        }),
        context(
            "*Internal FAQ* (Bill Carr's four families): customer definition and market size · \
             problems, solutions and assumptions · economics (costs, P&L) · dependencies and risks.",
        ),
        json!({
            "type": "input",
            "block_id": BLOCK_ANONYMOUS,
            "optional": true,
            "label": {"type": "plain_text", "text": "Anonymity"},
            "element": {
                "type": "checkboxes",
                "action_id": ACTION_VALUE,
                "options": [option(
                    ANONYMOUS,
                    "Ask anonymously",
                    "Your name is not stored and not shown.",
                )],
            },
        }),
    ]);
    json!({
        "type": "modal",
        "callback_id": VIEW_ASK,
        "private_metadata": metadata_json(meta),
        "title": {"type": "plain_text", "text": "Ask a question"},
        "submit": {"type": "plain_text", "text": "Add to FAQ"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    })
}

fn metadata_json(meta: &AskMetadata) -> String {
    // Two ids and a ts: far below the 3000-character limit, and serialising
    // plain data cannot fail.
    serde_json::to_string(meta).unwrap_or_default()
}

/// Reads `view.state.values`; `Err((block_id, message))` for the user to fix.
pub fn read_submission(values: &Value) -> Result<AskSubmission, (&'static str, String)> {
    let field = |block: &str| &values[block][ACTION_VALUE];
    let raw = field(BLOCK_QUESTION)["value"].as_str().unwrap_or_default();
    let (prefixed, text) = question_text(raw);
    if text.is_empty() {
        return Err((BLOCK_QUESTION, "Write the question first.".into()));
    }
    // External is the preselected choice, so an `IQ:` typed into the text
    // still makes the question internal: internal wins when either says so.
    let chosen = field(BLOCK_AUDIENCE)["selected_option"]["value"]
        .as_str()
        .and_then(Audience::parse);
    let audience = if chosen == Some(Audience::Internal) {
        Audience::Internal
    } else {
        prefixed
    };
    let anonymous = field(BLOCK_ANONYMOUS)["selected_options"]
        .as_array()
        .is_some_and(|opts| opts.iter().any(|o| o["value"] == ANONYMOUS));
    Ok(AskSubmission {
        question: text,
        audience,
        anonymous,
    })
}

/// Parses the modal's `private_metadata`.
pub fn read_metadata(raw: &str) -> Option<AskMetadata> {
    serde_json::from_str(raw).ok()
}

/// The bot's thread message showing a question asked from `/wb faq` or the
/// form: "❓ … — asked by @user" (or "asked anonymously"). A 👍 on it votes.
pub fn question_post(audience: Audience, question: &str, asked_by: Option<&str>) -> String {
    let (emoji, label) = match audience {
        Audience::External => (":question:", "Question"),
        Audience::Internal => (":lock:", "Internal question"),
    };
    let who = match asked_by {
        Some(user) => format!("asked by <@{}>", escape_mrkdwn(user)),
        None => "asked anonymously".to_string(),
    };
    // Escaping can grow the text; Slack cuts messages above 40,000 characters.
    let body = truncate_chars(&escape_mrkdwn(question.trim()), 38_000);
    format!("{emoji} *{label}:* {body} — {who}\n_React :+1: to vote for it._")
}

/// Limits a modal must respect, checked on the modal JSON.
#[cfg(test)]
pub(crate) fn assert_modal_within_limits(view: &Value) {
    use super::limits;
    use super::test_support::assert_within_limits;
    let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
    assert_within_limits(&blocks, limits::BLOCKS_PER_MODAL);
    for key in ["title", "submit", "close"] {
        if let Some(text) = view[key]["text"].as_str() {
            assert!(text.chars().count() <= limits::MODAL_TITLE, "{key}: {text}");
        }
    }
    let meta = view["private_metadata"].as_str().unwrap_or_default();
    assert!(meta.len() <= limits::PRIVATE_METADATA);
    assert!(view["callback_id"].as_str().unwrap_or_default().len() <= 255);
    for block in &blocks {
        let element = &block["element"];
        if let Some(initial) = element["initial_value"].as_str() {
            let max = element["max_length"].as_u64().unwrap_or(3000) as usize;
            assert!(initial.chars().count() <= max);
        }
        let mut options: Vec<&Value> = element["options"]
            .as_array()
            .map(|o| o.iter().collect())
            .unwrap_or_default();
        for group in element["option_groups"].as_array().into_iter().flatten() {
            assert!(
                group["label"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .count()
                    <= 75
            );
            options.extend(group["options"].as_array().into_iter().flatten());
        }
        assert!(
            options.len() <= limits::OPTIONS,
            "{} options",
            options.len()
        );
        for o in options {
            let text = o["text"]["text"].as_str().unwrap_or_default();
            assert!(text.chars().count() <= limits::OPTION_TEXT, "{text}");
            assert!(o["value"].as_str().unwrap_or_default().len() <= 150);
            if let Some(d) = o["description"]["text"].as_str() {
                assert!(d.chars().count() <= 75, "{d}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::limits;

    fn meta() -> AskMetadata {
        AskMetadata {
            session_id: 7,
            ..Default::default()
        }
    }

    #[test]
    fn the_modal_asks_question_audience_and_anonymity() {
        let view = ask_modal(&meta(), "Smart fridge camera", None);
        assert_eq!(view["callback_id"], VIEW_ASK);
        assert_eq!(
            read_metadata(view["private_metadata"].as_str().unwrap_or_default()),
            Some(meta())
        );
        let ids: Vec<&str> = view["blocks"]
            .as_array()
            .map(|b| b.iter().filter_map(|x| x["block_id"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(ids, vec![BLOCK_QUESTION, BLOCK_AUDIENCE, BLOCK_ANONYMOUS]);
        assert_modal_within_limits(&view);
        let text = view.to_string();
        assert!(
            text.contains("dependencies and risks"),
            "Carr's families shown"
        );
    }

    #[test]
    fn a_prefilled_modal_keeps_the_limits_and_escapes_the_title() {
        let meta = AskMetadata {
            session_id: 1,
            message_ts: Some("1763740050.000250".into()),
            author: Some("U2147483698".into()),
        };
        let long = "🧊".repeat(40_000);
        let view = ask_modal(&meta, &format!("<!channel> {long}"), Some(&long));
        assert_modal_within_limits(&view);
        let input = &view["blocks"][2]["element"];
        assert_eq!(
            input["initial_value"].as_str().map(|t| t.chars().count()),
            Some(QUESTION_MAX)
        );
        assert!(!view.to_string().contains("<!channel>"));
        assert!(view.to_string().contains("<@U2147483698>"));
    }

    #[test]
    fn the_question_post_names_the_asker_or_nobody_and_never_pings() {
        let text = question_post(Audience::External, " <!here> price? ", Some("U1"));
        assert_eq!(
            text,
            ":question: *Question:* &lt;!here&gt; price? — asked by <@U1>\n_React :+1: to vote for it._"
        );
        let anon = question_post(Audience::Internal, "TAM?", None);
        assert!(anon.starts_with(":lock: *Internal question:* TAM? — asked anonymously"));
        assert!(!anon.contains("<@"));
        let huge = question_post(Audience::External, &"&".repeat(40_000), None);
        assert!(huge.chars().count() < limits::MESSAGE_TEXT);
    }

    #[test]
    fn submissions_are_read_as_slack_sends_them() {
        let values = json!({
            "wb_question": {"value": {"type": "plain_text_input", "value": "  What is the TAM?  "}},
            "wb_audience": {"value": {"type": "radio_buttons", "selected_option": {
                "text": {"type": "plain_text", "text": "Internal"}, "value": "internal"}}},
            "wb_anonymous": {"value": {"type": "checkboxes", "selected_options": [
                {"text": {"type": "plain_text", "text": "Ask anonymously"}, "value": "anonymous"}]}}
        });
        assert_eq!(
            read_submission(&values),
            Ok(AskSubmission {
                question: "What is the TAM?".into(),
                audience: Audience::Internal,
                anonymous: true,
            })
        );
        let plain = json!({
            "wb_question": {"value": {"type": "plain_text_input", "value": "IQ: margins"}},
            "wb_audience": {"value": {"type": "radio_buttons", "selected_option": null}},
            "wb_anonymous": {"value": {"type": "checkboxes", "selected_options": []}}
        });
        let got = read_submission(&plain).expect("valid");
        assert_eq!((got.audience, got.anonymous), (Audience::Internal, false));
        assert_eq!(got.question, "margins");
        let empty = json!({"wb_question": {"value": {"type": "plain_text_input", "value": "  "}}});
        assert_eq!(
            read_submission(&empty).map_err(|e| e.0),
            Err(BLOCK_QUESTION)
        );
    }
}
