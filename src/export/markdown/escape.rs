//! Escaping and guards: what keeps user text from changing the document's
//! structure, whatever characters it holds.

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
pub(super) fn heading_text(escaped: &str) -> String {
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

pub(super) fn longest_run(text: &str, c: char) -> usize {
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
pub(super) fn code_span(code: &str) -> String {
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
pub(super) fn url(target: &str) -> String {
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
