//! `message` events: which ones are a person's words in a thread (new, edited
//! or deleted), translated into the capture use case's inputs. Channel
//! chatter outside threads, bots and other subtypes change nothing.

use slack_morphism::prelude::*;

use crate::flows::capture::{Deletion, Edit, Reply};
use crate::flows::events::Event;

/// Messages that can change something: human thread replies (incl.
/// `thread_broadcast`), edits and deletions. Channel chatter outside threads,
/// bots and other subtypes are acknowledged without a transaction.
fn is_relevant(msg: &SlackMessageEvent) -> bool {
    match &msg.subtype {
        None | Some(SlackMessageEventType::ThreadBroadcast) => {
            msg.sender.bot_id.is_none()
                && msg
                    .origin
                    .thread_ts
                    .as_ref()
                    .is_some_and(|t| *t != msg.origin.ts)
        }
        Some(SlackMessageEventType::MessageChanged) => msg
            .message
            .as_ref()
            .is_some_and(|m| m.sender.bot_id.is_none()),
        Some(SlackMessageEventType::MessageDeleted) => msg.deleted_ts.is_some(),
        Some(_) => false,
    }
}

/// The capture a message event asks for, if any.
pub fn translate(msg: &SlackMessageEvent) -> Option<Event> {
    if !is_relevant(msg) {
        return None;
    }
    let channel = msg.origin.channel.as_ref()?.0.clone();
    match &msg.subtype {
        Some(SlackMessageEventType::MessageChanged) => {
            let message = msg.message.as_ref()?;
            Some(Event::Edit(Edit {
                channel,
                ts: message.ts.0.clone(),
                user: message.sender.user.as_ref().map(|u| u.0.clone()),
                text: message
                    .content
                    .as_ref()
                    .and_then(|c| c.text.clone())
                    .unwrap_or_default(),
            }))
        }
        Some(SlackMessageEventType::MessageDeleted) => Some(Event::Deletion(Deletion {
            channel,
            ts: msg.deleted_ts.as_ref()?.0.clone(),
        })),
        _ => Some(Event::Reply(Reply {
            channel,
            thread_ts: msg.origin.thread_ts.as_ref()?.0.clone(),
            ts: msg.origin.ts.0.clone(),
            user: msg.sender.user.as_ref()?.0.clone(),
            text: msg
                .content
                .as_ref()
                .and_then(|c| c.text.clone())
                .unwrap_or_default(),
        })),
    }
}
