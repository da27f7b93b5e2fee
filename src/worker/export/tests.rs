//! Unit tests of export delivery: the canvas size limit and canvas links.
use super::*;

#[test]
fn a_canvas_too_big_for_slack_loses_the_discussion_then_is_cut() {
    use crate::domain::docset::{Entry, SCHEMA};
    let entry = |id: i64, text: String| Entry {
        id,
        text,
        author: Some("U1".into()),
        created_at: "2026-11-21T10:00:00Z".into(),
        files: Vec::new(),
    };
    let mut docset = DocSet {
        schema: SCHEMA,
        session: Session {
            id: 1,
            title: "Big".into(),
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
        faq: Vec::new(),
        customer_experience: vec![entry(1, "a story".into())],
        user_manual: Vec::new(),
        discussion: (0..2_000).map(|i| entry(i, "chat ".repeat(200))).collect(),
        reviews: Vec::new(),
        decisions: Vec::new(),
        decision: None,
        coverage: Default::default(),
    };
    let ctx = ExportContext::default();
    let lean = canvas_markdown(&docset, &ctx);
    assert!(lean.len() <= CANVAS_MAX_BYTES);
    assert!(lean.contains("a story") && !lean.contains("chat chat"));
    assert!(lean.ends_with("gives the whole doc set.*"));

    docset.customer_experience = (0..3_000).map(|i| entry(i, "story ".repeat(100))).collect();
    let cut = canvas_markdown(&docset, &ctx);
    assert!(cut.len() <= CANVAS_MAX_BYTES, "{}", cut.len());
    assert!(cut.ends_with("gives the whole doc set.*"));

    docset.customer_experience.truncate(1);
    docset.discussion.truncate(1);
    assert_eq!(
        canvas_markdown(&docset, &ctx),
        export::markdown::render_canvas(&docset, &ctx)
    );
}

#[test]
fn canvas_links_use_the_workspace_host() {
    assert_eq!(
        canvas_url(Some("https://acme.slack.com/archives/C1/p1"), "T1", "F9"),
        "https://acme.slack.com/docs/T1/F9"
    );
    assert_eq!(
        canvas_url(Some("http://127.0.0.1:9/x"), "T1", "F9"),
        "https://app.slack.com/docs/T1/F9"
    );
    assert_eq!(
        canvas_url(None, "T1", "F9"),
        "https://app.slack.com/docs/T1/F9"
    );
}
