//! Arbitrary user text in every field of a doc set, through the Markdown,
//! canvas and HTML renderers (and so the mrkdwn converter): never panics, the
//! HTML never carries a script, an event-handler tag or a `javascript:` link,
//! and user text never adds a Markdown heading.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wb::domain::docset::*;
use wb::domain::session::Session;
use wb::export::{html, markdown, ExportContext, ReviewItem};

fn docset(text: &str) -> (DocSet, ExportContext) {
    let t = || Some(text.to_string());
    let at = || "2026-11-21T10:00:00Z".to_string();
    // A file named by the user, linked by the fuzzer: its name and link are user text too.
    let files = || vec![AttachedFile { id: "F1".into(), name: text.to_string(), permalink: t() }];
    let docset = DocSet {
        schema: SCHEMA,
        session: Session {
            id: 1,
            title: text.to_string(),
            team_id: "T1".into(),
            channel_id: "C1".into(),
            thread_ts: "1.1".into(),
            created_by: "U1".into(),
            created_at: at(),
            status: Default::default(),
            enterprise_id: None,
        },
        press_release: Some(PressRelease {
            version: 1,
            author: "U1".into(),
            created_at: at(),
            headline: t(),
            subheadline: t(),
            summary: t(),
            problem: t(),
            solution: t(),
            leader_quote: t(),
            getting_started: t(),
            customer_quote: t(),
            call_to_action: t(),
            body: t(),
            dateline_city: t(),
            launch_date: t(),
            files: files(),
        }),
        press_release_history: vec![DraftMeta { version: 1, author: "U1".into(), created_at: at() }],
        faq: vec![FaqEntry {
            id: 1,
            audience: Audience::External,
            question: text.to_string(),
            asked_by: Some("U2".into()),
            asked_at: at(),
            votes: 1,
            answer: t(),
            answered_by: Some("U3".into()),
            answered_at: Some(at()),
            state: wb::domain::faq::QuestionState::Answered,
            owner: Some("U5".into()),
            family: None,
            merged_into: None,
            files: files(),
        }],
        customer_experience: vec![Entry { id: 2, text: text.to_string(), author: None, created_at: at(), files: files() }],
        user_manual: vec![ManualEntry { id: 3, kind: ManualKind::Howto, text: text.to_string(), author: None, created_at: at(), files: files() }],
        discussion: vec![Entry { id: 4, text: text.to_string(), author: Some("U4".into()), created_at: at(), files: files() }],
        reviews: Vec::new(),
        decisions: Vec::new(),
        decision: None,
        coverage: Default::default(),
    };
    let ctx = ExportContext {
        names: [("U2".to_string(), text.to_string())].into_iter().collect(),
        permalink: None,
        exported_at: at(),
        review: vec![ReviewItem {
            rule: text.to_string(),
            severity: "high".into(),
            quote: text.to_string(),
            suggestion: text.to_string(),
        }],
    };
    (docset, ctx)
}

/// Headings outside fenced code blocks.
fn headings(md: &str) -> usize {
    let mut fenced = false;
    let mut n = 0;
    for line in md.lines() {
        let l = line.trim_start();
        if l.starts_with("```") || l.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            n += 1;
        }
    }
    n
}

fuzz_target!(|text: String| {
    let (docset, ctx) = docset(&text);

    let page = html::render(&docset, &ctx).to_ascii_lowercase();
    assert!(!page.contains("<script"), "script in the HTML");
    assert!(!page.contains("href=\"javascript:"), "javascript: link");
    assert!(!page.contains(" onerror=") && !page.contains(" onload="), "event handler attribute");

    let md = markdown::render(&docset, &ctx);
    let _ = markdown::render_canvas(&docset, &ctx);
    if !text.trim().is_empty() {
        // The same doc set with plain text has the same headings: user text adds none.
        let (plain, plain_ctx) = docset_plain();
        assert_eq!(headings(&md), headings(&markdown::render(&plain, &plain_ctx)), "user text made a heading");
    }
});

fn docset_plain() -> (DocSet, ExportContext) {
    docset("plain words")
}
