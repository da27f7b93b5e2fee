//! Escaping, link filtering and list numbering of user text.

use super::*;

#[test]
fn user_text_is_escaped_and_links_are_filtered() {
    let ctx = ExportContext::default();
    let w = Writer {
        out: String::new(),
        ctx: &ctx,
    };
    let got = w.inline(&mrkdwn::parse_line(
        "<script>alert(1)</script> *b* <https://x.io/?a=1&amp;b=\"2\"|x> <javascript:alert(1)|click> <@U9>",
    ));
    assert_eq!(
        got,
        "&lt;script&gt;alert(1)&lt;/script&gt; <strong>b</strong> <a href=\"https://x.io/?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer\">x</a> click <span class=\"mention\">@U9</span>"
    );
}

#[test]
fn lists_keep_their_kind_and_numbering() {
    let ctx = ExportContext::default();
    let mut w = Writer {
        out: String::new(),
        ctx: &ctx,
    };
    w.blocks("• a\n    ◦ b\n3. c\n4. d");
    assert_eq!(
        w.out,
        "<ul>\n<li>a</li>\n<li class=\"level-1\">b</li>\n</ul>\n<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n"
    );
}
