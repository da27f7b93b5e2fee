//! The emulated Web API's people and conversations: `users.info` (names and
//! time zones), `conversations.join/info`, and `conversations.history/replies`
//! with their paging and, on request, each message's `metadata` as posted.

use serde_json::{json, Value};

use super::calls::{channel_arg, emit_channel, Args};
use super::hub::Hub;
use super::payloads;
use super::world::*;

pub fn users_info(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    let id = args.str("user").ok_or("user_not_found")?;
    if id == BOT_USER {
        return Ok(
            json!({"user": {"id": BOT_USER, "team_id": TEAM_ID, "name": BOT_NAME, "real_name": BOT_NAME,
            "is_bot": true, "deleted": false, "tz": "Europe/London", "tz_label": "Greenwich Mean Time", "tz_offset": 0,
            "profile": {"display_name": "", "real_name": BOT_NAME, "bot_id": BOT_ID}}}),
        );
    }
    let p = hub.person(id).ok_or("user_not_found")?;
    Ok(
        json!({"user": {"id": p.id, "team_id": TEAM_ID, "name": p.name, "real_name": p.real_name,
        "deleted": false, "is_bot": false, "is_admin": false, "tz": p.tz, "tz_label": p.tz_label, "tz_offset": p.tz_offset,
        "profile": {"display_name": p.display_name, "display_name_normalized": p.display_name,
                    "real_name": p.real_name, "real_name_normalized": p.real_name, "team": TEAM_ID}}}),
    )
}

fn channel_object(hub: &Hub) -> Value {
    let (member, canvas) = hub.read(|w| {
        (
            w.bot_member,
            w.canvases
                .iter()
                .find(|c| c.channel_id.is_some())
                .map(|c| c.id.clone()),
        )
    });
    let mut c = json!({"id": CHANNEL_ID, "name": CHANNEL_NAME, "is_channel": true, "is_private": false,
        "is_archived": false, "is_general": false, "is_member": member, "created": 1_763_700_000,
        "creator": hub.people.first().map(|p| p.id.clone()), "num_members": hub.people.len() + usize::from(member),
        "topic": {"value": "Where ideas are worked backwards"}, "purpose": {"value": "Product ideas, PR/FAQs"}});
    if let Some(id) = canvas {
        c["properties"] = json!({"canvas": {"file_id": id, "is_empty": false}});
    }
    c
}

pub fn join(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    if hub.read(|w| w.bot_member) {
        return Ok(
            json!({"channel": channel_object(hub), "warning": "already_in_channel",
                         "response_metadata": {"warnings": ["already_in_channel"]}}),
        );
    }
    let event = hub.change(|w| {
        w.bot_member = true;
        let ts = w.next_ts();
        let m = w.add_message(Message {
            ts,
            user: BOT_USER.into(),
            bot: false,
            text: format!("<@{BOT_USER}> has joined the channel"),
            blocks: None,
            thread_ts: None,
            reactions: vec![],
            files: vec![],
            metadata: None,
            edited: None,
            subtype: Some("channel_join".into()),
        });
        payloads::message_event(hub, w, &m)
    });
    emit_channel(hub, event);
    Ok(json!({"channel": channel_object(hub)}))
}

pub fn info(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    Ok(json!({"channel": channel_object(hub)}))
}

/// `conversations.history` (top-level messages, newest first) or, with
/// `thread`, `conversations.replies` (the parent, then replies oldest first).
pub fn history(hub: &Hub, args: &Args, thread: Option<&str>) -> Result<Value, SlackError> {
    channel_arg(args, "channel")?;
    let limit = args.number("limit").unwrap_or(100).clamp(1, 999) as usize;
    let offset = args
        .str("cursor")
        .and_then(|c| c.strip_prefix("offset:"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let oldest = args.str("oldest").map(str::to_string);
    let latest = args.str("latest").map(str::to_string);
    let inclusive = args.flag("inclusive");
    let with_meta = args.flag("include_all_metadata");
    hub.read(|w| {
        let mut list: Vec<&Message> = match thread {
            None => {
                let mut top: Vec<&Message> = w
                    .messages
                    .iter()
                    .filter(|m| m.thread_ts.as_ref().is_none_or(|t| *t == m.ts))
                    .collect();
                top.reverse();
                top
            }
            Some(ts) => {
                let m = w.message(ts).ok_or("thread_not_found")?;
                let root = m.thread_ts.clone().unwrap_or_else(|| m.ts.clone());
                let parent = w.message(&root).ok_or("thread_not_found")?;
                let mut all = vec![parent];
                all.extend(w.replies(&root));
                all
            }
        };
        let within = |ts: &str| {
            let after = oldest
                .as_deref()
                .is_none_or(|o| if inclusive { ts >= o } else { ts > o });
            let before = latest
                .as_deref()
                .is_none_or(|l| if inclusive { ts <= l } else { ts < l });
            after && before
        };
        list.retain(|m| within(&m.ts));
        let has_more = list.len() > offset + limit;
        let page: Vec<Value> = list
            .iter()
            .skip(offset)
            .take(limit)
            .map(|m| payloads::message(hub, w, m, with_meta))
            .collect();
        let next = if has_more {
            format!("offset:{}", offset + limit)
        } else {
            String::new()
        };
        Ok(
            json!({"messages": page, "has_more": has_more, "pin_count": 0,
                  "response_metadata": {"next_cursor": next}}),
        )
    })
}
