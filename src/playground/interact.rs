//! Interactivity from the page: a click on a Block Kit element (`block_actions`
//! from a message, an ephemeral, a modal or the Home tab), a message shortcut
//! (`message_action`), and a modal's submit or close (`view_submission`,
//! `view_closed`). Each is signed and sent to wb; its answer is applied as
//! Slack applies it.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use super::hub::Hub;
use super::modal::{self, Outcome};
use super::payloads;
use super::world::*;

type Done = Result<Value, String>;

/// The element `action_id` in block `block_id` of `blocks`.
fn find_element(blocks: &Value, block_id: &str, action_id: &str) -> Option<Value> {
    let block = blocks
        .as_array()?
        .iter()
        .find(|b| b["block_id"] == block_id)?;
    let mut candidates: Vec<&Value> = block["elements"]
        .as_array()
        .map(|e| e.iter().collect())
        .unwrap_or_default();
    candidates.push(&block["accessory"]);
    candidates.push(&block["element"]);
    candidates
        .into_iter()
        .find(|e| e["action_id"] == action_id)
        .cloned()
}

/// The `actions[0]` Slack sends for a click (or pick) on `element`.
fn action_object(element: &Value, block_id: &str, raw: &Value, users: &[String]) -> Value {
    let now = jiff::Timestamp::now();
    let action_ts = format!("{}.{:06}", now.as_second(), now.subsec_microsecond());
    let mut a = match element["type"].as_str() {
        Some("button") => {
            let mut b = json!({"type": "button", "text": element["text"]});
            for key in ["value", "style", "url"] {
                if let Some(v) = element.get(key) {
                    b[key] = v.clone();
                }
            }
            b
        }
        Some("overflow") => {
            let picked = element["options"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| o["value"] == *raw);
            json!({"type": "overflow", "selected_option": picked.map(|o| json!({"text": o["text"], "value": o["value"]}))})
        }
        _ => modal::state_values(
            &json!({"blocks": [{"type": "actions", "block_id": block_id, "elements": [element]}]}),
            &json!({block_id: {element["action_id"].as_str().unwrap_or_default(): raw}}),
            users,
        )[block_id][element["action_id"].as_str().unwrap_or_default()]
        .clone(),
    };
    a["action_id"] = element["action_id"].clone();
    a["block_id"] = json!(block_id);
    a["action_ts"] = json!(action_ts);
    a
}

fn user_ids(hub: &Hub) -> Vec<String> {
    hub.people.iter().map(|p| p.id.clone()).collect()
}

/// A click or pick: `source` says where the element is
/// (`{"kind": "message", "ts"}`, `{"kind": "ephemeral", "id"}`, `{"kind": "view", "view_id"}`).
pub async fn action(hub: &Arc<Hub>, user: &str, body: &Value) -> Done {
    let block_id = body["block_id"].as_str().unwrap_or_default();
    let action_id = body["action_id"].as_str().unwrap_or_default();
    let raw = &body["value"];
    let source = &body["source"];
    let users = user_ids(hub);
    let payload = hub.quietly(|w| -> Result<Value, SlackError> {
        let trigger = w.new_trigger(user);
        let hook = |w: &mut World, message_ts: Option<String>, ephemeral: Option<u64>, thread_ts: Option<String>| {
            let key = w.new_hook(Hook { user: user.into(), message_ts, ephemeral, thread_ts, uses: 0, created: Instant::now() });
            hub.hook_url(&key)
        };
        match source["kind"].as_str() {
            Some("message") => {
                let ts = source["ts"].as_str().unwrap_or_default();
                let m = w.message(ts).cloned().ok_or("message_not_found")?;
                let element = m.blocks.as_ref().and_then(|b| find_element(b, block_id, action_id)).ok_or("action_not_found")?;
                let container = json!({"type": "message", "message_ts": m.ts, "channel_id": CHANNEL_ID, "is_ephemeral": false});
                let message = payloads::message(hub, w, &m, false);
                let url = hook(w, Some(m.ts.clone()), None, m.thread_ts.clone());
                Ok(payloads::block_actions(hub, user, container, Some(message), None,
                    action_object(&element, block_id, raw, &users), &trigger, Some(&url)))
            }
            Some("ephemeral") => {
                let id = source["id"].as_u64().unwrap_or_default();
                let e = w.ephemerals.iter().find(|e| e.id == id && e.user == user).cloned().ok_or("message_not_found")?;
                let element = e.blocks.as_ref().and_then(|b| find_element(b, block_id, action_id)).ok_or("action_not_found")?;
                let container = json!({"type": "message", "message_ts": e.ts, "channel_id": CHANNEL_ID, "is_ephemeral": true});
                let url = hook(w, None, Some(e.id), e.thread_ts.clone());
                Ok(payloads::block_actions(hub, user, container, None, None,
                    action_object(&element, block_id, raw, &users), &trigger, Some(&url)))
            }
            Some("view") => {
                let id = source["view_id"].as_str().unwrap_or_default();
                let view = w.modals.get(user).and_then(|s| s.iter().find(|v| v.id == id))
                    .or_else(|| w.homes.get(user).filter(|h| h.id == id)).cloned().ok_or("view_not_found")?;
                let element = find_element(&view.view["blocks"], block_id, action_id).ok_or("action_not_found")?;
                let values = modal::state_values(&view.view, &body["values"], &users);
                let container = json!({"type": "view", "view_id": view.id});
                Ok(payloads::block_actions(hub, user, container, None, Some(payloads::view_with_state(&view, values)),
                    action_object(&element, block_id, raw, &users), &trigger, None))
            }
            _ => Err("invalid_arguments"),
        }
    })?;
    match hub.wb.interaction(&payload).await {
        Ok(a) if a.ok() => Ok(json!({})),
        Ok(a) => Err(format!("the app answered HTTP {}", a.status)),
        Err(code) => Err(code.to_string()),
    }
}

/// A message shortcut (`callback_id`) on message `ts`.
pub async fn shortcut(hub: &Arc<Hub>, user: &str, ts: &str, callback_id: &str) -> Done {
    if callback_id != "wb_add_to_faq" {
        return Err("invalid_callback_id".into());
    }
    let payload = hub.quietly(|w| -> Result<Value, SlackError> {
        let m = w.message(ts).cloned().ok_or("message_not_found")?;
        let message = payloads::message(hub, w, &m, false);
        let trigger = w.new_trigger(user);
        let key = w.new_hook(Hook {
            user: user.into(),
            message_ts: None,
            ephemeral: None,
            thread_ts: m.thread_ts.clone(),
            uses: 0,
            created: Instant::now(),
        });
        Ok(payloads::message_action(
            hub,
            user,
            callback_id,
            message,
            &trigger,
            &hub.hook_url(&key),
        ))
    })?;
    match hub.wb.interaction(&payload).await {
        Ok(a) if a.ok() => Ok(json!({})),
        Ok(a) => Err(format!("the app answered HTTP {}", a.status)),
        Err(code) => Err(code.to_string()),
    }
}

/// Submits `user`'s modal `view_id` with the page's raw `values`.
pub async fn submit(hub: &Arc<Hub>, user: &str, view_id: &str, raw: &Value) -> Done {
    let users = user_ids(hub);
    let prepared = hub.change(|w| -> Result<Option<Value>, SlackError> {
        let trigger = w.new_trigger(user);
        let view = w
            .modals
            .get_mut(user)
            .and_then(|s| s.iter_mut().find(|v| v.id == view_id))
            .ok_or("view_not_found")?;
        if view.submitting {
            return Err("view_already_submitting");
        }
        let values = modal::state_values(&view.view, raw, &users);
        let errors = modal::client_errors(&view.view, &values);
        if !errors.is_empty() {
            view.errors = errors;
            return Ok(None);
        }
        view.errors.clear();
        view.submitting = true;
        Ok(Some(payloads::view_submission(
            hub,
            user,
            payloads::view_with_state(view, values),
            &trigger,
        )))
    })?;
    let Some(payload) = prepared else {
        return Ok(json!({"outcome": "errors"}));
    };
    let answer = hub.wb.interaction(&payload).await;
    let outcome = hub.change(|w| modal::apply(w, user, view_id, answer));
    Ok(match outcome {
        Outcome::Closed => json!({"outcome": "closed"}),
        Outcome::Errors => json!({"outcome": "errors"}),
        Outcome::Updated => json!({"outcome": "updated"}),
        Outcome::Pushed => json!({"outcome": "pushed"}),
        Outcome::Cleared => json!({"outcome": "cleared"}),
        Outcome::Failed(why) => json!({"outcome": "failed", "message": why}),
    })
}

/// Closes `user`'s modal `view_id` (Cancel or ×); wb hears of it only when
/// the view asked with `notify_on_close`, as in Slack.
pub async fn close(hub: &Arc<Hub>, user: &str, view_id: &str, raw: &Value) -> Done {
    let users = user_ids(hub);
    let notify = hub.change(|w| -> Result<Option<Value>, SlackError> {
        let view = w
            .modals
            .get(user)
            .and_then(|s| s.iter().find(|v| v.id == view_id))
            .cloned()
            .ok_or("view_not_found")?;
        let all = view.view["clear_on_close"] == true;
        w.close_modal(user, view_id, all);
        if view.view["notify_on_close"] != true {
            return Ok(None);
        }
        let values = modal::state_values(&view.view, raw, &users);
        let mut payload =
            payloads::view_closed(hub, user, payloads::view_with_state(&view, values));
        payload["is_cleared"] = json!(all);
        Ok(Some(payload))
    })?;
    if let Some(payload) = notify {
        // Slack does not wait on the app to close a view; a failure is only logged.
        if let Err(code) = hub.wb.interaction(&payload).await {
            tracing::info!(code, "playground: view_closed was not acknowledged");
        }
        return Ok(json!({"notified": true}));
    }
    Ok(json!({"notified": false}))
}
