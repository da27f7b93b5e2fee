//! One self-contained HTML file: inline CSS, no script, no external fetch (a
//! Content-Security-Policy says so to the browser too), print styles for A4
//! and Letter. Everything that came from users is escaped.

mod review;
mod sections;
#[cfg(test)]
mod tests;
mod user_text;

use super::mrkdwn;
use super::ExportContext;
use crate::domain::docset::DocSet;

const STYLE: &str = r#"
@page { size: auto; margin: 18mm 16mm; }
:root { color-scheme: light; }
body { font: 11pt/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d1c1d; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .2rem 0 1rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid #232f3e; padding-bottom: .2rem; margin-top: 2.4rem; }
h3 { font-size: 1.15rem; margin-top: 1.6rem; }
h4, h5 { font-size: 1rem; margin: 1.2rem 0 .2rem; }
h4.family { font-size: 1.05rem; margin-top: 1.4rem; }
.also { color: #616061; font-size: .9rem; }
p { margin: .4rem 0; }
.kicker, .meta { color: #616061; font-size: .9rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.headline { font-size: 1.3rem; }
.subheadline { font-style: italic; font-size: 1.05rem; }
.label { font-weight: 600; margin-top: .9rem; }
blockquote { margin: .5rem 0; padding: .1rem 0 .1rem 1rem; border-left: 3px solid #d0d0d0; color: #333; }
pre { background: #f6f6f6; padding: .6rem .8rem; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .88em; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f6f6f6; padding: 0 .2em; border-radius: 3px; overflow-wrap: anywhere; }
pre code { padding: 0; background: none; }
ul, ol { margin: .3rem 0; padding-left: 1.5rem; }
li.level-1 { margin-left: 1.5rem; } li.level-2 { margin-left: 3rem; } li.level-3, li.level-4 { margin-left: 4.5rem; }
.faq-item { border-top: 1px solid #e8e8e8; padding-top: .3rem; margin-top: 1rem; }
.unanswered { color: #a4262c; font-weight: 600; }
.missing, .empty { color: #7a5b00; font-style: italic; }
.mention { color: #1264a3; }
.message { margin: .8rem 0; }
a { color: #1264a3; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  section.document > h2 { break-before: page; }
  section.document:first-of-type > h2 { break-before: auto; }
  h2, h3, h4, h5 { break-after: avoid; }
  .faq-item, blockquote, pre, li { break-inside: avoid; }
  a { color: inherit; }
}
"#;

/// The doc set as a standalone HTML document.
pub fn render(docset: &DocSet, ctx: &ExportContext) -> String {
    let mut w = Writer {
        out: String::with_capacity(96 * 1024),
        ctx,
    };
    w.document(docset);
    w.out
}

struct Writer<'a> {
    out: String,
    ctx: &'a ExportContext,
}

impl Writer<'_> {
    fn document(&mut self, d: &DocSet) {
        let title = self.inline(&mrkdwn::parse_line(&d.session.title));
        let plain_title = escape(&mrkdwn::plain(
            &mrkdwn::parse_line(&d.session.title),
            self.ctx,
        ));
        self.out
            .push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        self.out
            .push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        self.out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        self.out
            .push_str("<meta name=\"generator\" content=\"wb\">\n");
        self.out.push_str(&format!(
            "<title>{plain_title} — Working Backwards doc set</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        ));
        self.header(d, &title);
        self.press_release(d);
        self.faq(d);
        self.customer_experience(d);
        self.user_manual(d);
        self.appendix(d);
        self.out.push_str("</body>\n</html>\n");
    }
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
