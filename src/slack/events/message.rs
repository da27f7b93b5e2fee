//! `message` events: which ones are a person's words in a thread (new, edited
//! or deleted), translated into the capture use case's inputs. Every subtype
//! wb has decided about is a row of [`SUBTYPES`]; channel chatter outside
//! threads, bots and wb itself change nothing.
//!
//! The event is read from its JSON with only the fields wb needs (user, text,
//! ts, thread, files…), never through a full typed model: a block, attachment
//! or file shape a model does not know must not drop a reply's text.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use super::super::json::JsonRead;
use crate::domain::docset::AttachedFile;
use crate::flows::capture::{Deletion, Edit, Reply};
use crate::flows::events::Event;

/// What wb does with a `message` event of a subtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// A person's reply: captured (prefix rules on its text) when it is in a
    /// session thread.
    Reply,
    /// An edit (`message` holds the message as it is now).
    Edit,
    /// A deletion (`deleted_ts` names the message).
    Deletion,
    /// Not a person's reply; the text says what it is instead.
    Ignore(&'static str),
}

const MEMBERSHIP: Handling = Handling::Ignore("membership notice");
const SETTING: Handling = Handling::Ignore("channel setting changed");
const NOTICE: Handling = Handling::Ignore("notice posted by Slack, not a person");
const INTEGRATION: Handling = Handling::Ignore("integration notice");

/// Every `message` subtype wb has decided about (`None`: a plain message). A
/// subtype Slack adds later is ignored — and logged once — until a row here
/// says otherwise; `tests/api/payloads.rs` holds one expectation per row.
pub const SUBTYPES: &[(Option<&str>, Handling)] = &[
    (None, Handling::Reply),
    (Some("thread_broadcast"), Handling::Reply),
    (Some("file_share"), Handling::Reply),
    (Some("me_message"), Handling::Reply),
    (Some("message_changed"), Handling::Edit),
    (Some("message_deleted"), Handling::Deletion),
    (
        Some("bot_message"),
        Handling::Ignore("posted by an integration"),
    ),
    (
        Some("slackbot_response"),
        Handling::Ignore("Slackbot's answer"),
    ),
    // The reply itself arrives as its own event.
    (
        Some("message_replied"),
        Handling::Ignore("thread got a reply"),
    ),
    (Some("ekm_access_denied"), Handling::Ignore("hidden by EKM")),
    (
        Some("tombstone"),
        Handling::Ignore("a deleted message's placeholder"),
    ),
    (Some("channel_join"), MEMBERSHIP),
    (Some("channel_leave"), MEMBERSHIP),
    (Some("group_join"), MEMBERSHIP),
    (Some("group_leave"), MEMBERSHIP),
    (Some("joiner_notification"), MEMBERSHIP),
    (Some("joiner_notification_for_inviter"), MEMBERSHIP),
    (Some("app_conversation_join"), MEMBERSHIP),
    (Some("app_conversation_leave"), MEMBERSHIP),
    (Some("channel_topic"), SETTING),
    (Some("channel_purpose"), SETTING),
    (Some("channel_name"), SETTING),
    (Some("group_topic"), SETTING),
    (Some("group_purpose"), SETTING),
    (Some("group_name"), SETTING),
    (Some("channel_archive"), SETTING),
    (Some("channel_unarchive"), SETTING),
    (Some("group_archive"), SETTING),
    (Some("group_unarchive"), SETTING),
    (Some("channel_convert_to_private"), SETTING),
    (Some("channel_convert_to_public"), SETTING),
    (Some("channel_posting_permissions"), SETTING),
    (Some("channel_canvas_updated"), NOTICE),
    (Some("tabbed_canvas_updated"), NOTICE),
    (Some("pinned_item"), NOTICE),
    (Some("unpinned_item"), NOTICE),
    (Some("reminder_add"), NOTICE),
    (Some("huddle_thread"), NOTICE),
    (Some("sh_room_created"), NOTICE),
    (Some("assistant_app_thread"), NOTICE),
    (Some("file_comment"), NOTICE),
    (Some("file_mention"), NOTICE),
    (Some("bot_add"), INTEGRATION),
    (Some("bot_remove"), INTEGRATION),
    (Some("bot_enable"), INTEGRATION),
    (Some("bot_disable"), INTEGRATION),
];

/// The row of `subtype`, if wb has decided about it.
pub fn handling(subtype: Option<&str>) -> Option<Handling> {
    SUBTYPES
        .iter()
        .find(|(s, _)| *s == subtype)
        .map(|(_, h)| *h)
}

/// The capture a message event asks for, if any. `bot_user` is wb's own user
/// in this workspace: what it posts (an uploaded export) is never a reply.
pub fn translate<J: JsonRead>(event: &J, bot_user: Option<&str>) -> Option<Event> {
    let msg = Message::read(event);
    let Some(handling) = handling(msg.subtype) else {
        note_unknown(msg.subtype.unwrap_or_default());
        return None;
    };
    let channel = msg.channel?.to_string();
    match handling {
        Handling::Reply => {
            let thread_ts = msg.thread_ts.filter(|t| Some(*t) != msg.ts)?;
            if !msg.by_a_person(bot_user) {
                return None;
            }
            Some(Event::Reply(Reply {
                channel,
                thread_ts: thread_ts.to_string(),
                ts: msg.ts?.to_string(),
                user: msg.user?.to_string(),
                text: msg.text.to_string(),
                files: msg.files.unwrap_or_default(),
            }))
        }
        Handling::Edit => edit(&event["message"], channel, bot_user),
        Handling::Deletion => Some(Event::Deletion(Deletion {
            channel,
            ts: str_of(&event["deleted_ts"])?.to_string(),
        })),
        Handling::Ignore(what) => {
            tracing::debug!(what, "ignored a message that is not a person's reply");
            None
        }
    }
}

/// A `message_changed`: the message as it is now.
fn edit<J: JsonRead>(now: &J, channel: String, bot_user: Option<&str>) -> Option<Event> {
    let msg = Message::read(now);
    let ts = msg.ts?.to_string();
    match msg.subtype {
        // A message whose last file was deleted becomes a tombstone.
        Some("tombstone") => return Some(Event::Deletion(Deletion { channel, ts })),
        subtype if !matches!(handling(subtype), Some(Handling::Reply)) => return None,
        _ => {}
    }
    if msg.bot_id.is_some() || (msg.user.is_some() && msg.user == bot_user) {
        return None;
    }
    Some(Event::Edit(Edit {
        channel,
        ts,
        user: msg.user.map(str::to_string),
        text: msg.text.to_string(),
        files: msg.files,
    }))
}

/// The fields of a message wb reads; anything else is ignored.
struct Message<'a> {
    subtype: Option<&'a str>,
    user: Option<&'a str>,
    bot_id: Option<&'a str>,
    text: &'a str,
    ts: Option<&'a str>,
    thread_ts: Option<&'a str>,
    channel: Option<&'a str>,
    /// `None` when the message has no `files` array.
    files: Option<Vec<AttachedFile>>,
}

impl<'a> Message<'a> {
    fn read<J: JsonRead>(v: &'a J) -> Self {
        Self {
            subtype: str_of(&v["subtype"]),
            user: str_of(&v["user"]),
            bot_id: str_of(&v["bot_id"]),
            text: v["text"].text().unwrap_or_default(),
            ts: str_of(&v["ts"]),
            thread_ts: str_of(&v["thread_ts"]),
            channel: str_of(&v["channel"]),
            files: v["files"].items().map(|files| files_of(files)),
        }
    }

    /// Written by a person: not a bot, not wb itself.
    fn by_a_person(&self, bot_user: Option<&str>) -> bool {
        self.bot_id.is_none() && self.user.is_some() && self.user != bot_user
    }
}

/// The files of a message that still exist, as wb keeps them. A deleted file
/// stays in the list as a tombstone (`mode: "tombstone"`) and is left out; one
/// hidden by a free plan's limit shows only its id.
fn files_of<J: JsonRead>(files: &[J]) -> Vec<AttachedFile> {
    files
        .iter()
        .filter(|f| f["mode"].text() != Some("tombstone"))
        .filter_map(|f| {
            let id = str_of(&f["id"])?;
            let name = str_of(&f["name"])
                .or_else(|| str_of(&f["title"]))
                .unwrap_or(id);
            Some(AttachedFile {
                id: id.to_string(),
                name: name.to_string(),
                permalink: str_of(&f["permalink"]).map(str::to_string),
            })
        })
        .collect()
}

/// A non-empty string field.
fn str_of<J: JsonRead>(v: &J) -> Option<&str> {
    v.text().filter(|s| !s.trim().is_empty())
}

/// Logs a subtype wb has not decided about, once per process (and at most a
/// few dozen distinct ones, whatever a sender makes up).
fn note_unknown(subtype: &str) {
    static SEEN: OnceLock<Mutex<BTreeSet<String>>> = OnceLock::new();
    let subtype: String = subtype.chars().take(48).collect();
    let Ok(mut seen) = SEEN.get_or_init(Default::default).lock() else {
        return;
    };
    if seen.len() < 64 && seen.insert(subtype.clone()) {
        tracing::info!(
            subtype,
            "ignored a message subtype wb has not decided about (slack::events::message::SUBTYPES)"
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn reply(extra: Value) -> Value {
        let mut event = json!({
            "type": "message", "channel": "C1", "user": "U1", "text": "Q: does this layout work?",
            "ts": "2.000200", "thread_ts": "1.000100", "channel_type": "channel"
        });
        if let (Some(e), Some(x)) = (event.as_object_mut(), extra.as_object()) {
            e.extend(x.clone());
        }
        event
    }

    #[test]
    fn a_file_share_reply_keeps_its_text_and_live_files() {
        let event = reply(json!({"subtype": "file_share", "upload": true, "files": [
            {"id": "F1", "name": "layout.png", "title": "Layout", "permalink": "https://acme.slack.com/files/U1/F1/layout.png",
             "mimetype": "image/png", "url_private": "not a url", "created": "yesterday"},
            {"id": "F2", "mode": "tombstone"},
            {"id": "F3", "title": "Untitled sketch"},
            {"id": "F4", "mode": "hidden_by_limit"},
            {"name": "no id"}
        ]}));
        let Some(Event::Reply(r)) = translate(&event, Some("UBOT")) else {
            panic!("not a reply: {event}");
        };
        assert_eq!(r.text, "Q: does this layout work?");
        let files: Vec<(&str, &str, Option<&str>)> = r
            .files
            .iter()
            .map(|f| (f.id.as_str(), f.name.as_str(), f.permalink.as_deref()))
            .collect();
        assert_eq!(
            files,
            vec![
                (
                    "F1",
                    "layout.png",
                    Some("https://acme.slack.com/files/U1/F1/layout.png")
                ),
                ("F3", "Untitled sketch", None),
                ("F4", "F4", None),
            ]
        );
    }

    #[test]
    fn what_is_not_a_persons_thread_reply_is_ignored() {
        let cases = [
            (
                "wb's own upload",
                reply(json!({"subtype": "file_share", "user": "UBOT"})),
            ),
            ("a bot", reply(json!({"bot_id": "B1"}))),
            ("channel chatter", reply(json!({"thread_ts": null}))),
            ("a thread's root", reply(json!({"thread_ts": "2.000200"}))),
            ("no channel", reply(json!({"channel": null}))),
            (
                "an unknown subtype",
                reply(json!({"subtype": "hologram_share"})),
            ),
        ];
        for (what, event) in cases {
            assert_eq!(translate(&event, Some("UBOT")), None, "{what}");
        }
    }

    #[test]
    fn edits_follow_the_message_and_a_tombstone_is_a_deletion() {
        let changed = |message: Value| {
            json!({"type": "message", "subtype": "message_changed", "channel": "C1", "hidden": true,
                   "ts": "3.0", "message": message, "previous_message": {"ts": "2.000200"}})
        };
        let edited = changed(
            json!({"type": "message", "subtype": "file_share", "user": "U1",
            "text": "CX: see the sketch", "ts": "2.000200", "files": [{"id": "F1", "name": "a.png"}]}),
        );
        let Some(Event::Edit(e)) = translate(&edited, Some("UBOT")) else {
            panic!("not an edit");
        };
        assert_eq!(
            (e.ts.as_str(), e.text.as_str()),
            ("2.000200", "CX: see the sketch")
        );
        assert_eq!(e.files.map(|f| f.len()), Some(1));

        let tomb = changed(
            json!({"type": "message", "subtype": "tombstone", "user": "USLACKBOT",
            "text": "This message was deleted.", "ts": "2.000200", "hidden": true}),
        );
        assert_eq!(
            translate(&tomb, None),
            Some(Event::Deletion(Deletion {
                channel: "C1".into(),
                ts: "2.000200".into()
            }))
        );
        let unfurl = changed(json!({"user": "U1", "text": "same", "ts": "2.000200"}));
        let Some(Event::Edit(e)) = translate(&unfurl, None) else {
            panic!("not an edit");
        };
        assert_eq!(e.files, None, "no files array: the stored list stays");
        for bot in [
            json!({"bot_id": "B1", "text": "x", "ts": "2.1"}),
            json!({"user": "UBOT", "text": "x", "ts": "2.1"}),
            json!({"subtype": "bot_message", "text": "x", "ts": "2.1"}),
        ] {
            assert_eq!(
                translate(&changed(bot.clone()), Some("UBOT")),
                None,
                "{bot}"
            );
        }
    }

    #[test]
    fn every_subtype_is_listed_once() {
        let mut seen = BTreeSet::new();
        for (subtype, _) in SUBTYPES {
            assert!(seen.insert(*subtype), "{subtype:?} listed twice");
        }
    }
}
