//! `/wb list`: this channel's sessions, ephemerally.

use std::sync::Arc;

use crate::slack::command_fields::SlashCommand;

use crate::app::AppState;
use crate::domain::session::SessionSummary;
use crate::domain::truncate_chars;
use crate::flows::session;
use crate::slack::CommandReply;
use crate::views::escape_mrkdwn;

/// Sessions shown at most (the reply stays one screen).
const SHOWN: i64 = 20;

pub async fn handle(app: &Arc<AppState>, ev: &SlashCommand<'_>) -> CommandReply {
    match session::in_channel(app, ev.team_id, ev.channel_id, SHOWN + 1).await {
        Ok(sessions) => CommandReply::ephemeral(render(&sessions)),
        Err(err) => super::storage_failure(&err),
    }
}

/// The list as mrkdwn, most recently active first.
pub fn render(sessions: &[SessionSummary]) -> String {
    if sessions.is_empty() {
        return "No Working Backwards sessions in this channel yet. Start one with `/wb pressrelease <idea>`.".into();
    }
    let mut text =
        String::from("*Working Backwards sessions in this channel* (most recent first)\n");
    for s in sessions.iter().take(SHOWN as usize) {
        let plural = |n: i64, w: &str| {
            if n == 1 {
                format!("1 {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        text.push_str(&format!(
            "• *#{}* {} — _{}_ · {}, {} — started by <@{}> on {}\n",
            s.session.id,
            escape_mrkdwn(&truncate_chars(&s.session.title, 120)),
            s.stage(),
            plural(s.drafts, "draft"),
            plural(s.questions, "question"),
            escape_mrkdwn(&s.session.created_by),
            s.session
                .created_at
                .get(..10)
                .unwrap_or(&s.session.created_at),
        ));
    }
    if sessions.len() > SHOWN as usize {
        text.push_str("…and older ones: `wb sessions` on the server lists them all.\n");
    }
    text.push_str(
        "Export one with `/wb export <#> [md|html|canvas]`; review it with `/wb review <#>`.",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::Session;

    fn summary(id: i64, title: &str) -> SessionSummary {
        SessionSummary {
            session: Session {
                id,
                title: title.into(),
                team_id: "T".into(),
                channel_id: "C".into(),
                thread_ts: "1.1".into(),
                created_by: "U1".into(),
                created_at: "2026-11-21T10:00:00Z".into(),
                status: Default::default(),
                enterprise_id: None,
            },
            drafts: 1,
            questions: 3,
            decision: None,
        }
    }

    #[test]
    fn lists_sessions_with_counts_and_escapes_titles() {
        let text = render(&[summary(2, "<!here> fridge")]);
        assert!(
            text.contains("*#2* &lt;!here&gt; fridge — _Drafting_ · 1 draft, 3 questions"),
            "{text}"
        );
        assert!(text.contains("2026-11-21"));
        assert!(render(&[]).contains("/wb pressrelease"));
        let mut decided = summary(3, "oven");
        decided.session.status = crate::domain::review::Status::Decided;
        decided.decision = Some(crate::domain::review::Outcome::NoGo);
        assert!(render(&[decided]).contains("— _Decided: No-go_ ·"));
    }

    #[test]
    fn a_long_list_is_cut_with_a_pointer() {
        let many: Vec<_> = (1..=21).map(|i| summary(i, "x")).collect();
        let text = render(&many);
        assert_eq!(text.matches("• ").count(), 20);
        assert!(text.contains("wb sessions"));
    }
}
