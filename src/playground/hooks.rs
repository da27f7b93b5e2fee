//! `response_url`s: the per-interaction URLs where an app answers later.
//! Usable 5 times within 30 minutes; `response_type` ephemeral (default) or
//! in_channel, `replace_original` and `delete_original` as Slack applies them.

use std::sync::Arc;

use serde_json::{json, Value};

use super::calls::{check_blocks, emit_channel, post_bot};
use super::hub::Hub;
use super::world::*;

/// Shows an app's message for `user`: only to them (ephemeral) unless
/// `response_type` is `in_channel`. Nothing when it has neither text nor blocks.
pub fn show(hub: &Hub, user: &str, thread_ts: Option<&str>, body: &Value) {
    let text = body["text"].as_str().unwrap_or_default().to_string();
    let blocks = check_blocks(body.get("blocks").filter(|b| !b.is_null()), 50)
        .ok()
        .flatten();
    if text.trim().is_empty() && blocks.is_none() {
        return;
    }
    let thread = body["thread_ts"].as_str().or(thread_ts).map(str::to_string);
    if body["response_type"] == "in_channel" {
        post_bot(hub, text, blocks, thread, vec![], None);
    } else {
        hub.change(|w| w.add_ephemeral(user, thread, text, blocks));
    }
}

/// A POST to a response_url: HTTP status and Slack's JSON answer.
pub fn receive(hub: &Arc<Hub>, key: &str, body: &[u8]) -> (u16, Value) {
    let hook = hub.quietly(|w| {
        let hook = w.hooks.get_mut(key)?;
        hook.uses += 1;
        Some(hook.clone())
    });
    let Some(hook) = hook else {
        return (404, json!({"ok": false, "error": "expired_url"}));
    };
    if hook.uses > 5 {
        return (404, json!({"ok": false, "error": "used_url"}));
    }
    if hook.created.elapsed().as_secs() > 30 * 60 {
        return (404, json!({"ok": false, "error": "expired_url"}));
    }
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return (400, json!({"ok": false, "error": "invalid_payload"}));
    };
    let text = body["text"].as_str().unwrap_or_default();
    if let Err(code) = check_text(text, true) {
        return (400, json!({"ok": false, "error": code}));
    }
    let flag = |k: &str| body[k].as_bool().unwrap_or(false) || body[k] == "true";
    if flag("delete_original") {
        delete_original(hub, &hook);
    } else if flag("replace_original") && (hook.ephemeral.is_some() || hook.message_ts.is_some()) {
        replace_original(hub, &hook, &body);
    } else {
        show(hub, &hook.user, hook.thread_ts.as_deref(), &body);
    }
    (200, json!({"ok": true}))
}

fn delete_original(hub: &Hub, hook: &Hook) {
    if let Some(id) = hook.ephemeral {
        hub.change(|w| w.ephemerals.retain(|e| e.id != id));
        return;
    }
    let Some(ts) = &hook.message_ts else { return };
    let event_ts = hub.quietly(|w| w.next_ts());
    let event = hub.change(|w| {
        let before = w.message(ts).filter(|m| m.bot).cloned()?;
        w.messages.retain(|m| m.ts != *ts);
        Some(super::payloads::deleted_event(hub, w, &before, &event_ts))
    });
    if let Some(e) = event {
        emit_channel(hub, e);
    }
}

fn replace_original(hub: &Hub, hook: &Hook, body: &Value) {
    let text = body["text"].as_str().unwrap_or_default().to_string();
    let blocks = check_blocks(body.get("blocks").filter(|b| !b.is_null()), 50)
        .ok()
        .flatten();
    if let Some(id) = hook.ephemeral {
        hub.change(|w| {
            if let Some(e) = w.ephemerals.iter_mut().find(|e| e.id == id) {
                e.text = text;
                e.blocks = blocks;
            }
        });
        return;
    }
    let Some(ts) = &hook.message_ts else { return };
    let edited_at = hub.quietly(|w| w.next_ts());
    let event = hub.change(|w| {
        let before = w.message(ts).filter(|m| m.bot).cloned()?;
        let now = w.message_mut(ts)?;
        now.text = text;
        now.blocks = blocks;
        now.edited = Some(edited_at.clone());
        let now = now.clone();
        Some(super::payloads::changed_event(
            hub, w, &now, &before, &edited_at,
        ))
    });
    if let Some(e) = event {
        emit_channel(hub, e);
    }
}
