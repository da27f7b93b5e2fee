//! Reminders in words: the digest posted in a session's thread (the open
//! questions with the most votes, owners mentioned so they are nudged) and
//! what `/wb remind` answers.

use super::triage::{one_line, state_badge};
use crate::domain::faq::QuestionState;
use crate::domain::triage::TriageQuestion;
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;

/// Why a digest is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// `/wb remind now`.
    Asked,
    /// The daily reminder; `late_minutes` when wb was down at its time.
    Daily { late_minutes: Option<i64> },
}

/// The digest: `questions` (most votes first, at most a handful) of `open`
/// unresolved ones. Owners are mentioned; askers are not.
pub fn digest(
    session_id: i64,
    session_title: &str,
    questions: &[TriageQuestion],
    open: i64,
    occasion: Occasion,
) -> String {
    let plural = if open == 1 {
        "question is"
    } else {
        "questions are"
    };
    let shown = questions.len() as i64;
    let which = if shown < open {
        format!(" — the {shown} with the most votes")
    } else {
        String::new()
    };
    let mut text = format!(
        ":alarm_clock: *{open} {plural} still open* in session #{session_id} *{}*{which}:\n",
        escape_mrkdwn(&truncate_chars(session_title, 200))
    );
    for (i, q) in questions.iter().enumerate() {
        let owner = match &q.owner {
            Some(u) => format!("<@{}>", escape_mrkdwn(u)),
            None => "_no owner yet_".into(),
        };
        let state = if q.state == QuestionState::NeedsData {
            format!(" · {}", state_badge(q.state))
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{}. {} — 👍 {} · {owner}{state}\n",
            i + 1,
            one_line(&q.question, 300),
            q.votes
        ));
    }
    text.push_str(&format!(
        "Answer with *Answer questions* on the session's message; assign owners with *Triage* (`/wb triage {session_id}`)."
    ));
    if let Occasion::Daily { late_minutes } = occasion {
        text.push_str(&format!(
            "\n_Daily reminder · `/wb remind {session_id} off` stops it._"
        ));
        if let Some(m) = late_minutes {
            text.push_str(&format!(
                " _Sent {m} min late: wb was not running at the reminder's time._"
            ));
        }
    }
    text
}

/// `/wb remind now` when something was posted.
pub fn posted_now(session_id: i64, shown: usize, open: i64) -> String {
    if shown as i64 == open {
        format!(":alarm_clock: Posted the {open} open question(s) of session #{session_id} in its thread.")
    } else {
        format!(
            ":alarm_clock: Posted the {shown} most-voted of {open} open questions of session #{session_id} in its thread."
        )
    }
}

/// `/wb remind now` when nothing is open: nothing is posted.
pub fn nothing_open(session_id: i64) -> String {
    format!(
        ":white_check_mark: Nothing is open in session #{session_id}: every question is answered or closed, so I posted nothing."
    )
}

/// The acknowledgement of `/wb remind daily HH:MM` (the time zone comes next).
pub fn setting_daily(session_id: i64, at: &str) -> String {
    format!(
        ":alarm_clock: Setting a daily reminder for session #{session_id} at {at} — looking up your time zone…"
    )
}

/// The confirmation once the time zone is known.
pub fn daily_set(
    session_id: i64,
    session_title: &str,
    at: &str,
    zone: &str,
    guessed_zone: bool,
    next: &str,
) -> String {
    let zone_note = if guessed_zone {
        " (Slack did not tell me your time zone, so I use UTC)"
    } else {
        ""
    };
    format!(
        ":alarm_clock: Every day at {at} {zone}{zone_note} I'll post the five most-voted open questions of \
         session #{session_id} *{}* in its thread, owners mentioned — nothing on days when all are answered. \
         Next: {next}. `/wb remind {session_id} off` stops it.",
        escape_mrkdwn(&truncate_chars(session_title, 200)),
    )
}

/// `/wb remind off`.
pub fn stopped(session_id: i64, was_on: bool) -> String {
    if was_on {
        format!(":no_bell: Stopped the daily reminder of session #{session_id}.")
    } else {
        format!(
            "Session #{session_id} has no daily reminder. `/wb remind {session_id} daily 09:30` sets one."
        )
    }
}

/// `/wb remind` alone: what is set.
pub fn status(session_id: i64, set: Option<(&str, Option<&str>, Option<&str>)>) -> String {
    match set {
        None => format!(
            "Session #{session_id} has no daily reminder. `/wb remind {session_id} daily 09:30` sets one \
             (24-hour clock, your time zone); `/wb remind {session_id} now` posts the open questions now."
        ),
        Some((at, Some(zone), Some(next))) => format!(
            ":alarm_clock: Session #{session_id} posts its open questions every day at {at} ({zone}); next: {next}. \
             `/wb remind {session_id} off` stops it."
        ),
        Some((at, _, _)) => format!(
            ":alarm_clock: Session #{session_id} has a daily reminder at {at}, but its time zone is not known yet; \
             if this lasts, set it again with `/wb remind {session_id} daily {at}`."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::docset::Audience;

    fn q(
        id: i64,
        text: &str,
        votes: i64,
        owner: Option<&str>,
        state: QuestionState,
    ) -> TriageQuestion {
        TriageQuestion {
            id,
            audience: Audience::External,
            question: text.into(),
            asked_by: Some("U7".into()),
            votes,
            state,
            owner: owner.map(str::to_string),
            family: None,
            merged_into: None,
        }
    }

    #[test]
    fn the_digest_mentions_owners_and_never_the_askers_or_user_text() {
        let qs = [
            q(
                4,
                "What will it cost?",
                3,
                Some("U1"),
                QuestionState::NeedsData,
            ),
            q(2, "<!channel> where?", 1, None, QuestionState::Open),
        ];
        let text = digest(
            7,
            "Fridge",
            &qs,
            9,
            Occasion::Daily {
                late_minutes: Some(25),
            },
        );
        assert!(text.starts_with(":alarm_clock: *9 questions are still open* in session #7 *Fridge* — the 2 with the most votes:"), "{text}");
        assert!(
            text.contains(
                "1. What will it cost? — 👍 3 · <@U1> · :hourglass_flowing_sand: Needs data\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("2. &lt;!channel&gt; where? — 👍 1 · _no owner yet_\n"),
            "{text}"
        );
        assert!(!text.contains("<@U7>"));
        assert!(text.contains("Sent 25 min late"));
        let one = digest(7, "Fridge", &qs[..1], 1, Occasion::Asked);
        assert!(
            one.contains("*1 question is still open*") && !one.contains("the 1 with"),
            "{one}"
        );
        assert!(!one.contains("Daily reminder"));
    }
}
