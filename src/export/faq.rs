//! How the FAQ is laid out in Markdown and HTML: the external FAQ, then the
//! internal FAQ grouped by Carr's four families; merged duplicates leave the
//! body and are named under their kept question ("also asked as …"); an
//! unanswered question says where it stands and who owns it.

use std::collections::HashMap;

use super::ExportContext;
use crate::domain::docset::{Audience, DocSet, FaqEntry};
use crate::domain::family::Family;
use crate::domain::faq::QuestionState;

/// The FAQ's body, in order.
#[derive(Debug)]
pub struct FaqLayout<'a> {
    pub external: Vec<&'a FaqEntry>,
    /// Every family in Carr's order, with its questions (maybe none).
    pub internal: Vec<(Family, Vec<&'a FaqEntry>)>,
    duplicates: HashMap<i64, Vec<&'a FaqEntry>>,
}

impl<'a> FaqLayout<'a> {
    /// The duplicates merged into question `id`, oldest first.
    pub fn duplicates_of(&self, id: i64) -> &[&'a FaqEntry] {
        self.duplicates
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// Lays out the doc set's FAQ (its order within each part is the doc set's:
/// most votes first).
pub fn layout(d: &DocSet) -> FaqLayout<'_> {
    let mut duplicates: HashMap<i64, Vec<&FaqEntry>> = HashMap::new();
    let mut external = Vec::new();
    let mut internal: Vec<(Family, Vec<&FaqEntry>)> =
        Family::ALL.iter().map(|f| (*f, Vec::new())).collect();
    for q in &d.faq {
        if let (QuestionState::Merged, Some(kept)) = (q.state, q.merged_into) {
            duplicates.entry(kept).or_default().push(q);
            continue;
        }
        match q.audience {
            Audience::External => external.push(q),
            Audience::Internal => {
                let family = q.family.unwrap_or(Family::Solution);
                if let Some((_, list)) = internal.iter_mut().find(|(f, _)| *f == family) {
                    list.push(q);
                }
            }
        }
    }
    for list in duplicates.values_mut() {
        list.sort_by(|a, b| a.asked_at.cmp(&b.asked_at).then(a.id.cmp(&b.id)));
    }
    FaqLayout {
        external,
        internal,
        duplicates,
    }
}

/// Where a question without a final answer stands, in plain words: "Open —
/// no answer yet · owner: @li", "Needs data · owner: …", "Won't answer";
/// `None` for an answered question.
pub fn standing(q: &FaqEntry, ctx: &ExportContext) -> Option<String> {
    let mut text = match q.state {
        QuestionState::Answered | QuestionState::Merged => return None,
        QuestionState::Open if q.answer.is_some() => {
            "Re-opened — the answer below is being revisited".to_string()
        }
        QuestionState::Open => "Open — no answer yet".to_string(),
        QuestionState::NeedsData => "Needs data — someone has to find out first".to_string(),
        QuestionState::WontAnswer => "Won't answer".to_string(),
    };
    if q.state != QuestionState::WontAnswer {
        match &q.owner {
            Some(owner) => text.push_str(&format!(" · owner: {}", ctx.person(owner))),
            None => text.push_str(" · no owner yet"),
        }
    }
    Some(text)
}

/// Who asked a duplicate, for "also asked as “…” (by …)".
pub fn asker(q: &FaqEntry, ctx: &ExportContext) -> String {
    match &q.asked_by {
        Some(id) => ctx.person(id),
        None => "anonymously".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::docset::SCHEMA;
    use crate::domain::family::Coverage;
    use crate::domain::session::Session;

    fn entry(id: i64, audience: Audience, family: Option<Family>) -> FaqEntry {
        FaqEntry {
            id,
            audience,
            question: format!("Q{id}?"),
            asked_by: Some("U1".into()),
            asked_at: format!("2026-11-21T10:00:{:02}Z", id),
            votes: 0,
            answer: None,
            answered_by: None,
            answered_at: None,
            state: QuestionState::Open,
            owner: None,
            family,
            merged_into: None,
            files: Vec::new(),
        }
    }

    #[test]
    fn duplicates_leave_the_body_and_internal_questions_go_by_family() {
        let mut dup = entry(3, Audience::External, None);
        dup.state = QuestionState::Merged;
        dup.merged_into = Some(1);
        let docset = DocSet {
            schema: SCHEMA,
            session: Session {
                id: 1,
                title: "x".into(),
                team_id: "T".into(),
                channel_id: "C".into(),
                thread_ts: "1.1".into(),
                created_by: "U1".into(),
                created_at: "2026-11-21T10:00:00Z".into(),
                status: Default::default(),
                enterprise_id: None,
            },
            press_release: None,
            press_release_history: Vec::new(),
            faq: vec![
                entry(1, Audience::External, None),
                dup,
                entry(4, Audience::Internal, Some(Family::Risks)),
                entry(5, Audience::Internal, Some(Family::Customer)),
            ],
            customer_experience: Vec::new(),
            user_manual: Vec::new(),
            discussion: Vec::new(),
            reviews: Vec::new(),
            decisions: Vec::new(),
            decision: None,
            coverage: Coverage::default(),
        };
        let l = layout(&docset);
        assert_eq!(l.external.iter().map(|q| q.id).collect::<Vec<_>>(), [1]);
        assert_eq!(
            l.duplicates_of(1).iter().map(|q| q.id).collect::<Vec<_>>(),
            [3]
        );
        let families: Vec<(Family, Vec<i64>)> = l
            .internal
            .iter()
            .map(|(f, qs)| (*f, qs.iter().map(|q| q.id).collect()))
            .collect();
        assert_eq!(
            families,
            [
                (Family::Customer, vec![5]),
                (Family::Solution, vec![]),
                (Family::Economics, vec![]),
                (Family::Risks, vec![4]),
            ]
        );
        let ctx = ExportContext {
            names: [("U9".to_string(), "Li".to_string())].into(),
            ..ExportContext::default()
        };
        let mut q = entry(6, Audience::External, None);
        assert_eq!(
            standing(&q, &ctx).as_deref(),
            Some("Open — no answer yet · no owner yet")
        );
        q.state = QuestionState::NeedsData;
        q.owner = Some("U9".into());
        assert_eq!(
            standing(&q, &ctx).as_deref(),
            Some("Needs data — someone has to find out first · owner: Li")
        );
        q.state = QuestionState::Answered;
        assert_eq!(standing(&q, &ctx), None);
    }
}
