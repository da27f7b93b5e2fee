//! Escaping, guards and the Markdown of user text, plus an empty session end to end.

use super::escape::{code_span, heading_text, url};
use super::*;
use crate::export::mrkdwn;

#[test]
fn user_text_cannot_open_a_block() {
    let cases = [
        ("# Heading?", "\\# Heading?"),
        ("   # indented", "\\# indented"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("=== setext", "\\=== setext"),
        ("1986. A fine year", "1986\\. A fine year"),
        ("3) three", "3\\) three"),
        ("42 is fine", "42 is fine"),
    ];
    for (input, want) in cases {
        assert_eq!(guard_line(&escape_text(input)), want, "{input}");
    }
}

#[test]
fn syntax_characters_are_escaped() {
    assert_eq!(
        escape_text("<b>*x*</b> [a](b) `c` | ~d~ _e_ \\ &amp; R&D"),
        "\\<b\\>\\*x\\*\\</b\\> \\[a\\](b) \\`c\\` \\| \\~d\\~ \\_e\\_ \\\\ \\&amp; R&D"
    );
}

#[test]
fn headings_escape_every_hash() {
    assert_eq!(heading_text("Is C# good? #"), "Is C\\# good? \\#");
    assert_eq!(heading_text("\\# already"), "\\# already");
    assert_eq!(heading_text(""), "*(untitled)*");
}

#[test]
fn code_survives_backticks() {
    assert_eq!(code_span("a`b"), "``a`b``");
    assert_eq!(code_span("`x`"), "`` `x` ``");
    assert_eq!(url("https://x.io/a (b)"), "https://x.io/a%20%28b%29");
}

#[test]
fn an_empty_session_exports_and_says_what_is_missing() {
    use crate::domain::docset::SCHEMA;
    use crate::domain::session::Session;
    let docset = DocSet {
        schema: SCHEMA,
        session: Session {
            id: 4,
            title: "Smart fridge camera".into(),
            team_id: "T".into(),
            channel_id: "C1".into(),
            thread_ts: "1.1".into(),
            created_by: "U1".into(),
            created_at: "2026-11-21T10:00:00Z".into(),
            status: Default::default(),
            enterprise_id: None,
        },
        press_release: None,
        press_release_history: Vec::new(),
        faq: Vec::new(),
        customer_experience: Vec::new(),
        user_manual: Vec::new(),
        discussion: Vec::new(),
        reviews: Vec::new(),
        decisions: Vec::new(),
        decision: None,
        coverage: Default::default(),
    };
    let md = render(&docset, &ExportContext::default());
    for want in [
        "# Smart fridge camera\n",
        "- **Missing:** press release, FAQ, customer experience, user manual (see below)",
        "*No press release drafted yet.",
        "*No questions yet.",
        "*No customer-experience stories yet.",
        "*No user-manual sections yet.",
        "*No drafts yet.*",
        "link not available",
    ] {
        assert!(md.contains(want), "{want}\n---\n{md}");
    }
    assert!(!md.contains("Bar-raiser report"), "no review, no section");
    assert!(md.ends_with("*No discussion yet.*\n"), "{md}");
}

#[test]
fn slack_formatting_becomes_markdown() {
    let ctx = ExportContext {
        names: [("U1".to_string(), "Ada".to_string())].into(),
        ..ExportContext::default()
    };
    let w = Writer::new(&ctx, Flavor::CommonMark);
    let got = w.inline(&mrkdwn::parse_line(
        "*bold* _it_ ~no~ `code` <@U1> <@U2> <#C1|general> <https://x.io|site> <javascript:alert(1)|bad> &lt;script&gt;",
    ));
    assert_eq!(
        got,
        "**bold** *it* ~~no~~ `code` @Ada @U2 #general [site](https://x.io) bad \\<script\\>"
    );
}
