//! The block structure of text outside code fences, one line at a time: a
//! line is blank, text, a quote or a list item, and consecutive lines of one
//! kind form a block.

use super::inline::inlines;
use super::{Block, Item, Line};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Text,
    Quote,
    Item,
}

pub(super) fn text_blocks(text: &str, blocks: &mut Vec<Block>) {
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
