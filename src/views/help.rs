//! The `/wb help` text.

use crate::views::escape_mrkdwn;

/// Usage of every `/wb` subcommand; `problem` (already worded) comes first.
pub fn usage(problem: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(p) = problem {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(
        "*wb runs Amazon's Working Backwards process in this channel.*\n\
         • `/wb pressrelease <idea>` (or `/wb pr <idea>`) — start a session: I post the idea and its thread is the room\n\
         • `/wb pressrelease` — the same, from a form\n\
         • `/wb faq <question>` — add a question to this channel's latest session (no text opens a form)\n\
         • `/wb export [ID] [md|html|canvas]` — export the doc set into the session's thread\n\
         • `/wb triage [ID]` — set the questions' state, owner and family, merge duplicates\n\
         • `/wb remind [ID] daily HH:MM` — every day (24-hour clock, your time zone), post the open questions in the thread; `off` stops it, `now` posts them now\n\
         • `/wb list` — this channel's sessions, with their status\n\
         • `/wb review [ID]` — schedule the review meeting (when, reading minutes, reviewers); \
         `/wb review end [ID]` ends silent reading, `/wb review cancel [ID]` calls a review off\n\
         • `/wb decide [ID]` — record the outcome: Go, Iterate or No-go (the creator and the reviewers)\n\
         • `/wb help` — this message\n\
         In a session thread: end a question with `?` (or `Q:`), `IQ:` for internal, `PR:` for a draft, \
         `CX:` for a customer story, `Concept:` / `How-to:` / `Reference:` for the user manual.",
    );
    text
}

/// The reply to a word we do not know.
pub fn unknown(word: &str) -> String {
    usage(Some(&format!(
        "I didn't understand `{}`.",
        escape_mrkdwn(&word.replace('`', "'"))
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_lists_every_subcommand_and_unknown_names_the_word() {
        let text = unknown("frobnicate");
        for sub in [
            "pressrelease",
            "faq",
            "export",
            "triage",
            "remind",
            "list",
            "review",
            "decide",
            "help",
        ] {
            assert!(text.contains(&format!("/wb {sub}")), "{sub}");
        }
        assert!(text.starts_with("I didn't understand `frobnicate`."));
        assert!(unknown("<!here>").contains("&lt;!here&gt;"));
    }
}
