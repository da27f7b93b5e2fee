//! The decoding path of `wb serve` (src/http.rs) on arbitrary bytes: slash
//! command forms, Events API envelopes and interaction forms must decode or be
//! refused, never panic. Every input goes through all three paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use slack_morphism::prelude::*;
use wb::domain::command::WbCommand;

fuzz_target!(|data: &[u8]| {
    // /slack/commands: the ssl_check probe, then the typed command.
    let _ = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data);
    if let Ok(ev) = serde_urlencoded::from_bytes::<SlackCommandEvent>(data) {
        let _ = WbCommand::parse(ev.text.as_deref().unwrap_or_default());
    }

    // /slack/events: any JSON object, then the typed callback (as http.rs does),
    // and straight from the bytes (as Socket Mode frames are).
    if let Ok(value @ Value::Object(_)) = serde_json::from_slice::<Value>(data) {
        if value["type"].as_str() == Some("event_callback") {
            let _ = serde_json::from_value::<SlackPushEventCallback>(value.clone());
        }
        let _ = serde_json::from_value::<SlackInteractionEvent>(value);
    }
    let _ = serde_json::from_slice::<SlackPushEventCallback>(data);
    let _ = serde_json::from_slice::<SlackInteractionEvent>(data);

    // /slack/interactions: the form's `payload` field holds the JSON.
    if let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) {
        if let Some((_, payload)) = fields.into_iter().find(|(k, _)| k == "payload") {
            if let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(&payload) {
                let _ = serde_json::from_value::<SlackInteractionEvent>(value);
            }
        }
    }
});
