//! Slack mrkdwn, read into a small tree that every export format renders.
//!
//! Stored text comes in two shapes: thread messages arrive in Slack's wire
//! format (`&amp;`/`&lt;`/`&gt;` escaped, `<@U…>` mentions, `<url|label>`
//! links), while modal input is raw. The parser accepts both: only the three
//! entities are decoded, and `<…>` is special only in the forms Slack gives it
//! (`<@…>`, `<#…>`, `<!…>`, `<scheme:…>`); anything else, such as a literal
//! `<script>`, stays text for the renderer to escape.

use super::ExportContext;

mod inline;
mod lines;
#[cfg(test)]
mod tests;

use inline::inlines;
use lines::text_blocks;

/// A block of text: what a line-based reading of Slack's formatting yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Lines separated by hard breaks.
    Paragraph(Vec<Line>),
    /// `> quoted` lines.
    Quote(Vec<Line>),
    /// `• item`, `- item` or `1. item` lines.
    List(Vec<Item>),
    /// ```` ``` ```` fenced text, verbatim (entities decoded).
    Code(String),
}

pub type Line = Vec<Inline>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Nesting depth, 0 for a top-level item.
    pub level: usize,
    /// `Some(n)` for a numbered item.
    pub number: Option<u64>,
    pub content: Line,
}

/// Inline content of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Bold(Vec<Inline>),
    Italic(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    /// `<@U123>` or `<@U123|name>`.
    User {
        id: String,
        label: Option<String>,
    },
    /// `<#C123>` or `<#C123|name>`.
    Channel {
        id: String,
        label: Option<String>,
    },
    /// `<!here>`, `<!channel>`, `<!subteam^S1|@team>`: shown as text, never a ping.
    Special(String),
    /// `<https://…>` or `<https://…|label>`.
    Link {
        url: String,
        label: Option<String>,
    },
}

/// Reads `text` into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let Some(close) = after.find("```") else {
            break;
        };
        text_blocks(&rest[..open], &mut blocks);
        let code = after[..close].strip_prefix('\n').unwrap_or(&after[..close]);
        let code = code.strip_suffix('\n').unwrap_or(code);
        blocks.push(Block::Code(decode_entities(code)));
        rest = &after[close + 3..];
    }
    text_blocks(rest, &mut blocks);
    blocks
}

/// Reads `text` as one line of inline content (newlines become spaces), for
/// places that hold a single line: headings, titles, list entries.
pub fn parse_line(text: &str) -> Line {
    let joined: String = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    inlines(&joined)
}

/// User ids mentioned as `<@U…>` in `text`, in order of appearance.
pub fn mentioned_users(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("<@").filter_map(move |(i, _)| {
        let tail = &text[i + 2..];
        let end = tail.find(['>', '|'])?;
        let id = &tail[..end];
        is_slack_id(id).then_some(id)
    })
}

/// True for the URL schemes a link may keep in an export (no `javascript:`).
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:", "slack://"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// Decodes the three entities Slack escapes; everything else is kept.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn is_slack_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Inline content as plain text (an HTML `<title>`, a fact in a header),
/// mentions resolved to names.
pub fn plain(line: &[Inline], ctx: &ExportContext) -> String {
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
