//! The emulated Web API at `/api/<method>`: Slack's arguments (JSON body, form
//! or query string), its bearer-token check, its answers and its error codes.
//! Messages and reactions live here; users and conversations in
//! `conversations.rs`; views, files and canvases in `surfaces.rs`. Every answer is `{"ok": …}` with HTTP 200, as
//! Slack's are; nothing here can panic on bad input.

use std::sync::Arc;

use http::HeaderMap;
use serde_json::{json, Value};

use super::calls::*;
use super::hub::Hub;
use super::payloads;
use super::world::*;
use super::{conversations, surfaces};

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
