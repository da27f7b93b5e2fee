//! User text (Slack mrkdwn, read by `mrkdwn`) as HTML: every piece of text is
//! escaped, names are resolved and only safe links become `<a href>`.

use super::{escape, Writer};
use crate::export::mrkdwn::{self, Block, Inline, Item};

impl Writer<'_> {
    /// User text (Slack mrkdwn) as HTML blocks.
    pub(super) fn blocks(&mut self, text: &str) {
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
    pub(super) fn inline(&self, line: &[Inline]) -> String {
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
