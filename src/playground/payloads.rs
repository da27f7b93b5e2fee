//! What Slack sends an app, built from the emulated world: the slash-command
//! form, Events API envelopes and their events, and interaction payloads.
//! Shapes follow Slack's (and `/work/shared/slack/fixtures`): field for field
//! what wb reads, plus the ones Slack always sends.

use serde_json::{json, Value};

use super::hub::Hub;
use super::world::*;

pub fn team() -> Value {
    json!({"id": TEAM_ID, "domain": TEAM_DOMAIN})
}

pub fn channel() -> Value {
    json!({"id": CHANNEL_ID, "name": CHANNEL_NAME})
}

/// The `user` of an interaction payload.
pub fn user(hub: &Hub, id: &str) -> Value {
    let name = hub.person(id).map_or(id, |p| p.name.as_str());
    json!({"id": id, "username": name, "name": name, "team_id": TEAM_ID})
}

/// A file as Slack describes it in messages and API answers.
pub fn file(hub: &Hub, f: &File) -> Value {
    let url = format!("{}/files/{}", hub.base_url, f.id);
    json!({
        "id": f.id, "name": f.name, "title": f.title, "mimetype": f.content_type,
        "filetype": f.name.rsplit('.').next().unwrap_or("text"),
        "size": f.content.as_ref().map_or(f.length, String::len),
        "user": BOT_USER, "url_private": url, "url_private_download": format!("{url}?download=1"),
        "permalink": url,
    })
}

/// A message object as `conversations.history` / `block_actions` carry it.
pub fn message(hub: &Hub, world: &World, m: &Message, with_metadata: bool) -> Value {
    let mut v =
        json!({"type": "message", "ts": m.ts, "user": m.user, "text": m.text, "team": TEAM_ID});
    if let Some(blocks) = &m.blocks {
        v["blocks"] = blocks.clone();
    } else if !m.bot {
        v["blocks"] = rich_text(&m.text);
        v["client_msg_id"] = json!(client_msg_id(&m.ts));
    }
    if m.bot {
        v["bot_id"] = json!(BOT_ID);
        v["app_id"] = json!(APP_ID);
        v["bot_profile"] =
            json!({"id": BOT_ID, "app_id": APP_ID, "name": BOT_NAME, "team_id": TEAM_ID});
    }
    if let Some(subtype) = &m.subtype {
        v["subtype"] = json!(subtype);
    }
    if let Some(thread) = &m.thread_ts {
        v["thread_ts"] = json!(thread);
        if let Some(parent) = world.message(thread).filter(|_| thread != &m.ts) {
            v["parent_user_id"] = json!(parent.user);
        }
    }
    let replies = world.replies(&m.ts);
    if m.thread_ts.is_none() && !replies.is_empty() {
        let mut users: Vec<&str> = replies.iter().map(|r| r.user.as_str()).collect();
        users.dedup();
        v["thread_ts"] = json!(m.ts);
        v["reply_count"] = json!(replies.len());
        v["reply_users"] = json!(users);
        v["latest_reply"] = json!(replies.last().map(|r| r.ts.clone()));
    }
    if !m.reactions.is_empty() {
        let list: Vec<Value> = m
            .reactions
            .iter()
            .map(|r| json!({"name": r.name, "users": r.users, "count": r.users.len()}))
            .collect();
        v["reactions"] = json!(list);
    }
    if !m.files.is_empty() {
        let files: Vec<Value> = m
            .files
            .iter()
            .filter_map(|id| world.files.get(id))
            .map(|f| file(hub, f))
            .collect();
        v["files"] = json!(files);
        v["upload"] = json!(false);
    }
    if let Some(ts) = &m.edited {
        v["edited"] = json!({"user": m.user, "ts": ts});
    }
    if with_metadata {
        if let Some(meta) = &m.metadata {
            v["metadata"] = meta.clone();
        }
    }
    v
}

/// The `rich_text` block Slack's composer adds to a typed message.
fn rich_text(text: &str) -> Value {
    json!([{"type": "rich_text", "block_id": "pg0", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    ]}])
}

/// A stable, uuid-shaped id for a typed message.
fn client_msg_id(ts: &str) -> String {
    let digits: String = ts.chars().filter(char::is_ascii_digit).collect();
    let d = format!("{digits:0>32}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &d[0..8],
        &d[8..12],
        &d[13..16],
        &d[17..20],
        &d[20..32]
    )
}

/// The form Slack POSTs for a slash command.
pub fn command_form(
    hub: &Hub,
    user_id: &str,
    command: &str,
    text: &str,
    response_url: &str,
    trigger_id: &str,
) -> String {
    let name = hub.person(user_id).map_or(user_id, |p| p.name.as_str());
    serde_urlencoded::to_string([
        ("token", "playgroundverificationtoken"),
        ("team_id", TEAM_ID),
        ("team_domain", TEAM_DOMAIN),
        ("channel_id", CHANNEL_ID),
        ("channel_name", CHANNEL_NAME),
        ("user_id", user_id),
        ("user_name", name),
        ("command", command),
        ("text", text),
        ("api_app_id", APP_ID),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", trigger_id),
    ])
    .unwrap_or_default()
}

/// An Events API envelope around `event`.
pub fn envelope(hub: &Hub, event: Value) -> Value {
    json!({
        "token": "playgroundverificationtoken",
        "team_id": TEAM_ID,
        "context_team_id": TEAM_ID,
        "context_enterprise_id": null,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": hub.event_id(),
        "event_time": jiff::Timestamp::now().as_second(),
        "authorizations": [{"enterprise_id": null, "team_id": TEAM_ID, "user_id": BOT_USER,
                            "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false,
    })
}

/// The `message` event of a new message.
pub fn message_event(hub: &Hub, world: &World, m: &Message) -> Value {
    let mut e = message(hub, world, m, false);
    for key in ["reply_count", "reply_users", "latest_reply", "reactions"] {
        if let Some(obj) = e.as_object_mut() {
            obj.remove(key);
        }
    }
    if m.thread_ts.is_none() {
        if let Some(obj) = e.as_object_mut() {
            obj.remove("thread_ts");
        }
    }
    e["channel"] = json!(CHANNEL_ID);
    e["event_ts"] = json!(m.ts);
    e["channel_type"] = json!("channel");
    e
}

/// `message_changed`: the message as it is now and as it was.
pub fn changed_event(hub: &Hub, world: &World, now: &Message, before: &Message, ts: &str) -> Value {
    let mut message = message(hub, world, now, false);
    let mut previous = message_event(hub, world, before);
    for v in [&mut message, &mut previous] {
        if let Some(obj) = v.as_object_mut() {
            for key in [
                "reply_count",
                "reply_users",
                "latest_reply",
                "reactions",
                "channel",
                "event_ts",
                "channel_type",
            ] {
                obj.remove(key);
            }
        }
    }
    json!({"type": "message", "subtype": "message_changed", "hidden": true, "channel": CHANNEL_ID,
           "ts": ts, "event_ts": ts, "channel_type": "channel",
           "message": message, "previous_message": previous})
}

/// `message_deleted` of `before`.
pub fn deleted_event(hub: &Hub, world: &World, before: &Message, ts: &str) -> Value {
    let mut previous = message_event(hub, world, before);
    if let Some(obj) = previous.as_object_mut() {
        for key in ["channel", "event_ts", "channel_type"] {
            obj.remove(key);
        }
    }
    json!({"type": "message", "subtype": "message_deleted", "hidden": true, "channel": CHANNEL_ID,
           "ts": ts, "deleted_ts": before.ts, "event_ts": ts, "channel_type": "channel",
           "previous_message": previous})
}

/// `reaction_added` / `reaction_removed`.
pub fn reaction_event(kind: &str, user: &str, name: &str, item: &Message, event_ts: &str) -> Value {
    json!({"type": kind, "user": user, "reaction": name,
           "item": {"type": "message", "channel": CHANNEL_ID, "ts": item.ts},
           "item_user": item.user, "event_ts": event_ts})
}

/// `app_home_opened`; `view` only when a Home view was published before.
pub fn home_opened(user: &str, view: Option<&Value>, event_ts: &str) -> Value {
    let mut e = json!({"type": "app_home_opened", "user": user, "channel": HOME_CHANNEL,
                       "tab": "home", "event_ts": event_ts});
    if let Some(v) = view {
        e["view"] = v.clone();
    }
    e
}

/// The view as Slack sends it back to the app, with `state.values`.
pub fn view_with_state(view: &OpenView, values: Value) -> Value {
    let mut v = view.view.clone();
    v["id"] = json!(view.id);
    v["hash"] = json!(view.hash);
    v["state"] = json!({"values": values});
    v
}

/// `block_actions` of one action.
#[allow(clippy::too_many_arguments)]
pub fn block_actions(
    hub: &Hub,
    user_id: &str,
    container: Value,
    message: Option<Value>,
    view: Option<Value>,
    action: Value,
    trigger_id: &str,
    response_url: Option<&str>,
) -> Value {
    let mut p = json!({
        "type": "block_actions", "user": user(hub, user_id), "api_app_id": APP_ID,
        "token": "playgroundverificationtoken", "container": container, "trigger_id": trigger_id,
        "team": team(), "enterprise": null, "is_enterprise_install": false,
        "state": {"values": {}}, "actions": [action],
    });
    if let Some(m) = message {
        p["message"] = m;
        p["channel"] = channel();
    }
    if let Some(v) = view {
        p["state"] = v["state"].clone();
        p["view"] = v;
    }
    if let Some(url) = response_url {
        p["response_url"] = json!(url);
        p["channel"] = channel();
    }
    p
}

/// `view_submission` of `view` (already carrying its state).
pub fn view_submission(hub: &Hub, user_id: &str, view: Value, trigger_id: &str) -> Value {
    json!({"type": "view_submission", "team": team(), "user": user(hub, user_id),
           "api_app_id": APP_ID, "token": "playgroundverificationtoken", "trigger_id": trigger_id,
           "view": view, "response_urls": [], "is_enterprise_install": false, "enterprise": null})
}

/// `view_closed` (sent only for views with `notify_on_close`).
pub fn view_closed(hub: &Hub, user_id: &str, view: Value) -> Value {
    json!({"type": "view_closed", "team": team(), "user": user(hub, user_id),
           "api_app_id": APP_ID, "token": "playgroundverificationtoken", "view": view,
           "is_cleared": false, "is_enterprise_install": false, "enterprise": null})
}

/// `message_action` (a message shortcut) on message `m`.
pub fn message_action(
    hub: &Hub,
    user_id: &str,
    callback_id: &str,
    m: Value,
    trigger_id: &str,
    response_url: &str,
) -> Value {
    json!({"type": "message_action", "token": "playgroundverificationtoken",
           "action_ts": jiff::Timestamp::now().as_second().to_string() + ".000000",
           "team": team(), "user": user(hub, user_id), "channel": channel(),
           "is_enterprise_install": false, "enterprise": null, "callback_id": callback_id,
           "trigger_id": trigger_id, "response_url": response_url,
           "message_ts": m["ts"], "message": m})
}
