//! What every emulated Web API method shares: the call's arguments (JSON body,
//! form or query string), Slack's error answer, the channel and block checks,
//! and posting a bot message (which also tells wb, as the Events API would).

use http::HeaderMap;
use serde_json::{json, Map, Value};

use super::hub::Hub;
use super::payloads;
use super::world::*;

/// A call's arguments, whatever way they came.
pub struct Args(Map<String, Value>);

/// Argument names whose values are JSON even in a form or query string.
const JSON_ARGS: [&str; 7] = [
    "blocks",
    "view",
    "files",
    "metadata",
    "document_content",
    "attachments",
    "changes",
];

impl Args {
    /// Merges the query string and the body (JSON or form).
    pub fn parse(
        headers: &HeaderMap,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Self, SlackError> {
        let mut map = Map::new();
        let mut add_pairs = |raw: &[u8]| -> Result<(), SlackError> {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(raw).map_err(|_| "invalid_form_data")?;
            for (k, v) in pairs {
                let value = if JSON_ARGS.contains(&k.as_str()) {
                    serde_json::from_str(&v).unwrap_or(Value::String(v))
                } else {
                    Value::String(v)
                };
                map.insert(k, value);
            }
            Ok(())
        };
        if let Some(q) = query {
            add_pairs(q.as_bytes())?;
        }
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !body.is_empty() {
            if content_type.starts_with("application/json") {
                match serde_json::from_slice(body) {
                    Ok(Value::Object(obj)) => map.extend(obj),
                    _ => return Err("invalid_json"),
                }
            } else {
                add_pairs(body)?;
            }
        }
        Ok(Self(map))
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn flag(&self, key: &str) -> bool {
        match self.0.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true" || s == "1",
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    pub fn number(&self, key: &str) -> Option<i64> {
        match self.0.get(key) {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn required(&self, key: &str) -> Result<&str, SlackError> {
        self.str(key).ok_or("invalid_arguments")
    }
}

/// Slack's answer to a refused call.
pub fn error(code: &str) -> Value {
    json!({"ok": false, "error": code})
}

/// The channel named by `key` (an id, `#product` or `product`).
pub fn channel_arg(args: &Args, key: &str) -> Result<(), SlackError> {
    match args.str(key).ok_or("channel_not_found")? {
        CHANNEL_ID | "product" | "#product" => Ok(()),
        _ => Err("channel_not_found"),
    }
}

/// Checks `blocks` as Slack does: an array of at most `max` typed blocks.
pub fn check_blocks(blocks: Option<&Value>, max: usize) -> Result<Option<Value>, SlackError> {
    let Some(b) = blocks else { return Ok(None) };
    let list = b.as_array().ok_or("invalid_blocks")?;
    if list.len() > max {
        return Err("invalid_blocks");
    }
    if list.iter().any(|x| !x["type"].is_string()) {
        return Err("invalid_blocks");
    }
    Ok(Some(with_ids(b)))
}

/// Gives every block a `block_id` and every element an `action_id`, as Slack
/// does when the app leaves them out.
pub fn with_ids(blocks: &Value) -> Value {
    let mut blocks = blocks.clone();
    for (i, block) in blocks.as_array_mut().into_iter().flatten().enumerate() {
        if !block["block_id"].is_string() {
            block["block_id"] = json!(format!("pg{i}"));
        }
        let mut name = 0;
        let mut fill = |e: &mut Value| {
            if e.is_object() && e["type"].is_string() && !e["action_id"].is_string() {
                e["action_id"] = json!(format!("pga{i}x{name}"));
                name += 1;
            }
        };
        if block["type"] == "actions" {
            if let Some(list) = block.get_mut("elements").and_then(Value::as_array_mut) {
                list.iter_mut().for_each(&mut fill);
            }
        }
        for key in ["accessory", "element"] {
            if let Some(e) = block.get_mut(key) {
                fill(e);
            }
        }
    }
    blocks
}

pub fn member(hub: &Hub) -> Result<(), SlackError> {
    if hub.read(|w| w.bot_member) {
        Ok(())
    } else {
        Err("not_in_channel")
    }
}

/// Sends a channel event to wb (only while the bot is in the channel, as
/// the Events API does).
pub fn emit_channel(hub: &Hub, event: Value) {
    if hub.read(|w| w.bot_member) {
        hub.wb.event(payloads::envelope(hub, event));
    }
}

/// Posts a bot message; the message and its `message` event.
pub fn post_bot(
    hub: &Hub,
    text: String,
    blocks: Option<Value>,
    thread_ts: Option<String>,
    files: Vec<String>,
    metadata: Option<Value>,
) -> Value {
    let (answer, event) = hub.change(|w| {
        let ts = w.next_ts();
        let m = w.add_message(Message {
            ts,
            user: BOT_USER.into(),
            bot: true,
            text,
            blocks,
            thread_ts,
            reactions: vec![],
            files,
            metadata,
            edited: None,
            subtype: None,
        });
        (
            payloads::message(hub, w, &m, true),
            payloads::message_event(hub, w, &m),
        )
    });
    emit_channel(hub, event);
    answer
}
