//! The comments of a review, posted when reading ends: grouped by section in
//! reading order, each in full (long ones split over several blocks), in as
//! few messages as Slack's limits allow; and a late comment, posted at once.

use serde_json::{json, Value};

use super::reading::button_value;
use super::{mention, pack_messages, section_block, slack_time_of, text_sections};
use crate::domain::review::{Comment, CommentSection, Review};
use crate::views::ids::ACTION_DECIDE;
use crate::views::{button, context, escape_mrkdwn, header};

/// How the reading ended, for the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndedBy<'a> {
    /// Its time ran out.
    Time,
    /// Someone clicked *End reading* or typed `/wb review end`.
    User(&'a str),
    /// A new review replaced it.
    Replaced,
    /// A decision was recorded meanwhile.
    Decision,
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The messages posting `comments` of `review` (in the order written)
/// grouped by section, for session `session_id`.
pub fn comment_messages(
    session_id: i64,
    review: &Review,
    comments: &[Comment],
    ended: EndedBy<'_>,
) -> Vec<Value> {
    let how = match ended {
        EndedBy::Time => "Time is up".to_string(),
        EndedBy::User(u) => format!("{} ended it", mention(u)),
        EndedBy::Replaced => "A new review replaced it".to_string(),
        EndedBy::Decision => "A decision was recorded".to_string(),
    };
    let mut people: Vec<&str> = comments.iter().map(|c| c.author.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    let what = match review.version {
        Some(v) => format!("draft v{v}"),
        None => "the doc set".to_string(),
    };
    let summary = if comments.is_empty() {
        format!("Silent reading of {what} has ended. {how}. Nobody wrote a comment.")
    } else {
        format!(
            "Silent reading of {what} has ended. {how}. {} from {}, by section:",
            plural(comments.len(), "comment"),
            match people.len() {
                1 => "1 person".to_string(),
                n => format!("{n} people"),
            }
        )
    };
    let head = vec![
        header("wb_comments", &format!("Review #{} — comments", review.id)),
        section_block(&summary),
    ];
    let mut body = Vec::new();
    for s in CommentSection::ALL {
        let in_section: Vec<&Comment> = comments.iter().filter(|c| c.section == s).collect();
        if in_section.is_empty() {
            continue;
        }
        body.push(section_block(&format!(
            "*{}* · {}",
            s.label(),
            plural(in_section.len(), "comment")
        )));
        for c in in_section {
            body.extend(text_sections(
                &format!("{}: ", mention(&c.author)),
                &escape_mrkdwn(c.text.trim()),
            ));
        }
    }
    body.push(context(
        "Next: the session's creator or a reviewer records the outcome with *Decide*: Go, Iterate or No-go.",
    ));
    body.push(json!({
        "type": "actions",
        "elements": [button(ACTION_DECIDE, "Decide", &button_value(session_id, review.id), true)],
    }));
    let id = review.id;
    pack_messages(
        head,
        body,
        |n| context(&format!("Review #{id} — comments, part {n}")),
        |n, total| {
            if total == 1 {
                format!("Review #{id}: {}", plural(comments.len(), "comment"))
            } else {
                format!("Review #{id}: comments, part {n} of {total}")
            }
        },
    )
}

/// A comment written after reading ended, posted at once.
pub fn late_comment_messages(review: &Review, comment: &Comment) -> Vec<Value> {
    let ended = review
        .ended_at
        .as_deref()
        .map(|at| format!(" (reading ended {})", slack_time_of(at)))
        .unwrap_or_default();
    let head = vec![section_block(&format!(
        ":hourglass: *Late comment* on review #{}{ended}, about *{}*:",
        review.id,
        comment.section.label()
    ))];
    let body = text_sections(
        &format!("{}: ", mention(&comment.author)),
        &escape_mrkdwn(comment.text.trim()),
    );
    let id = review.id;
    pack_messages(
        head,
        body,
        |n| context(&format!("Late comment on review #{id}, part {n}")),
        |n, total| {
            if total == 1 {
                format!("Late comment on review #{id}")
            } else {
                format!("Late comment on review #{id}, part {n} of {total}")
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::meeting::tests::assert_messages_fit;

    fn review() -> Review {
        Review {
            id: 3,
            session_id: 7,
            version: Some(4),
            scheduled_at: "2026-12-01T10:00:00Z".into(),
            reading_minutes: 20,
            created_by: "UPM".into(),
            created_at: "2026-11-30T10:00:00Z".into(),
            started_at: Some("2026-12-01T10:00:00Z".into()),
            ends_at: Some("2026-12-01T10:20:00Z".into()),
            ended_at: Some("2026-12-01T10:20:00Z".into()),
            ended_by: None,
            canceled_at: None,
            reading_ts: None,
            reviewers: vec!["UA".into()],
        }
    }

    fn comment(id: i64, section: CommentSection, author: &str, text: &str) -> Comment {
        Comment {
            id,
            review_id: 3,
            section,
            text: text.into(),
            author: author.into(),
            created_at: "2026-12-01T10:05:00Z".into(),
            late: false,
        }
    }

    fn texts(messages: &[Value]) -> Vec<String> {
        messages
            .iter()
            .flat_map(|m| m["blocks"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["text"]["text"].as_str().map(str::to_string))
            .collect()
    }

    #[test]
    fn comments_are_grouped_by_section_in_reading_order() {
        let comments = [
            comment(1, CommentSection::General, "UA", "Overall <!channel> good"),
            comment(2, CommentSection::Problem, "UB", "Which customers?"),
            comment(3, CommentSection::Headline, "UA", "Too long"),
            comment(4, CommentSection::Problem, "UA", "Evidence?"),
        ];
        let messages = comment_messages(7, &review(), &comments, EndedBy::Time);
        assert_eq!(messages.len(), 1);
        assert_messages_fit(&messages);
        let t = texts(&messages);
        let at = |s: &str| t.iter().position(|x| x.contains(s)).expect(s);
        assert!(at("*Headline* · 1 comment") < at("*Problem* · 2 comments"));
        assert!(at("*Problem* · 2 comments") < at("Which customers?"));
        assert!(at("Which customers?") < at("Evidence?"));
        assert!(at("Evidence?") < at("*General*"));
        assert!(t.iter().any(|x| x.contains("4 comments from 2 people")));
        assert!(!serde_json::to_string(&messages)
            .expect("json")
            .contains("<!channel>"));
    }

    #[test]
    fn a_forty_thousand_character_comment_is_split_never_cut() {
        let long = format!("{}END", "word ".repeat(8000));
        let comments = [comment(1, CommentSection::Solution, "UA", &long)];
        let messages = comment_messages(7, &review(), &comments, EndedBy::User("UPM"));
        assert!(messages.len() >= 4, "{}", messages.len());
        assert_messages_fit(&messages);
        let joined: String = texts(&messages)
            .iter()
            .filter(|t| t.starts_with("<@UA>: ") || t.starts_with("_(continued)_ "))
            .map(|t| {
                t.trim_start_matches("<@UA>: ")
                    .trim_start_matches("_(continued)_ ")
                    .to_string()
            })
            .collect();
        assert_eq!(joined, long.trim());
        assert!(messages[1]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("part 2 of"));

        let late = late_comment_messages(&review(), &comments[0]);
        assert_messages_fit(&late);
        assert!(late.len() >= 4);
        assert!(texts(&late)[0].contains("*Late comment*"));
    }

    #[test]
    fn no_comments_is_said_plainly() {
        let messages = comment_messages(7, &review(), &[], EndedBy::Replaced);
        let t = texts(&messages).join("\n");
        assert!(t.contains("Nobody wrote a comment") && t.contains("replaced"));
    }
}
