//! manifest.yml and the code agree: every command, event, shortcut and action
//! id in one is handled by the other (read from the registry the dispatch
//! itself uses), and the manifest asks for exactly the scopes of the Web API
//! methods wb calls and the events it subscribes to — the scopes the install
//! link asks for.

use std::collections::BTreeSet;

use wb::slack::registry::{Action, EventKind, Shortcut, COMMAND, COMMAND_SCOPE};
use yaml_serde::Value;

fn manifest() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.yml"))
        .expect("manifest.yml");
    yaml_serde::from_str(&text).expect("manifest.yml is YAML")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_manifest_registers_exactly_what_the_code_handles() {
    let m = manifest();
    let commands: Vec<String> = m["features"]["slash_commands"]
        .as_sequence()
        .expect("slash_commands")
        .iter()
        .filter_map(|c| c["command"].as_str().map(str::to_string))
        .collect();
    assert_eq!(commands, vec![COMMAND.to_string()]);

    let events: BTreeSet<String> = strings(&m["settings"]["event_subscriptions"]["bot_events"])
        .into_iter()
        .collect();
    let handled: BTreeSet<String> = EventKind::ALL
        .iter()
        .flat_map(|k| k.subscriptions().iter().map(|s| s.to_string()))
        .collect();
    assert_eq!(events, handled);

    let shortcuts: Vec<String> = m["features"]["shortcuts"]
        .as_sequence()
        .expect("shortcuts")
        .iter()
        .filter_map(|s| s["callback_id"].as_str().map(str::to_string))
        .collect();
    let handled: Vec<&str> = Shortcut::ALL.iter().map(|s| s.callback_id()).collect();
    assert_eq!(shortcuts, handled);

    assert_eq!(
        m["settings"]["interactivity"]["is_enabled"],
        Value::Bool(true)
    );
    for (key, route) in [
        (
            &m["settings"]["event_subscriptions"]["request_url"],
            "/slack/events",
        ),
        (
            &m["settings"]["interactivity"]["request_url"],
            "/slack/interactions",
        ),
        (
            &m["features"]["slash_commands"][0]["url"],
            "/slack/commands",
        ),
    ] {
        assert!(key.as_str().unwrap_or_default().ends_with(route), "{key:?}");
    }
}

#[test]
fn the_manifest_respects_slacks_limits() {
    let m = manifest();
    for c in m["features"]["slash_commands"]
        .as_sequence()
        .expect("commands")
    {
        assert!(c["command"].as_str().unwrap_or_default().len() <= 32);
        assert!(c["usage_hint"].as_str().unwrap_or_default().len() <= 1000);
        assert!(c["description"].as_str().unwrap_or_default().len() <= 2000);
    }
    for s in m["features"]["shortcuts"].as_sequence().expect("shortcuts") {
        assert!(s["name"].as_str().unwrap_or_default().chars().count() <= 24);
        assert!(
            s["description"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .count()
                <= 150
        );
    }
}

#[test]
fn the_bot_asks_for_the_scopes_its_calls_and_events_need_and_no_more() {
    let m = manifest();
    let asked: BTreeSet<String> = strings(&m["oauth_config"]["scopes"]["bot"])
        .into_iter()
        .collect();
    let mut needed: BTreeSet<String> = wb::webapi::scopes::method_scopes()
        .into_iter()
        .map(str::to_string)
        .collect();
    needed.extend(
        EventKind::ALL
            .iter()
            .flat_map(|k| k.scopes().iter().map(|s| s.to_string())),
    );
    needed.insert(COMMAND_SCOPE.to_string());
    assert_eq!(asked, needed);
    // The install link asks for the same list (`registry::bot_scopes`).
    let linked: BTreeSet<String> = wb::slack::registry::bot_scopes()
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(linked, asked);
}

#[test]
fn every_button_on_the_root_message_has_a_handler() {
    let msg = wb::views::root::root_message("x", "U1", Some(1), &Default::default()).to_value();
    let ids: Vec<&str> = msg["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["elements"].as_array())
        .flatten()
        .filter_map(|e| e["action_id"].as_str())
        .collect();
    let handled: Vec<&str> = Action::ALL.iter().map(|a| a.id()).collect();
    assert!(ids.iter().all(|id| handled.contains(id)), "{ids:?}");
    // The ids are stable: messages already posted carry them.
    assert_eq!(
        ids,
        [
            "wb_draft_pr",
            "wb_ask",
            "wb_answer",
            "wb_export",
            "wb_review",
            "wb_decide",
            "wb_triage"
        ]
    );
    // The rest are on the review meeting's messages (reading copy, comments).
    let meeting: Vec<&str> = handled
        .iter()
        .copied()
        .filter(|id| !ids.contains(id))
        .collect();
    assert_eq!(meeting, ["wb_comment", "wb_end_reading"]);
}
