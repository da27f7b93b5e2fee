//! What a person does on the page (`POST /ui/<action>`, JSON): type a message
//! or a slash command, react, edit, delete, open the Home tab, dismiss an
//! ephemeral. Each becomes what Slack would send wb. Buttons, shortcuts and
//! modals are in `interact.rs`. Answers are `{"ok": true}` or
//! `{"ok": false, "error": code}` with Slack's codes.

use std::sync::Arc;

use serde_json::{json, Value};

use super::calls::{emit_channel, error};
use super::hub::Hub;
use super::world::*;
use super::{interact, payloads};

/// Runs page action `action` with its JSON `body`.
pub async fn handle(hub: &Arc<Hub>, action: &str, body: &Value) -> Value {
    let user = body["user"].as_str().unwrap_or_default().to_string();
    if hub.person(&user).is_none() {
        return error("user_not_found");
    }
    let s = |k: &str| body[k].as_str().unwrap_or_default().to_string();
    let result = match action {
        "message" => message(hub, &user, &s("text"), body["thread_ts"].as_str()).await,
        "react" => react(hub, &user, &s("ts"), &s("name")),
        "edit" => edit(hub, &user, &s("ts"), &s("text")),
        "delete" => delete(hub, &user, &s("ts")),
        "home" => home(hub, &user),
        "dismiss" => dismiss(hub, &user, body["id"].as_u64().unwrap_or_default()),
        "action" => interact::action(hub, &user, body).await,
        "shortcut" => interact::shortcut(hub, &user, &s("ts"), &s("callback_id")).await,
        "view/submit" => interact::submit(hub, &user, &s("view_id"), &body["values"]).await,
        "view/close" => interact::close(hub, &user, &s("view_id"), &body["values"]).await,
        _ => Err("unknown_method".to_string()),
    };
    match result {
        Ok(mut v) => {
            v["ok"] = json!(true);
            v
        }
        Err(code) => error(&code),
    }
}

type Done = Result<Value, String>;

/// A notice from Slackbot that only `user` sees.
pub fn slackbot(hub: &Hub, user: &str, thread_ts: Option<&str>, text: String) {
    hub.change(|w| {
        w.add_ephemeral(user, thread_ts.map(str::to_string), text, None);
        if let Some(last) = w.ephemerals.last_mut() {
            last.slackbot = true;
        }
    });
}

async fn message(hub: &Arc<Hub>, user: &str, text: &str, thread_ts: Option<&str>) -> Done {
    check_text(text, false)?;
    if let Some(rest) = text.strip_prefix('/') {
        return command(hub, user, rest, thread_ts).await;
    }
    let thread = match thread_ts {
        Some(ts) => Some(
            hub.read(|w| w.message(ts).map(|m| m.ts.clone()))
                .ok_or("thread_not_found")?,
        ),
        None => None,
    };
    let event = hub.change(|w| {
        let ts = w.next_ts();
        let m = w.add_message(Message {
            ts,
            user: user.into(),
            bot: false,
            text: text.into(),
            blocks: None,
            thread_ts: thread,
            reactions: vec![],
            files: vec![],
            metadata: None,
            edited: None,
            subtype: None,
        });
        (m.ts.clone(), payloads::message_event(hub, w, &m))
    });
    emit_channel(hub, event.1);
    Ok(json!({"ts": event.0}))
}

/// A slash command: Slack's own refusals, or the signed form to wb and its
/// answer shown as Slack shows it.
async fn command(hub: &Arc<Hub>, user: &str, rest: &str, thread_ts: Option<&str>) -> Done {
    let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let command = format!("/{word}");
    if word != "wb" {
        slackbot(hub, user, thread_ts, format!(
            "`{command}` is not a valid command. In Slack, all messages that start with the \"/\" character are interpreted as commands.\n\
             If you are trying to send a message and not run a command, try preceding the \"/\" with an empty space."));
        return Ok(json!({}));
    }
    if thread_ts.is_some() {
        slackbot(
            hub,
            user,
            thread_ts,
            format!("`{command}` is not supported in threads. Sorry!"),
        );
        return Ok(json!({}));
    }
    let (trigger, hook) = hub.quietly(|w| {
        let hook = w.new_hook(Hook {
            user: user.into(),
            message_ts: None,
            ephemeral: None,
            thread_ts: None,
            uses: 0,
            created: std::time::Instant::now(),
        });
        (w.new_trigger(user), hook)
    });
    let form = payloads::command_form(
        hub,
        user,
        &command,
        args.trim(),
        &hub.hook_url(&hook),
        &trigger,
    );
    match hub.wb.command(form).await {
        Ok(answer) if answer.ok() => {
            let body = answer
                .json()
                .unwrap_or_else(|| json!({"text": answer.body}));
            super::hooks::show(hub, user, None, &body);
            Ok(json!({}))
        }
        Ok(_) => {
            slackbot(
                hub,
                user,
                None,
                format!("`{command}` failed with the error \"dispatch_failed\""),
            );
            Ok(json!({}))
        }
        Err(code) => {
            slackbot(
                hub,
                user,
                None,
                format!("`{command}` failed with the error \"{code}\""),
            );
            Ok(json!({}))
        }
    }
}

fn react(hub: &Hub, user: &str, ts: &str, name: &str) -> Done {
    let name = name.trim_matches(':');
    if name.is_empty() {
        return Err("invalid_name".into());
    }
    let event_ts = hub.quietly(|w| w.next_ts());
    let (kind, item) = hub.change(|w| {
        let m = w.message(ts).ok_or("message_not_found")?;
        let mine = m
            .reactions
            .iter()
            .any(|r| r.name == name && r.users.iter().any(|u| u == user));
        if mine {
            w.unreact(ts, user, name)?;
        } else {
            w.react(ts, user, name)?;
        }
        let item = w.message(ts).cloned().ok_or("message_not_found")?;
        Ok::<_, SlackError>((
            if mine {
                "reaction_removed"
            } else {
                "reaction_added"
            },
            item,
        ))
    })?;
    emit_channel(
        hub,
        payloads::reaction_event(kind, user, name, &item, &event_ts),
    );
    Ok(json!({}))
}

fn edit(hub: &Hub, user: &str, ts: &str, text: &str) -> Done {
    check_text(text, false)?;
    let edited_at = hub.quietly(|w| w.next_ts());
    let event = hub.change(|w| {
        let before = w.message(ts).cloned().ok_or("message_not_found")?;
        if before.user != user || before.bot {
            return Err("cant_update_message");
        }
        let now = w.message_mut(ts).ok_or("message_not_found")?;
        now.text = text.to_string();
        now.edited = Some(edited_at.clone());
        let now = now.clone();
        Ok(payloads::changed_event(hub, w, &now, &before, &edited_at))
    })?;
    emit_channel(hub, event);
    Ok(json!({}))
}

fn delete(hub: &Hub, user: &str, ts: &str) -> Done {
    let event_ts = hub.quietly(|w| w.next_ts());
    let event = hub.change(|w| {
        let before = w.message(ts).cloned().ok_or("message_not_found")?;
        if before.user != user || before.bot {
            return Err("cant_delete_message");
        }
        let event = payloads::deleted_event(hub, w, &before, &event_ts);
        if w.replies(ts).is_empty() {
            w.messages.retain(|m| m.ts != ts);
        } else if let Some(m) = w.message_mut(ts) {
            // A parent with replies stays as a tombstone, as in Slack.
            m.text = "This message was deleted.".into();
            m.subtype = Some("tombstone".into());
            m.reactions.clear();
        }
        Ok(event)
    })?;
    emit_channel(hub, event);
    Ok(json!({}))
}

fn home(hub: &Hub, user: &str) -> Done {
    let (view, ts) = hub.quietly(|w| (w.homes.get(user).map(|h| h.view.clone()), w.next_ts()));
    hub.wb.event(payloads::envelope(
        hub,
        payloads::home_opened(user, view.as_ref(), &ts),
    ));
    Ok(json!({}))
}

fn dismiss(hub: &Hub, user: &str, id: u64) -> Done {
    hub.change(|w| w.ephemerals.retain(|e| !(e.id == id && e.user == user)));
    Ok(json!({}))
}
