//! The Triage modal (button *Triage*, `/wb triage`): a session's questions,
//! a page at a time, each with its votes, state, owner and family and an
//! *Edit* button (or *Un-merge* for a merged duplicate). Every change is saved
//! on its own, so paging and filtering never lose an edit. Built within
//! Slack's limits for any number of questions: one block per question,
//! [`PAGE_SIZE`] per page, one select of at most [`Filter::ALL`] options.

pub mod edit;
pub mod posts;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::coverage::coverage_line;
use super::{button, context, limits, section};
use crate::domain::docset::Audience;
use crate::domain::family::Coverage;
use crate::domain::faq::QuestionState;
use crate::domain::triage::{pages, Filter, StateCounts, TriageQuestion, PAGE_SIZE};
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::ids::*;

pub const BLOCK_FILTER: &str = "wb_triage_filter";
pub const BLOCK_PAGER: &str = "wb_triage_pager";
/// Prefix of a question's block id (`wb_tq_<id>`).
pub const BLOCK_QUESTION: &str = "wb_tq_";

/// What the modal carries in `private_metadata`: where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMeta {
    pub session_id: i64,
    #[serde(default)]
    pub filter: String,
    #[serde(default)]
    pub page: i64,
}

impl ListMeta {
    pub fn filter(&self) -> Filter {
        Filter::parse(&self.filter).unwrap_or_default()
    }
}

pub fn read_list_meta(raw: &str) -> Option<ListMeta> {
    serde_json::from_str(raw).ok()
}

/// One page of the modal.
#[derive(Debug, Clone)]
pub struct ListPage<'a> {
    pub session_id: i64,
    pub session_title: &'a str,
    pub filter: Filter,
    /// 0-based, already within the pages.
    pub page: i64,
    pub counts: StateCounts,
    pub coverage: Coverage,
    /// This page's questions (at most [`PAGE_SIZE`]).
    pub questions: &'a [TriageQuestion],
    /// A word after an action ("Un-merged #4"), or why it failed.
    pub notice: Option<String>,
}

/// How a state reads in a list.
pub fn state_badge(state: QuestionState) -> String {
    let emoji = match state {
        QuestionState::Open => ":large_blue_circle:",
        QuestionState::NeedsData => ":hourglass_flowing_sand:",
        QuestionState::Answered => ":white_check_mark:",
        QuestionState::WontAnswer => ":no_entry_sign:",
        QuestionState::Merged => ":twisted_rightwards_arrows:",
    };
    format!("{emoji} {}", state.label())
}

/// A question's text on one line, escaped, at most `max` characters.
pub fn one_line(question: &str, max: usize) -> String {
    let folded = question.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_mrkdwn(&truncate_chars(&folded, max))
}

/// "👍 4 · ⏳ Needs data · owner @li · internal · Economics".
pub fn facts(q: &TriageQuestion) -> String {
    let mut parts = vec![format!("👍 {}", q.votes), state_badge(q.state)];
    if let Some(kept) = q.merged_into {
        parts.push(format!("into *#{kept}* (its votes count there)"));
    }
    parts.push(match &q.owner {
        Some(owner) => format!("owner <@{}>", escape_mrkdwn(owner)),
        None => "_no owner_".to_string(),
    });
    match (q.audience, q.family) {
        (Audience::Internal, Some(f)) => parts.push(format!("internal · {}", f.label())),
        (Audience::Internal, None) => parts.push("internal".into()),
        (Audience::External, _) => parts.push("external".into()),
    }
    parts.join(" · ")
}

fn question_block(q: &TriageQuestion) -> Value {
    let mut block = section(
        Some(&format!("{BLOCK_QUESTION}{}", q.id)),
        &format!("*#{}* {}\n{}", q.id, one_line(&q.question, 600), facts(q)),
    );
    block["accessory"] = match q.state {
        QuestionState::Merged => {
            button(ACTION_TRIAGE_UNMERGE, "Un-merge", &q.id.to_string(), false)
        }
        _ => button(ACTION_TRIAGE_EDIT, "Edit", &q.id.to_string(), false),
    };
    block
}

fn filter_option(filter: Filter, counts: &StateCounts) -> Value {
    json!({
        "text": {"type": "plain_text", "text": truncate_chars(
            &format!("{} ({})", filter.label(), counts.listed(filter)), limits::OPTION_TEXT)},
        "value": filter.as_str(),
    })
}

fn summary(counts: &StateCounts) -> String {
    let mut parts = vec![format!("{} open", counts.open)];
    for (n, what) in [
        (counts.needs_data, "need data"),
        (counts.answered, "answered"),
        (counts.wont_answer, "won't be answered"),
        (counts.merged, "merged duplicates"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if counts.unowned > 0 {
        parts.push(format!("{} without an owner", counts.unowned));
    }
    let plural = if counts.questions() == 1 { "" } else { "s" };
    format!(
        "*{} question{plural}* — {}",
        counts.questions(),
        parts.join(" · ")
    )
}

/// The modal (for `views.open` and `views.update`).
pub fn triage_modal(p: &ListPage<'_>) -> Value {
    let listed = p.counts.listed(p.filter);
    let total_pages = pages(listed);
    let mut blocks = vec![section(
        None,
        &format!(
            "Session #{} *{}*\n{}",
            p.session_id,
            escape_mrkdwn(&truncate_chars(p.session_title, 200)),
            summary(&p.counts)
        ),
    )];
    blocks.push(context(&coverage_line(&p.coverage)));
    if let Some(notice) = &p.notice {
        blocks.push(section(None, notice));
    }
    let options: Vec<Value> = Filter::ALL
        .iter()
        .map(|f| filter_option(*f, &p.counts))
        .collect();
    blocks.push(json!({
        "type": "actions",
        "block_id": BLOCK_FILTER,
        "elements": [{
            "type": "static_select",
            "action_id": ACTION_TRIAGE_FILTER,
            "placeholder": {"type": "plain_text", "text": "Show"},
            "initial_option": filter_option(p.filter, &p.counts),
            "options": options,
        }],
    }));
    let first = p.page * PAGE_SIZE as i64 + 1;
    let last = first - 1 + p.questions.len() as i64;
    blocks.push(context(&if p.questions.is_empty() {
        format!("No questions here ({}).", p.filter.label().to_lowercase())
    } else {
        format!(
            "{first}–{last} of {listed}, most votes first · page {} of {total_pages} · \
             *Edit* sets state, owner and family or merges a duplicate; each change is saved at once.",
            p.page + 1
        )
    }));
    blocks.push(json!({"type": "divider"}));
    blocks.extend(p.questions.iter().take(PAGE_SIZE).map(question_block));
    let mut pager = Vec::new();
    if p.page > 0 {
        pager.push(button(
            ACTION_TRIAGE_PREVIOUS,
            "← Previous page",
            &(p.page - 1).to_string(),
            false,
        ));
    }
    if p.page + 1 < total_pages {
        pager.push(button(
            ACTION_TRIAGE_NEXT,
            "Next page →",
            &(p.page + 1).to_string(),
            false,
        ));
    }
    if !pager.is_empty() {
        blocks.push(json!({"type": "divider"}));
        blocks.push(json!({"type": "actions", "block_id": BLOCK_PAGER, "elements": pager}));
    }
    let meta = ListMeta {
        session_id: p.session_id,
        filter: p.filter.as_str().to_string(),
        page: p.page,
    };
    json!({
        "type": "modal",
        "callback_id": VIEW_TRIAGE,
        // A number, a short word and a page: far below 3000 characters.
        "private_metadata": serde_json::to_string(&meta).unwrap_or_default(),
        "title": {"type": "plain_text", "text": "Triage the FAQ"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::family::Family;
    use crate::views::ask::assert_modal_within_limits;

    pub(crate) fn question(id: i64, text: &str) -> TriageQuestion {
        TriageQuestion {
            id,
            audience: Audience::Internal,
            question: text.into(),
            asked_by: Some("U1".into()),
            votes: 300 - id,
            state: QuestionState::Open,
            owner: Some("U2147483698".into()),
            family: Some(Family::Economics),
            merged_into: None,
        }
    }

    fn counts(open: i64) -> StateCounts {
        StateCounts {
            open,
            unowned: open,
            ..StateCounts::default()
        }
    }

    fn page<'a>(questions: &'a [TriageQuestion], page: i64, total: i64) -> ListPage<'a> {
        ListPage {
            session_id: 7,
            session_title: "Smart fridge camera",
            filter: Filter::Unresolved,
            page,
            counts: counts(total),
            coverage: Coverage::default(),
            questions,
            notice: None,
        }
    }

    fn action_ids(view: &Value) -> Vec<String> {
        let mut ids = Vec::new();
        for b in view["blocks"].as_array().into_iter().flatten() {
            for e in b["elements"].as_array().into_iter().flatten() {
                ids.extend(e["action_id"].as_str().map(str::to_string));
            }
            ids.extend(b["accessory"]["action_id"].as_str().map(str::to_string));
        }
        ids
    }

    #[test]
    fn a_page_of_300_questions_stays_within_slacks_limits() {
        let long = format!("<!channel> {}", "How much will it cost? 🧊 ".repeat(400));
        let all: Vec<TriageQuestion> = (1..=300).map(|i| question(i, &long)).collect();
        for (n, chunk) in all.chunks(PAGE_SIZE).enumerate() {
            let view = triage_modal(&page(chunk, n as i64, 300));
            assert_modal_within_limits(&view);
            let blocks = view["blocks"].as_array().map(Vec::len).unwrap_or_default();
            assert!(blocks <= limits::BLOCKS_PER_MODAL, "{blocks}");
            assert!(view.to_string().len() < 100_000, "a page stays small");
            assert!(!view.to_string().contains("<!channel>"));
            let ids = action_ids(&view);
            assert_eq!(
                ids.iter().filter(|i| *i == ACTION_TRIAGE_EDIT).count(),
                chunk.len()
            );
            assert_eq!(ids.contains(&ACTION_TRIAGE_PREVIOUS.to_string()), n > 0);
            assert_eq!(ids.contains(&ACTION_TRIAGE_NEXT.to_string()), n < 11);
        }
    }

    #[test]
    fn a_row_shows_votes_state_owner_and_family_and_merged_rows_can_be_unmerged() {
        let mut q = question(4, "What will it cost?");
        q.state = QuestionState::NeedsData;
        let view = triage_modal(&page(std::slice::from_ref(&q), 0, 1));
        let text = view.to_string();
        assert!(text.contains("*#4* What will it cost?"), "{text}");
        assert!(text.contains("👍 296 · :hourglass_flowing_sand: Needs data · owner <@U2147483698> · internal · Economics"), "{text}");
        let mut dup = question(5, "How much?");
        dup.state = QuestionState::Merged;
        dup.merged_into = Some(4);
        dup.owner = None;
        let view = triage_modal(&page(std::slice::from_ref(&dup), 0, 1));
        assert_eq!(
            action_ids(&view).last().map(String::as_str),
            Some(ACTION_TRIAGE_UNMERGE)
        );
        assert!(view
            .to_string()
            .contains("into *#4* (its votes count there)"));
        let meta = read_list_meta(view["private_metadata"].as_str().unwrap_or_default());
        assert_eq!(
            meta,
            Some(ListMeta {
                session_id: 7,
                filter: "unresolved".into(),
                page: 0
            })
        );
    }
}
