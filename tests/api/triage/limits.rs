//! Slack's documented Block Kit limits for a modal (FACTS.md A6, D14–D18),
//! checked on the JSON wb sends: every block, element, option and text.

use std::collections::HashSet;

use serde_json::Value;

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn text_of(v: &Value) -> &Value {
    &v["text"]
}

/// A plain_text or mrkdwn object within `max` characters (and not empty).
fn check_text(obj: &Value, max: usize, what: &str, problems: &mut Vec<String>) {
    if obj.is_null() {
        return;
    }
    let n = chars(text_of(obj));
    if n == 0 || n > max {
        problems.push(format!("{what}: {n} characters (1–{max})"));
    }
}

fn check_option(o: &Value, problems: &mut Vec<String>) {
    check_text(&o["text"], 75, "option text", problems);
    if o["value"].as_str().map_or(0, str::len) > 150 {
        problems.push("option value over 150".into());
    }
    check_text(&o["description"], 75, "option description", problems);
}

fn check_element(e: &Value, action_ids: &mut HashSet<String>, problems: &mut Vec<String>) {
    let kind = e["type"].as_str().unwrap_or_default();
    if let Some(id) = e["action_id"].as_str() {
        if id.len() > 255 {
            problems.push(format!("action_id over 255: {id}"));
        }
        if !action_ids.insert(id.to_string()) {
            problems.push(format!("action_id {id} twice in one block"));
        }
    }
    check_text(&e["placeholder"], 150, "placeholder", problems);
    match kind {
        "button" => {
            check_text(&e["text"], 75, "button text", problems);
            if e["value"].as_str().map_or(0, str::len) > 2000 {
                problems.push("button value over 2000".into());
            }
        }
        "static_select" | "radio_buttons" | "checkboxes" | "overflow" => {
            let mut options: Vec<&Value> = e["options"].as_array().into_iter().flatten().collect();
            for g in e["option_groups"].as_array().into_iter().flatten() {
                check_text(&g["label"], 75, "option group label", problems);
                options.extend(g["options"].as_array().into_iter().flatten());
            }
            let max = match kind {
                "static_select" => 100,
                "overflow" => 5,
                _ => 10,
            };
            if options.is_empty() || options.len() > max {
                problems.push(format!("{kind} with {} options (1–{max})", options.len()));
            }
            for o in &options {
                check_option(o, problems);
            }
            if !e["initial_option"].is_null() && !options.iter().any(|o| **o == e["initial_option"])
            {
                problems.push(format!("{kind}: initial_option is not one of its options"));
            }
        }
        "plain_text_input" => {
            let max = e["max_length"].as_u64().unwrap_or(3000);
            if !(1..=3000).contains(&max) {
                problems.push(format!("max_length {max}"));
            }
        }
        "users_select" => {}
        other => problems.push(format!("unexpected element type {other}")),
    }
}

/// Every limit a modal view must keep, or a panic listing what is wrong.
pub fn assert_modal_within_slack_limits(view: &Value) {
    let mut problems = Vec::new();
    if view["type"] != "modal" {
        problems.push("not a modal".into());
    }
    for key in ["title", "submit", "close"] {
        check_text(&view[key], 24, key, &mut problems);
    }
    if view["callback_id"].as_str().map_or(0, str::len) > 255 {
        problems.push("callback_id over 255".into());
    }
    if view["private_metadata"].as_str().map_or(0, str::len) > 3000 {
        problems.push("private_metadata over 3000".into());
    }
    let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
    if blocks.is_empty() || blocks.len() > 100 {
        problems.push(format!("{} blocks (1–100)", blocks.len()));
    }
    let has_input = blocks.iter().any(|b| b["type"] == "input");
    if has_input && view["submit"].is_null() {
        problems.push("input blocks without a submit button".into());
    }
    let mut block_ids = HashSet::new();
    for b in &blocks {
        if let Some(id) = b["block_id"].as_str() {
            if id.len() > 255 || !block_ids.insert(id.to_string()) {
                problems.push(format!("block_id {id} too long or repeated"));
            }
        }
        let mut action_ids = HashSet::new();
        match b["type"].as_str().unwrap_or_default() {
            "header" => check_text(&b["text"], 150, "header", &mut problems),
            "section" => {
                check_text(&b["text"], 3000, "section text", &mut problems);
                if !b["accessory"].is_null() {
                    check_element(&b["accessory"], &mut action_ids, &mut problems);
                }
            }
            "context" => {
                let elements = b["elements"].as_array().cloned().unwrap_or_default();
                if elements.is_empty() || elements.len() > 10 {
                    problems.push(format!("context with {} elements", elements.len()));
                }
                for e in &elements {
                    check_text(e, 3000, "context text", &mut problems);
                }
            }
            "actions" => {
                let elements = b["elements"].as_array().cloned().unwrap_or_default();
                if elements.is_empty() || elements.len() > 25 {
                    problems.push(format!("actions with {} elements", elements.len()));
                }
                for e in &elements {
                    check_element(e, &mut action_ids, &mut problems);
                }
            }
            "input" => {
                check_text(&b["label"], 2000, "input label", &mut problems);
                check_element(&b["element"], &mut action_ids, &mut problems);
            }
            "divider" => {}
            other => problems.push(format!("unexpected block type {other}")),
        }
    }
    let size = view.to_string().len();
    if size > 250_000 {
        problems.push(format!(
            "view is {size} bytes (views over 250 kB are refused)"
        ));
    }
    assert!(problems.is_empty(), "outside Slack's limits: {problems:#?}");
}
