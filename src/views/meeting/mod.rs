//! The review meeting in Block Kit: the review form and its thread note
//! ([`schedule`]), the reading copy and the comment form ([`reading`]), the
//! comments grouped by section ([`comments`]), and the decision form and
//! post ([`decide`]). Shared here: times every reader sees in their own time
//! zone, and long text split across blocks and messages — never truncated.

pub mod comment;
pub mod comments;
pub mod decide;
pub mod reading;
pub mod schedule;

use jiff::Timestamp;
use serde_json::{json, Value};

use super::limits;
use crate::views::escape_mrkdwn;

/// Characters of block text in one message. Slack documents 50 blocks and
/// 3,000 characters a section, but refuses a message far below 50 × 3,000
/// (`msg_blocks_too_long` at about 13,000 characters in all, per
/// slackapi/bolt-js#2509), so a message is filled to this budget at most.
pub const MESSAGE_BUDGET: usize = 12_000;
/// Room for one piece of split text in a section, under Slack's 3,000.
pub const PIECE_CHARS: usize = 2_800;

/// `at` as Slack shows dates: in each reader's own time zone, with a UTC
/// fallback for clients that cannot.
pub fn slack_time(at: Timestamp) -> String {
    format!(
        "<!date^{}^{{date_short_pretty}} at {{time}}|{}>",
        at.as_second(),
        at.strftime("%Y-%m-%d %H:%M UTC")
    )
}

/// [`slack_time`] of a stored RFC 3339 time (as text when it is not one).
pub fn slack_time_of(rfc3339: &str) -> String {
    match rfc3339.parse::<Timestamp>() {
        Ok(at) => slack_time(at),
        Err(_) => escape_mrkdwn(rfc3339),
    }
}

/// `<@U…>`, escaped so a forged id cannot form another token.
pub fn mention(user: &str) -> String {
    format!("<@{}>", escape_mrkdwn(user))
}

/// Mentions joined with commas.
pub fn mentions(users: &[String]) -> String {
    users
        .iter()
        .map(|u| mention(u))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits `escaped` mrkdwn into pieces of at most `max` characters, cutting
/// at a paragraph, line, sentence or word end near the limit when there is
/// one, and never inside an `&amp;`-style entity. Joined, the pieces are the
/// text again.
pub fn split_text(escaped: &str, max: usize) -> Vec<String> {
    let max = max.max(16);
    let chars: Vec<char> = escaped.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if chars.len() - start <= max {
            pieces.push(chars[start..].iter().collect());
            break;
        }
        let hard = start + max;
        let window = &chars[start..hard];
        // Prefer the last good boundary in the second half of the window.
        let half = max / 2;
        let boundary = [&['\n', '\n'][..], &['\n'][..], &['.', ' '][..], &[' '][..]]
            .iter()
            .find_map(|pat| {
                (half..=window.len().saturating_sub(pat.len()))
                    .rev()
                    .find(|&i| window[i..].starts_with(pat))
                    .map(|i| i + pat.len())
            });
        let mut cut = start + boundary.unwrap_or(max);
        // Never inside an entity: `&` followed by up to 5 characters and `;`.
        if let Some(amp) = (cut.saturating_sub(5).max(start)..cut)
            .rev()
            .find(|&i| chars[i] == '&')
        {
            let closes = chars[amp..cut].contains(&';');
            if !closes && amp > start {
                cut = amp;
            }
        }
        pieces.push(chars[start..cut].iter().collect());
        start = cut;
    }
    pieces
}

/// Sections holding `escaped` mrkdwn in full: the first starts with `lead`,
/// later ones say they continue it.
pub fn text_sections(lead: &str, escaped: &str) -> Vec<Value> {
    let room = PIECE_CHARS.saturating_sub(lead.chars().count()).max(200);
    split_text(escaped, room)
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            let text = if i == 0 {
                format!("{lead}{piece}")
            } else {
                format!("_(continued)_ {piece}")
            };
            section_block(&text)
        })
        .collect()
}

/// A mrkdwn section that must fit whole (callers split longer text first).
pub fn section_block(mrkdwn: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}})
}

/// The characters of text a block carries (what Slack's size limit counts).
fn block_chars(block: &Value) -> usize {
    let own = block["text"]["text"]
        .as_str()
        .map_or(0, |t| t.chars().count());
    let elements: usize = block["elements"]
        .as_array()
        .map(|els| {
            els.iter()
                .map(|e| {
                    e["text"]
                        .as_str()
                        .or_else(|| e["text"]["text"].as_str())
                        .map_or(0, |t| t.chars().count())
                })
                .sum()
        })
        .unwrap_or(0);
    own + elements
}

/// Groups `blocks`, in order, into messages of at most 50 blocks and
/// [`MESSAGE_BUDGET`] characters; the first group leaves `first_room` (blocks,
/// characters) free for a head, and every later one room for one
/// continuation line.
pub fn pack_blocks(first_room: (usize, usize), blocks: Vec<Value>) -> Vec<Vec<Value>> {
    let mut groups: Vec<Vec<Value>> = vec![Vec::new()];
    let mut used = first_room;
    for block in blocks {
        let size = block_chars(&block);
        let empty = groups.last().is_none_or(Vec::is_empty);
        let fits =
            used.0 < limits::BLOCKS_PER_MESSAGE && (empty || used.1 + size <= MESSAGE_BUDGET);
        if !fits {
            groups.push(Vec::new());
            // The continuation line: one block, a few dozen characters.
            used = (1, 100);
        }
        used = (used.0 + 1, used.1 + size);
        if let Some(last) = groups.last_mut() {
            last.push(block);
        }
    }
    groups
}

/// Packs `blocks` into as few messages as Slack takes (see [`pack_blocks`]),
/// `head` opening the first one and `more(n)` each later one. Every
/// message gets a `text` fallback from `fallback(n, total)`.
pub fn pack_messages(
    head: Vec<Value>,
    blocks: Vec<Value>,
    more: impl Fn(usize) -> Value,
    fallback: impl Fn(usize, usize) -> String,
) -> Vec<Value> {
    let room = (head.len(), head.iter().map(block_chars).sum::<usize>());
    let groups = pack_blocks(room, blocks);
    let total = groups.len();
    let mut head = Some(head);
    groups
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let mut blocks = match head.take() {
                Some(h) => h,
                None => vec![more(i + 1)],
            };
            blocks.extend(group);
            message(blocks, fallback(i + 1, total))
        })
        .collect()
}

/// A message body: `blocks`, with `text` as the notification fallback.
pub fn message(blocks: Vec<Value>, text: String) -> Value {
    json!({
        "text": crate::domain::truncate_chars(&text, 3000),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every message within Slack's limits, with wb's size budget.
    pub fn assert_messages_fit(messages: &[Value]) {
        for m in messages {
            let blocks = m["blocks"].as_array().cloned().unwrap_or_default();
            crate::views::test_support::assert_within_limits(&blocks, limits::BLOCKS_PER_MESSAGE);
            let chars: usize = blocks.iter().map(block_chars).sum();
            assert!(chars <= MESSAGE_BUDGET, "{chars} characters of blocks");
            assert!(m["text"].as_str().is_some_and(|t| !t.is_empty()));
        }
    }

    #[test]
    fn split_text_keeps_every_character_and_prefers_boundaries() {
        let para = format!("{}\n\n{}", "a".repeat(1500), "b".repeat(1500));
        let pieces = split_text(&para, 2000);
        assert_eq!(pieces.concat(), para);
        assert_eq!(pieces[0], format!("{}\n\n", "a".repeat(1500)));

        let words = "word ".repeat(2000);
        let pieces = split_text(&words, 2800);
        assert_eq!(pieces.concat(), words);
        assert!(pieces.iter().all(|p| p.chars().count() <= 2800));
        assert!(pieces[..pieces.len() - 1].iter().all(|p| p.ends_with(' ')));

        // No boundary at all: hard cuts, on characters, not bytes.
        let ice = "🧊".repeat(7000);
        let pieces = split_text(&ice, 2800);
        assert_eq!(pieces.concat(), ice);
        assert_eq!(pieces.len(), 3);

        // An entity is never cut in two.
        let amps = "&amp;".repeat(1000);
        for piece in split_text(&amps, 2803) {
            assert!(
                piece.starts_with("&amp;") && piece.ends_with("&amp;"),
                "{piece}"
            );
        }
    }

    #[test]
    fn packing_respects_blocks_and_size_and_keeps_order() {
        let blocks: Vec<Value> = (0..120)
            .map(|i| section_block(&format!("{i} {}", "x".repeat(200))))
            .collect();
        let messages = pack_messages(
            vec![section_block("head")],
            blocks,
            |n| section_block(&format!("part {n}")),
            |n, total| format!("{n}/{total}"),
        );
        assert_messages_fit(&messages);
        assert!(messages.len() >= 3);
        let all: Vec<String> = messages
            .iter()
            .flat_map(|m| m["blocks"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["text"]["text"].as_str().map(str::to_string))
            .filter(|t| !t.starts_with("part") && t != "head")
            .collect();
        assert_eq!(all.len(), 120);
        assert!(all
            .iter()
            .enumerate()
            .all(|(i, t)| t.starts_with(&format!("{i} "))));
        assert_eq!(messages[1]["text"], format!("2/{}", messages.len()));

        let big: Vec<Value> = (0..10).map(|_| section_block(&"y".repeat(2900))).collect();
        let messages = pack_messages(vec![], big, |_| section_block("more"), |_, _| "t".into());
        assert_messages_fit(&messages);
    }

    #[test]
    fn times_show_in_each_readers_zone_with_a_utc_fallback() {
        let at: Timestamp = "2026-12-01T10:00:00Z".parse().expect("ts");
        assert_eq!(
            slack_time(at),
            "<!date^1796119200^{date_short_pretty} at {time}|2026-12-01 10:00 UTC>"
        );
        assert_eq!(slack_time_of("soon <@U1>"), "soon &lt;@U1&gt;");
    }
}
