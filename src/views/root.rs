//! The session's root message: the thread's anchor and its control panel.

use std::borrow::Cow;

use super::coverage::coverage_line;
use super::kit::{Block, Button, Message};
use super::meeting::decide::decision_line;
use super::meeting::slack_time_of;
use crate::domain::docset::DecisionRecord;
use crate::domain::family::Coverage;
use crate::domain::review::Status;
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
    /// Where the session stands in the process (SPEC §5.1).
    pub status: Status,
    /// The review scheduled or reading now.
    pub review: Option<RootReview>,
    /// The latest decision.
    pub decision: Option<DecisionRecord>,
}

/// The open review, as the root message mentions it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootReview {
    pub id: i64,
    pub version: Option<i64>,
    /// When reading starts (RFC 3339).
    pub scheduled_at: String,
    /// When reading ends, once it started.
    pub ends_at: Option<String>,
}

/// The root message's reply hint (a context block).
const HOW_TO_REPLY: &str = "*Reply in this thread:* end a question with `?` (or start it with `Q:`) for the customer FAQ, \
     `IQ:` for an internal question, `PR:` for a press-release draft, `CX:` for a customer story, \
     `Concept:` / `How-to:` / `Reference:` for the user manual. React :+1: to a question to vote for it.";

/// The root message's buttons: (action id, label, primary).
const BUTTONS: [(&str, &str, bool); 7] = [
    (ACTION_DRAFT_PR, "Draft press release", true),
    (ACTION_ASK, "Ask a question", false),
    (ACTION_ANSWER, "Answer questions", false),
    (ACTION_EXPORT, "Export", false),
    (ACTION_REVIEW, "Review", false),
    (ACTION_DECIDE, "Decide", false),
    (ACTION_TRIAGE, "Triage", false),
];

/// A root message, typed: it is posted once per slash command, so it is
/// written straight to JSON (`serde_json::to_vec`) rather than through a
/// `Value` tree; [`Message::to_value`] gives the tree where one is needed.
pub type RootMessage<'a> = Message<'a>;

/// The `text` and `blocks` of a session's root message (for `chat.postMessage`
/// and `chat.update`). `session_id` is `None` until the session is stored.
pub fn root_message<'a>(
    title: &'a str,
    created_by: &str,
    session_id: Option<i64>,
    status: &RootStatus,
) -> RootMessage<'a> {
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
        Block::header(BLOCK_TITLE, title),
        Block::section(None, Cow::Owned(started)),
        Block::section(Some(BLOCK_STATUS), Cow::Owned(status_line(status))),
        Block::section(Some(BLOCK_PROCESS), Cow::Owned(process_line(status))),
        Block::context(HOW_TO_REPLY),
        Block::Actions {
            block_id: BLOCK_ACTIONS,
            elements: BUTTONS
                .iter()
                .map(|(action, label, primary)| {
                    Button::numbered(action, label, session_id, *primary)
                })
                .collect(),
        },
    ];
    Message {
        text: truncate_chars(
            &format!("Working Backwards: {}", escape_mrkdwn(title)),
            3000,
        ),
        blocks,
        unfurl_links: false,
        unfurl_media: false,
    }
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

/// Status, open review and latest decision: "In review — silent reading
/// until 10:20", "Iterate — decided by @dana: …".
fn process_line(status: &RootStatus) -> String {
    let version = |v: Option<i64>| v.map(|v| format!(" of draft v{v}")).unwrap_or_default();
    let stage = match (status.status, &status.review) {
        (Status::InReview, Some(r)) => match &r.ends_at {
            Some(ends) => format!(
                "*In review* — review #{}{}: silent reading until {}",
                r.id,
                version(r.version),
                slack_time_of(ends)
            ),
            None => format!(
                "*In review* — review #{}{}: reading starts {}",
                r.id,
                version(r.version),
                slack_time_of(&r.scheduled_at)
            ),
        },
        (Status::InReview, None) => {
            "*In review* — reading ended; the creator or a reviewer decides with *Decide*".into()
        }
        (Status::Drafting, _) => {
            "*Drafting* — when the draft is ready, click *Review* to schedule the meeting".into()
        }
        (Status::Decided, _) => "*Decided*".into(),
    };
    match &status.decision {
        Some(d) => format!(":bookmark: {stage}\n{}", decision_line(d)),
        None => format!(":bookmark: {stage}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::limits;
    use crate::views::test_support::assert_within_limits;
    use serde_json::Value;

    fn blocks(msg: &Value) -> Vec<Value> {
        msg["blocks"].as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn the_root_message_has_the_title_and_the_four_buttons() {
        let msg =
            root_message("Smart fridge camera", "U1", None, &RootStatus::default()).to_value();
        let b = blocks(&msg);
        assert_eq!(b[0]["text"]["text"], "Smart fridge camera");
        let actions: Vec<&str> = b[5]["elements"]
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
                ACTION_REVIEW,
                ACTION_DECIDE,
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
        let msg = root_message(&title, "U1", Some(3), &status).to_value();
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
        assert_eq!(b[5]["elements"][0]["value"], "3");
    }

    #[test]
    fn the_root_message_shows_the_stage_the_open_review_and_the_decision() {
        use crate::domain::review::Outcome;
        let process = |status: RootStatus| {
            let msg = root_message("Fridge", "U1", Some(3), &status).to_value();
            blocks(&msg)[3]["text"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        assert!(process(RootStatus::default()).contains("*Drafting*"));
        let reading = process(RootStatus {
            status: Status::InReview,
            review: Some(RootReview {
                id: 2,
                version: Some(4),
                scheduled_at: "2026-12-01T10:00:00Z".into(),
                ends_at: Some("2026-12-01T10:20:00Z".into()),
            }),
            ..RootStatus::default()
        });
        assert!(
            reading.contains("review #2 of draft v4: silent reading until <!date^"),
            "{reading}"
        );
        let decided = process(RootStatus {
            status: Status::Drafting,
            decision: Some(DecisionRecord {
                outcome: Outcome::Iterate,
                rationale: "No <!here> economics".into(),
                next_steps: None,
                decided_by: "UDANA".into(),
                decided_at: "2026-12-01T11:00:00Z".into(),
                version: Some(4),
            }),
            ..RootStatus::default()
        });
        assert!(decided.contains("*Drafting*"), "{decided}");
        assert!(
            decided.contains("*Iterate* — decided by <@UDANA>: No &lt;!here&gt; economics"),
            "{decided}"
        );
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
        let msg = root_message("Fridge", "U1", Some(1), &status).to_value();
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
