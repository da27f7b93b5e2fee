//! The inline forms, the block structure, mentions and link schemes, read the
//! way Slack reads them.

use super::inline::inlines;
use super::*;

fn t(s: &str) -> Inline {
    Inline::Text(s.into())
}

#[test]
fn inline_forms_are_read_like_slack_reads_them() {
    let cases: Vec<(&str, Vec<Inline>)> = vec![
        ("plain", vec![t("plain")]),
        ("a &amp; b &lt;3 &gt;", vec![t("a & b <3 >")]),
        (
            "*bold* move",
            vec![Inline::Bold(vec![t("bold")]), t(" move")],
        ),
        (
            "_it_ ~gone~",
            vec![
                Inline::Italic(vec![t("it")]),
                t(" "),
                Inline::Strike(vec![t("gone")]),
            ],
        ),
        ("snake_case_name", vec![t("snake_case_name")]),
        ("2*3*4", vec![t("2*3*4")]),
        ("* not bold *", vec![t("* not bold *")]),
        (
            "*_both_*",
            vec![Inline::Bold(vec![Inline::Italic(vec![t("both")])])],
        ),
        ("`*x* &lt;y&gt;`", vec![Inline::Code("*x* <y>".into())]),
        (
            "hi <@U123>",
            vec![
                t("hi "),
                Inline::User {
                    id: "U123".into(),
                    label: None,
                },
            ],
        ),
        (
            "<@W9|bob>",
            vec![Inline::User {
                id: "W9".into(),
                label: Some("bob".into()),
            }],
        ),
        (
            "<#C1|general>",
            vec![Inline::Channel {
                id: "C1".into(),
                label: Some("general".into()),
            }],
        ),
        (
            "<!here> now",
            vec![Inline::Special("@here".into()), t(" now")],
        ),
        ("<!subteam^S1|@eng>", vec![Inline::Special("@eng".into())]),
        ("<!date^1392734382^{date}|Feb 18>", vec![t("Feb 18")]),
        (
            "<https://x.io/a?b=1&amp;c=2|the docs>",
            vec![Inline::Link {
                url: "https://x.io/a?b=1&c=2".into(),
                label: Some("the docs".into()),
            }],
        ),
        (
            "<mailto:a@b.c>",
            vec![Inline::Link {
                url: "mailto:a@b.c".into(),
                label: None,
            }],
        ),
        (
            "<script>alert(1)</script>",
            vec![t("<script>alert(1)</script>")],
        ),
        ("&lt;script&gt;", vec![t("<script>")]),
        (
            "*see <https://a.io/*x*|y>*",
            vec![Inline::Bold(vec![
                t("see "),
                Inline::Link {
                    url: "https://a.io/*x*".into(),
                    label: Some("y".into()),
                },
            ])],
        ),
        (
            "🧊 *glace* ünï",
            vec![t("🧊 "), Inline::Bold(vec![t("glace")]), t(" ünï")],
        ),
        (
            "unclosed `tick and *star",
            vec![t("unclosed `tick and *star")],
        ),
    ];
    for (input, want) in cases {
        assert_eq!(inlines(input), want, "{input}");
    }
}

#[test]
fn blocks_follow_lines_quotes_lists_and_fences() {
    let text = "Intro line\nsecond line\n\n&gt; quoted\n&gt; more\n• one\n• two\n    ◦ nested\n1. first\n```\nlet x = a &amp;&amp; b;\n```\nafter";
    let blocks = parse(text);
    assert_eq!(
        blocks,
        vec![
            Block::Paragraph(vec![vec![t("Intro line")], vec![t("second line")]]),
            Block::Quote(vec![vec![t("quoted")], vec![t("more")]]),
            Block::List(vec![
                Item {
                    level: 0,
                    number: None,
                    content: vec![t("one")]
                },
                Item {
                    level: 0,
                    number: None,
                    content: vec![t("two")]
                },
                Item {
                    level: 1,
                    number: None,
                    content: vec![t("nested")]
                },
                Item {
                    level: 0,
                    number: Some(1),
                    content: vec![t("first")]
                },
            ]),
            Block::Code("let x = a && b;".into()),
            Block::Paragraph(vec![vec![t("after")]]),
        ]
    );
}

#[test]
fn a_triple_quote_quotes_the_rest_and_an_open_fence_stays_text() {
    assert_eq!(
        parse("&gt;&gt;&gt; all\nof this"),
        vec![Block::Quote(vec![vec![t("all")], vec![t("of this")]])]
    );
    assert_eq!(
        parse("```never closed"),
        vec![Block::Paragraph(vec![vec![t("```never closed")]])]
    );
    assert_eq!(parse(""), Vec::<Block>::new());
    assert_eq!(
        parse("# not a heading"),
        vec![Block::Paragraph(vec![vec![t("# not a heading")]])]
    );
}

#[test]
fn mentions_are_found_for_name_resolution() {
    let ids: Vec<&str> = mentioned_users("<@U1> and <@W2|bob>, not <@bad id> or <#C1>").collect();
    assert_eq!(ids, vec!["U1", "W2"]);
}

#[test]
fn only_harmless_schemes_become_links() {
    assert!(is_safe_url("https://x.io"));
    assert!(is_safe_url("mailto:a@b.c"));
    assert!(!is_safe_url("javascript:alert(1)"));
    assert!(!is_safe_url("JaVaScRiPt:alert(1)"));
    assert!(!is_safe_url("data:text/html,hi"));
}
