//! What every export format says about the review meeting: the status and
//! the decision under the title, and the words the appendix uses for a
//! review and a decision. Plain text here; each renderer escapes it.

use super::{human_time, plural, ExportContext};
use crate::domain::docset::{DecisionRecord, DocSet, ReviewRecord};
use crate::domain::review::{CommentSection, Status};

/// The review still open (scheduled or reading), if any.
pub fn open_review(d: &DocSet) -> Option<&ReviewRecord> {
    d.reviews.iter().rev().find(|r| r.ended_at.is_none())
}

/// "Drafting", "In review — review 3 of version 4, reading started …",
/// "Decided: Go".
pub fn stage(d: &DocSet) -> String {
    match (d.session.status, &d.decision) {
        (Status::Decided, Some(dec)) => format!("Decided: {}", dec.outcome.label()),
        (Status::InReview, _) => match open_review(d) {
            Some(r) => format!("In review — {}", review_state(r)),
            None => "In review — reading ended, awaiting a decision".to_string(),
        },
        (status, _) => status.label().to_string(),
    }
}

/// Where a review stands, e.g. "review 3 of version 4, reading starts
/// 2026-12-01 10:00 UTC (20 minutes)".
pub fn review_state(r: &ReviewRecord) -> String {
    let of = r
        .version
        .map(|v| format!(" of version {v}"))
        .unwrap_or_else(|| " (no draft)".to_string());
    let when = match (&r.started_at, &r.ended_at) {
        (_, Some(ended)) => format!("read {}", human_time(ended)),
        (Some(started), None) => format!("silent reading since {}", human_time(started)),
        (None, None) => format!("reading starts {}", human_time(&r.scheduled_at)),
    };
    format!(
        "review {}{of}, {when} ({} minutes)",
        r.id, r.reading_minutes
    )
}

/// The decision in one line: "Iterate — Dana, 2026-12-01 11:00 UTC, on
/// version 4: rationale…".
pub fn decision_fact(dec: &DecisionRecord, ctx: &ExportContext) -> String {
    let on = dec
        .version
        .map(|v| format!(", on version {v}"))
        .unwrap_or_else(|| ", before any draft".to_string());
    let plain = super::mrkdwn::plain(&super::mrkdwn::parse_line(&dec.rationale), ctx);
    let rationale: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "{} — {}, {}{on}: {}",
        dec.outcome.label(),
        ctx.person(&dec.decided_by),
        human_time(&dec.decided_at),
        crate::domain::truncate_chars(&rationale, 300)
    )
}

/// A decision's heading in the history: "2. Iterate — Dana, 2026-12-01
/// 11:00 UTC, version 4".
pub fn decision_heading(n: usize, dec: &DecisionRecord, ctx: &ExportContext) -> String {
    let version = dec
        .version
        .map(|v| format!(", version {v}"))
        .unwrap_or_else(|| ", no draft".to_string());
    format!(
        "{n}. {} — {}, {}{version}",
        dec.outcome.label(),
        ctx.person(&dec.decided_by),
        human_time(&dec.decided_at)
    )
}

/// A review's heading and its line of facts.
pub fn review_heading(r: &ReviewRecord, ctx: &ExportContext) -> (String, String) {
    let heading = match r.version {
        Some(v) => format!("Review {} — version {v}", r.id),
        None => format!("Review {} — no draft", r.id),
    };
    let reviewers: Vec<String> = r.reviewers.iter().map(|u| ctx.person(u)).collect();
    let mut facts = format!(
        "{} · reviewers: {}",
        review_state(r),
        if reviewers.is_empty() {
            "none".to_string()
        } else {
            reviewers.join(", ")
        }
    );
    // While reading, the comments are not counted either: nobody sees them.
    if r.ended_at.is_some() {
        facts.push_str(&format!(" · {}", plural(r.comments.len(), "comment")));
    }
    (heading, facts)
}

/// What to say in place of a review's comments, when they are not shown.
pub fn comments_note(r: &ReviewRecord) -> Option<&'static str> {
    match (&r.started_at, &r.ended_at) {
        (_, Some(_)) if r.comments.is_empty() => Some("No comments were written."),
        (_, Some(_)) => None,
        (Some(_), None) => {
            Some("Silent reading is in progress: its comments are shown when it ends.")
        }
        (None, None) => Some("Reading has not started."),
    }
}

/// The sections of a review's comments in reading order, each with its
/// comments (sections without any are left out).
pub fn by_section(
    r: &ReviewRecord,
) -> Vec<(CommentSection, Vec<&crate::domain::docset::ReviewComment>)> {
    CommentSection::ALL
        .iter()
        .map(|s| {
            (
                *s,
                r.comments
                    .iter()
                    .filter(|c| c.section == *s)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, cs)| !cs.is_empty())
        .collect()
}
