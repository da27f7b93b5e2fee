//! The *Draft press release* modal (the canonical sections, prefilled with the
//! latest version), the parsing of its submission, and the thread note that
//! announces a new version.

use serde_json::{json, Value};

mod fields;
mod note;

pub use fields::{FieldSpec, FIELDS, MAX_INPUT};
pub use note::thread_note;

use super::{context, limits, section};
use crate::domain::draft::{Draft, DraftFields, Section};
use crate::domain::session::Session;
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::ids::VIEW_DRAFT;

/// Every input carries this action id; its block id names the section.
pub const ACTION_VALUE: &str = "value";
/// The optional free-text input, shown when the latest version has a body.
pub const BLOCK_BODY: &str = "wb_pr_body";
/// Cap on placeholders (Slack: 150 characters).
const PLACEHOLDER: usize = 150;

/// The headline's block id: where an empty-headline error goes.
pub const BLOCK_HEADLINE: &str = FIELDS[0].block_id;

fn plain(text: &str) -> Value {
    json!({"type": "plain_text", "text": text})
}

/// The section inputs, prefilled from `prefill`. In the draft modal the
/// headline is required; in the new-session modal every section is optional.
pub fn field_inputs(prefill: Option<&DraftFields>, headline_required: bool) -> Vec<Value> {
    FIELDS
        .iter()
        .map(|f| {
            let current = prefill.and_then(|p| p.get(f.section));
            let element = match f.max_length {
                None => {
                    let mut e = json!({
                        "type": "datepicker",
                        "action_id": ACTION_VALUE,
                        "placeholder": plain(f.placeholder),
                    });
                    let date = prefill.and_then(DraftFields::launch_date);
                    if let Some(d) = date {
                        e["initial_date"] = json!(d.to_string());
                    }
                    e
                }
                Some(max) => {
                    let mut e = json!({
                        "type": "plain_text_input",
                        "action_id": ACTION_VALUE,
                        "multiline": f.multiline,
                        "max_length": max,
                        "placeholder": plain(&truncate_chars(f.placeholder, PLACEHOLDER)),
                    });
                    if let Some(v) = current {
                        e["initial_value"] = json!(truncate_chars(v, max));
                    }
                    e
                }
            };
            let required = headline_required && f.section == Section::Headline;
            json!({
                "type": "input",
                "block_id": f.block_id,
                "optional": !required,
                "label": plain(f.section.label()),
                "hint": plain(f.hint),
                "element": element,
            })
        })
        .collect()
}

/// `private_metadata` of the draft modal.
pub fn metadata(session_id: i64) -> String {
    json!({ "session_id": session_id }).to_string()
}

/// The session id in a draft modal's `private_metadata`.
pub fn session_id_from_metadata(metadata: &str) -> Option<i64> {
    let value: Value = serde_json::from_str(metadata).ok()?;
    value.get("session_id").and_then(Value::as_i64)
}

/// The draft modal for `session`, prefilled with `latest`.
pub fn draft_modal(session: &Session, latest: Option<&Draft>) -> Value {
    let intro = format!(
        "*{}* · session #{}",
        escape_mrkdwn(&truncate_chars(&session.title, 200)),
        session.id
    );
    let version_note = match latest {
        Some(d) => format!(
            "Saving makes *v{}*. Prefilled from v{} by <@{}>; older versions are kept.",
            d.version + 1,
            d.version,
            escape_mrkdwn(&d.author)
        ),
        None => "Saving makes *v1*, the first draft.".to_string(),
    };
    let mut blocks = vec![
        section(Some("wb_pr_intro"), &intro),
        context(&format!(
            "{version_note} Write for the customer; the bar-raiser answers you privately after each save."
        )),
    ];
    blocks.extend(field_inputs(latest.map(|d| &d.fields), true));
    if let Some(body) = latest.and_then(|d| d.fields.get(Section::Body)) {
        if body.chars().count() <= MAX_INPUT {
            blocks.push(json!({
                "type": "input",
                "block_id": BLOCK_BODY,
                "optional": true,
                "label": plain(Section::Body.label()),
                "hint": plain("The PR: draft from the thread. Clear it once its content is in the sections above."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ACTION_VALUE,
                    "multiline": true,
                    "max_length": MAX_INPUT,
                    "initial_value": body,
                },
            }));
        } else {
            blocks.push(context(&format!(
                "The free-text draft from the thread ({} characters) is kept with this version; \
                 it is too long to edit here.",
                body.chars().count()
            )));
        }
    }
    json!({
        "type": "modal",
        "callback_id": VIEW_DRAFT,
        "private_metadata": metadata(session.id),
        "title": plain(&truncate_chars("Press release", limits::MODAL_TITLE)),
        "submit": plain("Save draft"),
        "close": plain("Cancel"),
        "blocks": blocks,
    })
}

/// What a submitted draft modal holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub fields: DraftFields,
    /// False when the form had no free-text input: the previous body is kept.
    pub body_in_form: bool,
}

/// Reads the sections from a view's `state.values` (as Slack sends them:
/// `value` for text inputs, `selected_date` for the datepicker).
pub fn parse_fields(values: &Value) -> Submitted {
    let read = |block: &str, key: &str| {
        values
            .get(block)
            .and_then(|b| b.get(ACTION_VALUE))
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut fields = DraftFields::default();
    for f in FIELDS {
        let key = if f.max_length.is_none() {
            "selected_date"
        } else {
            "value"
        };
        fields.set(f.section, read(f.block_id, key));
    }
    let body_in_form = values.get(BLOCK_BODY).is_some();
    fields.body = read(BLOCK_BODY, "value");
    Submitted {
        fields: fields.normalized(),
        body_in_form,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::test_support::assert_within_limits;

    fn session() -> Session {
        Session {
            id: 7,
            title: "<!channel> Smart fridge camera".into(),
            team_id: "T".into(),
            channel_id: "C".into(),
            thread_ts: "1.2".into(),
            created_by: "U1".into(),
            created_at: "2026-11-21T00:00:00Z".into(),
            status: Default::default(),
            enterprise_id: None,
        }
    }

    fn inputs(view: &Value) -> Vec<&Value> {
        view["blocks"]
            .as_array()
            .map(|b| b.iter().filter(|b| b["type"] == "input").collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_modal_asks_for_the_nine_sections_and_the_dateline_within_slack_limits() {
        let view = draft_modal(&session(), None);
        assert_eq!(view["callback_id"], VIEW_DRAFT);
        assert_eq!(
            session_id_from_metadata(view["private_metadata"].as_str().unwrap_or_default()),
            Some(7)
        );
        assert!(
            view["title"]["text"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .count()
                <= 24
        );
        let ids: Vec<&str> = inputs(&view)
            .iter()
            .filter_map(|b| b["block_id"].as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "wb_pr_headline",
                "wb_pr_subheadline",
                "wb_pr_dateline_city",
                "wb_pr_launch_date",
                "wb_pr_summary",
                "wb_pr_problem",
                "wb_pr_solution",
                "wb_pr_leader_quote",
                "wb_pr_getting_started",
                "wb_pr_customer_quote",
                "wb_pr_call_to_action"
            ]
        );
        for b in inputs(&view) {
            let e = &b["element"];
            assert!(b["hint"]["text"].as_str().is_some_and(|h| !h.is_empty()));
            assert!(
                e["placeholder"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .count()
                    <= 150
            );
            if e["type"] == "plain_text_input" {
                let max = e["max_length"].as_u64().unwrap_or(0);
                assert!((1..=3000).contains(&max));
            }
            assert_eq!(b["optional"], b["block_id"] != BLOCK_HEADLINE);
        }
        assert_eq!(inputs(&view)[3]["element"]["type"], "datepicker");
        let intro = view["blocks"][0]["text"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(intro.contains("&lt;!channel&gt;") && !intro.contains("<!channel>"));
        let blocks = view["blocks"].as_array().cloned().unwrap_or_default();
        assert_within_limits(&blocks, limits::BLOCKS_PER_MODAL);
    }

    #[test]
    fn the_modal_is_prefilled_from_the_latest_version_within_max_length() {
        let latest = Draft {
            session_id: 7,
            version: 2,
            author: "U9".into(),
            created_at: "x".into(),
            source: "modal".into(),
            fields: DraftFields {
                headline: Some("h".repeat(400)),
                problem: Some("Food goes off".into()),
                launch_date: Some("2027-03-01".into()),
                body: Some("PR: free text".into()),
                ..Default::default()
            },
        };
        let view = draft_modal(&session(), Some(&latest));
        let ins = inputs(&view);
        let headline = ins[0]["element"]["initial_value"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(headline.chars().count(), 150);
        assert_eq!(ins[3]["element"]["initial_date"], "2027-03-01");
        assert_eq!(ins[5]["element"]["initial_value"], "Food goes off");
        assert!(ins[1]["element"].get("initial_value").is_none());
        assert_eq!(ins[11]["block_id"], BLOCK_BODY);
        assert!(view["blocks"][1]["elements"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("*v3*"));

        let mut long = latest.clone();
        long.fields.body = Some("x".repeat(5000));
        long.fields.launch_date = Some("soon".into());
        let view = draft_modal(&session(), Some(&long));
        assert!(inputs(&view).iter().all(|b| b["block_id"] != BLOCK_BODY));
        assert!(inputs(&view)[3]["element"].get("initial_date").is_none());
    }

    #[test]
    fn submissions_are_read_as_slack_sends_them() {
        let values = json!({
            "wb_pr_headline": {"value": {"type": "plain_text_input", "value": "  Fridge cam  "}},
            "wb_pr_subheadline": {"value": {"type": "plain_text_input", "value": null}},
            "wb_pr_launch_date": {"value": {"type": "datepicker", "selected_date": "2027-03-01"}},
            "wb_pr_problem": {"value": {"type": "plain_text_input", "value": "Ünïcödé 🧊"}},
        });
        let got = parse_fields(&values);
        assert_eq!(got.fields.headline.as_deref(), Some("Fridge cam"));
        assert_eq!(got.fields.subheadline, None);
        assert_eq!(got.fields.launch_date.as_deref(), Some("2027-03-01"));
        assert_eq!(got.fields.problem.as_deref(), Some("Ünïcödé 🧊"));
        assert!(!got.body_in_form);
        let with_body = json!({BLOCK_BODY: {"value": {"type": "plain_text_input", "value": ""}}});
        let got = parse_fields(&with_body);
        assert!(got.body_in_form);
        assert_eq!(got.fields.body, None);
        assert_eq!(parse_fields(&json!(null)).fields, DraftFields::default());
    }

    #[test]
    fn metadata_round_trips_and_rejects_garbage() {
        assert_eq!(session_id_from_metadata(&metadata(42)), Some(42));
        for bad in ["", "42x", "{}", "{\"session_id\":\"x\"}", "[1]"] {
            assert_eq!(session_id_from_metadata(bad), None, "{bad}");
        }
    }
}
