//! What the fake Slack remembers of the messages posted to it: the last
//! `keep` messages (channel, ts, thread_ts, text, metadata; not the blocks), in
//! ts order, to answer `conversations.history` and `conversations.replies`; and
//! how many times each root message was posted, to count duplicates. A root
//! message is keyed by `metadata.event_payload.job_id` when it has one, else by
//! its channel and text.

use std::collections::{HashMap, VecDeque};

use serde_json::{json, Value};

/// A ts as a number: seconds × 10⁶ + the six digits after the dot.
pub fn ts_key(ts: &str) -> Option<u128> {
    let (secs, frac) = ts.trim().split_once('.').unwrap_or((ts.trim(), ""));
    let secs: u128 = secs.parse().ok()?;
    let mut micros: u128 = 0;
    for i in 0..6 {
        let digit = match frac.as_bytes().get(i) {
            Some(b) if b.is_ascii_digit() => u128::from(b - b'0'),
            Some(_) => return None,
            None => 0,
        };
        micros = micros * 10 + digit;
    }
    Some(secs * 1_000_000 + micros)
}

struct Message {
    key: u128,
    channel: String,
    ts: String,
    thread_ts: Option<String>,
    text: Value,
    metadata: Option<Value>,
    /// Replies recorded under this message (a thread parent shows them as Slack does).
    replies: u32,
}

impl Message {
    fn to_json(&self, with_metadata: bool) -> Value {
        let mut m = json!({"type": "message", "user": "U0BOT", "bot_id": "B0BOT",
                           "text": self.text, "ts": self.ts});
        if let Some(t) = &self.thread_ts {
            m["thread_ts"] = json!(t);
        } else if self.replies > 0 {
            m["thread_ts"] = json!(self.ts);
            m["reply_count"] = json!(self.replies);
        }
        if let (true, Some(meta)) = (with_metadata, &self.metadata) {
            m["metadata"] = meta.clone();
        }
        m
    }
}

/// Query parameters of a read method (from the query string or the body).
pub type Params = HashMap<String, String>;

/// The messages and the per-root-message post counts.
pub struct History {
    messages: VecDeque<Message>,
    keep: usize,
    roots: HashMap<String, u32>,
    root_posts: u64,
    base_secs: u64,
    next: u64,
}

impl History {
    pub fn new(keep: usize, base_secs: u64) -> Self {
        Self {
            messages: VecDeque::new(),
            keep: keep.max(1),
            roots: HashMap::new(),
            root_posts: 0,
            base_secs,
            next: 1,
        }
    }

    /// A message ts no other answer of this process has used (increasing).
    pub fn ts(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        format!("{}.{:06}", self.base_secs + n / 1_000_000, n % 1_000_000)
    }

    /// Records a `chat.postMessage`; returns its ts.
    pub fn post(&mut self, request: &Value) -> String {
        let ts = self.ts();
        let channel = request["channel"].as_str().unwrap_or_default().to_string();
        let thread_ts = request["thread_ts"].as_str().map(str::to_string);
        let metadata = request.get("metadata").filter(|m| !m.is_null()).cloned();
        if let Some(parent) = thread_ts.as_deref().and_then(ts_key) {
            let i = self.messages.partition_point(|m| m.key < parent);
            if let Some(m) = self.messages.get_mut(i).filter(|m| m.key == parent) {
                m.replies += 1;
            }
        } else {
            self.root_posts += 1;
            let key = match metadata.as_ref().map(|m| &m["event_payload"]["job_id"]) {
                Some(job) if !job.is_null() => format!("job_id {job}"),
                _ => format!("{channel} {}", request["text"].as_str().unwrap_or_default()),
            };
            *self.roots.entry(key).or_default() += 1;
        }
        if self.messages.len() >= self.keep {
            self.messages.pop_front();
        }
        self.messages.push_back(Message {
            key: ts_key(&ts).unwrap_or_default(),
            channel,
            ts: ts.clone(),
            thread_ts,
            text: request["text"].clone(),
            metadata,
            replies: 0,
        });
        ts
    }

    /// Applies a `chat.update` to the recorded message, if still kept.
    pub fn update(&mut self, request: &Value) {
        let Some(key) = request["ts"].as_str().and_then(ts_key) else {
            return;
        };
        let i = self.messages.partition_point(|m| m.key < key);
        if let Some(m) = self.messages.get_mut(i).filter(|m| m.key == key) {
            if !request["text"].is_null() {
                m.text = request["text"].clone();
            }
            if let Some(meta) = request.get("metadata").filter(|v| !v.is_null()) {
                m.metadata = Some(meta.clone());
            }
        }
    }

    /// `GET /stats/duplicates`: root posts, distinct root messages, and the
    /// ones posted more than once (up to 20 shown).
    pub fn duplicates(&self) -> Value {
        let mut twice: Vec<(&String, &u32)> = self.roots.iter().filter(|(_, n)| **n > 1).collect();
        twice.sort();
        let extra: u64 = twice.iter().map(|(_, n)| u64::from(**n) - 1).sum();
        json!({
            "root_posts": self.root_posts,
            "distinct": self.roots.len(),
            "duplicated": twice.len(),
            "extra_posts": extra,
            "examples": twice.iter().take(20).map(|(k, n)| json!({"key": k, "posts": n})).collect::<Vec<_>>(),
        })
    }

    /// `conversations.history`: the channel's top-level messages (and thread
    /// parents) between `oldest` and `latest`, newest first.
    pub fn history(&self, p: &Params) -> Value {
        let Some(channel) = p.get("channel").filter(|c| !c.is_empty()) else {
            return json!({"ok": false, "error": "channel_not_found"});
        };
        let (lo, hi) = bounds(p);
        let limit = limit(p, 100, 999);
        let hi = match p.get("cursor").and_then(|c| c.parse::<u128>().ok()) {
            Some(c) => hi.min(c.saturating_sub(1)),
            None => hi,
        };
        let end = self.messages.partition_point(|m| m.key <= hi);
        let meta = flag(p, "include_all_metadata");
        let mut found = Vec::new();
        let mut more = false;
        for m in self.messages.range(..end).rev() {
            if m.key < lo {
                break;
            }
            if m.channel != *channel || m.thread_ts.as_ref().is_some_and(|t| *t != m.ts) {
                continue;
            }
            if found.len() == limit {
                more = true;
                break;
            }
            found.push(m);
        }
        page(found, more, meta)
    }

    /// `conversations.replies`: the parent `ts` and its replies between
    /// `oldest` and `latest`, oldest first (the parent first on the first page).
    pub fn replies(&self, p: &Params) -> Value {
        let (Some(channel), Some(parent)) = (p.get("channel"), p.get("ts")) else {
            return json!({"ok": false, "error": "thread_not_found"});
        };
        let Some(parent_key) = ts_key(parent) else {
            return json!({"ok": false, "error": "thread_not_found"});
        };
        let at = self.messages.partition_point(|m| m.key < parent_key);
        let Some(head) = self
            .messages
            .get(at)
            .filter(|m| m.key == parent_key && m.channel == *channel)
        else {
            return json!({"ok": false, "error": "thread_not_found"});
        };
        let (lo, hi) = bounds(p);
        let limit = limit(p, 1000, 1000);
        let cursor = p.get("cursor").and_then(|c| c.parse::<u128>().ok());
        let meta = flag(p, "include_all_metadata");
        let mut found = Vec::new();
        if cursor.is_none() {
            found.push(head);
        }
        let lo = lo.max(cursor.map_or(0, |c| c + 1)).max(parent_key + 1);
        let start = self.messages.partition_point(|m| m.key < lo);
        let mut more = false;
        for m in self.messages.range(start..) {
            if m.key > hi {
                break;
            }
            if m.channel != *channel || m.thread_ts.as_deref() != Some(parent.as_str()) {
                continue;
            }
            if found.len() == limit {
                more = true;
                break;
            }
            found.push(m);
        }
        page(found, more, meta)
    }
}

/// `oldest` / `latest` as an inclusive range of keys (`inclusive` widens it).
fn bounds(p: &Params) -> (u128, u128) {
    let inclusive = flag(p, "inclusive");
    let oldest = p.get("oldest").and_then(|t| ts_key(t));
    let latest = p.get("latest").and_then(|t| ts_key(t));
    let lo = match oldest {
        Some(k) if inclusive => k,
        Some(k) => k + 1,
        None => 0,
    };
    let hi = match latest {
        Some(k) if inclusive => k,
        Some(k) => k.saturating_sub(1),
        None => u128::MAX,
    };
    (lo, hi)
}

fn limit(p: &Params, default: usize, max: usize) -> usize {
    p.get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(default)
        .min(max)
}

fn flag(p: &Params, name: &str) -> bool {
    p.get(name).is_some_and(|v| v == "true" || v == "1")
}

fn page(found: Vec<&Message>, more: bool, meta: bool) -> Value {
    let next = match (more, found.last()) {
        (true, Some(m)) => m.key.to_string(),
        _ => String::new(),
    };
    json!({
        "ok": true,
        "messages": found.iter().map(|m| m.to_json(meta)).collect::<Vec<_>>(),
        "has_more": more,
        "response_metadata": {"next_cursor": next},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn history_pages_newest_first_and_replies_oldest_first() {
        let mut h = History::new(10, 1_700_000_000);
        let a = h.post(&json!({"channel": "C1", "text": "a",
            "metadata": {"event_type": "wb", "event_payload": {"job_id": 7}}}));
        let b = h.post(&json!({"channel": "C1", "text": "b"}));
        let r = h.post(&json!({"channel": "C1", "text": "r", "thread_ts": a}));
        h.post(&json!({"channel": "C2", "text": "a"}));
        h.post(&json!({"channel": "C1", "text": "b"}));
        let got = h.history(&params(&[
            ("channel", "C1"),
            ("limit", "2"),
            ("include_all_metadata", "true"),
        ]));
        let texts: Vec<&str> = got["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["b", "b"]);
        assert_eq!(got["has_more"], true);
        let cursor = got["response_metadata"]["next_cursor"]
            .as_str()
            .unwrap()
            .to_string();
        let next = h.history(&params(&[
            ("channel", "C1"),
            ("cursor", &cursor),
            ("include_all_metadata", "true"),
        ]));
        assert_eq!(
            next["messages"][0]["metadata"]["event_payload"]["job_id"],
            7
        );
        assert_eq!(next["messages"].as_array().unwrap().len(), 1);
        let old = h.history(&params(&[("channel", "C1"), ("oldest", &a)]));
        assert_eq!(old["messages"].as_array().unwrap().len(), 2);
        let thread = h.replies(&params(&[("channel", "C1"), ("ts", &a)]));
        let ts: Vec<&str> = thread["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["ts"].as_str().unwrap())
            .collect();
        assert_eq!(ts, [a.as_str(), r.as_str()]);
        assert!(thread["messages"][0].get("metadata").is_none());
        assert_eq!(thread["messages"][0]["reply_count"], 1);
        assert_eq!(thread["messages"][0]["thread_ts"], a.as_str());
        let dup = h.duplicates();
        assert_eq!(
            (
                dup["root_posts"].as_u64(),
                dup["distinct"].as_u64(),
                dup["extra_posts"].as_u64()
            ),
            (Some(4), Some(3), Some(1))
        );
        assert!(ts_key(&b).unwrap() > ts_key(&a).unwrap());
        assert_eq!(ts_key("12.5"), Some(12_500_000));
    }
}
