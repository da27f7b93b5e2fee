//! Every `message` subtype wb has decided about, one expectation per row of
//! `slack::events::message::SUBTYPES`: a row without an expectation here (or
//! the other way round) fails, so a new subtype is a deliberate decision.

use serde_json::json;

use super::*;
use crate::faq::{reply, reply_event, ANA, ROOT};
use wb::slack::events::message::SUBTYPES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Captured as a new reply.
    Captured,
    /// Edits the message it names.
    Edits,
    /// Deletes the message it names.
    Deletes,
    /// Changes nothing.
    Ignored,
}
use Want::*;

const EXPECTED: &[(Option<&str>, Want)] = &[
    (None, Captured),
    (Some("thread_broadcast"), Captured),
    (Some("file_share"), Captured),
    (Some("me_message"), Captured),
    (Some("message_changed"), Edits),
    (Some("message_deleted"), Deletes),
    (Some("bot_message"), Ignored),
    (Some("slackbot_response"), Ignored),
    (Some("message_replied"), Ignored),
    (Some("ekm_access_denied"), Ignored),
    (Some("tombstone"), Ignored),
    (Some("channel_join"), Ignored),
    (Some("channel_leave"), Ignored),
    (Some("group_join"), Ignored),
    (Some("group_leave"), Ignored),
    (Some("joiner_notification"), Ignored),
    (Some("joiner_notification_for_inviter"), Ignored),
    (Some("app_conversation_join"), Ignored),
    (Some("app_conversation_leave"), Ignored),
    (Some("channel_topic"), Ignored),
    (Some("channel_purpose"), Ignored),
    (Some("channel_name"), Ignored),
    (Some("group_topic"), Ignored),
    (Some("group_purpose"), Ignored),
    (Some("group_name"), Ignored),
    (Some("channel_archive"), Ignored),
    (Some("channel_unarchive"), Ignored),
    (Some("group_archive"), Ignored),
    (Some("group_unarchive"), Ignored),
    (Some("channel_convert_to_private"), Ignored),
    (Some("channel_convert_to_public"), Ignored),
    (Some("channel_posting_permissions"), Ignored),
    (Some("channel_canvas_updated"), Ignored),
    (Some("tabbed_canvas_updated"), Ignored),
    (Some("pinned_item"), Ignored),
    (Some("unpinned_item"), Ignored),
    (Some("reminder_add"), Ignored),
    (Some("huddle_thread"), Ignored),
    (Some("sh_room_created"), Ignored),
    (Some("assistant_app_thread"), Ignored),
    (Some("file_comment"), Ignored),
    (Some("file_mention"), Ignored),
    (Some("bot_add"), Ignored),
    (Some("bot_remove"), Ignored),
    (Some("bot_enable"), Ignored),
    (Some("bot_disable"), Ignored),
    // Not in the table: a subtype Slack adds later is ignored until decided.
    (Some("hologram_share"), Ignored),
];

#[tokio::test]
async fn every_message_subtype_is_handled_as_its_row_says() {
    let decided: Vec<Option<&str>> = SUBTYPES.iter().map(|(s, _)| *s).collect();
    let tested: Vec<Option<&str>> = EXPECTED
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| *s != Some("hologram_share"))
        .collect();
    assert_eq!(
        decided, tested,
        "each SUBTYPES row needs one expectation here"
    );

    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    for (i, (subtype, want)) in EXPECTED.iter().enumerate() {
        // A person's reply already captured, which an edit or deletion names.
        let earlier = format!("1763741000.{i:06}");
        reply(&app, &format!("EvEarlier{i}"), &earlier, "Looks good").await;
        // The row's event: shaped as a person's thread reply, carrying what an
        // edit (`message`) or a deletion (`deleted_ts`) needs as well.
        let ts = format!("1763742000.{i:06}");
        let mut event = reply_event(&ts, ROOT, ANA, &format!("Row {i} asks?"));
        if let Some(subtype) = subtype {
            event["subtype"] = json!(subtype);
        }
        event["message"] = json!({
            "type": "message", "user": ANA, "text": format!("Row {i} edited?"),
            "ts": earlier, "thread_ts": ROOT
        });
        event["deleted_ts"] = json!(earlier);
        deliver(&app, &envelope(&format!("EvRow{i}"), event)).await;

        let new_question = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM questions WHERE message_ts = '{ts}' AND deleted_at IS NULL"
            ),
        )
        .await;
        let edited_question = count(
            &app,
            &format!("SELECT COUNT(*) FROM questions WHERE message_ts = '{earlier}' AND deleted_at IS NULL"),
        )
        .await;
        let earlier_entry = count(
            &app,
            &format!("SELECT COUNT(*) FROM entries WHERE message_ts = '{earlier}' AND deleted_at IS NULL"),
        )
        .await;
        let got = match (new_question, edited_question, earlier_entry) {
            (1, 0, 1) => Captured,
            (0, 1, 0) => Edits,
            (0, 0, 0) => Deletes,
            (0, 0, 1) => Ignored,
            other => panic!("{subtype:?}: unexpected rows {other:?}"),
        };
        assert_eq!(got, *want, "subtype {subtype:?}");
    }
}
