//! What triage says outside the modal: the thread post when a duplicate is
//! merged or un-merged, and the word to a question's new owner. User text is
//! escaped: nothing quoted can ping a channel or forge a link.

use super::one_line;

/// `“How much?”`, quoted on one line.
fn quoted(question: &str) -> String {
    format!("“{}”", one_line(question, 300))
}

/// The thread post after `duplicate` was merged into `kept`, which now has
/// `votes` (each person counted once).
pub fn merged_post(duplicate: (i64, &str), kept: (i64, &str), votes: i64, by: &str) -> String {
    let plural = if votes == 1 { "" } else { "s" };
    format!(
        ":twisted_rightwards_arrows: *Merged into #{}:* {} (#{}) is a duplicate of {} — now {votes} vote{plural}, \
         each person counted once. A :+1: on either message votes for it. _(<@{}> in Triage)_",
        kept.0,
        quoted(duplicate.1),
        duplicate.0,
        quoted(kept.1),
        crate::views::escape_mrkdwn(by),
    )
}

/// The thread post after `duplicate` was un-merged from `kept`.
pub fn unmerged_post(duplicate: (i64, &str, i64), kept: (i64, &str, i64), by: &str) -> String {
    format!(
        ":leftwards_arrow_with_hook: *Un-merged:* {} (#{}) is a question of its own again, apart from {} (#{}). \
         Votes: {} and {}. _(<@{}> in Triage)_",
        quoted(duplicate.1),
        duplicate.0,
        quoted(kept.1),
        kept.0,
        duplicate.2,
        kept.2,
        crate::views::escape_mrkdwn(by),
    )
}

/// The word to a question's new owner, once, when assigned.
pub fn owner_notice(
    session_id: i64,
    session_title: &str,
    question: (i64, &str),
    assigned_by: &str,
) -> String {
    format!(
        ":bust_in_silhouette: <@{}> asked you to own question #{} of session #{session_id} *{}*:\n>{}\n\
         Find the answer and post it with *Answer questions* on the session's message \
         (or mark it in *Triage*: needs data, won't answer).",
        crate::views::escape_mrkdwn(assigned_by),
        question.0,
        one_line(session_title, 200),
        one_line(question.1, 1000),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_name_both_questions_and_never_ping() {
        let text = merged_post(
            (5, "How <!channel> much?"),
            (4, "What will it cost?"),
            3,
            "U1",
        );
        assert!(
            text.starts_with(
                ":twisted_rightwards_arrows: *Merged into #4:* “How &lt;!channel&gt; much?” (#5)"
            ),
            "{text}"
        );
        assert!(text.contains("now 3 votes"), "{text}");
        let text = unmerged_post((5, "How much?", 2), (4, "What will it cost?", 3), "U1");
        assert!(text.contains("Votes: 2 and 3"), "{text}");
        let text = owner_notice(7, "Fridge", (4, "What <@U9> will it cost?"), "U1");
        assert!(text
            .starts_with(":bust_in_silhouette: <@U1> asked you to own question #4 of session #7"));
        assert!(text.contains("What &lt;@U9&gt; will it cost?"), "{text}");
    }
}
