//! The decision: its form (Go / Iterate / No-go, rationale, next steps), the
//! reading of a submission, the thread post, and the one-line summary the
//! root message shows.

use serde_json::{json, Value};

use super::schedule::{MeetingMeta, ACTION_VALUE};
use super::{mention, pack_messages, section_block, slack_time_of, text_sections};
use crate::domain::docset::DecisionRecord;
use crate::domain::review::{Outcome, MAX_TEXT_CHARS};
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::views::ids::VIEW_DECIDE;
use crate::views::{context, escape_mrkdwn, section};

pub const BLOCK_OUTCOME: &str = "wb_decide_outcome";
pub const BLOCK_RATIONALE: &str = "wb_decide_rationale";
pub const BLOCK_NEXT_STEPS: &str = "wb_decide_next_steps";
const INPUT_MAX: usize = 3000;

/// The emoji of an outcome.
pub fn emoji(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Go => ":white_check_mark:",
        Outcome::Iterate => ":repeat:",
        Outcome::NoGo => ":no_entry:",
    }
}

fn description(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Go => "Build it: the PR/FAQ is approved.",
        Outcome::Iterate => "Revise and come back: the session returns to drafting.",
        Outcome::NoGo => "Stop here: an idea killed on paper is cheap.",
    }
}

/// The decision form for `session`, on `version` (the latest draft).
pub fn decide_modal(
    session: &Session,
    version: Option<i64>,
    current: Option<&DecisionRecord>,
) -> Value {
    let plain = |t: &str| json!({"type": "plain_text", "text": t});
    let on = match version {
        Some(v) => format!("Deciding on *draft v{v}*, the latest version."),
        None => "There is no press-release draft yet: the decision records no version.".to_string(),
    };
    let mut blocks = vec![section(
        None,
        &format!(
            "*{}* · session #{}\n{on}",
            escape_mrkdwn(&truncate_chars(&session.title, 200)),
            session.id
        ),
    )];
    if let Some(d) = current {
        blocks.push(context(&format!(
            "Current decision: *{}* by {} {}. A new decision revises it; both are kept.",
            d.outcome.label(),
            mention(&d.decided_by),
            slack_time_of(&d.decided_at)
        )));
    }
    let options: Vec<Value> = Outcome::ALL
        .iter()
        .map(|o| {
            json!({
                "text": plain(o.label()),
                "value": o.as_str(),
                "description": plain(description(*o)),
            })
        })
        .collect();
    blocks.extend([
        json!({
            "type": "input",
            "block_id": BLOCK_OUTCOME,
            "label": plain("Outcome"),
            "element": {"type": "radio_buttons", "action_id": ACTION_VALUE, "options": options},
        }),
        json!({
            "type": "input",
            "block_id": BLOCK_RATIONALE,
            "label": plain("Rationale"),
            "hint": plain("Why: what the team will read when it wonders later."),
            "element": {
                "type": "plain_text_input", "action_id": ACTION_VALUE, "multiline": true,
                "max_length": INPUT_MAX,
            },
        }),
        json!({
            "type": "input",
            "block_id": BLOCK_NEXT_STEPS,
            "optional": true,
            "label": plain("Next steps"),
            "element": {
                "type": "plain_text_input", "action_id": ACTION_VALUE, "multiline": true,
                "max_length": INPUT_MAX,
            },
        }),
    ]);
    json!({
        "type": "modal",
        "callback_id": VIEW_DECIDE,
        "private_metadata": MeetingMeta { session_id: session.id, review_id: None }.to_json(),
        "title": plain("Decide"),
        "submit": plain("Record decision"),
        "close": plain("Cancel"),
        "blocks": blocks,
    })
}

/// A decision as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionSubmission {
    pub outcome: Outcome,
    pub rationale: String,
    pub next_steps: Option<String>,
}

/// Reads the decision form. `Err((block_id, message))` for the user to fix.
pub fn read_decision(values: &Value) -> Result<DecisionSubmission, (&'static str, String)> {
    let field = |block: &str| &values[block][ACTION_VALUE];
    let outcome = field(BLOCK_OUTCOME)["selected_option"]["value"]
        .as_str()
        .and_then(Outcome::parse)
        .ok_or((BLOCK_OUTCOME, "Pick Go, Iterate or No-go.".to_string()))?;
    let rationale = field(BLOCK_RATIONALE)["value"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_string();
    if rationale.is_empty() {
        return Err((
            BLOCK_RATIONALE,
            "Say why: the rationale is required, it is what the team reads later.".to_string(),
        ));
    }
    if rationale.chars().count() > MAX_TEXT_CHARS {
        return Err((BLOCK_RATIONALE, "That rationale is too long.".to_string()));
    }
    let next_steps = field(BLOCK_NEXT_STEPS)["value"]
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    if next_steps
        .as_deref()
        .is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS)
    {
        return Err((
            BLOCK_NEXT_STEPS,
            "Those next steps are too long.".to_string(),
        ));
    }
    Ok(DecisionSubmission {
        outcome,
        rationale,
        next_steps,
    })
}

/// The thread post of a decision (`previous`: the decision it revises).
pub fn decision_messages(d: &DecisionRecord, previous: Option<&DecisionRecord>) -> Vec<Value> {
    let on = match d.version {
        Some(v) => format!(" on draft v{v}"),
        None => " (no draft yet)".to_string(),
    };
    let mut head_text = format!(
        "{} *{}* — decided by {}{on}.",
        emoji(d.outcome),
        d.outcome.label(),
        mention(&d.decided_by)
    );
    if let Some(p) = previous {
        head_text.push_str(&format!(
            " This revises *{}* by {} ({}); both are kept.",
            p.outcome.label(),
            mention(&p.decided_by),
            slack_time_of(&p.decided_at)
        ));
    }
    let after = match (d.outcome, d.version) {
        (Outcome::Iterate, Some(v)) => {
            format!("The session is back to drafting; the next review compares against v{v}.")
        }
        (Outcome::Iterate, None) => "The session is back to drafting.".to_string(),
        _ => "The session is decided.".to_string(),
    };
    let mut body = text_sections("*Rationale*\n", &escape_mrkdwn(&d.rationale));
    if let Some(next) = &d.next_steps {
        body.extend(text_sections("*Next steps*\n", &escape_mrkdwn(next)));
    }
    body.push(context(&after));
    let label = d.outcome.label();
    pack_messages(
        vec![section_block(&head_text)],
        body,
        |n| context(&format!("Decision: {label}, part {n}")),
        |n, total| {
            if total == 1 {
                format!("Decision: {label}")
            } else {
                format!("Decision: {label}, part {n} of {total}")
            }
        },
    )
}

/// The root message's line: "Iterate — decided by @dana: …".
pub fn decision_line(d: &DecisionRecord) -> String {
    let rationale = escape_mrkdwn(&truncate_chars(
        &d.rationale.split_whitespace().collect::<Vec<_>>().join(" "),
        300,
    ));
    format!(
        "{} *{}* — decided by {}: {rationale}",
        emoji(d.outcome),
        d.outcome.label(),
        mention(&d.decided_by)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::ask::assert_modal_within_limits;
    use crate::views::meeting::tests::assert_messages_fit;

    fn record(outcome: Outcome, rationale: &str) -> DecisionRecord {
        DecisionRecord {
            outcome,
            rationale: rationale.into(),
            next_steps: Some("Size the market <!here>".into()),
            decided_by: "UDANA".into(),
            decided_at: "2026-12-01T11:00:00Z".into(),
            version: Some(4),
        }
    }

    #[test]
    fn the_form_offers_three_outcomes_and_requires_a_rationale() {
        let session = Session {
            id: 7,
            title: "Fridge".into(),
            team_id: "T".into(),
            channel_id: "C".into(),
            thread_ts: "1.1".into(),
            created_by: "UPM".into(),
            created_at: "2026-11-21T00:00:00Z".into(),
            status: Default::default(),
            enterprise_id: None,
        };
        let current = record(Outcome::Iterate, "x");
        let view = decide_modal(&session, None, Some(&current));
        assert_modal_within_limits(&view);
        let text = view.to_string();
        assert!(text.contains("records no version") && text.contains("revises it"));
        let outcome = |v: &str| json!({"type": "radio_buttons", "selected_option": {"text": {"type": "plain_text", "text": v}, "value": v}});
        let values = |o: Value, why: &str, next: &str| {
            json!({
                BLOCK_OUTCOME: {"value": o},
                BLOCK_RATIONALE: {"value": {"type": "plain_text_input", "value": why}},
                BLOCK_NEXT_STEPS: {"value": {"type": "plain_text_input", "value": next}},
            })
        };
        assert_eq!(
            read_decision(&values(outcome("no_go"), " No market ", "  ")),
            Ok(DecisionSubmission {
                outcome: Outcome::NoGo,
                rationale: "No market".into(),
                next_steps: None
            })
        );
        assert_eq!(
            read_decision(&values(outcome("go"), "   ", "")).map_err(|e| e.0),
            Err(BLOCK_RATIONALE)
        );
        assert_eq!(
            read_decision(&values(json!({"type": "radio_buttons"}), "why", "")).map_err(|e| e.0),
            Err(BLOCK_OUTCOME)
        );
    }

    #[test]
    fn the_post_says_who_decided_what_on_which_version() {
        let d = record(Outcome::Iterate, &"Economics missing. ".repeat(2000));
        let previous = record(Outcome::Go, "ok");
        let messages = decision_messages(&d, Some(&previous));
        assert_messages_fit(&messages);
        assert!(messages.len() > 1);
        let all = serde_json::to_string(&messages).expect("json");
        assert!(all.contains("*Iterate* — decided by <@UDANA> on draft v4"));
        assert!(all.contains("revises *Go*") && all.contains("compares against v4"));
        assert!(!all.contains("<!here>"));
        let line = decision_line(&record(Outcome::Iterate, "Economics\nmissing"));
        assert_eq!(
            line,
            ":repeat: *Iterate* — decided by <@UDANA>: Economics missing"
        );
    }
}
