//! Silent reading: the reading copy posted in the thread (the reviewed
//! version in full, with *Comment* and *End reading*; after reading, with
//! *Comment* and *Decide*). The comment form is in [`super::comment`].

use jiff::Timestamp;
use serde_json::{json, Value};

use super::{
    mentions, message, pack_blocks, section_block, slack_time, slack_time_of, text_sections,
};
use crate::domain::draft::{ChangeKind, Draft, FieldChange, Section};
use crate::domain::review::Review;
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::views::ids::{ACTION_COMMENT, ACTION_DECIDE, ACTION_END_READING};
use crate::views::{button, context, escape_mrkdwn, header, section};

/// Room kept for the head of the reading copy's first message, so the
/// open and the ended versions split the draft the same way.
const HEAD_ROOM: (usize, usize) = (8, 2500);

/// Where reading stands when the copy is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadingState {
    /// Reading until `ends_at`; `late_from` is the scheduled time when the
    /// start ran late (wb was not running then).
    Open {
        ends_at: Timestamp,
        late_from: Option<Timestamp>,
    },
    /// Reading ended at this RFC 3339 time.
    Ended { at: String },
}

/// What the reading copy shows.
#[derive(Debug, Clone)]
pub struct ReadingView<'a> {
    pub session: &'a Session,
    pub review: &'a Review,
    /// The reviewed version (`None`: no draft).
    pub draft: Option<&'a Draft>,
    /// The version the previous review read, and what changed since.
    pub since: Option<(i64, Vec<FieldChange>)>,
    pub state: ReadingState,
}

/// The value of the meeting's buttons: the session, then the review.
pub fn button_value(session_id: i64, review_id: i64) -> String {
    format!("{session_id}:{review_id}")
}

/// The review id in a meeting button's value (`"7:3"` → 3).
pub fn review_of_value(value: &str) -> Option<i64> {
    value.split_once(':')?.1.trim().parse().ok()
}

fn changes_line(since: &Option<(i64, Vec<FieldChange>)>, version: Option<i64>) -> String {
    match (since, version) {
        (None, _) | (_, None) => "The first review of this session.".to_string(),
        (Some((prev, _)), Some(v)) if *prev == v => {
            format!("The last review read v{prev} too: no changes since.")
        }
        (Some((prev, changes)), Some(_)) if changes.is_empty() => {
            format!("The last review read v{prev}; no section changed since.")
        }
        (Some((prev, changes)), Some(_)) => {
            let names: Vec<String> = changes
                .iter()
                .map(|c| match c.kind {
                    ChangeKind::Edited => c.section.label().to_string(),
                    ChangeKind::Added => format!("{} (added)", c.section.label()),
                    ChangeKind::Removed => format!("{} (removed)", c.section.label()),
                })
                .collect();
            format!(
                "Changed since v{prev}, which the last review read: {}.",
                names.join(", ")
            )
        }
    }
}

/// The head of the reading copy's first message.
fn head(v: &ReadingView<'_>) -> Vec<Value> {
    let r = v.review;
    let value = button_value(v.session.id, r.id);
    let what = match r.version {
        Some(n) => format!("*draft v{n}*"),
        None => "the doc set (no press-release draft yet)".to_string(),
    };
    let title = escape_mrkdwn(&truncate_chars(&v.session.title, 200));
    let (intro, buttons) = match &v.state {
        ReadingState::Open { ends_at, late_from } => {
            let mut intro = format!(
                "{} silent reading of {what} of *{title}* starts now, until {} ({} minutes). \
                 Read in silence; write comments per section with *Comment*: nobody sees them \
                 until reading ends, then I post them grouped by section.",
                mentions(&r.reviewers),
                slack_time(*ends_at),
                r.reading_minutes
            );
            if let Some(due) = late_from {
                intro.push_str(&format!(
                    "\n:warning: *Starting late:* reading was scheduled for {}, when wb was not running. \
                     It runs the full {} minutes from now.",
                    slack_time(*due),
                    r.reading_minutes
                ));
            }
            (
                intro,
                vec![
                    button(ACTION_COMMENT, "Comment", &value, true),
                    button(ACTION_END_READING, "End reading", &value, false),
                ],
            )
        }
        ReadingState::Ended { at } => (
            format!(
                "Silent reading of {what} of *{title}* ended {}; the comments are below in the thread. \
                 A comment written now is posted at once, as a late comment.",
                slack_time_of(at)
            ),
            vec![
                button(ACTION_COMMENT, "Comment", &value, false),
                button(ACTION_DECIDE, "Decide", &value, true),
            ],
        ),
    };
    vec![
        header("wb_reading", &format!("Silent reading — review #{}", r.id)),
        section(None, &intro),
        context(&escape_mrkdwn(&changes_line(&v.since, r.version))),
        json!({"type": "actions", "block_id": "wb_reading_actions", "elements": buttons}),
        json!({"type": "divider"}),
    ]
}

/// The reviewed version's sections, in full, in reading order.
fn body(draft: Option<&Draft>) -> Vec<Value> {
    let Some(d) = draft else {
        return vec![section_block(
            "_No press-release draft yet: read the FAQ and the rest of the doc set in the canvas (or file) below._",
        )];
    };
    let mut blocks = Vec::new();
    for s in Section::ALL {
        let Some(text) = d.fields.get(s).map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        let lead = format!("*{}*\n", s.label());
        blocks.extend(text_sections(&lead, &escape_mrkdwn(text)));
    }
    if blocks.is_empty() {
        blocks.push(section_block(&format!("_Draft v{} is empty._", d.version)));
    }
    blocks
}

/// The reading copy as messages, in order: the first carries the buttons
/// (its `ts` is kept, so the end of reading can update it).
pub fn reading_messages(v: &ReadingView<'_>) -> Vec<Value> {
    let groups = pack_blocks(HEAD_ROOM, body(v.draft));
    let total = groups.len();
    let label = match v.review.version {
        Some(n) => format!("draft v{n}"),
        None => "the doc set".to_string(),
    };
    groups
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let mut blocks = if i == 0 {
                head(v)
            } else {
                vec![context(&format!(
                    "Review #{} — {label}, part {} of {total}",
                    v.review.id,
                    i + 1
                ))]
            };
            blocks.extend(group);
            let text = if i == 0 {
                format!(
                    "Silent reading of {label}: review #{}{}",
                    v.review.id,
                    match v.state {
                        ReadingState::Open { .. } => " — reading starts now",
                        ReadingState::Ended { .. } => " — reading ended",
                    }
                )
            } else {
                format!(
                    "Review #{} — {label}, part {} of {total}",
                    v.review.id,
                    i + 1
                )
            };
            message(blocks, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::draft::DraftFields;
    use crate::views::meeting::tests::assert_messages_fit;

    fn fixtures() -> (Session, Review) {
        let session = Session {
            id: 7,
            title: "Fridge <!here>".into(),
            team_id: "T".into(),
            channel_id: "C".into(),
            thread_ts: "1.1".into(),
            created_by: "UPM".into(),
            created_at: "2026-11-21T00:00:00Z".into(),
            status: Default::default(),
            enterprise_id: None,
        };
        let review = Review {
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
            reviewers: vec!["UA".into()],
        };
        (session, review)
    }

    fn draft(text: &str) -> Draft {
        Draft {
            session_id: 7,
            version: 4,
            author: "UPM".into(),
            created_at: "2026-11-30T09:00:00Z".into(),
            source: "modal".into(),
            fields: DraftFields {
                headline: Some("FridgeCam".into()),
                problem: Some(text.into()),
                solution: Some(text.into()),
                ..DraftFields::default()
            },
        }
    }

    #[test]
    fn the_reading_copy_carries_the_whole_draft_and_the_buttons() {
        let (session, review) = fixtures();
        let long = "A sentence & more <@U9>. ".repeat(1200);
        let d = draft(&long);
        let open = ReadingView {
            session: &session,
            review: &review,
            draft: Some(&d),
            since: Some((3, vec![])),
            state: ReadingState::Open {
                ends_at: "2026-12-01T10:20:00Z".parse().expect("ts"),
                late_from: Some("2026-12-01T10:00:00Z".parse().expect("ts")),
            },
        };
        let messages = reading_messages(&open);
        assert_messages_fit(&messages);
        assert!(messages.len() > 2);
        let all = serde_json::to_string(&messages).expect("json");
        assert!(all.contains("Starting late") && all.contains("<@UA>"));
        assert!(!all.contains("<@U9>") && !all.contains("<!here>"));
        // Nothing lost: the problem's text is all there.
        let escaped = escape_mrkdwn(long.trim());
        let problem: String = messages
            .iter()
            .flat_map(|m| m["blocks"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["text"]["text"].as_str().map(str::to_string))
            .skip_while(|t| !t.starts_with("*Problem*"))
            .take_while(|t| !t.starts_with("*Solution*"))
            .map(|t| {
                t.trim_start_matches("*Problem*\n")
                    .trim_start_matches("_(continued)_ ")
                    .to_string()
            })
            .collect();
        assert_eq!(problem, escaped);
        let buttons: Vec<&str> = messages[0]["blocks"][3]["elements"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["action_id"].as_str())
            .collect();
        assert_eq!(buttons, [ACTION_COMMENT, ACTION_END_READING]);
        assert_eq!(messages[0]["blocks"][3]["elements"][0]["value"], "7:3");

        // The ended copy splits the same way and swaps End reading for Decide.
        let ended = reading_messages(&ReadingView {
            state: ReadingState::Ended {
                at: "2026-12-01T10:20:00Z".into(),
            },
            ..open.clone()
        });
        assert_eq!(ended.len(), messages.len());
        assert_eq!(ended[1], messages[1]);
        assert_eq!(
            ended[0]["blocks"][3]["elements"][1]["action_id"],
            ACTION_DECIDE
        );
    }
}
