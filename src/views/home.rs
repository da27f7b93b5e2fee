//! The Home tab: what wb does and the team's latest sessions, each with its
//! internal FAQ's coverage ([`session_coverage`]).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::coverage::coverage_line;
use super::{context, header, section};
use crate::domain::family::Coverage;
use crate::domain::session::SessionSummary;
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::help;

/// The coverage line under a session in the Home tab (nothing when unknown).
pub fn session_coverage(coverage: &HashMap<i64, Coverage>, session_id: i64) -> String {
    coverage
        .get(&session_id)
        .map(|c| format!("\n{}", coverage_line(c)))
        .unwrap_or_default()
}

pub fn home_view(sessions: &[SessionSummary], coverage: &HashMap<i64, Coverage>) -> Value {
    let mut blocks = vec![
        header("wb_home_title", "wb — Working Backwards in Slack"),
        section(None, &help::usage(None)),
        json!({"type": "divider"}),
    ];
    if sessions.is_empty() {
        blocks.push(section(
            None,
            "No sessions yet. In a channel, `/invite @wb` then `/wb pressrelease <idea>`.",
        ));
    } else {
        blocks.push(section(None, "*Latest sessions*"));
        for s in sessions {
            blocks.push(section(
                None,
                &format!(
                    "*#{}* {} — in <#{}>\n{} draft(s) · {} question(s) · started by <@{}> on {}{}",
                    s.session.id,
                    escape_mrkdwn(&truncate_chars(&s.session.title, 200)),
                    escape_mrkdwn(&s.session.channel_id),
                    s.drafts,
                    s.questions,
                    escape_mrkdwn(&s.session.created_by),
                    s.session
                        .created_at
                        .get(..10)
                        .unwrap_or(&s.session.created_at),
                    session_coverage(coverage, s.session.id),
                ),
            ));
        }
    }
    blocks.push(context(
        "Export any session with `/wb export <#> [md|html|canvas]` in its channel.",
    ));
    json!({"type": "home", "blocks": blocks})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::Session;
    use crate::views::limits;
    use crate::views::test_support::assert_within_limits;

    #[test]
    fn the_home_tab_lists_sessions_within_limits() {
        let s = SessionSummary {
            session: Session {
                id: 4,
                title: "<!here> fridge".repeat(100),
                team_id: "T".into(),
                channel_id: "C1".into(),
                thread_ts: "1.1".into(),
                created_by: "U1".into(),
                created_at: "2026-11-21T10:00:00Z".into(),
            },
            drafts: 2,
            questions: 5,
        };
        let coverage = HashMap::from([(4, Coverage::default())]);
        let view = home_view(&vec![s; 10], &coverage);
        let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
        assert_within_limits(&blocks, limits::BLOCKS_PER_MODAL);
        let text = view.to_string();
        assert!(text.contains("*#4*") && text.contains("<#C1>") && !text.contains("<!here>"));
        assert!(text.contains("no Customer, Solution, Economics or Risks questions yet"));
        assert!(home_view(&[], &HashMap::new())
            .to_string()
            .contains("No sessions yet"));
    }
}
