//! manifest.yml and the code agree: every command, event, shortcut and action id
//! in one is handled by the other.

use serde_yaml::Value;

fn manifest() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.yml"))
        .expect("manifest.yml");
    serde_yaml::from_str(&text).expect("manifest.yml is YAML")
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
    assert_eq!(commands, vec![wb::slack::ids::COMMAND.to_string()]);

    let mut events = strings(&m["settings"]["event_subscriptions"]["bot_events"]);
    events.sort();
    let mut handled: Vec<String> = wb::slack::ids::EVENTS
        .iter()
        .map(|s| s.to_string())
        .collect();
    handled.sort();
    assert_eq!(events, handled);

    let shortcuts: Vec<String> = m["features"]["shortcuts"]
        .as_sequence()
        .expect("shortcuts")
        .iter()
        .filter_map(|s| s["callback_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(shortcuts, wb::slack::ids::SHORTCUTS.to_vec());

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
fn the_bot_asks_for_the_scopes_its_calls_need_and_no_more() {
    let m = manifest();
    let mut scopes = strings(&m["oauth_config"]["scopes"]["bot"]);
    scopes.sort();
    let mut want = vec![
        "canvases:write",
        "channels:history",
        "channels:join",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "reactions:read",
        "reactions:write",
        "users:read",
    ];
    want.sort();
    assert_eq!(scopes, want);
}

#[test]
fn root_message_buttons_use_the_stable_action_ids() {
    let msg = wb::slack::views::root::root_message("x", "U1", Some(1), &Default::default());
    let ids: Vec<&str> = msg["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["elements"].as_array())
        .flatten()
        .filter_map(|e| e["action_id"].as_str())
        .collect();
    assert_eq!(ids, ["wb_draft_pr", "wb_ask", "wb_answer", "wb_export"]);
}
