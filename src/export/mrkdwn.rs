//! Slack mrkdwn, read into a small tree that every export format renders.
//!
//! Stored text comes in two shapes: thread messages arrive in Slack's wire
//! format (`&amp;`/`&lt;`/`&gt;` escaped, `<@U…>` mentions, `<url|label>`
//! links), while modal input is raw. The parser accepts both: only the three
//! entities are decoded, and `<…>` is special only in the forms Slack gives it
//! (`<@…>`, `<#…>`, `<!…>`, `<scheme:…>`); anything else, such as a literal
//! `<script>`, stays text for the renderer to escape.

use super::ExportContext;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Text,
    Quote,
    Item,
}

fn text_blocks(text: &str, blocks: &mut Vec<Block>) {
    let mut current: Option<(LineKind, Block)> = None;
    let mut all_quote = false;
    for raw in text.split('\n') {
        let (kind, parsed) = if all_quote {
            (
                LineKind::Quote,
                Some(Parsed::Quote(inlines(raw.trim_end()))),
            )
        } else {
            classify(raw)
        };
        if let Some(Parsed::QuoteRest(first)) = &parsed {
            all_quote = true;
            let first = inlines(first.trim_end());
            push_line(&mut current, blocks, LineKind::Quote, Parsed::Quote(first));
            continue;
        }
        match parsed {
            None => {
                if let Some((_, block)) = current.take() {
                    blocks.push(block);
                }
            }
            Some(p) => push_line(&mut current, blocks, kind, p),
        }
    }
    if let Some((_, block)) = current.take() {
        blocks.push(block);
    }
}

enum Parsed {
    Text(Line),
    Quote(Line),
    /// `>>>`: the rest of the text is quoted.
    QuoteRest(String),
    Item(Item),
}

fn push_line(
    current: &mut Option<(LineKind, Block)>,
    blocks: &mut Vec<Block>,
    kind: LineKind,
    parsed: Parsed,
) {
    let same = matches!(current, Some((k, _)) if *k == kind);
    if !same {
        if let Some((_, block)) = current.take() {
            blocks.push(block);
        }
        *current = Some((
            kind,
            match kind {
                LineKind::Quote => Block::Quote(Vec::new()),
                LineKind::Item => Block::List(Vec::new()),
                _ => Block::Paragraph(Vec::new()),
            },
        ));
    }
    if let Some((_, block)) = current {
        match (block, parsed) {
            (Block::Paragraph(lines), Parsed::Text(l))
            | (Block::Quote(lines), Parsed::Quote(l)) => lines.push(l),
            (Block::List(items), Parsed::Item(i)) => items.push(i),
            _ => {}
        }
    }
}

fn classify(raw: &str) -> (LineKind, Option<Parsed>) {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return (LineKind::Blank, None);
    }
    let indent = raw.len() - raw.trim_start().len();
    let body = raw.trim_start();
    for rest_marker in ["&gt;&gt;&gt;", ">>>"] {
        if let Some(rest) = body.strip_prefix(rest_marker) {
            return (
                LineKind::Quote,
                Some(Parsed::QuoteRest(rest.trim_start().to_string())),
            );
        }
    }
    for marker in ["&gt;", ">"] {
        if let Some(rest) = body.strip_prefix(marker) {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            return (
                LineKind::Quote,
                Some(Parsed::Quote(inlines(rest.trim_end()))),
            );
        }
    }
    for (marker, nested) in [
        ("• ", 0),
        ("◦ ", 1),
        ("▪ ", 2),
        ("▫ ", 2),
        ("- ", 0),
        ("* ", 0),
    ] {
        if let Some(rest) = body.strip_prefix(marker) {
            let level = (indent / 4).max(nested);
            return (
                LineKind::Item,
                Some(Parsed::Item(Item {
                    level,
                    number: None,
                    content: inlines(rest.trim()),
                })),
            );
        }
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    // Up to three digits: `1986. was a year` is a sentence, not item 1986.
    if (1..=3).contains(&digits) {
        let after = &body[digits..];
        if let Some(rest) = after
            .strip_prefix(". ")
            .or_else(|| after.strip_prefix(") "))
        {
            if let Ok(n) = body[..digits].parse::<u64>() {
                return (
                    LineKind::Item,
                    Some(Parsed::Item(Item {
                        level: indent / 4,
                        number: Some(n),
                        content: inlines(rest.trim()),
                    })),
                );
            }
        }
    }
    (LineKind::Text, Some(Parsed::Text(inlines(trimmed))))
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

/// Reads one line of inline content.
fn inlines(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let c = bytes[i];
        match c {
            b'`' => {
                if let Some(len) = s[i + 1..].find('`').filter(|&l| l > 0) {
                    flush(&mut text, &mut out);
                    out.push(Inline::Code(decode_entities(&s[i + 1..i + 1 + len])));
                    i += len + 2;
                    continue;
                }
            }
            b'<' => {
                if let Some(len) = s[i + 1..].find('>') {
                    if let Some(token) = angle_token(&s[i + 1..i + 1 + len]) {
                        flush(&mut text, &mut out);
                        out.push(token);
                        i += len + 2;
                        continue;
                    }
                }
            }
            b'&' => {
                let tail = &s[i..];
                if let Some((entity, ch)) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
                    .into_iter()
                    .find(|(e, _)| tail.starts_with(e))
                {
                    text.push(ch);
                    i += entity.len();
                    continue;
                }
            }
            b'*' | b'_' | b'~' => {
                if let Some(end) = closing(s, i) {
                    flush(&mut text, &mut out);
                    let inner = inlines(&s[i + 1..end]);
                    out.push(match c {
                        b'*' => Inline::Bold(inner),
                        b'_' => Inline::Italic(inner),
                        _ => Inline::Strike(inner),
                    });
                    i = end + 1;
                    continue;
                }
            }
            _ => {}
        }
        // Copy one whole character (multi-byte safe).
        let ch_len = s[i..].chars().next().map_or(1, char::len_utf8);
        text.push_str(&s[i..i + ch_len]);
        i += ch_len;
    }
    flush(&mut text, &mut out);
    out
}

fn flush(text: &mut String, out: &mut Vec<Inline>) {
    if !text.is_empty() {
        out.push(Inline::Text(std::mem::take(text)));
    }
}

/// Where the emphasis opened by the marker at `open` closes, following Slack's
/// rule: the marker opens after a non-word character and before a non-space,
/// and closes after a non-space and before a non-word character.
fn closing(s: &str, open: usize) -> Option<usize> {
    let marker = s.as_bytes()[open];
    let prev = s[..open].chars().next_back();
    if prev.is_some_and(|p| p.is_alphanumeric() || p as u32 == marker as u32) {
        return None;
    }
    let next = s[open + 1..].chars().next()?;
    if next.is_whitespace() || next as u32 == marker as u32 {
        return None;
    }
    let bytes = s.as_bytes();
    let mut j = open + 1;
    while j < s.len() {
        match bytes[j] {
            // Skip code spans and <…> tokens: a marker inside them does not close.
            b'`' => {
                if let Some(len) = s[j + 1..].find('`') {
                    j += len + 2;
                    continue;
                }
            }
            b'<' => {
                if let Some(len) = s[j + 1..].find('>') {
                    if angle_token(&s[j + 1..j + 1 + len]).is_some() {
                        j += len + 2;
                        continue;
                    }
                }
            }
            b if b == marker => {
                let before = s[..j].chars().next_back();
                let after = s[j + 1..].chars().next();
                if before.is_some_and(|b| !b.is_whitespace())
                    && !after.is_some_and(|a| a.is_alphanumeric())
                {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// The meaning of `<inner>`, when it is one of Slack's forms.
fn angle_token(inner: &str) -> Option<Inline> {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(decode_entities(l)).filter(|l| !l.is_empty())),
        None => (inner, None),
    };
    if let Some(id) = target.strip_prefix('@') {
        return is_slack_id(id).then(|| Inline::User {
            id: id.to_string(),
            label,
        });
    }
    if let Some(id) = target.strip_prefix('#') {
        return is_slack_id(id).then(|| Inline::Channel {
            id: id.to_string(),
            label,
        });
    }
    if let Some(special) = target.strip_prefix('!') {
        if special.is_empty() || special.contains(char::is_whitespace) {
            return None;
        }
        if special.starts_with("date^") {
            return Some(Inline::Text(label.unwrap_or_else(|| special.to_string())));
        }
        let word = special.split('^').next().unwrap_or(special);
        return Some(Inline::Special(label.unwrap_or_else(|| format!("@{word}"))));
    }
    let scheme_len = target.find(':')?;
    let scheme = &target[..scheme_len];
    let valid_scheme = !scheme.is_empty()
        && scheme.len() <= 20
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid_scheme || target.contains(char::is_whitespace) || target.len() <= scheme_len + 1 {
        return None;
    }
    Some(Inline::Link {
        url: decode_entities(target),
        label,
    })
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

#[cfg(test)]
mod tests {
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
        let ids: Vec<&str> =
            mentioned_users("<@U1> and <@W2|bob>, not <@bad id> or <#C1>").collect();
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
}
