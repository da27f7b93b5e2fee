//! The *Edit* view pushed over the Triage modal for one question: its state,
//! its owner (`users_select`), its family (internal questions) and, for a
//! duplicate, the question to merge it into — picked from the questions
//! worded most alike, or typed as a number. Also reads the submission back.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{facts, one_line};
use crate::domain::docset::Audience;
use crate::domain::family::Family;
use crate::domain::faq::QuestionState;
use crate::domain::triage::TriageQuestion;
use crate::domain::truncate_chars;
use crate::views::ids::VIEW_TRIAGE_EDIT;
use crate::views::{context, escape_mrkdwn, limits, section};

pub const BLOCK_STATE: &str = "wb_tr_state";
pub const BLOCK_OWNER: &str = "wb_tr_owner";
pub const BLOCK_NO_OWNER: &str = "wb_tr_no_owner";
pub const BLOCK_FAMILY: &str = "wb_tr_family";
pub const BLOCK_MERGE: &str = "wb_tr_merge";
pub const BLOCK_MERGE_ID: &str = "wb_tr_merge_id";
/// The action id of every input of the view.
pub const ACTION_VALUE: &str = "value";
const NO_OWNER: &str = "no_owner";

/// What the view carries in `private_metadata`: the question, and the page
/// of the Triage modal to show again after the save.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditMeta {
    pub session_id: i64,
    pub question_id: i64,
    #[serde(default)]
    pub filter: String,
    #[serde(default)]
    pub page: i64,
}

pub fn read_edit_meta(raw: &str) -> Option<EditMeta> {
    serde_json::from_str(raw).ok()
}

/// What the user submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditSubmission {
    /// `None` when the view had no state choice.
    pub state: Option<QuestionState>,
    /// The owner wanted from now on (`None`: nobody).
    pub owner: Option<String>,
    /// Internal questions only.
    pub family: Option<Family>,
    /// Merge the question into this one.
    pub merge_into: Option<i64>,
}

fn option(value: &str, text: &str, description: Option<&str>) -> Value {
    let mut o = json!({
        "text": {"type": "plain_text", "text": truncate_chars(text, limits::OPTION_TEXT)},
        "value": value,
    });
    if let Some(d) = description {
        o["description"] = json!({"type": "plain_text", "text": truncate_chars(d, 75)});
    }
    o
}

fn state_option(state: QuestionState) -> Value {
    let description = match state {
        QuestionState::Open => "Waiting for an answer.",
        QuestionState::NeedsData => "Someone has to find out first.",
        QuestionState::WontAnswer => "Out of scope, or not worth an answer.",
        QuestionState::Answered => "It has an answer; pick Open to re-open it.",
        QuestionState::Merged => "A duplicate of another question.",
    };
    option(state.as_str(), state.label(), Some(description))
}

fn family_option(family: Family) -> Value {
    option(family.as_str(), family.label(), Some(family.covers()))
}

/// "#12 👍3 What will it cost?", cut to an option's 75 characters.
fn target_text(q: &TriageQuestion) -> String {
    let folded = q.question.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_chars(
        &format!("#{} 👍{} {folded}", q.id, q.votes),
        limits::OPTION_TEXT,
    )
}

fn input(block_id: &str, label: &str, optional: bool, element: Value) -> Value {
    json!({
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    })
}

/// The view for `q`; `targets` are the questions it may be merged into, best
/// first (only the first [`limits::OPTIONS`] are offered).
pub fn edit_modal(meta: &EditMeta, q: &TriageQuestion, targets: &[TriageQuestion]) -> Value {
    let asker = match &q.asked_by {
        Some(u) => format!("asked by <@{}>", escape_mrkdwn(u)),
        None => "asked anonymously".into(),
    };
    let mut blocks = vec![
        section(
            None,
            &format!("*#{}* {}", q.id, one_line(&q.question, 2500)),
        ),
        context(&format!("{} · {asker}", facts(q))),
    ];
    let mut states = vec![
        QuestionState::Open,
        QuestionState::NeedsData,
        QuestionState::WontAnswer,
    ];
    if q.state == QuestionState::Answered {
        states.push(QuestionState::Answered);
    }
    let current = states.contains(&q.state).then_some(q.state);
    let mut radios = json!({
        "type": "radio_buttons",
        "action_id": ACTION_VALUE,
        "options": states.iter().map(|s| state_option(*s)).collect::<Vec<_>>(),
    });
    if let Some(s) = current {
        radios["initial_option"] = state_option(s);
    }
    blocks.push(input(BLOCK_STATE, "State", false, radios));
    let mut owner = json!({
        "type": "users_select",
        "action_id": ACTION_VALUE,
        "placeholder": {"type": "plain_text", "text": "Who finds the answer?"},
    });
    if let Some(u) = &q.owner {
        owner["initial_user"] = json!(u);
    }
    blocks.push(input(BLOCK_OWNER, "Owner", true, owner));
    if q.owner.is_some() {
        blocks.push(input(
            BLOCK_NO_OWNER,
            "No owner",
            true,
            json!({
                "type": "checkboxes",
                "action_id": ACTION_VALUE,
                "options": [option(NO_OWNER, "Remove the owner", None)],
            }),
        ));
    }
    if q.audience == Audience::Internal {
        let mut family = json!({
            "type": "radio_buttons",
            "action_id": ACTION_VALUE,
            "options": Family::ALL.iter().map(|f| family_option(*f)).collect::<Vec<_>>(),
        });
        if let Some(f) = q.family {
            family["initial_option"] = family_option(f);
        }
        blocks.push(input(BLOCK_FAMILY, "Family (internal FAQ)", false, family));
    }
    blocks.push(json!({"type": "divider"}));
    blocks.push(section(
        None,
        "*A duplicate?* Merge it into the question it repeats: its voters join that question's \
         (each person counted once), the thread is told, and *Un-merge* undoes it.",
    ));
    let shown = &targets[..targets.len().min(limits::OPTIONS)];
    if !shown.is_empty() {
        let options: Vec<Value> = shown
            .iter()
            .map(|t| option(&t.id.to_string(), &target_text(t), None))
            .collect();
        blocks.push(input(
            BLOCK_MERGE,
            "Merge into",
            true,
            json!({
                "type": "static_select",
                "action_id": ACTION_VALUE,
                "placeholder": {"type": "plain_text", "text": "The question to keep (worded most alike first)"},
                "options": options,
            }),
        ));
    }
    blocks.push(input(
        BLOCK_MERGE_ID,
        "…or the number of the question to keep",
        true,
        json!({
            "type": "plain_text_input",
            "action_id": ACTION_VALUE,
            "max_length": 12,
            "placeholder": {"type": "plain_text", "text": "e.g. 42"},
        }),
    ));
    json!({
        "type": "modal",
        "callback_id": VIEW_TRIAGE_EDIT,
        // Two numbers, a word and a page: far below 3000 characters.
        "private_metadata": serde_json::to_string(meta).unwrap_or_default(),
        "title": {"type": "plain_text", "text": format!("Question #{}", q.id).chars().take(24).collect::<String>()},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": blocks,
    })
}

/// Reads `view.state.values`; `Err((block_id, message))` for the user to fix.
pub fn read_edit(values: &Value) -> Result<EditSubmission, (&'static str, String)> {
    let field = |block: &str| &values[block][ACTION_VALUE];
    let state = field(BLOCK_STATE)["selected_option"]["value"]
        .as_str()
        .and_then(QuestionState::parse);
    if state == Some(QuestionState::Merged) {
        return Err((
            BLOCK_STATE,
            "Merge a duplicate with *Merge into* below.".into(),
        ));
    }
    let remove = field(BLOCK_NO_OWNER)["selected_options"]
        .as_array()
        .is_some_and(|o| o.iter().any(|x| x["value"] == NO_OWNER));
    let owner = match field(BLOCK_OWNER)["selected_user"].as_str() {
        _ if remove => None,
        Some(u) if !u.trim().is_empty() => Some(u.to_string()),
        _ => None,
    };
    let family = field(BLOCK_FAMILY)["selected_option"]["value"]
        .as_str()
        .and_then(Family::parse);
    let picked = field(BLOCK_MERGE)["selected_option"]["value"]
        .as_str()
        .and_then(|v| v.parse::<i64>().ok());
    let typed_raw = field(BLOCK_MERGE_ID)["value"]
        .as_str()
        .unwrap_or_default()
        .trim();
    let typed = match typed_raw.trim_start_matches('#') {
        "" => None,
        digits => match digits.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err((
                    BLOCK_MERGE_ID,
                    "Type the number of the question to keep, e.g. 42.".into(),
                ))
            }
        },
    };
    let merge_into = match (picked, typed) {
        (Some(a), Some(b)) if a != b => {
            return Err((
                BLOCK_MERGE_ID,
                format!("You picked #{a} in the list and typed #{b}: keep one of them."),
            ))
        }
        (a, b) => a.or(b),
    };
    Ok(EditSubmission {
        state,
        owner,
        family,
        merge_into,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::ask::assert_modal_within_limits;
    use crate::views::triage::tests::question;

    fn meta() -> EditMeta {
        EditMeta {
            session_id: 7,
            question_id: 4,
            filter: "unresolved".into(),
            page: 2,
        }
    }

    #[test]
    fn the_view_offers_at_most_100_merge_targets_within_limits() {
        let q = question(4, "What will it cost?");
        let targets: Vec<TriageQuestion> = (5..=300)
            .map(|i| question(i, &"<!here> worded alike ".repeat(20)))
            .collect();
        let view = edit_modal(&meta(), &q, &targets);
        assert_modal_within_limits(&view);
        assert_eq!(view["callback_id"], VIEW_TRIAGE_EDIT);
        let ids: Vec<&str> = view["blocks"]
            .as_array()
            .map(|b| b.iter().filter_map(|x| x["block_id"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            ids,
            [
                BLOCK_STATE,
                BLOCK_OWNER,
                BLOCK_NO_OWNER,
                BLOCK_FAMILY,
                BLOCK_MERGE,
                BLOCK_MERGE_ID
            ]
        );
        let owner = &view["blocks"][3]["element"];
        assert_eq!(owner["initial_user"], "U2147483698");
        assert_eq!(
            read_edit_meta(view["private_metadata"].as_str().unwrap_or_default()),
            Some(meta())
        );
        let mut external = question(9, "Where?");
        external.audience = Audience::External;
        external.family = None;
        external.owner = None;
        let view = edit_modal(&meta(), &external, &[]);
        let text = view.to_string();
        assert!(!text.contains(BLOCK_FAMILY) && !text.contains(BLOCK_NO_OWNER));
        assert!(!text.contains(&format!("\"{BLOCK_MERGE}\"")));
        assert_modal_within_limits(&view);
    }

    #[test]
    fn submissions_are_read_as_slack_sends_them() {
        let values = json!({
            "wb_tr_state": {"value": {"type": "radio_buttons", "selected_option": {"value": "needs_data"}}},
            "wb_tr_owner": {"value": {"type": "users_select", "selected_user": "U9"}},
            "wb_tr_family": {"value": {"type": "radio_buttons", "selected_option": {"value": "risks"}}},
            "wb_tr_merge": {"value": {"type": "static_select", "selected_option": null}},
            "wb_tr_merge_id": {"value": {"type": "plain_text_input", "value": " #12 "}}
        });
        assert_eq!(
            read_edit(&values),
            Ok(EditSubmission {
                state: Some(QuestionState::NeedsData),
                owner: Some("U9".into()),
                family: Some(Family::Risks),
                merge_into: Some(12),
            })
        );
        let removed = json!({
            "wb_tr_owner": {"value": {"selected_user": "U9"}},
            "wb_tr_no_owner": {"value": {"selected_options": [{"value": "no_owner"}]}},
        });
        assert_eq!(read_edit(&removed).map(|s| s.owner), Ok(None));
        let both = json!({
            "wb_tr_merge": {"value": {"selected_option": {"value": "3"}}},
            "wb_tr_merge_id": {"value": {"value": "4"}}
        });
        assert_eq!(read_edit(&both).map_err(|e| e.0), Err(BLOCK_MERGE_ID));
        let word = json!({"wb_tr_merge_id": {"value": {"value": "the first"}}});
        assert_eq!(read_edit(&word).map_err(|e| e.0), Err(BLOCK_MERGE_ID));
        let same = json!({
            "wb_tr_merge": {"value": {"selected_option": {"value": "3"}}},
            "wb_tr_merge_id": {"value": {"value": "3"}}
        });
        assert_eq!(read_edit(&same).map(|s| s.merge_into), Ok(Some(3)));
    }
}
