//! One self-contained HTML file: inline CSS, no script, no external fetch (a
//! Content-Security-Policy says so to the browser too), print styles for A4
//! and Letter. Everything that came from users is escaped.

use super::mrkdwn::{self, Block, Inline, Item};
use super::{faq, ExportContext, Section};
use crate::domain::docset::{DocSet, Entry, FaqEntry};

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
        let plain_title = escape(&plain(&mrkdwn::parse_line(&d.session.title), self.ctx));
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

    fn header(&mut self, d: &DocSet, title: &str) {
        let s = &d.session;
        self.out.push_str(&format!(
            "<header>\n<p class=\"kicker\">Working Backwards doc set · session {}</p>\n<h1>{}</h1>\n<dl class=\"facts\">\n",
            s.id, title
        ));
        let thread = match &self.ctx.permalink {
            Some(link) if mrkdwn::is_safe_url(link) => {
                format!("<a href=\"{}\">Open the thread in Slack</a>", escape(link))
            }
            _ => "link not available (export from Slack to add it)".into(),
        };
        let mut facts: Vec<(&str, String)> = super::header_facts(d, self.ctx)
            .into_iter()
            .map(|(label, value)| (label, escape(&value)))
            .collect();
        facts.push(("Thread", thread));
        let missing = super::missing_documents(d);
        if !missing.is_empty() {
            facts.push((
                "Missing",
                format!(
                    "<span class=\"missing\">{} (see below)</span>",
                    escape(&missing.join(", "))
                ),
            ));
        }
        for (label, value) in facts {
            self.out
                .push_str(&format!("<dt>{label}</dt><dd>{value}</dd>\n"));
        }
        self.out.push_str("</dl>\n</header>\n");
    }

    fn open_document(&mut self, id: &str, title: &str) {
        self.out.push_str(&format!(
            "<section class=\"document\" id=\"{id}\">\n<h2>{title}</h2>\n"
        ));
    }

    fn close_document(&mut self) {
        self.out.push_str("</section>\n");
    }

    fn empty(&mut self, text: &str) {
        self.out
            .push_str(&format!("<p class=\"empty\">{text}</p>\n"));
    }

    fn press_release(&mut self, d: &DocSet) {
        self.open_document("press-release", "1. Press release");
        let Some(pr) = &d.press_release else {
            self.empty("No press release drafted yet. Click <strong>Draft press release</strong> on the session's message in Slack, or reply <code>PR: …</code> in its thread.");
            self.close_document();
            return;
        };
        self.out.push_str(&format!(
            "<p class=\"meta\">Version {} · {} · {}</p>\n",
            pr.version,
            escape(&self.ctx.person(&pr.author)),
            escape(&super::human_time(&pr.created_at))
        ));
        let sections = super::press_release_sections(pr);
        let text_of = |key: &str| sections.iter().find(|s| s.key == key).and_then(|s| s.text);
        match text_of("headline") {
            Some(h) => {
                let h = self.inline(&mrkdwn::parse_line(h));
                self.out
                    .push_str(&format!("<h3 class=\"headline\">{h}</h3>\n"));
            }
            None => self
                .out
                .push_str("<h3 class=\"headline missing\">(no headline yet)</h3>\n"),
        }
        if let Some(sub) = text_of("subheadline") {
            let sub = self.inline(&mrkdwn::parse_line(sub));
            self.out
                .push_str(&format!("<p class=\"subheadline\">{sub}</p>\n"));
        }
        if let Some(dateline) = super::dateline(pr) {
            self.out.push_str(&format!(
                "<p class=\"dateline\"><strong>{}</strong></p>\n",
                escape(&dateline)
            ));
        }
        for section in sections
            .iter()
            .filter(|s| !matches!(s.key, "headline" | "subheadline"))
        {
            self.section(section);
        }
        let missing = super::missing_sections(pr);
        if !missing.is_empty() {
            self.out.push_str(&format!(
                "<p class=\"missing\">Missing sections: {}.</p>\n",
                escape(&missing.join(", ").to_lowercase())
            ));
        }
        self.close_document();
    }

    fn section(&mut self, s: &Section<'_>) {
        let Some(text) = s.text else { return };
        self.out.push_str(&format!(
            "<div class=\"pr-section\" id=\"pr-{}\">\n<p class=\"label\">{}</p>\n",
            s.key.replace('_', "-"),
            s.label
        ));
        if s.quote {
            self.out.push_str("<blockquote>\n");
            self.blocks(text);
            self.out.push_str("</blockquote>\n");
        } else {
            self.blocks(text);
        }
        self.out.push_str("</div>\n");
    }

    fn faq(&mut self, d: &DocSet) {
        self.open_document("faq", "2. FAQ");
        if d.faq.is_empty() {
            self.empty("No questions yet. Reply in the thread with a question ending in <code>?</code> (or <code>IQ: …</code> for an internal one), or click <strong>Ask a question</strong>.");
            self.close_document();
            return;
        }
        let layout = faq::layout(d);
        let mut number = 0;
        self.out
            .push_str("<h3 id=\"faq-external\">External FAQ (customers)</h3>\n");
        if layout.external.is_empty() {
            self.empty("No external questions yet.");
        }
        for q in &layout.external {
            number += 1;
            self.question(number, q, "h4", layout.duplicates_of(q.id));
        }
        self.out
            .push_str("<h3 id=\"faq-internal\">Internal FAQ (stakeholders)</h3>\n");
        for (family, questions) in &layout.internal {
            self.out.push_str(&format!(
                "<h4 class=\"family\" id=\"faq-{}\">{} <span class=\"meta\">— {}</span></h4>\n",
                family.as_str(),
                family.label(),
                escape(family.covers())
            ));
            if questions.is_empty() {
                self.empty(&format!("No {} questions yet.", family.label()));
            }
            for q in questions {
                number += 1;
                self.question(number, q, "h5", layout.duplicates_of(q.id));
            }
        }
        self.close_document();
    }

    fn question(&mut self, number: usize, q: &FaqEntry, tag: &str, duplicates: &[&FaqEntry]) {
        let text = self.inline(&mrkdwn::parse_line(&q.question));
        let asker = match &q.asked_by {
            Some(id) => format!("Asked by {}", self.ctx.person(id)),
            None => "Asked anonymously".to_string(),
        };
        self.out.push_str(&format!(
            "<article class=\"faq-item\" id=\"q{}\">\n<{tag}>Q{number}. {text}</{tag}>\n<p class=\"meta\">{} · {} · {}</p>\n",
            q.id,
            escape(&asker),
            super::plural(q.votes.max(0) as usize, "vote"),
            escape(&super::human_time(&q.asked_at))
        ));
        if !duplicates.is_empty() {
            let also: Vec<String> = duplicates
                .iter()
                .map(|dup| {
                    format!(
                        "“{}” ({})",
                        self.inline(&mrkdwn::parse_line(&dup.question)),
                        escape(&faq::asker(dup, self.ctx))
                    )
                })
                .collect();
            self.out.push_str(&format!(
                "<p class=\"also\">Also asked as: {}</p>\n",
                also.join(" · ")
            ));
        }
        if let Some(standing) = faq::standing(q, self.ctx) {
            self.out.push_str(&format!(
                "<p class=\"unanswered state-{}\">{}</p>\n",
                q.state.as_str().replace('_', "-"),
                escape(&standing)
            ));
        }
        if let Some(answer) = &q.answer {
            let mut by = String::new();
            if let Some(id) = &q.answered_by {
                by.push_str(&format!(" — {}", escape(&self.ctx.person(id))));
            }
            if let Some(at) = &q.answered_at {
                by.push_str(&format!(" · {}", escape(&super::human_time(at))));
            }
            self.out
                .push_str(&format!("<p class=\"label\">Answer{by}</p>\n"));
            self.blocks(answer);
        }
        self.out.push_str("</article>\n");
    }

    fn customer_experience(&mut self, d: &DocSet) {
        self.open_document("customer-experience", "3. Customer experience");
        if d.customer_experience.is_empty() {
            self.empty("No customer-experience stories yet. Reply <code>CX: …</code> (or <code>Story: …</code>) in the thread.");
        }
        for (i, story) in d.customer_experience.iter().enumerate() {
            self.out.push_str(&format!("<h3>Story {}</h3>\n", i + 1));
            self.byline(story.author.as_deref(), &story.created_at);
            self.blocks(&story.text);
        }
        self.close_document();
    }

    fn user_manual(&mut self, d: &DocSet) {
        self.open_document("user-manual", "4. User manual");
        if d.user_manual.is_empty() {
            self.empty("No user-manual sections yet. Reply <code>Concept: …</code>, <code>How-to: …</code> or <code>Reference: …</code> in the thread.");
            self.close_document();
            return;
        }
        for (kind, title, prefix) in super::MANUAL_GROUPS {
            self.out.push_str(&format!("<h3>{title}</h3>\n"));
            let entries: Vec<_> = d.user_manual.iter().filter(|m| m.kind == kind).collect();
            if entries.is_empty() {
                self.empty(&format!(
                    "None yet: reply <code>{} …</code> in the thread.",
                    escape(prefix)
                ));
            }
            for m in entries {
                self.out.push_str("<div class=\"manual-entry\">\n");
                self.blocks(&m.text);
                self.byline(m.author.as_deref(), &m.created_at);
                self.out.push_str("</div>\n");
            }
        }
        self.close_document();
    }

    fn appendix(&mut self, d: &DocSet) {
        self.open_document("appendix", "Appendix");
        self.out.push_str("<h3>Draft history</h3>\n");
        if d.press_release_history.is_empty() {
            self.empty("No drafts yet.");
        } else {
            self.out.push_str("<ul class=\"history\">\n");
            for v in &d.press_release_history {
                self.out.push_str(&format!(
                    "<li>Version {} · {} · {}</li>\n",
                    v.version,
                    escape(&self.ctx.person(&v.author)),
                    escape(&super::human_time(&v.created_at))
                ));
            }
            self.out.push_str("</ul>\n");
        }
        if !self.ctx.review.is_empty() {
            let version = d
                .press_release
                .as_ref()
                .map(|p| format!(" (version {})", p.version))
                .unwrap_or_default();
            self.out.push_str(&format!(
                "<h3>Bar-raiser report{version}</h3>\n<ul class=\"review\">\n"
            ));
            for item in &self.ctx.review {
                let quote = if item.quote.trim().is_empty() {
                    String::new()
                } else {
                    format!(" “{}”", escape(&item.quote))
                };
                self.out.push_str(&format!(
                    "<li><strong>{}</strong> ({}){} — {}</li>\n",
                    escape(&item.rule),
                    escape(&item.severity),
                    quote,
                    escape(&item.suggestion)
                ));
            }
            self.out.push_str("</ul>\n");
        }
        self.out.push_str("<h3>Thread discussion</h3>\n");
        if d.discussion.is_empty() {
            self.empty("No discussion yet.");
        }
        for m in &d.discussion {
            self.message(m);
        }
        self.close_document();
    }

    fn message(&mut self, m: &Entry) {
        let who = m
            .author
            .as_deref()
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "someone".into());
        self.out.push_str(&format!(
            "<div class=\"message\">\n<p class=\"meta\"><strong>{}</strong> · {}</p>\n<blockquote>\n",
            escape(&who),
            escape(&super::human_time(&m.created_at))
        ));
        self.blocks(&m.text);
        self.out.push_str("</blockquote>\n</div>\n");
    }

    fn byline(&mut self, author: Option<&str>, at: &str) {
        let who = author
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "anonymous".into());
        self.out.push_str(&format!(
            "<p class=\"meta\">{} · {}</p>\n",
            escape(&who),
            escape(&super::human_time(at))
        ));
    }

    /// User text (Slack mrkdwn) as HTML blocks.
    fn blocks(&mut self, text: &str) {
        for block in mrkdwn::parse(text) {
            match &block {
                Block::Paragraph(lines) => {
                    let body = self.lines(lines);
                    self.out.push_str(&format!("<p>{body}</p>\n"));
                }
                Block::Quote(lines) => {
                    let body = self.lines(lines);
                    self.out
                        .push_str(&format!("<blockquote><p>{body}</p></blockquote>\n"));
                }
                Block::List(items) => self.list(items),
                Block::Code(code) => self
                    .out
                    .push_str(&format!("<pre><code>{}</code></pre>\n", escape(code))),
            }
        }
    }

    fn lines(&self, lines: &[Vec<Inline>]) -> String {
        lines
            .iter()
            .map(|l| self.inline(l))
            .collect::<Vec<_>>()
            .join("<br>\n")
    }

    fn list(&mut self, items: &[Item]) {
        // Consecutive items of one kind (bulleted or numbered) form one list.
        let mut start = 0;
        while start < items.len() {
            let ordered = items[start].number.is_some();
            let end = items[start..]
                .iter()
                .position(|i| i.number.is_some() != ordered)
                .map_or(items.len(), |p| start + p);
            match items[start].number {
                Some(n) if n != 1 => self.out.push_str(&format!("<ol start=\"{n}\">\n")),
                Some(_) => self.out.push_str("<ol>\n"),
                None => self.out.push_str("<ul>\n"),
            }
            for item in &items[start..end] {
                let class = if item.level > 0 {
                    format!(" class=\"level-{}\"", item.level.min(4))
                } else {
                    String::new()
                };
                let content = self.inline(&item.content);
                self.out.push_str(&format!("<li{class}>{content}</li>\n"));
            }
            self.out
                .push_str(if ordered { "</ol>\n" } else { "</ul>\n" });
            start = end;
        }
    }

    /// Inline content as HTML (escaped, names resolved).
    fn inline(&self, line: &[Inline]) -> String {
        let mut s = String::new();
        for part in line {
            match part {
                Inline::Text(t) => s.push_str(&escape(t)),
                Inline::Bold(inner) => {
                    s.push_str(&format!("<strong>{}</strong>", self.inline(inner)))
                }
                Inline::Italic(inner) => s.push_str(&format!("<em>{}</em>", self.inline(inner))),
                Inline::Strike(inner) => s.push_str(&format!("<del>{}</del>", self.inline(inner))),
                Inline::Code(code) => s.push_str(&format!("<code>{}</code>", escape(code))),
                Inline::User { id, label } => s.push_str(&format!(
                    "<span class=\"mention\">{}</span>",
                    escape(&self.ctx.mention(id, label.as_deref()))
                )),
                Inline::Channel { id, label } => s.push_str(&format!(
                    "<span class=\"mention\">#{}</span>",
                    escape(label.as_deref().unwrap_or(id))
                )),
                Inline::Special(text) => {
                    s.push_str(&format!("<span class=\"mention\">{}</span>", escape(text)))
                }
                Inline::Link { url, label } => {
                    let shown = escape(label.as_deref().unwrap_or(url));
                    if mrkdwn::is_safe_url(url) {
                        s.push_str(&format!(
                            "<a href=\"{}\" rel=\"noopener noreferrer\">{shown}</a>",
                            escape(url.trim())
                        ));
                    } else {
                        s.push_str(&shown);
                    }
                }
            }
        }
        s
    }
}

/// Inline content as plain text (for `<title>`).
fn plain(line: &[Inline], ctx: &ExportContext) -> String {
    let mut s = String::new();
    for part in line {
        match part {
            Inline::Text(t) | Inline::Code(t) | Inline::Special(t) => s.push_str(t),
            Inline::Bold(inner) | Inline::Italic(inner) | Inline::Strike(inner) => {
                s.push_str(&plain(inner, ctx))
            }
            Inline::User { id, label } => s.push_str(&ctx.mention(id, label.as_deref())),
            Inline::Channel { id, label } => {
                s.push('#');
                s.push_str(label.as_deref().unwrap_or(id));
            }
            Inline::Link { url, label } => s.push_str(label.as_deref().unwrap_or(url)),
        }
    }
    s
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

#[cfg(test)]
mod tests {
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
}
