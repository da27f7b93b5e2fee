//! The Home tab as a portfolio: the reviews the viewer is asked to read at
//! the top, then every session of the workspace by stage — in review,
//! drafting, decided (Go / No-go) — with its channel, latest version, open
//! questions, next review, a link to its thread and its internal FAQ's
//! coverage. Within Slack's 100 blocks: the most recently active first, then
//! "and N more".

use serde_json::{json, Value};

use super::coverage::coverage_line;
use super::meeting::decide::emoji;
use super::meeting::slack_time_of;
use super::{context, header, limits, section};
use crate::domain::portfolio::{Portfolio, PortfolioEntry};
use crate::domain::review::{Outcome, Status};
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;

/// Reviews listed under "Your reviews" at most.
const YOURS_SHOWN: usize = 5;
/// The stages, in the order the tab shows them.
const STAGES: [(Status, &str); 3] = [
    (Status::InReview, "In review"),
    (Status::Drafting, "Drafting"),
    (Status::Decided, "Decided"),
];

fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `#12 Title`, linked to the thread when its permalink is known.
fn title_link(e: &PortfolioEntry) -> String {
    let title = escape_mrkdwn(&truncate_chars(
        &e.session.title.replace(['\n', '\r'], " "),
        120,
    ));
    let text = format!("#{} {title}", e.session.id);
    match e.permalink.as_deref().filter(|l| safe_link(l)) {
        Some(link) => format!("*<{link}|{text}>*"),
        None => format!("*{text}*"),
    }
}

/// A link Slack may render as is: https, nothing that ends the `<…|…>` token.
fn safe_link(link: &str) -> bool {
    link.starts_with("https://")
        && link.len() <= 3000
        && !link.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '|'))
}

fn review_words(e: &PortfolioEntry) -> Option<String> {
    let r = e.review.as_ref()?;
    Some(match &r.ends_at {
        Some(ends) => format!("silent reading until {}", slack_time_of(ends)),
        None => format!("review {}", slack_time_of(&r.scheduled_at)),
    })
}

/// One session's lines: what it is, where it stands, its internal FAQ.
fn entry(e: &PortfolioEntry) -> Value {
    let mut facts = vec![match e.latest_version {
        Some(v) => format!("v{v}"),
        None => "no draft yet".to_string(),
    }];
    facts.push(plural(e.open_questions, "open question"));
    if let Some(review) = review_words(e) {
        facts.push(review);
    }
    let outcome = match (e.status(), e.decision) {
        (Status::Decided, Some(o)) => format!(" · {} *{}*", emoji(o), o.label()),
        (_, Some(Outcome::Iterate)) => {
            format!(" · {} last decided: Iterate", emoji(Outcome::Iterate))
        }
        _ => String::new(),
    };
    section(
        None,
        &format!(
            "{}{outcome} · <#{}>\n{}\n{}",
            title_link(e),
            escape_mrkdwn(&e.session.channel_id),
            facts.join(" · "),
            coverage_line(&e.coverage)
        ),
    )
}

/// A "your reviews" line.
fn your_review(e: &PortfolioEntry) -> Value {
    let what = match e.review.as_ref().and_then(|r| r.ends_at.as_deref()) {
        Some(ends) => format!(
            ":eyes: silent reading *open* until {}: read it and *Comment* in the thread",
            slack_time_of(ends)
        ),
        None => format!(
            ":calendar: reading starts {}",
            e.review
                .as_ref()
                .map(|r| slack_time_of(&r.scheduled_at))
                .unwrap_or_default()
        ),
    };
    section(
        None,
        &format!(
            "{} · <#{}>\n{what}",
            title_link(e),
            escape_mrkdwn(&e.session.channel_id)
        ),
    )
}

fn more(n: usize) -> Value {
    context(&format!(
        "…and {n} more — `wb sessions` on the server lists them all."
    ))
}

/// The Home tab for one viewer.
pub fn home_view(p: &Portfolio) -> Value {
    let c = &p.counts;
    let mut blocks = vec![
        header("wb_home_title", "wb — Working Backwards in Slack"),
        context(&format!(
            "Every idea of this workspace by stage: {} · {} drafting · {} in review · {} decided ({} Go, {} No-go). \
             Start one with `/wb pressrelease <idea>` in a channel; `/wb help` lists the commands.",
            plural(c.total(), "session"),
            c.drafting,
            c.in_review,
            c.decided,
            c.go,
            c.no_go
        )),
    ];
    if !p.yours.is_empty() {
        blocks.push(section(None, "*Your reviews*"));
        for e in p.yours.iter().take(YOURS_SHOWN) {
            blocks.push(your_review(e));
        }
        if p.yours.len() > YOURS_SHOWN {
            blocks.push(more(p.yours.len() - YOURS_SHOWN));
        }
    }
    if p.recent.is_empty() {
        blocks.push(json!({"type": "divider"}));
        blocks.push(section(
            None,
            "No sessions yet. In a channel, `/invite @wb` then `/wb pressrelease <idea>`.",
        ));
        return json!({"type": "home", "blocks": blocks});
    }
    let stages: Vec<(Status, &str)> = STAGES
        .into_iter()
        .filter(|(s, _)| c.of(*s) > 0 || p.recent.iter().any(|e| e.status() == *s))
        .collect();
    // Per stage: a divider, its heading and a possible "and N more".
    let fixed = blocks.len() + stages.len() * 3;
    let room = limits::BLOCKS_PER_MODAL.saturating_sub(fixed);
    let shown: Vec<&PortfolioEntry> = p.recent.iter().take(room).collect();
    for (status, label) in stages {
        let total = c.of(status).max(0) as usize;
        let here: Vec<&&PortfolioEntry> = shown.iter().filter(|e| e.status() == status).collect();
        let heading = match status {
            Status::Decided => format!("*{label}* ({total}: {} Go, {} No-go)", c.go, c.no_go),
            _ => format!("*{label}* ({total})"),
        };
        blocks.push(json!({"type": "divider"}));
        blocks.push(section(None, &heading));
        for e in &here {
            blocks.push(entry(e));
        }
        let total = total.max(here.len());
        if total > here.len() {
            blocks.push(more(total - here.len()));
        }
    }
    json!({"type": "home", "blocks": blocks})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::portfolio::{OpenReview, StageCounts};
    use crate::domain::session::Session;
    use crate::views::test_support::assert_within_limits;

    fn entry_of(id: i64, status: Status, decision: Option<Outcome>) -> PortfolioEntry {
        PortfolioEntry {
            session: Session {
                id,
                title: format!("<!here> idea {id}"),
                team_id: "T".into(),
                channel_id: "C1".into(),
                thread_ts: "1.1".into(),
                created_by: "U1".into(),
                created_at: "2026-11-21T10:00:00Z".into(),
                status,
                enterprise_id: None,
            },
            last_activity_at: "2026-11-21T10:00:00Z".into(),
            latest_version: Some(4),
            open_questions: 3,
            permalink: Some(format!("https://acme.slack.com/archives/C1/p{id}")),
            decision,
            review: None,
            coverage: Default::default(),
        }
    }

    fn portfolio(n: i64) -> Portfolio {
        let recent: Vec<PortfolioEntry> = (1..=n)
            .map(|i| match i % 3 {
                0 => entry_of(
                    i,
                    Status::Decided,
                    Some(if i % 2 == 0 {
                        Outcome::Go
                    } else {
                        Outcome::NoGo
                    }),
                ),
                1 => entry_of(i, Status::Drafting, None),
                _ => {
                    let mut e = entry_of(i, Status::InReview, None);
                    e.review = Some(OpenReview {
                        id: i,
                        scheduled_at: "2026-12-01T10:00:00Z".into(),
                        ends_at: None,
                        you_review: true,
                    });
                    e
                }
            })
            .collect();
        let count = |s: Status| recent.iter().filter(|e| e.status() == s).count() as i64;
        let counts = StageCounts {
            drafting: count(Status::Drafting),
            in_review: count(Status::InReview),
            decided: count(Status::Decided),
            go: recent
                .iter()
                .filter(|e| e.decision == Some(Outcome::Go))
                .count() as i64,
            no_go: recent
                .iter()
                .filter(|e| e.decision == Some(Outcome::NoGo))
                .count() as i64,
        };
        let yours = recent
            .iter()
            .filter(|e| e.is_your_review())
            .cloned()
            .collect();
        Portfolio {
            recent,
            yours,
            counts,
        }
    }

    #[test]
    fn the_portfolio_groups_sessions_by_stage_with_links_and_stays_within_limits() {
        let view = home_view(&portfolio(9));
        let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
        assert_within_limits(&blocks, limits::BLOCKS_PER_MODAL);
        let text = view.to_string();
        assert!(!text.contains("<!here>"));
        let at = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("{s} missing: {text}"))
        };
        assert!(at("*Your reviews*") < at("*In review* (3)"));
        assert!(at("*In review* (3)") < at("*Drafting* (3)"));
        assert!(at("*Drafting* (3)") < at("*Decided* (3: 1 Go, 2 No-go)"));
        assert!(text.contains("<https://acme.slack.com/archives/C1/p3|#3 &lt;!here&gt; idea 3>"));
        assert!(text.contains(":white_check_mark: *Go*") && text.contains(":no_entry: *No-go*"));
        assert!(text.contains("v4 · 3 open questions"));
        assert!(text.contains("no Customer, Solution, Economics or Risks questions yet"));
    }

    #[test]
    fn each_session_shows_its_internal_faqs_coverage() {
        use crate::domain::family::Family;
        let mut p = portfolio(1);
        for f in [Family::Customer, Family::Solution, Family::Risks] {
            p.recent[0].coverage.add(f, 1);
        }
        let view = home_view(&p);
        let texts: Vec<&str> = view["blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| b["text"]["text"].as_str())
            .collect();
        assert!(
            texts.iter().any(|t| t.ends_with(
                "v4 · 3 open questions\n:bar_chart: *Internal FAQ:* no Economics questions yet \
                 (customer 1 · solution 1 · economics 0 · risks 1)"
            )),
            "{texts:?}"
        );
    }

    #[test]
    fn a_large_portfolio_is_cut_with_and_n_more() {
        let view = home_view(&portfolio(150));
        let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
        assert_within_limits(&blocks, limits::BLOCKS_PER_MODAL);
        assert!(blocks.len() <= 100);
        let text = view.to_string();
        assert!(text.contains("more — `wb sessions`"), "{text}");
        assert!(text.contains("150 sessions"));
        assert!(home_view(&Portfolio::default())
            .to_string()
            .contains("No sessions yet"));
    }
}
