//! User text (Slack mrkdwn, read by `mrkdwn`) as Markdown: blocks keep their
//! shape behind a prefix (a quote nests), inline text is escaped, names are
//! resolved and only safe links stay links.

use super::escape::{code_span, escape_text, guard_line, longest_run, url};
use super::{Flavor, Writer};
use crate::export::mrkdwn::{self, Block, Inline, Item};

impl Writer<'_> {
    /// User text (Slack mrkdwn) as Markdown blocks, each line behind `prefix`.
    pub(super) fn blocks(&mut self, text: &str, prefix: &str) {
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
    pub(super) fn inline(&self, line: &[Inline]) -> String {
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
