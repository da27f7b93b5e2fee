//! The Answer modal (button *Answer questions*): pick a question — unanswered
//! ones first, most votes first — and write the answer; the questions that
//! have an owner say who (mentions render in a modal's text, not in options).
//! Also reads the submission back and formats the answer posted in the thread.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{context, limits, section};
use crate::domain::docset::Audience;
use crate::domain::faq::{OpenQuestion, QuestionState};
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::ids::VIEW_ANSWER;

pub const BLOCK_PICK: &str = "wb_pick";
pub const BLOCK_ANSWER: &str = "wb_answer_text";
pub const ACTION_VALUE: &str = "value";
/// Longest answer typed into the form (Slack's input limit).
pub const ANSWER_MAX: usize = 3000;

/// What the modal carries to its submission in `private_metadata`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerMetadata {
    pub session_id: i64,
}

/// What the user submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerSubmission {
    pub question_id: i64,
    pub answer: String,
}

/// The modal. `questions` come unanswered first, most votes first (as the store
/// returns them); only the first [`limits::OPTIONS`] are offered.
/// `unanswered_total` is the session's count, to say when some are not listed.
pub fn answer_modal(
    meta: AnswerMetadata,
    session_title: &str,
    questions: &[OpenQuestion],
    unanswered_total: i64,
) -> Value {
    let shown = &questions[..questions.len().min(limits::OPTIONS)];
    let (open, answered): (Vec<&OpenQuestion>, Vec<&OpenQuestion>) =
        shown.iter().partition(|q| !q.answered);
    let mut groups = Vec::new();
    if !open.is_empty() {
        groups.push(group("Unanswered — most votes first", &open));
    }
    if !answered.is_empty() {
        groups.push(group(
            "Answered — pick one to replace its answer",
            &answered,
        ));
    }
    let mut blocks = vec![section(
        None,
        &format!(
            "Session: *{}*",
            escape_mrkdwn(&truncate_chars(session_title, 300))
        ),
    )];
    let listed = open.len() as i64;
    if unanswered_total > listed {
        blocks.push(context(&format!(
            "{unanswered_total} questions are unanswered; the {listed} with the most votes are listed."
        )));
    } else if unanswered_total == 0 {
        blocks.push(context(
            "Every question has an answer. Pick one to replace its answer; the earlier one is kept in the history.",
        ));
    }
    if let Some(owners) = owners_text(&open) {
        blocks.push(section(None, &owners));
    }
    blocks.extend([
        json!({
            "type": "input",
            "block_id": BLOCK_PICK,
            "label": {"type": "plain_text", "text": "Question"},
            "element": {
                "type": "static_select",
                "action_id": ACTION_VALUE,
                "placeholder": {"type": "plain_text", "text": "Pick a question"},
                "option_groups": groups,
            },
        }),
        json!({
            "type": "input",
            "block_id": BLOCK_ANSWER,
            "label": {"type": "plain_text", "text": "Answer"},
            "element": {
                "type": "plain_text_input",
                "action_id": ACTION_VALUE,
                "multiline": true,
                "max_length": ANSWER_MAX,
            },
        }),
        context(
            "Answer with yes, no, a number or \"we don't know yet\" — not a hedge. \
             The answer is posted in the thread under the question.",
        ),
    ]);
    json!({
        "type": "modal",
        "callback_id": VIEW_ANSWER,
        // One number: far below the 3000-character limit; cannot fail.
        "private_metadata": serde_json::to_string(&meta).unwrap_or_default(),
        "title": {"type": "plain_text", "text": "Answer a question"},
        "submit": {"type": "plain_text", "text": "Post answer"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    })
}

/// Owned questions shown with their owners, as many as fit one section.
const OWNERS_SHOWN: usize = 10;

/// "*Owners:* • What will it cost? — <@U1> · Needs data", for the listed
/// unanswered questions that have an owner; `None` when none has.
fn owners_text(open: &[&OpenQuestion]) -> Option<String> {
    let owned: Vec<&&OpenQuestion> = open.iter().filter(|q| q.owner.is_some()).collect();
    if owned.is_empty() {
        return None;
    }
    let mut text = String::from("*Owners*");
    for q in owned.iter().take(OWNERS_SHOWN) {
        let folded = q.question.split_whitespace().collect::<Vec<_>>().join(" ");
        let state = if q.state == QuestionState::NeedsData {
            " · needs data"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n• {} — <@{}>{state}",
            escape_mrkdwn(&truncate_chars(&folded, 150)),
            escape_mrkdwn(q.owner.as_deref().unwrap_or_default())
        ));
    }
    if owned.len() > OWNERS_SHOWN {
        text.push_str(&format!("\n…and {} more.", owned.len() - OWNERS_SHOWN));
    }
    Some(text)
}

fn group(label: &str, questions: &[&OpenQuestion]) -> Value {
    let options: Vec<Value> = questions
        .iter()
        .map(|q| {
            json!({
                "text": {"type": "plain_text", "text": option_text(q), "emoji": true},
                "value": q.id.to_string(),
            })
        })
        .collect();
    json!({
        "label": {"type": "plain_text", "text": truncate_chars(label, 75)},
        "options": options,
    })
}

/// One line: votes, an internal marker, the question with its whitespace
/// folded, cut to Slack's 75 characters.
pub fn option_text(q: &OpenQuestion) -> String {
    let mut text = String::new();
    if q.votes > 0 {
        text.push_str(&format!("👍{} ", q.votes));
    }
    if q.audience == Audience::Internal {
        text.push_str("[internal] ");
    }
    let folded = q.question.split_whitespace().collect::<Vec<_>>().join(" ");
    text.push_str(&folded);
    truncate_chars(&text, limits::OPTION_TEXT)
}

/// Reads `view.state.values`; `Err((block_id, message))` for the user to fix.
pub fn read_submission(values: &Value) -> Result<AnswerSubmission, (&'static str, String)> {
    let field = |block: &str| &values[block][ACTION_VALUE];
    let Some(question_id) = field(BLOCK_PICK)["selected_option"]["value"]
        .as_str()
        .and_then(|v| v.parse::<i64>().ok())
    else {
        return Err((BLOCK_PICK, "Pick the question you answer.".into()));
    };
    let answer = field(BLOCK_ANSWER)["value"]
        .as_str()
        .unwrap_or_default()
        .trim();
    if answer.is_empty() {
        return Err((BLOCK_ANSWER, "Write the answer first.".into()));
    }
    Ok(AnswerSubmission {
        question_id,
        answer: answer.to_string(),
    })
}

pub fn read_metadata(raw: &str) -> Option<AnswerMetadata> {
    serde_json::from_str(raw).ok()
}

/// The thread message announcing an answer, quoting the question. Both texts
/// are escaped: nothing a user typed can ping a channel or forge a link.
pub fn answer_post(question: &str, answer: &str, answered_by: &str) -> String {
    let quoted = escape_mrkdwn(&truncate_chars(question.trim(), 1000)).replace('\n', "\n>");
    format!(
        ":speech_balloon: *Answer* from <@{}>\n>{quoted}\n{}",
        escape_mrkdwn(answered_by),
        escape_mrkdwn(&truncate_chars(answer, 30_000))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::ask::assert_modal_within_limits;

    fn q(id: i64, votes: i64, answered: bool, text: &str) -> OpenQuestion {
        OpenQuestion {
            id,
            audience: Audience::External,
            question: text.into(),
            votes,
            answered,
            state: if answered {
                QuestionState::Answered
            } else {
                QuestionState::Open
            },
            owner: None,
        }
    }

    fn options(view: &Value, group: usize) -> Vec<String> {
        view["blocks"]
            .as_array()
            .and_then(|b| b.iter().find(|x| x["block_id"] == BLOCK_PICK))
            .and_then(|b| b["element"]["option_groups"][group]["options"].as_array())
            .map(|o| {
                o.iter()
                    .filter_map(|x| x["value"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn unanswered_questions_come_first_then_answered_ones() {
        let qs = vec![
            q(3, 5, false, "Price?"),
            q(1, 0, false, "Where?"),
            q(2, 9, true, "When?"),
        ];
        let view = answer_modal(AnswerMetadata { session_id: 4 }, "Fridge", &qs, 2);
        assert_eq!(view["callback_id"], VIEW_ANSWER);
        assert_eq!(options(&view, 0), vec!["3", "1"]);
        assert_eq!(options(&view, 1), vec!["2"]);
        assert_eq!(
            read_metadata(view["private_metadata"].as_str().unwrap_or_default()),
            Some(AnswerMetadata { session_id: 4 })
        );
        assert_modal_within_limits(&view);
    }

    #[test]
    fn owners_of_unanswered_questions_are_shown() {
        let mut owned = q(3, 5, false, "What will it cost?");
        owned.owner = Some("U1".into());
        owned.state = QuestionState::NeedsData;
        let qs = vec![owned, q(1, 0, false, "Where?")];
        let view = answer_modal(AnswerMetadata { session_id: 4 }, "Fridge", &qs, 2);
        let text = view.to_string();
        assert!(
            text.contains("*Owners*\\n• What will it cost? — <@U1> · needs data"),
            "{text}"
        );
        assert!(!text.contains("Where? — <@"));
        assert_modal_within_limits(&view);
        let none = answer_modal(AnswerMetadata { session_id: 4 }, "Fridge", &qs[1..], 1);
        assert!(!none.to_string().contains("*Owners*"));
    }

    #[test]
    fn at_most_one_hundred_options_of_at_most_75_characters() {
        let long = format!("<!channel>\n{}", "🧊 ".repeat(200));
        let qs: Vec<OpenQuestion> = (1..=250).map(|i| q(i, 250 - i, false, &long)).collect();
        let view = answer_modal(AnswerMetadata { session_id: 1 }, "x", &qs, 250);
        assert_eq!(options(&view, 0).len(), 100);
        assert_modal_within_limits(&view);
        assert!(view
            .to_string()
            .contains("250 questions are unanswered; the 100"));
        let text = option_text(&qs[0]);
        assert!(text.starts_with("👍249 <!channel> 🧊"), "{text}");
        assert_eq!(text.chars().count(), 75);
    }

    #[test]
    fn an_all_answered_session_says_so_and_offers_the_answered_ones() {
        let view = answer_modal(
            AnswerMetadata { session_id: 1 },
            "x",
            &[q(1, 0, true, "A?")],
            0,
        );
        assert!(view.to_string().contains("Every question has an answer"));
        assert_eq!(options(&view, 0), vec!["1"]);
    }

    #[test]
    fn submissions_are_read_as_slack_sends_them() {
        let values = json!({
            "wb_pick": {"value": {"type": "static_select", "selected_option": {
                "text": {"type": "plain_text", "text": "Price?"}, "value": "12"}}},
            "wb_answer_text": {"value": {"type": "plain_text_input", "value": " $9 a month "}}
        });
        assert_eq!(
            read_submission(&values),
            Ok(AnswerSubmission {
                question_id: 12,
                answer: "$9 a month".into()
            })
        );
        let no_pick =
            json!({"wb_pick": {"value": {"type": "static_select", "selected_option": null}}});
        assert_eq!(read_submission(&no_pick).map_err(|e| e.0), Err(BLOCK_PICK));
        let blank = json!({
            "wb_pick": {"value": {"selected_option": {"value": "1"}}},
            "wb_answer_text": {"value": {"value": "  "}}
        });
        assert_eq!(read_submission(&blank).map_err(|e| e.0), Err(BLOCK_ANSWER));
    }

    #[test]
    fn the_answer_post_quotes_the_question_and_never_pings() {
        let text = answer_post("Line one\n<!channel> two", "Yes & <@U9>", "U1");
        assert_eq!(
            text,
            ":speech_balloon: *Answer* from <@U1>\n>Line one\n>&lt;!channel&gt; two\nYes &amp; &lt;@U9&gt;"
        );
    }
}
