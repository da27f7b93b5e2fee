//! The session's root message: the thread's anchor and its control panel.

use serde_json::{json, Value};

use super::coverage::coverage_line;
use super::{button, context, header, section};
use crate::domain::family::Coverage;
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::ids::*;

/// What the root message shows about the session's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootStatus {
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub drafts: i64,
    /// Distinct questions (merged duplicates aside).
    pub questions: i64,
    /// Questions still waiting for an answer (open or needing data).
    pub unresolved: i64,
    /// The internal FAQ by family.
    pub coverage: Coverage,
}

/// The `text` and `blocks` of a session's root message (for `chat.postMessage`
/// and `chat.update`). `session_id` is `None` until the session is stored.
pub fn root_message(
    title: &str,
    created_by: &str,
    session_id: Option<i64>,
    status: &RootStatus,
) -> Value {
    let id_value = session_id.map(|id| id.to_string()).unwrap_or_default();
    let started = match session_id {
        Some(id) => format!(
            "*Working Backwards* session #{id}, started by <@{}>. Press release first, then the FAQ.",
            escape_mrkdwn(created_by)
        ),
        None => format!(
            "*Working Backwards* session started by <@{}>. Press release first, then the FAQ.",
            escape_mrkdwn(created_by)
        ),
    };
    let blocks = vec![
        header(BLOCK_TITLE, title),
        section(None, &started),
        section(Some(BLOCK_STATUS), &status_line(status)),
        context(
            "*Reply in this thread:* end a question with `?` (or start it with `Q:`) for the customer FAQ, \
             `IQ:` for an internal question, `PR:` for a press-release draft, `CX:` for a customer story, \
             `Concept:` / `How-to:` / `Reference:` for the user manual. React :+1: to a question to vote for it.",
        ),
        json!({
            "type": "actions",
            "block_id": BLOCK_ACTIONS,
            "elements": [
                button(ACTION_DRAFT_PR, "Draft press release", &id_value, true),
                button(ACTION_ASK, "Ask a question", &id_value, false),
                button(ACTION_ANSWER, "Answer questions", &id_value, false),
                button(ACTION_EXPORT, "Export", &id_value, false),
                button(ACTION_TRIAGE, "Triage", &id_value, false),
            ]
        }),
    ];
    json!({
        "text": truncate_chars(&format!("Working Backwards: {}", escape_mrkdwn(title)), 3000),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

fn status_line(status: &RootStatus) -> String {
    let headline = match &status.headline {
        Some(h) if !h.trim().is_empty() => {
            format!("*{}*", escape_mrkdwn(&truncate_chars(h.trim(), 300)))
        }
        _ => "_No press release yet — click *Draft press release* or reply `PR: …`._".to_string(),
    };
    let sub = match &status.subheadline {
        Some(s) if !s.trim().is_empty() => {
            format!("\n{}", escape_mrkdwn(&truncate_chars(s.trim(), 600)))
        }
        _ => String::new(),
    };
    let plural = |n: i64, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let open = if status.questions > 0 {
        format!(" ({} open)", status.unresolved)
    } else {
        String::new()
    };
    format!(
        "{headline}{sub}\n:memo: {} · :question: {}{open}\n{}",
        plural(status.drafts, "draft"),
        plural(status.questions, "question"),
        coverage_line(&status.coverage)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::limits;
    use crate::views::test_support::assert_within_limits;

    fn blocks(msg: &Value) -> Vec<Value> {
        msg["blocks"].as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn the_root_message_has_the_title_and_the_four_buttons() {
        let msg = root_message("Smart fridge camera", "U1", None, &RootStatus::default());
        let b = blocks(&msg);
        assert_eq!(b[0]["text"]["text"], "Smart fridge camera");
        let actions: Vec<&str> = b[4]["elements"]
            .as_array()
            .map(|e| e.iter().filter_map(|x| x["action_id"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            actions,
            [
                ACTION_DRAFT_PR,
                ACTION_ASK,
                ACTION_ANSWER,
                ACTION_EXPORT,
                ACTION_TRIAGE
            ]
        );
        assert!(b[1]["text"]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("<@U1>"));
        assert_within_limits(&b, limits::BLOCKS_PER_MESSAGE);
    }

    #[test]
    fn long_and_hostile_titles_stay_within_limits_and_never_ping() {
        let title = format!("<!channel> {}", "🧊".repeat(5000));
        let status = RootStatus {
            headline: Some("<@U999> wins & more".repeat(500)),
            subheadline: Some("x".repeat(10_000)),
            drafts: 1,
            questions: 2,
            ..RootStatus::default()
        };
        let msg = root_message(&title, "U1", Some(3), &status);
        let b = blocks(&msg);
        assert_within_limits(&b, limits::BLOCKS_PER_MESSAGE);
        assert_eq!(
            b[0]["text"]["text"].as_str().map(|t| t.chars().count()),
            Some(150)
        );
        let text = msg["text"].as_str().unwrap_or_default();
        assert!(!text.contains("<!channel>") && text.contains("&lt;!channel&gt;"));
        let status_text = b[2]["text"]["text"].as_str().unwrap_or_default();
        assert!(!status_text.contains("<@U999>"));
        assert!(status_text.contains("1 draft · :question: 2 questions (0 open)"));
        assert_eq!(b[4]["elements"][0]["value"], "3");
    }

    #[test]
    fn the_status_says_how_many_are_open_and_which_families_are_missing() {
        use crate::domain::family::Family;
        let mut coverage = Coverage::default();
        for f in [Family::Customer, Family::Solution, Family::Risks] {
            coverage.add(f, 1);
        }
        let status = RootStatus {
            questions: 12,
            unresolved: 7,
            coverage,
            ..RootStatus::default()
        };
        let msg = root_message("Fridge", "U1", Some(1), &status);
        let text = blocks(&msg)[2]["text"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(text.contains(":question: 12 questions (7 open)"), "{text}");
        assert!(
            text.contains("Internal FAQ:* no Economics questions yet"),
            "{text}"
        );
    }
}
