//! CommonMark, and the Slack canvas dialect of it.
//!
//! User text can never change the document's structure: every character
//! CommonMark could read as syntax is backslash-escaped, lines are guarded
//! against starting a heading, list, quote or code block, and code is fenced
//! with more backticks than it contains. A canvas only knows headings h1–h3,
//! so FAQ questions are bold paragraphs there instead of h4 headings.

use super::mrkdwn::{self, Block, Inline, Item};
use super::{faq, ExportContext, Section};
use crate::domain::docset::{DocSet, Entry, FaqEntry};

/// Which Markdown the output is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// A `.md` file: CommonMark (plus `~~strike~~`, read by GFM, Notion, Confluence).
    CommonMark,
    /// `canvases.create` document_content: headings h1–h3 only.
    Canvas,
}

/// The doc set as a Markdown file.
pub fn render(docset: &DocSet, ctx: &ExportContext) -> String {
    Writer::new(ctx, Flavor::CommonMark).document(docset)
}

/// The doc set as canvas Markdown.
pub fn render_canvas(docset: &DocSet, ctx: &ExportContext) -> String {
    Writer::new(ctx, Flavor::Canvas).document(docset)
}

struct Writer<'a> {
    out: String,
    ctx: &'a ExportContext,
    flavor: Flavor,
}

impl<'a> Writer<'a> {
    fn new(ctx: &'a ExportContext, flavor: Flavor) -> Self {
        Self {
            out: String::with_capacity(64 * 1024),
            ctx,
            flavor,
        }
    }

    fn document(mut self, d: &DocSet) -> String {
        self.header(d);
        self.press_release(d);
        self.faq(d);
        self.customer_experience(d);
        self.user_manual(d);
        self.appendix(d);
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A paragraph of our own words (already Markdown).
    fn para(&mut self, markdown: &str) {
        self.out.push_str(markdown);
        self.out.push_str("\n\n");
    }

    fn heading(&mut self, level: usize, markdown: &str) {
        let level = match self.flavor {
            Flavor::Canvas => level.min(3),
            Flavor::CommonMark => level,
        };
        self.out.push_str(&"#".repeat(level));
        self.out.push(' ');
        self.out.push_str(markdown);
        self.out.push_str("\n\n");
    }

    fn header(&mut self, d: &DocSet) {
        let title = heading_text(&self.inline(&mrkdwn::parse_line(&d.session.title)));
        self.heading(1, &title);
        self.para(&format!(
            "*Working Backwards doc set · session {}*",
            d.session.id
        ));
        let mut facts: Vec<(&str, String)> = super::header_facts(d, self.ctx)
            .into_iter()
            .map(|(label, value)| (label, escape_text(&value)))
            .collect();
        facts.push((
            "Thread",
            match &self.ctx.permalink {
                Some(link) if mrkdwn::is_safe_url(link) => {
                    format!("[Open the thread in Slack]({})", url(link))
                }
                _ => "link not available (export from Slack to add it)".into(),
            },
        ));
        let missing = super::missing_documents(d);
        if !missing.is_empty() {
            facts.push((
                "Missing",
                escape_text(&format!("{} (see below)", missing.join(", "))),
            ));
        }
        for (label, value) in facts {
            self.push(&format!("- **{label}:** {value}\n"));
        }
        self.push("\n");
    }

    fn press_release(&mut self, d: &DocSet) {
        self.heading(2, "1\\. Press release");
        let Some(pr) = &d.press_release else {
            self.para("*No press release drafted yet. Click **Draft press release** on the session's message in Slack, or reply `PR: …` in its thread.*");
            return;
        };
        self.para(&format!(
            "*Version {} · {} · {}*",
            pr.version,
            escape_text(&self.ctx.person(&pr.author)),
            escape_text(&super::human_time(&pr.created_at))
        ));
        let sections = super::press_release_sections(pr);
        let text_of = |key: &str| sections.iter().find(|s| s.key == key).and_then(|s| s.text);
        match text_of("headline") {
            Some(h) => {
                let h = heading_text(&self.inline(&mrkdwn::parse_line(h)));
                self.heading(3, &h);
            }
            None => self.heading(3, "*(no headline yet)*"),
        }
        if let Some(sub) = text_of("subheadline") {
            let sub = self.inline(&mrkdwn::parse_line(sub));
            // Plain, not wrapped in emphasis: the text may carry its own.
            self.para(&guard_line(&sub));
        }
        if let Some(dateline) = super::dateline(pr) {
            self.para(&format!("**{}**", escape_text(&dateline)));
        }
        for section in sections
            .iter()
            .filter(|s| !matches!(s.key, "headline" | "subheadline"))
        {
            self.section(section);
        }
        let missing = super::missing_sections(pr);
        if !missing.is_empty() {
            self.para(&format!(
                "*Missing sections: {}.*",
                escape_text(&missing.join(", ").to_lowercase())
            ));
        }
    }

    fn section(&mut self, s: &Section<'_>) {
        let Some(text) = s.text else { return };
        self.para(&format!("**{}**", s.label));
        let prefix = if s.quote { "> " } else { "" };
        self.blocks(text, prefix);
    }

    fn faq(&mut self, d: &DocSet) {
        self.heading(2, "2\\. FAQ");
        if d.faq.is_empty() {
            self.para("*No questions yet. Reply in the thread with a question ending in `?` (or `IQ: …` for an internal one), or click **Ask a question**.*");
            return;
        }
        let layout = faq::layout(d);
        let mut number = 0;
        self.heading(3, "External FAQ (customers)");
        if layout.external.is_empty() {
            self.para("*No external questions yet.*");
        }
        for q in &layout.external {
            number += 1;
            self.question(number, q, 4, layout.duplicates_of(q.id));
        }
        self.heading(3, "Internal FAQ (stakeholders)");
        for (family, questions) in &layout.internal {
            self.heading(
                4,
                &format!("{} — {}", family.label(), escape_text(family.covers())),
            );
            if questions.is_empty() {
                self.para(&format!("*No {} questions yet.*", family.label()));
            }
            for q in questions {
                number += 1;
                self.question(number, q, 5, layout.duplicates_of(q.id));
            }
        }
    }

    fn question(&mut self, number: usize, q: &FaqEntry, level: usize, duplicates: &[&FaqEntry]) {
        let text = self.inline(&mrkdwn::parse_line(&q.question));
        match self.flavor {
            Flavor::CommonMark => {
                self.heading(level, &format!("Q{number}\\. {}", heading_text(&text)))
            }
            Flavor::Canvas => self.para(&format!("**Q{number}\\. {}**", guard_line(&text))),
        }
        let asker = match &q.asked_by {
            Some(id) => format!("Asked by {}", self.ctx.person(id)),
            None => "Asked anonymously".to_string(),
        };
        self.para(&format!(
            "*{} · {} · {}*",
            escape_text(&asker),
            super::plural(q.votes.max(0) as usize, "vote"),
            escape_text(&super::human_time(&q.asked_at))
        ));
        if !duplicates.is_empty() {
            let also: Vec<String> = duplicates
                .iter()
                .map(|dup| {
                    format!(
                        "“{}” ({})",
                        self.inline(&mrkdwn::parse_line(&dup.question)),
                        escape_text(&faq::asker(dup, self.ctx))
                    )
                })
                .collect();
            self.para(&format!("*Also asked as:* {}", also.join(" · ")));
        }
        if let Some(standing) = faq::standing(q, self.ctx) {
            let (state, rest) = standing.split_once(" — ").unwrap_or((&standing, ""));
            let rest = if rest.is_empty() {
                String::new()
            } else {
                format!(" — {}", escape_text(rest))
            };
            self.para(&format!("**{}**{rest}", escape_text(state)));
        }
        if let Some(answer) = &q.answer {
            let mut by = String::new();
            if let Some(id) = &q.answered_by {
                by.push_str(&format!(" — {}", escape_text(&self.ctx.person(id))));
            }
            if let Some(at) = &q.answered_at {
                by.push_str(&format!(" · {}", escape_text(&super::human_time(at))));
            }
            self.para(&format!("**Answer**{by}"));
            self.blocks(answer, "");
        }
    }

    fn customer_experience(&mut self, d: &DocSet) {
        self.heading(2, "3\\. Customer experience");
        if d.customer_experience.is_empty() {
            self.para("*No customer-experience stories yet. Reply `CX: …` (or `Story: …`) in the thread.*");
            return;
        }
        for (i, story) in d.customer_experience.iter().enumerate() {
            self.heading(3, &format!("Story {}", i + 1));
            self.byline(story.author.as_deref(), &story.created_at);
            self.blocks(&story.text, "");
        }
    }

    fn user_manual(&mut self, d: &DocSet) {
        self.heading(2, "4\\. User manual");
        if d.user_manual.is_empty() {
            self.para("*No user-manual sections yet. Reply `Concept: …`, `How-to: …` or `Reference: …` in the thread.*");
            return;
        }
        for (kind, title, prefix) in super::MANUAL_GROUPS {
            self.heading(3, title);
            let entries: Vec<_> = d.user_manual.iter().filter(|m| m.kind == kind).collect();
            if entries.is_empty() {
                self.para(&format!("*None yet: reply `{prefix} …` in the thread.*"));
            }
            for m in entries {
                self.blocks(&m.text, "");
                self.byline(m.author.as_deref(), &m.created_at);
            }
        }
    }

    fn appendix(&mut self, d: &DocSet) {
        self.heading(2, "Appendix");
        self.heading(3, "Draft history");
        if d.press_release_history.is_empty() {
            self.para("*No drafts yet.*");
        } else {
            for v in &d.press_release_history {
                self.push(&format!(
                    "- Version {} · {} · {}\n",
                    v.version,
                    escape_text(&self.ctx.person(&v.author)),
                    escape_text(&super::human_time(&v.created_at))
                ));
            }
            self.push("\n");
        }
        if !self.ctx.review.is_empty() {
            let version = d
                .press_release
                .as_ref()
                .map(|p| format!(" (version {})", p.version))
                .unwrap_or_default();
            self.heading(3, &format!("Bar-raiser report{version}"));
            for item in &self.ctx.review {
                let quote = if item.quote.trim().is_empty() {
                    String::new()
                } else {
                    format!(" “{}”", escape_text(&one_line(&item.quote)))
                };
                self.out.push_str(&format!(
                    "- **{}** ({}){} — {}\n",
                    escape_text(&one_line(&item.rule)),
                    escape_text(&one_line(&item.severity)),
                    quote,
                    escape_text(&one_line(&item.suggestion))
                ));
            }
            self.push("\n");
        }
        self.heading(3, "Thread discussion");
        if d.discussion.is_empty() {
            self.para("*No discussion yet.*");
        }
        for m in &d.discussion {
            self.message(m);
        }
    }

    fn message(&mut self, m: &Entry) {
        let who = m
            .author
            .as_deref()
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "someone".into());
        self.para(&format!(
            "**{}** · {}",
            escape_text(&who),
            escape_text(&super::human_time(&m.created_at))
        ));
        self.blocks(&m.text, "> ");
    }

    fn byline(&mut self, author: Option<&str>, at: &str) {
        let who = author
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "anonymous".into());
        self.para(&format!(
            "*{} · {}*",
            escape_text(&who),
            escape_text(&super::human_time(at))
        ));
    }

    /// User text (Slack mrkdwn) as Markdown blocks, each line behind `prefix`.
    fn blocks(&mut self, text: &str, prefix: &str) {
        let blocks = mrkdwn::parse(text);
        if blocks.is_empty() {
            return;
        }
        let mut first = true;
        for block in &blocks {
            if !first {
                // A blank (prefixed) line keeps the blocks apart, inside a quote too.
                self.out.push_str(prefix.trim_end());
                self.out.push('\n');
            }
            first = false;
            match block {
                Block::Paragraph(lines) => self.lines(lines, prefix),
                Block::Quote(lines) => self.lines(lines, &format!("{prefix}> ")),
                Block::List(items) => self.list(items, prefix),
                Block::Code(code) => self.code(code, prefix),
            }
        }
        self.out.push('\n');
    }

    fn lines(&mut self, lines: &[Vec<Inline>], prefix: &str) {
        let brk = match self.flavor {
            Flavor::CommonMark => "\\",
            Flavor::Canvas => "  ",
        };
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let text = guard_line(&self.inline(line));
            self.out.push_str(prefix);
            if text.is_empty() && i + 1 < n {
                // An empty line inside a quote: keep it visible without ending the block.
                self.out.push('\u{a0}');
            }
            self.out.push_str(&text);
            if i + 1 < n {
                self.out.push_str(brk);
            }
            self.out.push('\n');
        }
    }

    fn list(&mut self, items: &[Item], prefix: &str) {
        for item in items {
            let indent = "  ".repeat(item.level.min(4));
            let marker = match item.number {
                Some(n) => format!("{n}. "),
                None => "- ".to_string(),
            };
            let text = guard_line(&self.inline(&item.content));
            self.out
                .push_str(&format!("{prefix}{indent}{marker}{text}\n"));
        }
    }

    fn code(&mut self, code: &str, prefix: &str) {
        let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
        self.out.push_str(&format!("{prefix}{fence}\n"));
        for line in code.split('\n') {
            self.out.push_str(prefix);
            self.out.push_str(line);
            self.out.push('\n');
        }
        self.out.push_str(&format!("{prefix}{fence}\n"));
    }

    /// Inline content as Markdown (escaped, names resolved).
    fn inline(&self, line: &[Inline]) -> String {
        let mut s = String::new();
        for part in line {
            match part {
                Inline::Text(t) => s.push_str(&escape_text(t)),
                Inline::Bold(inner) => wrap(&mut s, "**", &self.inline(inner)),
                Inline::Italic(inner) => wrap(&mut s, "*", &self.inline(inner)),
                Inline::Strike(inner) => wrap(&mut s, "~~", &self.inline(inner)),
                Inline::Code(code) => s.push_str(&code_span(code)),
                Inline::User { id, label } => {
                    s.push_str(&escape_text(&self.ctx.mention(id, label.as_deref())))
                }
                Inline::Channel { id, label } => s.push_str(&escape_text(&format!(
                    "#{}",
                    label.as_deref().unwrap_or(id)
                ))),
                Inline::Special(text) => s.push_str(&escape_text(text)),
                Inline::Link { url: target, label } => {
                    let shown = escape_text(label.as_deref().unwrap_or(target));
                    if mrkdwn::is_safe_url(target) {
                        s.push_str(&format!("[{shown}]({})", url(target)));
                    } else {
                        s.push_str(&shown);
                    }
                }
            }
        }
        s
    }
}

fn wrap(s: &mut String, marker: &str, inner: &str) {
    if inner.trim().is_empty() {
        s.push_str(inner);
        return;
    }
    s.push_str(marker);
    s.push_str(inner);
    s.push_str(marker);
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Backslash-escapes what CommonMark (and GFM tables/strikethrough) could read
/// as syntax inside a line. `&` is escaped only where it could start an entity.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if starts_entity(&text[i + 1..]) => out.push_str("\\&"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// True when `rest` (the text after a `&`) would make it an entity reference
/// (`&amp;`, `&#39;`, `&#x27;`).
fn starts_entity(rest: &str) -> bool {
    let name_len = rest
        .chars()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .count();
    name_len > 0 && rest[name_len..].starts_with(';')
}

/// Guards the start of a line of escaped user text so it cannot open a block:
/// leading spaces (indented code) are dropped, and `#`, `-`, `+`, `=` or `1.`
/// at the start are escaped.
pub fn guard_line(line: &str) -> String {
    let line = line.trim_start();
    let mut chars = line.chars();
    match chars.next() {
        Some('#' | '-' | '+' | '=') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            match line[digits..].chars().next() {
                Some('.' | ')') => format!("{}\\{}", &line[..digits], &line[digits..]),
                _ => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

/// Heading content: every `#` escaped (a trailing one would close the heading).
fn heading_text(escaped: &str) -> String {
    let guarded = guard_line(escaped);
    let mut out = String::with_capacity(guarded.len());
    let mut prev_backslash = false;
    for c in guarded.chars() {
        if c == '#' && !prev_backslash {
            out.push('\\');
        }
        prev_backslash = c == '\\' && !prev_backslash;
        out.push(c);
    }
    if out.trim().is_empty() {
        "*(untitled)*".into()
    } else {
        out
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A code span that survives backticks inside it.
fn code_span(code: &str) -> String {
    let code = code.replace(['\n', '\r'], " ");
    let ticks = "`".repeat(longest_run(&code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') || code.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{code}{pad}{ticks}")
}

/// A link destination: characters that would end it are percent-encoded.
fn url(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for c in target.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            },
            press_release: None,
            press_release_history: Vec::new(),
            faq: Vec::new(),
            customer_experience: Vec::new(),
            user_manual: Vec::new(),
            discussion: Vec::new(),
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
}
