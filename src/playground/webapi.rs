//! The emulated Web API at `/api/<method>`: Slack's arguments (JSON body, form
//! or query string), its bearer-token check, its answers and its error codes.
//! Messages and reactions live here; users and conversations in
//! `conversations.rs`; views, files and canvases in `surfaces.rs`. Every answer is `{"ok": …}` with HTTP 200, as
//! Slack's are; nothing here can panic on bad input.

use std::sync::Arc;

use http::HeaderMap;
use serde_json::{json, Map, Value};

use super::hub::Hub;
use super::payloads;
use super::world::*;
use super::{conversations, surfaces};

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

/// Answers one Web API call.
pub fn handle(
    hub: &Arc<Hub>,
    method: &str,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Value {
    let args = match Args::parse(headers, query, body) {
        Ok(a) => a,
        Err(code) => return error(code),
    };
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = bearer.or(args.str("token")) else {
        return error("not_authed");
    };
    if token != hub.bot_token {
        return error("invalid_auth");
    }
    let answer = match method {
        "api.test" => Ok(json!({})),
        "auth.test" => Ok(
            json!({"url": format!("{}/", hub.base_url), "team": TEAM_NAME,
            "user": BOT_NAME, "team_id": TEAM_ID, "user_id": BOT_USER, "bot_id": BOT_ID}),
        ),
        "chat.postMessage" => post_message(hub, &args),
        "chat.update" => update(hub, &args),
        "chat.postEphemeral" => post_ephemeral(hub, &args),
        "chat.getPermalink" => permalink(hub, &args),
        "reactions.add" => reaction(hub, &args, true),
        "reactions.remove" => reaction(hub, &args, false),
        "users.info" => conversations::users_info(hub, &args),
        "conversations.join" => conversations::join(hub, &args),
        "conversations.info" => conversations::info(hub, &args),
        "conversations.history" => conversations::history(hub, &args, None),
        "conversations.replies" => args
            .required("ts")
            .map(str::to_string)
            .and_then(|ts| conversations::history(hub, &args, Some(&ts))),
        _ => surfaces::handle(hub, method, &args).unwrap_or(Err("unknown_method")),
    };
    match answer {
        Ok(mut v) => {
            v["ok"] = json!(true);
            v
        }
        Err(code) => error(code),
    }
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

fn post_message(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    let blocks = check_blocks(args.get("blocks"), 50)?;
    let text = args.str("text").unwrap_or_default().to_string();
    check_text(&text, blocks.is_some())?;
    member(hub)?;
    let thread_ts = args.str("thread_ts").map(str::to_string);
    let metadata = args.get("metadata").cloned();
    let message = post_bot(hub, text, blocks, thread_ts, vec![], metadata);
    Ok(json!({"channel": CHANNEL_ID, "ts": message["ts"], "message": message}))
}

fn update(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    let ts = args.required("ts")?.to_string();
    let blocks = check_blocks(args.get("blocks"), 50)?;
    let text = args.str("text").map(str::to_string);
    if let Some(t) = &text {
        check_text(t, true)?;
    }
    member(hub)?;
    let edited_at = hub.quietly(|w| w.next_ts());
    let (answer, event) = hub.change(|w| {
        let before = w.message(&ts).cloned().ok_or("message_not_found")?;
        if !before.bot {
            return Err("cant_update_message");
        }
        let now = w.message_mut(&ts).ok_or("message_not_found")?;
        if let Some(t) = text {
            now.text = t;
        }
        if blocks.is_some() {
            now.blocks = blocks;
        }
        if let Some(meta) = args.get("metadata") {
            now.metadata = Some(meta.clone());
        }
        now.edited = Some(edited_at.clone());
        let now = now.clone();
        let answer = json!({"channel": CHANNEL_ID, "ts": ts, "text": now.text,
                            "message": payloads::message(hub, w, &now, true)});
        Ok((
            answer,
            payloads::changed_event(hub, w, &now, &before, &edited_at),
        ))
    })?;
    emit_channel(hub, event);
    Ok(answer)
}

fn post_ephemeral(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    let user = args.required("user")?;
    if hub.person(user).is_none() {
        return Err("user_not_in_channel");
    }
    let blocks = check_blocks(args.get("blocks"), 50)?;
    let text = args.str("text").unwrap_or_default().to_string();
    check_text(&text, blocks.is_some())?;
    let thread_ts = args.str("thread_ts").map(str::to_string);
    let e = hub.change(|w| w.add_ephemeral(user, thread_ts, text, blocks));
    Ok(json!({"message_ts": e.ts}))
}

fn permalink(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    let ts = args.required("message_ts")?;
    let thread = hub
        .read(|w| w.message(ts).map(|m| m.thread_ts.clone()))
        .ok_or("message_not_found")?;
    let mut link = format!(
        "{}/archives/{CHANNEL_ID}/p{}",
        hub.base_url,
        ts.replace('.', "")
    );
    if let Some(parent) = thread.filter(|p| p != ts) {
        link.push_str(&format!("?thread_ts={parent}&cid={CHANNEL_ID}"));
    }
    Ok(json!({"channel": CHANNEL_ID, "permalink": link}))
}

fn reaction(hub: &Hub, args: &Args, add: bool) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    let ts = args.required("timestamp")?.to_string();
    let name = args.required("name")?.trim_matches(':').to_string();
    let valid = |c: char| c.is_ascii_alphanumeric() || "_+-:'".contains(c);
    if name.is_empty() || name.len() > 100 || !name.chars().all(valid) {
        return Err("invalid_name");
    }
    member(hub)?;
    let event_ts = hub.quietly(|w| w.next_ts());
    let item = hub.change(|w| {
        if add {
            w.react(&ts, BOT_USER, &name)?;
        } else {
            w.unreact(&ts, BOT_USER, &name)?;
        }
        w.message(&ts).cloned().ok_or("message_not_found")
    })?;
    let kind = if add {
        "reaction_added"
    } else {
        "reaction_removed"
    };
    emit_channel(
        hub,
        payloads::reaction_event(kind, BOT_USER, &name, &item, &event_ts),
    );
    Ok(json!({}))
}
