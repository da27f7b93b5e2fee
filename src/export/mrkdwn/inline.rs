//! Inline content of one line: emphasis, code spans, entities and Slack's
//! `<…>` tokens (mentions, channels, specials, links).

use super::{decode_entities, is_slack_id, Inline};

/// Reads one line of inline content.
pub(super) fn inlines(s: &str) -> Vec<Inline> {
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
