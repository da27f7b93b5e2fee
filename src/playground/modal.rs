//! Modal state as Slack keeps it: the page's raw input values become Slack's
//! exact `state.values` per element type; Slack's own checks (required fields,
//! lengths) run before anything reaches the app; and the app's answer to a
//! `view_submission` (empty, `errors`, `update`, `push`, `clear`) is applied to
//! the user's view stack.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::deliver::{Answer, Failure};
use super::surfaces::prepare;
use super::world::{OpenView, World};

/// What Slack's client says under an empty required input.
pub const REQUIRED: &str = "Please complete this required field.";
/// What Slack's client says when the app did not answer a submission.
pub const TROUBLE: &str = "We had some trouble connecting. Try again?";

/// Every stateful element of a view: (block_id, element).
fn stateful(view: &Value) -> Vec<(String, &Value, bool)> {
    let mut out = Vec::new();
    for block in view["blocks"].as_array().into_iter().flatten() {
        let id = block["block_id"].as_str().unwrap_or_default().to_string();
        let optional = block["optional"].as_bool().unwrap_or(false);
        match block["type"].as_str() {
            Some("input") => out.push((id, &block["element"], optional)),
            Some("actions") => {
                for e in block["elements"].as_array().into_iter().flatten() {
                    if e["type"] != "button" && e["type"] != "overflow" {
                        out.push((id.clone(), e, true));
                    }
                }
            }
            Some("section") if block["accessory"].is_object() => {
                let e = &block["accessory"];
                if !["button", "overflow", "image"]
                    .contains(&e["type"].as_str().unwrap_or("button"))
                {
                    out.push((id, e, true));
                }
            }
            _ => {}
        }
    }
    out
}

/// Every option an element offers (plain or in groups).
fn options(element: &Value) -> Vec<&Value> {
    let mut all: Vec<&Value> = element["options"]
        .as_array()
        .map(|o| o.iter().collect())
        .unwrap_or_default();
    for g in element["option_groups"].as_array().into_iter().flatten() {
        all.extend(g["options"].as_array().into_iter().flatten());
    }
    all
}

/// The option whose value is `value`, as Slack echoes it.
fn option(element: &Value, value: &str) -> Option<Value> {
    options(element)
        .into_iter()
        .find(|o| o["value"] == value)
        .map(|o| {
            let mut echo = json!({"text": o["text"], "value": o["value"]});
            if o.get("description").is_some() {
                echo["description"] = o["description"].clone();
            }
            echo
        })
}

fn strings(raw: &Value) -> Vec<String> {
    match raw {
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Value::String(s) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn text(raw: &Value) -> Option<String> {
    match raw {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_date(s: &str) -> bool {
    jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok()
}

/// One element's state entry from the page's raw value.
fn entry(element: &Value, raw: &Value, users: &[String]) -> Value {
    let kind = element["type"].as_str().unwrap_or_default();
    let mut e = json!({"type": kind});
    match kind {
        "static_select" | "external_select" | "radio_buttons" => {
            e["selected_option"] = text(raw)
                .and_then(|v| option(element, &v))
                .unwrap_or(Value::Null);
        }
        "multi_static_select" | "multi_external_select" | "checkboxes" => {
            let picked: Vec<Value> = strings(raw)
                .iter()
                .filter_map(|v| option(element, v))
                .collect();
            e["selected_options"] = json!(picked);
        }
        "datepicker" => e["selected_date"] = json!(text(raw).filter(|d| is_date(d))),
        "timepicker" => {
            e["selected_time"] =
                json!(text(raw).filter(|t| jiff::civil::Time::strptime("%H:%M", t).is_ok()));
            if let Some(tz) = element["timezone"].as_str() {
                e["timezone"] = json!(tz);
            }
        }
        "datetimepicker" => {
            let secs = raw
                .as_i64()
                .or_else(|| raw.as_str().and_then(|s| s.parse().ok()));
            e["selected_date_time"] = json!(secs);
        }
        "users_select" => e["selected_user"] = json!(text(raw).filter(|u| users.contains(u))),
        "multi_users_select" => {
            let picked: Vec<String> = strings(raw)
                .into_iter()
                .filter(|u| users.contains(u))
                .collect();
            e["selected_users"] = json!(picked);
        }
        "conversations_select" => e["selected_conversation"] = json!(text(raw)),
        "channels_select" => e["selected_channel"] = json!(text(raw)),
        _ => e["value"] = json!(text(raw)),
    }
    e
}

/// Slack's `state.values` for `view`, from the page's `{block: {action: raw}}`.
pub fn state_values(view: &Value, raw: &Value, users: &[String]) -> Value {
    let mut values = Map::new();
    for (block, element, _) in stateful(view) {
        let action = element["action_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let given = &raw[&block][&action];
        let slot = values.entry(block).or_insert_with(|| json!({}));
        slot[action] = entry(element, given, users);
    }
    Value::Object(values)
}

/// Whether a state entry holds nothing.
fn empty(entry: &Value) -> bool {
    [
        "value",
        "selected_option",
        "selected_date",
        "selected_time",
        "selected_date_time",
        "selected_user",
        "selected_conversation",
        "selected_channel",
    ]
    .iter()
    .all(|k| entry[*k].is_null())
        && ["selected_options", "selected_users"]
            .iter()
            .all(|k| entry[*k].as_array().is_none_or(Vec::is_empty))
}

/// The checks Slack's client makes before sending a submission.
pub fn client_errors(view: &Value, values: &Value) -> BTreeMap<String, String> {
    let mut errors = BTreeMap::new();
    for (block, element, optional) in stateful(view) {
        let action = element["action_id"].as_str().unwrap_or_default();
        let entry = &values[&block][action];
        if !optional && empty(entry) {
            errors.insert(block, REQUIRED.to_string());
            continue;
        }
        if let Some(v) = entry["value"].as_str() {
            let n = v.chars().count() as u64;
            if let Some(max) = element["max_length"].as_u64().filter(|m| n > *m) {
                errors.insert(
                    block,
                    format!("Must be {max} characters or fewer (you typed {n})."),
                );
            } else if let Some(min) = element["min_length"].as_u64().filter(|m| n < *m) {
                errors.insert(block, format!("Must be at least {min} characters."));
            }
        }
    }
    errors
}

/// What became of a submission, for the page.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Closed,
    Errors,
    Updated,
    Pushed,
    Cleared,
    /// wb did not answer in time, or not with 200: the modal stays open.
    Failed(String),
}

/// Applies wb's answer to `user`'s submission of view `id`.
pub fn apply(world: &mut World, user: &str, id: &str, answer: Result<Answer, Failure>) -> Outcome {
    let failed = |world: &mut World, why: String| {
        if let Some(v) = world.modal_mut(id) {
            v.submitting = false;
        }
        Outcome::Failed(why)
    };
    let answer = match answer {
        Ok(a) if a.ok() => a,
        Ok(a) => {
            return failed(
                world,
                format!("{TROUBLE} (the app answered HTTP {})", a.status),
            )
        }
        Err(code) => return failed(world, format!("{TROUBLE} ({code})")),
    };
    if answer.body.trim().is_empty() {
        world.close_modal(user, id, false);
        return Outcome::Closed;
    }
    let Some(body) = answer.json() else {
        return failed(world, format!("{TROUBLE} (the app's answer is not JSON)"));
    };
    match body["response_action"].as_str() {
        Some("errors") => {
            let Some(v) = world.modal_mut(id) else {
                return Outcome::Closed;
            };
            v.submitting = false;
            v.errors = body["errors"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            Outcome::Errors
        }
        Some("update") => {
            let hash = world.new_hash();
            let Some(v) = world.modal_mut(id) else {
                return Outcome::Closed;
            };
            let root = v.view["root_view_id"].as_str().map(str::to_string);
            let previous = v.view["previous_view_id"].as_str().map(str::to_string);
            match prepare(
                Some(&body["view"]),
                "modal",
                id,
                &hash,
                root.as_deref(),
                previous.as_deref(),
            ) {
                Ok(view) => {
                    *v = OpenView {
                        id: id.to_string(),
                        hash,
                        user: user.to_string(),
                        view,
                        errors: BTreeMap::new(),
                        submitting: false,
                    };
                    Outcome::Updated
                }
                Err(code) => failed(world, format!("{TROUBLE} ({code})")),
            }
        }
        Some("push") => {
            let (new_id, hash) = world.new_view_ids();
            let stack = world.modals.entry(user.to_string()).or_default();
            let root = stack.first().map(|v| v.id.clone());
            match prepare(
                Some(&body["view"]),
                "modal",
                &new_id,
                &hash,
                root.as_deref(),
                Some(id),
            ) {
                Ok(view) if stack.len() < 3 => {
                    if let Some(top) = stack.iter_mut().find(|v| v.id == id) {
                        top.submitting = false;
                    }
                    stack.push(OpenView {
                        id: new_id,
                        hash,
                        user: user.to_string(),
                        view,
                        errors: BTreeMap::new(),
                        submitting: false,
                    });
                    Outcome::Pushed
                }
                Ok(_) => failed(world, format!("{TROUBLE} (push_limit_reached)")),
                Err(code) => failed(world, format!("{TROUBLE} ({code})")),
            }
        }
        Some("clear") => {
            world.close_modal(user, id, true);
            Outcome::Cleared
        }
        _ => {
            world.close_modal(user, id, false);
            Outcome::Closed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Value {
        json!({"blocks": [
            {"type": "input", "block_id": "h", "element": {"type": "plain_text_input", "action_id": "value", "max_length": 5}},
            {"type": "input", "block_id": "d", "optional": true, "element": {"type": "datepicker", "action_id": "value"}},
            {"type": "input", "block_id": "r", "element": {"type": "radio_buttons", "action_id": "value",
                "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}]}},
            {"type": "input", "block_id": "s", "optional": true, "element": {"type": "static_select", "action_id": "value",
                "option_groups": [{"label": {"type": "plain_text", "text": "G"}, "options": [{"text": {"type": "plain_text", "text": "B"}, "value": "b"}]}]}},
            {"type": "input", "block_id": "c", "optional": true, "element": {"type": "checkboxes", "action_id": "value",
                "options": [{"text": {"type": "plain_text", "text": "C"}, "value": "c"}]}},
            {"type": "input", "block_id": "t", "optional": true, "element": {"type": "datetimepicker", "action_id": "value"}},
            {"type": "input", "block_id": "u", "optional": true, "element": {"type": "multi_users_select", "action_id": "value"}},
            {"type": "input", "block_id": "v", "optional": true, "element": {"type": "users_select", "action_id": "value"}}
        ]})
    }

    #[test]
    fn state_values_have_slacks_shape_per_element() {
        let raw = json!({"h": {"value": "Hi"}, "d": {"value": "2027-03-01"}, "r": {"value": "a"}, "s": {"value": "b"},
                         "c": {"value": ["c"]}, "t": {"value": 1_800_000_000}, "u": {"value": ["U1", "Ux"]}, "v": {"value": "U1"}});
        let values = state_values(&view(), &raw, &["U1".to_string()]);
        assert_eq!(
            values["h"]["value"],
            json!({"type": "plain_text_input", "value": "Hi"})
        );
        assert_eq!(values["d"]["value"]["selected_date"], "2027-03-01");
        assert_eq!(values["r"]["value"]["selected_option"]["value"], "a");
        assert_eq!(values["s"]["value"]["selected_option"]["text"]["text"], "B");
        assert_eq!(values["c"]["value"]["selected_options"][0]["value"], "c");
        assert_eq!(values["t"]["value"]["selected_date_time"], 1_800_000_000);
        assert_eq!(values["u"]["value"]["selected_users"], json!(["U1"]));
        assert_eq!(values["v"]["value"]["selected_user"], "U1");
        assert!(client_errors(&view(), &values).is_empty());
    }

    #[test]
    fn slacks_client_checks_come_first() {
        let values = state_values(
            &view(),
            &json!({"h": {"value": "toolong"}, "d": {"value": "nope"}}),
            &[],
        );
        assert_eq!(values["h"]["value"]["value"], "toolong");
        assert!(values["d"]["value"]["selected_date"].is_null());
        let errors = client_errors(&view(), &values);
        assert!(errors["h"].starts_with("Must be 5 characters or fewer"));
        assert_eq!(errors["r"], REQUIRED);
        assert_eq!(errors.len(), 2);
    }
}
