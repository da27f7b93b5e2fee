//! Every format against its golden file, hostile text in HTML and Markdown,
//! and the FAQ's order.

use super::*;

#[tokio::test]
async fn every_format_matches_its_golden_file() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    seed_triage(&app, id).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");
    let ctx = fixture_context(&NAMES);
    // The four documents, in Working Backwards order, in every text format.
    let markdown = wb::export::markdown::render(&docset, &ctx);
    let html = wb::export::html::render(&docset, &ctx);
    for text in [&markdown, &html] {
        let at: Vec<usize> = ["Press release", "FAQ", "Customer experience", "User manual"]
            .iter()
            .map(|h| text.find(h).unwrap_or_else(|| panic!("{h} missing")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "order: {at:?}");
    }
    let json: Value = serde_json::from_str(&wb::export::json::render(&docset)).expect("json");
    assert_eq!(json["schema"], "wb.docset/1");
    assert_eq!(json["session"]["id"], id);

    // A review still in silent reading shows none of its comments, anywhere.
    let json_text = wb::export::json::render(&docset);
    for text in [&markdown, &html, &json_text] {
        assert!(!text.contains("must not be exported"));
    }
    assert_eq!(json["decision"]["outcome"], "iterate");
    assert_eq!(json["decisions"][0]["outcome"], "go");
    assert_eq!(
        json["reviews"].as_array().map(Vec::len),
        Some(2),
        "the replaced review is left out"
    );

    golden("docset.md", &markdown);
    golden(
        "docset.canvas.md",
        &wb::export::markdown::render_canvas(&docset, &ctx),
    );
    golden("docset.html", &html);
    golden("docset.json", &wb::export::json::render(&docset));
}

#[tokio::test]
async fn html_shows_hostile_text_as_text_and_fetches_nothing() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");

    let html = wb::export::html::render(&docset, &fixture_context(&NAMES));

    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Bob &lt;b&gt;Builder&lt;/b&gt; &amp; Co"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let lower = html.to_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "javascript:",
        "<b>",
        "src=\"",
        "<link",
        "@import",
        "url(",
    ] {
        // javascript: only ever appears escaped as text, never in an attribute.
        if forbidden == "javascript:" {
            assert!(!lower.contains("href=\"javascript:"), "{forbidden}");
            continue;
        }
        assert!(!lower.contains(forbidden), "found {forbidden}");
    }
    // Every <a> goes to http(s).
    for (i, _) in lower.match_indices("<a href=\"") {
        let target = &lower[i + 9..];
        assert!(
            target.starts_with("https://"),
            "{}",
            &target[..40.min(target.len())]
        );
    }
    assert!(html.contains("@page"), "print styles");
    assert!(html.contains("Content-Security-Policy"));
}

#[tokio::test]
async fn markdown_user_text_cannot_break_the_document_structure() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");

    let md = wb::export::markdown::render(&docset, &fixture_context(&NAMES));

    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    let ours = [
        "# ",
        "## 1\\. Press release",
        "### FridgeCam",
        "## 2\\. FAQ",
        "### External FAQ",
        "#### Q",
        "### Internal FAQ",
        "#### Customer — ",
        "#### Solution — ",
        "#### Economics — ",
        "#### Risks — ",
        "##### Q",
        "## 3\\. Customer experience",
        "### Story ",
        "## 4\\. User manual",
        "### Concepts",
        "### How-to",
        "### Reference",
        "## Appendix",
        "### Draft history",
        "### Decision history",
        "#### 1. ",
        "#### 2. ",
        "### Review comments",
        "#### Review ",
        "### Bar-raiser report",
        "### Thread discussion",
    ];
    for h in &headings {
        assert!(
            ours.iter().any(|o| h.starts_with(o)),
            "unexpected heading: {h}"
        );
    }
    assert!(md.contains("#### Q2\\. \\# Is this a heading?"), "{md}");
    assert!(
        md.contains("\n\\# Not a heading\\\n\\+ not a list\\\n1986\\. Not a list either\\\nnot code\\\n\\===\n"),
        "{md}"
    );
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    // `[link](javascript:…)` typed by a user stays escaped text, never a link.
    assert!(md.contains("\\[link\\](javascript:alert(1))"));
    assert!(!md.replace("\\]", "").contains("](javascript:"));
    // Code is verbatim inside its fence.
    assert!(
        md.contains("```\nfridge.snap(&shelf); // `ticks` and ``double``\n```"),
        "{md}"
    );
    // Internal questions sit under their family (h4 → h5); the canvas stops at h3.
    let canvas = wb::export::markdown::render_canvas(&docset, &fixture_context(&NAMES));
    assert!(canvas.lines().all(|l| !l.starts_with("####")));
    assert!(canvas.contains("**Q2\\. \\# Is this a heading?**"));
}

#[tokio::test]
async fn the_faq_is_ordered_external_first_then_votes_then_age_and_deleted_rows_are_gone() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");

    let order: Vec<&str> = docset.faq.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(
        order,
        vec![
            "How much does it cost?",
            "# Is this a heading?",
            "<script>alert(1)</script>",
            "Ünïcödé &amp; emoji 🚀 — will it ship in 日本?",
            "What will disappoint customers? <!channel>",
        ]
    );
    let md = wb::export::markdown::render(&docset, &fixture_context(&NAMES));
    assert!(!md.contains("deleted"), "deleted rows leaked");
    assert!(md.contains("Asked anonymously"));
    assert!(md.contains("**Open** — no answer yet"));
    assert!(md.contains("@U0DAN"), "unknown names fall back to the id");
}
