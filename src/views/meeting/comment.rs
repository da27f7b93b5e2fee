//! The comment form of silent reading (a section and the text), the
//! reading of a submission, and the private word to its author.

use serde_json::{json, Value};

use super::schedule::{MeetingMeta, ACTION_VALUE};
use super::slack_time_of;
use crate::domain::review::{CommentSection, Review};
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::views::ids::VIEW_COMMENT;
use crate::views::{context, escape_mrkdwn, section};

pub const BLOCK_SECTION: &str = "wb_comment_section";
pub const BLOCK_COMMENT: &str = "wb_comment_text";
/// Slack's longest text input.
pub const COMMENT_INPUT_MAX: usize = 3000;

/// The comment form.
pub fn comment_modal(session: &Session, review: &Review) -> Value {
    let plain = |t: &str| json!({"type": "plain_text", "text": t});
    let options: Vec<Value> = CommentSection::ALL
        .iter()
        .map(|s| json!({"text": plain(s.label()), "value": s.key()}))
        .collect();
    let note = if review.ended_at.is_some() {
        ":hourglass: Reading has ended: your comment is posted in the thread at once, as a late comment."
            .to_string()
    } else {
        ":shushing_face: Silent reading: your comment is saved now and shown to nobody until reading ends."
            .to_string()
    };
    let what = match review.version {
        Some(v) => format!("draft v{v}"),
        None => "the doc set".to_string(),
    };
    json!({
        "type": "modal",
        "callback_id": VIEW_COMMENT,
        "private_metadata": MeetingMeta { session_id: session.id, review_id: Some(review.id) }.to_json(),
        "title": plain("Comment"),
        "submit": plain("Save comment"),
        "close": plain("Cancel"),
        "blocks": [
            section(None, &format!(
                "Review #{} of {what} · *{}*",
                review.id,
                escape_mrkdwn(&truncate_chars(&session.title, 200))
            )),
            context(&note),
            {
                "type": "input",
                "block_id": BLOCK_SECTION,
                "label": plain("Section"),
                "element": {
                    "type": "static_select",
                    "action_id": ACTION_VALUE,
                    "placeholder": plain("What is it about?"),
                    "options": options,
                },
            },
            {
                "type": "input",
                "block_id": BLOCK_COMMENT,
                "label": plain("Comment"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ACTION_VALUE,
                    "multiline": true,
                    "max_length": COMMENT_INPUT_MAX,
                    "placeholder": plain("Write it against the text: what is unclear, missing or wrong?"),
                },
            },
        ],
    })
}

/// Reads the comment form: the section and the text, verbatim (only blank
/// text is refused). `Err((block_id, message))` for the user to fix.
pub fn read_comment(values: &Value) -> Result<(CommentSection, String), (&'static str, String)> {
    let field = |block: &str| &values[block][ACTION_VALUE];
    let section = field(BLOCK_SECTION)["selected_option"]["value"]
        .as_str()
        .and_then(CommentSection::parse)
        .ok_or((
            BLOCK_SECTION,
            "Pick the section the comment is about.".to_string(),
        ))?;
    let text = field(BLOCK_COMMENT)["value"].as_str().unwrap_or_default();
    if text.trim().is_empty() {
        return Err((BLOCK_COMMENT, "Write the comment first.".to_string()));
    }
    Ok((section, text.to_string()))
}

/// The private word to a commenter during silent reading.
pub fn comment_saved(section: CommentSection, ends_at: Option<&str>) -> String {
    let when = ends_at
        .map(|at| format!(" (at {})", slack_time_of(at)))
        .unwrap_or_default();
    format!(
        ":lock: Saved your comment on *{}*. It is shown to nobody until reading ends{when}; \
         then I post every comment grouped by section.",
        section.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::ask::assert_modal_within_limits;
    use crate::views::meeting::reading::review_of_value;

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

    #[test]
    fn the_comment_form_offers_eleven_sections_and_reads_back_verbatim() {
        let (session, review) = fixtures();
        let view = comment_modal(&session, &review);
        assert_modal_within_limits(&view);
        assert_eq!(
            view["blocks"][2]["element"]["options"]
                .as_array()
                .map(Vec::len),
            Some(11)
        );
        let text = "x".repeat(40_000);
        let values = json!({
            BLOCK_SECTION: {"value": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "FAQ"}, "value": "faq"}}},
            BLOCK_COMMENT: {"value": {"type": "plain_text_input", "value": text}},
        });
        assert_eq!(read_comment(&values), Ok((CommentSection::Faq, text)));
        let blank = json!({
            BLOCK_SECTION: {"value": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "FAQ"}, "value": "faq"}}},
            BLOCK_COMMENT: {"value": {"type": "plain_text_input", "value": "  "}},
        });
        assert_eq!(read_comment(&blank).map_err(|e| e.0), Err(BLOCK_COMMENT));
        assert_eq!(
            read_comment(&json!({})).map_err(|e| e.0),
            Err(BLOCK_SECTION)
        );
        assert_eq!(review_of_value("7:3"), Some(3));
        assert_eq!(review_of_value("7"), None);
    }
}
