//! Splitting prose into paragraphs, sentences and words, in one linear pass
//! each, keeping byte offsets so a finding can quote the writer's own words.
//!
//! - A paragraph is a line: Slack's multiline inputs use one Enter per paragraph.
//! - A sentence ends at `.`, `!`, `?`, `…` (or `。！？`) followed by whitespace or
//!   the end of the line; `e.g.`, `Dr.`, `U.S.` and initials like `J.` do not end one.
//! - A word is a run of letters or digits (any script); `-` and apostrophes
//!   inside a word and `.`/`,` between digits keep it whole (`world-class`,
//!   `don't`, `3.5`). Scripts written without spaces count a run as one word.

use std::borrow::Cow;

/// A word of a section, with its byte offset in the section's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
}

impl Word<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// A sentence: its byte span in the section's text, its words and their
/// lower-case forms (computed once, shared by every word-list rule).
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    pub start: usize,
    pub end: usize,
    pub words: Vec<Word<'a>>,
    pub lower: Vec<Cow<'a, str>>,
}

#[derive(Debug, Clone)]
pub struct Paragraph<'a> {
    pub sentences: Vec<Sentence<'a>>,
}

/// Splits `text` into paragraphs of sentences of words.
pub fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let base = line_start;
        line_start += line.len() + 1;
        let sentences: Vec<Sentence<'_>> = sentence_spans(line)
            .into_iter()
            .map(|(s, e)| {
                let words = words_in(&line[s..e], base + s, text);
                let lower = words.iter().map(|w| lower_case(w.text)).collect();
                Sentence {
                    start: base + s,
                    end: base + e,
                    words,
                    lower,
                }
            })
            .filter(|s| !s.words.is_empty())
            .collect();
        if !sentences.is_empty() {
            out.push(Paragraph { sentences });
        }
    }
    out
}

/// Lower case, allocating only for words that have capitals.
fn lower_case(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Words of `slice`, which starts at byte `base` of `whole`.
fn words_in<'a>(slice: &str, base: usize, whole: &'a str) -> Vec<Word<'a>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut iter = slice.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let inside = if c.is_alphanumeric() {
            true
        } else if start.is_some() {
            is_combining_mark(c)
                || (matches!(c, '-' | '\'' | '’' | '\u{2011}')
                    && next.is_some_and(char::is_alphanumeric))
                || (matches!(c, '.' | ',')
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit()))
        } else {
            false
        };
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word {
                    text: &whole[base + s..base + i],
                    start: base + s,
                });
                start = None;
            }
            _ => {}
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        out.push(Word {
            text: &whole[base + s..base + slice.len()],
            start: base + s,
        });
    }
    out
}

/// Combining accents (`e` + U+0301 is `é`): part of the word they follow.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

/// Terminators of scripts written without spaces end a sentence on their own.
fn ends_without_space(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '」' | '』')
}

/// Words whose trailing `.` does not end a sentence. Longer words are never
/// looked up, so a long run without spaces is not rescanned at every `.`.
fn is_abbreviation(word: &str) -> bool {
    const MAX: usize = 8;
    if word.len() > MAX {
        return false;
    }
    let w = word.trim_start_matches(['(', '"', '“', '\'', '‘', '[']);
    let mut chars = w.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    let lower = w.to_lowercase();
    matches!(
        lower.as_str(),
        "e.g" | "i.e" | "mr" | "mrs" | "ms" | "dr" | "vs" | "st" | "approx" | "u.s" | "u.k"
    )
}

/// Byte spans of the sentences of one line, trimmed, empty ones dropped.
fn sentence_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut word_start = 0;
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
            continue;
        }
        if !is_terminator(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if is_terminator(d) || is_closer(d) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let boundary = match iter.peek().map(|&(_, d)| d) {
            None => true,
            Some(d) if d.is_whitespace() => c != '.' || !is_abbreviation(&line[word_start..i]),
            Some(_) => ends_without_space(c),
        };
        if boundary {
            spans.push((start, end));
            start = end;
        }
    }
    spans.push((start, line.len()));
    spans
        .into_iter()
        .filter_map(|(s, e)| {
            let piece = &line[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            (!trimmed.is_empty()).then(|| (s + lead, s + lead + trimmed.len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_texts(text: &str) -> Vec<Vec<&str>> {
        paragraphs(text)
            .iter()
            .map(|p| p.sentences.iter().map(|s| &text[s.start..s.end]).collect())
            .collect()
    }

    #[test]
    fn sentences_end_at_terminators_but_not_at_abbreviations_or_decimals() {
        let cases: &[(&str, &[&[&str]])] = &[
            ("One. Two! Three?", &[&["One.", "Two!", "Three?"]]),
            (
                "Costs 3.5 dollars, e.g. in the U.S. today. Next.",
                &[&["Costs 3.5 dollars, e.g. in the U.S. today.", "Next."]],
            ),
            (
                "J. Smith said \"wow.\" Then left",
                &[&["J. Smith said \"wow.\"", "Then left"]],
            ),
            ("Line one\n\nLine two", &[&["Line one"], &["Line two"]]),
            ("冰箱很好。我们喜欢它。", &[&["冰箱很好。", "我们喜欢它。"]]),
            ("Wait... really?! Yes", &[&["Wait...", "really?!", "Yes"]]),
            ("   \n  ", &[]),
        ];
        for (text, want) in cases {
            let got = sentence_texts(text);
            let want: Vec<Vec<&str>> = want.iter().map(|p| p.to_vec()).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn words_keep_hyphens_apostrophes_and_numbers_whole() {
        let text = "World-class fridge — don't wait: 3.5× faster, 1,000 users; Ünïcödé çava";
        let words = words_in(text, 0, text);
        let got: Vec<&str> = words.iter().map(|w| w.text).collect();
        assert_eq!(
            got,
            [
                "World-class",
                "fridge",
                "don't",
                "wait",
                "3.5",
                "faster",
                "1,000",
                "users",
                "Ünïcödé",
                "çava"
            ]
        );
        for w in words {
            assert_eq!(&text[w.start..w.end()], w.text);
        }
    }
}
