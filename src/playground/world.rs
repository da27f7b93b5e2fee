//! The emulated workspace: one team, one channel, a few people and the bot,
//! with the messages, reactions, ephemerals, views, files and canvases Slack
//! would keep. Plain data and small mutations; no I/O. Errors are Slack's own
//! error codes, so the Web API can answer them as they are.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Slack's error code for a refused call.
pub type SlackError = &'static str;

pub use super::directory::*;

/// One reaction on a message: who reacted with `name`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reaction {
    pub name: String,
    pub users: Vec<String>,
}

/// A message in the channel or in a thread.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    pub ts: String,
    pub user: String,
    pub bot: bool,
    pub text: String,
    #[serde(default)]
    pub blocks: Option<Value>,
    #[serde(default)]
    pub thread_ts: Option<String>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
    #[serde(default)]
    pub edited: Option<String>,
    #[serde(default)]
    pub subtype: Option<String>,
}

/// A message only one person sees ("Only visible to you").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ephemeral {
    pub id: u64,
    pub ts: String,
    pub user: String,
    #[serde(default)]
    pub thread_ts: Option<String>,
    pub text: String,
    #[serde(default)]
    pub blocks: Option<Value>,
    /// Slack's own notices (unknown command…) come from Slackbot, not the app.
    #[serde(default)]
    pub slackbot: bool,
}

/// An open view (a modal in a user's stack, or a user's Home tab).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenView {
    pub id: String,
    pub hash: String,
    pub user: String,
    /// The view as Slack would send it back (app's fields plus Slack's).
    pub view: Value,
    /// `response_action: errors` messages by block_id.
    #[serde(default)]
    pub errors: BTreeMap<String, String>,
    /// A submission is on its way to the app: a second one is refused.
    #[serde(skip)]
    pub submitting: bool,
}

/// A file uploaded through `files.getUploadURLExternal`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct File {
    pub id: String,
    pub name: String,
    pub title: String,
    pub length: usize,
    #[serde(default)]
    pub content_type: String,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub shared: bool,
}

/// A canvas made by `canvases.create`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Canvas {
    pub id: String,
    pub title: String,
    pub markdown: String,
    #[serde(default)]
    pub channel_id: Option<String>,
}

/// A trigger_id handed to the app: usable once, within three seconds.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub user: String,
    pub created: Instant,
    pub used: bool,
}

/// Where a `response_url` answers, and for whom.
#[derive(Debug, Clone)]
pub struct Hook {
    pub user: String,
    /// The message the interaction came from: a channel message's ts, or an
    /// ephemeral's id (for `replace_original` / `delete_original`).
    pub message_ts: Option<String>,
    pub ephemeral: Option<u64>,
    pub thread_ts: Option<String>,
    pub uses: u32,
    pub created: Instant,
}

/// Everything the emulated Slack remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct World {
    pub messages: Vec<Message>,
    pub ephemerals: Vec<Ephemeral>,
    #[serde(default)]
    pub homes: HashMap<String, OpenView>,
    #[serde(default)]
    pub files: HashMap<String, File>,
    #[serde(default)]
    pub canvases: Vec<Canvas>,
    #[serde(default)]
    pub bot_member: bool,
    #[serde(default)]
    pub last_ts_micros: i64,
    #[serde(default)]
    pub next_id: u64,
    /// Modal stacks by user (not kept across restarts, like an open dialog).
    #[serde(skip)]
    pub modals: HashMap<String, Vec<OpenView>>,
    #[serde(skip)]
    pub triggers: HashMap<String, Trigger>,
    #[serde(skip)]
    pub hooks: HashMap<String, Hook>,
}

impl World {
    /// A fresh ts, later than every earlier one (Slack's ts are unique per channel).
    pub fn next_ts(&mut self) -> String {
        let now = jiff::Timestamp::now().as_microsecond();
        self.last_ts_micros = now.max(self.last_ts_micros + 1);
        format!(
            "{}.{:06}",
            self.last_ts_micros / 1_000_000,
            self.last_ts_micros % 1_000_000
        )
    }

    /// A number unique in this world (ids of views, files, ephemerals…).
    pub fn next_number(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn message(&self, ts: &str) -> Option<&Message> {
        self.messages.iter().find(|m| m.ts == ts)
    }

    pub fn message_mut(&mut self, ts: &str) -> Option<&mut Message> {
        self.messages.iter_mut().find(|m| m.ts == ts)
    }

    /// Replies under `ts`, oldest first.
    pub fn replies(&self, ts: &str) -> Vec<&Message> {
        self.messages
            .iter()
            .filter(|m| m.thread_ts.as_deref() == Some(ts) && m.ts != ts)
            .collect()
    }

    /// Adds a message; a `thread_ts` that names no top-level message is
    /// dropped (Slack then posts in the channel).
    pub fn add_message(&mut self, mut message: Message) -> Message {
        if let Some(parent) = message.thread_ts.clone() {
            let ok = self
                .message(&parent)
                .is_some_and(|p| p.thread_ts.is_none() || p.thread_ts.as_deref() == Some(&parent));
            if !ok {
                message.thread_ts = None;
            }
        }
        self.messages.push(message.clone());
        message
    }

    /// Adds `user`'s reaction `name` to message `ts`.
    pub fn react(&mut self, ts: &str, user: &str, name: &str) -> Result<(), SlackError> {
        let message = self.message_mut(ts).ok_or("message_not_found")?;
        match message.reactions.iter_mut().find(|r| r.name == name) {
            Some(r) if r.users.iter().any(|u| u == user) => return Err("already_reacted"),
            Some(r) => r.users.push(user.to_string()),
            None => message.reactions.push(Reaction {
                name: name.to_string(),
                users: vec![user.to_string()],
            }),
        }
        Ok(())
    }

    /// Removes `user`'s reaction `name` from message `ts`.
    pub fn unreact(&mut self, ts: &str, user: &str, name: &str) -> Result<(), SlackError> {
        let message = self.message_mut(ts).ok_or("message_not_found")?;
        let Some(r) = message.reactions.iter_mut().find(|r| r.name == name) else {
            return Err("no_reaction");
        };
        let before = r.users.len();
        r.users.retain(|u| u != user);
        if r.users.len() == before {
            return Err("no_reaction");
        }
        message.reactions.retain(|r| !r.users.is_empty());
        Ok(())
    }

    /// Hands out a trigger_id for an interaction of `user`.
    pub fn new_trigger(&mut self, user: &str) -> String {
        let n = self.next_number();
        let id = format!("{n}.{}.{:016x}", self.next_ts().replace('.', ""), n * 7919);
        self.triggers.insert(
            id.clone(),
            Trigger {
                user: user.to_string(),
                created: Instant::now(),
                used: false,
            },
        );
        // Old triggers are useless after three seconds: keep the map small.
        self.triggers
            .retain(|_, t| t.created.elapsed().as_secs() < 60);
        id
    }

    /// Spends a trigger_id: the user it belongs to, or Slack's error.
    pub fn use_trigger(&mut self, id: &str) -> Result<String, SlackError> {
        let trigger = self.triggers.get_mut(id).ok_or("invalid_trigger_id")?;
        if trigger.used {
            return Err("exchanged_trigger_id");
        }
        if trigger.created.elapsed().as_millis() > 3_000 {
            return Err("expired_trigger_id");
        }
        trigger.used = true;
        Ok(trigger.user.clone())
    }

    /// A fresh view id and hash.
    pub fn new_view_ids(&mut self) -> (String, String) {
        let n = self.next_number();
        (format!("V0PG{n:06}"), self.new_hash())
    }

    pub fn new_hash(&mut self) -> String {
        let n = self.next_number();
        format!(
            "{}.{n:08x}",
            self.next_ts().split('.').next().unwrap_or("0")
        )
    }

    /// The open modal view `id`, wherever it is in its user's stack.
    pub fn modal_mut(&mut self, id: &str) -> Option<&mut OpenView> {
        self.modals
            .values_mut()
            .flat_map(|stack| stack.iter_mut())
            .find(|v| v.id == id)
    }

    /// Closes view `id` (and the ones pushed above it); `all` closes the stack.
    pub fn close_modal(&mut self, user: &str, id: &str, all: bool) {
        if let Some(stack) = self.modals.get_mut(user) {
            if all {
                stack.clear();
            } else if let Some(at) = stack.iter().position(|v| v.id == id) {
                stack.truncate(at);
            }
            if stack.is_empty() {
                self.modals.remove(user);
            }
        }
    }

    /// A new response_url key for an interaction of `user`.
    pub fn new_hook(&mut self, hook: Hook) -> String {
        let n = self.next_number();
        let key = format!("{n}/{:x}", (n * 2_654_435_761) ^ 0x5eed);
        self.hooks
            .retain(|_, h| h.created.elapsed().as_secs() < 30 * 60);
        self.hooks.insert(key.clone(), hook);
        key
    }

    pub fn add_ephemeral(
        &mut self,
        user: &str,
        thread_ts: Option<String>,
        text: String,
        blocks: Option<Value>,
    ) -> Ephemeral {
        let e = Ephemeral {
            id: self.next_number(),
            ts: self.next_ts(),
            user: user.to_string(),
            thread_ts,
            text,
            blocks,
            slackbot: false,
        };
        self.ephemerals.push(e.clone());
        e
    }
}

/// The text's length as Slack counts it, and its error when too long or empty.
pub fn check_text(text: &str, has_blocks: bool) -> Result<(), SlackError> {
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err("msg_too_long");
    }
    if text.trim().is_empty() && !has_blocks {
        return Err("no_text");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_values_only_grow() {
        let mut w = World::default();
        let a = w.next_ts();
        let b = w.next_ts();
        assert!(b > a, "{a} {b}");
        assert_eq!(a.split('.').nth(1).map(str::len), Some(6));
    }

    #[test]
    fn reactions_follow_slacks_rules() {
        let mut w = World::default();
        let ts = w.next_ts();
        w.add_message(Message {
            ts: ts.clone(),
            user: "U1".into(),
            bot: false,
            text: "hi".into(),
            blocks: None,
            thread_ts: None,
            reactions: vec![],
            files: vec![],
            metadata: None,
            edited: None,
            subtype: None,
        });
        assert_eq!(w.react(&ts, "U1", "+1"), Ok(()));
        assert_eq!(w.react(&ts, "U1", "+1"), Err("already_reacted"));
        assert_eq!(w.unreact(&ts, "U2", "+1"), Err("no_reaction"));
        assert_eq!(w.unreact(&ts, "U1", "+1"), Ok(()));
        assert!(w.message(&ts).is_some_and(|m| m.reactions.is_empty()));
        assert_eq!(w.react("1.2", "U1", "+1"), Err("message_not_found"));
    }

    #[test]
    fn a_trigger_works_once() {
        let mut w = World::default();
        let t = w.new_trigger("U1");
        assert_eq!(w.use_trigger(&t), Ok("U1".to_string()));
        assert_eq!(w.use_trigger(&t), Err("exchanged_trigger_id"));
        assert_eq!(w.use_trigger("nope"), Err("invalid_trigger_id"));
    }

    #[test]
    fn text_limits_are_slacks() {
        assert_eq!(check_text(&"x".repeat(40_000), false), Ok(()));
        assert_eq!(check_text(&"x".repeat(40_001), false), Err("msg_too_long"));
        assert_eq!(check_text("  ", false), Err("no_text"));
        assert_eq!(check_text("", true), Ok(()));
    }
}
