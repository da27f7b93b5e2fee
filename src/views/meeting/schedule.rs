//! The review form (when, reading time, reviewers), the reading of its
//! submission, and the thread notes a schedule owes: scheduled, replaced,
//! cancelled, and the open-question reminders before it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{mention, mentions, slack_time, slack_time_of};
use crate::domain::review::{
    Review, DEFAULT_READING_MINUTES, MAX_READING_MINUTES, MAX_REVIEWERS, MIN_READING_MINUTES,
};
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::views::ids::VIEW_REVIEW;
use crate::views::{context, escape_mrkdwn, section};

pub const BLOCK_WHEN: &str = "wb_review_when";
pub const BLOCK_MINUTES: &str = "wb_review_minutes";
pub const BLOCK_REVIEWERS: &str = "wb_review_reviewers";
/// The action id of every input of the meeting's forms.
pub const ACTION_VALUE: &str = "value";

/// What the review, comment and decision forms carry in `private_metadata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingMeta {
    pub session_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_id: Option<i64>,
}

impl MeetingMeta {
    pub fn to_json(self) -> String {
        // Two integers: serialising cannot fail, and stays far below 3,000.
        serde_json::to_string(&self).unwrap_or_default()
    }

    pub fn parse(raw: &str) -> Option<Self> {
        serde_json::from_str(raw).ok()
    }
}

/// What the review form shows besides its inputs.
#[derive(Debug, Clone)]
pub struct ReviewForm<'a> {
    pub session: &'a Session,
    /// The version the review would read (the current one).
    pub version: Option<i64>,
    /// The review a new one replaces.
    pub open: Option<&'a Review>,
    /// Prefilled reviewers (the last review's).
    pub reviewers: &'a [String],
}

fn plain(text: &str) -> Value {
    json!({"type": "plain_text", "text": text})
}

/// The review modal.
pub fn review_modal(form: &ReviewForm<'_>) -> Value {
    let what = match form.version {
        Some(v) => format!("Reviews *draft v{v}*, the current version: drafts saved later don't change what is read."),
        None => "There is no press-release draft yet: the review reads the FAQ and the rest of the doc set.".to_string(),
    };
    let mut blocks = vec![section(
        None,
        &format!(
            "*{}* · session #{}\n{what}",
            escape_mrkdwn(&truncate_chars(&form.session.title, 200)),
            form.session.id
        ),
    )];
    if let Some(open) = form.open {
        blocks.push(context(&format!(
            ":warning: Review #{} ({}) is still open: this one replaces it.",
            open.id,
            if open.started_at.is_some() {
                "silent reading in progress; it ends now and its comments are posted".to_string()
            } else {
                format!("reading at {}", slack_time_of(&open.scheduled_at))
            }
        )));
    }
    let mut reviewers = json!({
        "type": "multi_users_select",
        "action_id": ACTION_VALUE,
        "placeholder": plain("Who reads and decides"),
        "max_selected_items": MAX_REVIEWERS,
    });
    if !form.reviewers.is_empty() {
        reviewers["initial_users"] = json!(form.reviewers);
    }
    blocks.extend([
        json!({
            "type": "input",
            "block_id": BLOCK_WHEN,
            "optional": true,
            "label": plain("When reading starts"),
            "hint": plain("In your time zone. Leave it empty to start now; at most 90 days ahead."),
            "element": {"type": "datetimepicker", "action_id": ACTION_VALUE},
        }),
        json!({
            "type": "input",
            "block_id": BLOCK_MINUTES,
            "label": plain("Silent reading (minutes)"),
            "hint": plain("About 20 minutes of a 60-minute meeting; 1 to 120."),
            "element": {
                "type": "number_input",
                "action_id": ACTION_VALUE,
                "is_decimal_allowed": false,
                "min_value": MIN_READING_MINUTES.to_string(),
                "max_value": MAX_READING_MINUTES.to_string(),
                "initial_value": DEFAULT_READING_MINUTES.to_string(),
            },
        }),
        json!({
            "type": "input",
            "block_id": BLOCK_REVIEWERS,
            "label": plain("Reviewers"),
            "hint": plain("They are told when reading starts; they and the session's creator may decide."),
            "element": reviewers,
        }),
        context(
            "At the start I post the reviewed draft in the thread with *Comment* and *End reading*. \
             Comments stay private until reading ends, then I post them grouped by section.",
        ),
    ]);
    json!({
        "type": "modal",
        "callback_id": VIEW_REVIEW,
        "private_metadata": MeetingMeta { session_id: form.session.id, review_id: None }.to_json(),
        "title": plain("Review"),
        "submit": plain("Schedule"),
        "close": plain("Cancel"),
        "blocks": blocks,
    })
}

/// The review form as submitted, before validation (`domain::review`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSubmission {
    /// The picker's unix seconds; `None` when left empty.
    pub when: Option<i64>,
    pub minutes: Option<String>,
    pub reviewers: Vec<String>,
}

/// Reads the review form's `state.values`.
pub fn read_review(values: &Value) -> ReviewSubmission {
    let field = |block: &str| &values[block][ACTION_VALUE];
    let when = &field(BLOCK_WHEN)["selected_date_time"];
    ReviewSubmission {
        when: when
            .as_i64()
            .or_else(|| when.as_str().and_then(|s| s.trim().parse().ok())),
        minutes: field(BLOCK_MINUTES)["value"].as_str().map(str::to_string),
        reviewers: field(BLOCK_REVIEWERS)["selected_users"]
            .as_array()
            .map(|users| {
                users
                    .iter()
                    .filter_map(|u| u.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// What the thread is told when a review is scheduled.
#[derive(Debug, Clone)]
pub struct Scheduled<'a> {
    pub review: &'a Review,
    pub starts: Timestamp,
    /// Reading starts at once.
    pub now: bool,
    /// The review it replaces, and whether that one was reading.
    pub replaced: Option<(&'a Review, bool)>,
}

/// The thread note of a new review.
pub fn scheduled_note(s: &Scheduled<'_>) -> Value {
    let r = s.review;
    let version = match r.version {
        Some(v) => format!("draft v{v}"),
        None => "the doc set (no press-release draft yet)".to_string(),
    };
    let when = if s.now {
        "starts now".to_string()
    } else {
        format!("starts {}", slack_time(s.starts))
    };
    let mut text = format!(
        ":calendar: *Review #{}* scheduled by {}: silent reading of {version} {when}, for {} minutes.\n\
         Reviewers: {}. Comments stay private until reading ends; then the creator or a reviewer \
         decides: *Go*, *Iterate* or *No-go*.",
        r.id,
        mention(&r.created_by),
        r.reading_minutes,
        mentions(&r.reviewers),
    );
    if let Some((old, was_reading)) = s.replaced {
        if was_reading {
            text.push_str(&format!(
                "\n:arrows_counterclockwise: This replaces review #{}: its reading ended now and its comments are posted above.",
                old.id
            ));
        } else {
            text.push_str(&format!(
                "\n:arrows_counterclockwise: This replaces review #{}, which was to start {}.",
                old.id,
                slack_time_of(&old.scheduled_at)
            ));
        }
    }
    json!({
        "text": format!("Review #{} scheduled", r.id),
        "blocks": [section(None, &text)],
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

/// The thread note when a scheduled review is called off (`why` is worded).
pub fn canceled_note(review: &Review, by: &str, why: &str) -> Value {
    let text = format!(
        ":no_entry_sign: Review #{} (reading {}) is cancelled by {}: {why}",
        review.id,
        slack_time_of(&review.scheduled_at),
        mention(by)
    );
    json!({
        "text": format!("Review #{} cancelled", review.id),
        "blocks": [section(None, &text)],
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

/// The reminder `hours` before a review: how many questions are still open.
pub fn nudge_note(review: &Review, hours: i64, open_questions: i64) -> Value {
    let when = if hours == 1 {
        "in 1 hour".to_string()
    } else {
        format!("in {hours} hours")
    };
    let questions = match open_questions {
        0 => "Every FAQ question has an answer. :tada:".to_string(),
        1 => "*1 FAQ question* is still open: answer it with *Answer questions* on the session's message.".to_string(),
        n => format!("*{n} FAQ questions* are still open: answer them with *Answer questions* on the session's message."),
    };
    let text = format!(
        ":alarm_clock: Review #{} starts {when} ({}). {questions}\nReviewers: {}.",
        review.id,
        slack_time_of(&review.scheduled_at),
        mentions(&review.reviewers)
    );
    json!({
        "text": format!("Review #{} starts {when}: {open_questions} open question(s)", review.id),
        "blocks": [section(None, &text)],
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::ask::assert_modal_within_limits;

    pub(crate) fn review() -> Review {
        Review {
            id: 3,
            session_id: 7,
            version: Some(4),
            scheduled_at: "2026-12-01T10:00:00Z".into(),
            reading_minutes: 20,
            created_by: "UPM".into(),
            created_at: "2026-11-30T10:00:00Z".into(),
            started_at: None,
            ends_at: None,
            ended_at: None,
            ended_by: None,
            canceled_at: None,
            reading_ts: None,
            reviewers: vec!["UA".into(), "UB".into()],
        }
    }

    fn session() -> Session {
        Session {
            id: 7,
            title: "<!channel> Fridge".into(),
            team_id: "T".into(),
            channel_id: "C".into(),
            thread_ts: "1.1".into(),
            created_by: "UPM".into(),
            created_at: "2026-11-21T00:00:00Z".into(),
            status: Default::default(),
            enterprise_id: None,
        }
    }

    #[test]
    fn the_review_form_has_when_minutes_and_reviewers() {
        let session = session();
        let open = review();
        let view = review_modal(&ReviewForm {
            session: &session,
            version: Some(4),
            open: Some(&open),
            reviewers: &["UA".to_string()],
        });
        assert_modal_within_limits(&view);
        let text = view.to_string();
        assert!(text.contains("draft v4") && !text.contains("<!channel>"));
        assert!(text.contains("replaces it"));
        let inputs: Vec<(&str, &str)> = view["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["type"] == "input")
            .map(|b| {
                (
                    b["block_id"].as_str().unwrap_or_default(),
                    b["element"]["type"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            inputs,
            [
                (BLOCK_WHEN, "datetimepicker"),
                (BLOCK_MINUTES, "number_input"),
                (BLOCK_REVIEWERS, "multi_users_select")
            ]
        );
        assert_eq!(view["blocks"][2]["optional"], true);
        assert_eq!(
            MeetingMeta::parse(view["private_metadata"].as_str().unwrap_or_default()),
            Some(MeetingMeta {
                session_id: 7,
                review_id: None
            })
        );
    }

    #[test]
    fn a_submission_is_read_as_slack_sends_it() {
        let values = json!({
            BLOCK_WHEN: {"value": {"type": "datetimepicker", "selected_date_time": 1796119200}},
            BLOCK_MINUTES: {"value": {"type": "number_input", "value": "25"}},
            BLOCK_REVIEWERS: {"value": {"type": "multi_users_select", "selected_users": ["UA", "UB"]}},
        });
        assert_eq!(
            read_review(&values),
            ReviewSubmission {
                when: Some(1_796_119_200),
                minutes: Some("25".into()),
                reviewers: vec!["UA".into(), "UB".into()],
            }
        );
        let empty = read_review(&json!({}));
        assert_eq!(empty.when, None);
        assert!(empty.reviewers.is_empty());
    }

    #[test]
    fn notes_say_what_was_scheduled_replaced_and_left_open() {
        let r = review();
        let mut old = review();
        old.id = 2;
        let starts: Timestamp = "2026-12-01T10:00:00Z".parse().expect("ts");
        let note = scheduled_note(&Scheduled {
            review: &r,
            starts,
            now: false,
            replaced: Some((&old, false)),
        });
        let text = note.to_string();
        assert!(
            text.contains("*Review #3*") && text.contains("draft v4"),
            "{text}"
        );
        assert!(text.contains("<@UA>, <@UB>") && text.contains("replaces review #2"));
        assert!(text.contains("<!date^1796119200^"));
        let nudge = nudge_note(&r, 24, 5).to_string();
        assert!(nudge.contains("in 24 hours") && nudge.contains("*5 FAQ questions*"));
        assert!(nudge_note(&r, 1, 1)
            .to_string()
            .contains("*1 FAQ question* is"));
    }
}
