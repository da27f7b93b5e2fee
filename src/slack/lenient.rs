//! Where slack-morphism's models are stricter than Slack, the payload is
//! adjusted before it is parsed instead of being refused: an org-wide
//! install's `"team": null` (and a view's `team_id: null`) get the team
//! [`crate::slack::tenant`] resolved. And a parse error is told without the
//! payload's text in it, so a reason can be logged.

use serde_json::{json, Value};

use crate::domain::tenant::Tenant;

/// Fills the team fields slack-morphism requires and an org-wide install
/// leaves null or out, with the resolved team.
pub fn interaction_for_models(payload: &mut Value, tenant: &Tenant) {
    let Some(object) = payload.as_object_mut() else {
        return;
    };
    let team = object.entry("team").or_insert(Value::Null);
    if team.is_object() {
        if !team["id"].is_string() {
            team["id"] = json!(tenant.team_id);
        }
    } else {
        *team = json!({"id": tenant.team_id});
    }
    if let Some(view) = object.get_mut("view").filter(|v| v.is_object()) {
        if !view["team_id"].is_string() {
            view["team_id"] = json!(tenant.team_id);
        }
    }
}

/// A parse error as a reason safe to log and answer: what was wrong and
/// where, never a value from the payload (serde quotes string values and
/// unknown names; those are replaced by `…`). Field names the model expects
/// (`missing field `team_id``) are kept.
pub fn reason(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let keeps_names =
        message.starts_with("missing field") || message.starts_with("duplicate field");
    let mut out = String::with_capacity(message.len());
    let mut rest = message.as_str();
    // The first backtick span names a field or variant: the payload's for
    // "unknown …", the model's otherwise.
    let mut first_tick = true;
    while let Some(i) = rest.find(['"', '`']) {
        let quote = rest[i..].chars().next().unwrap_or('"');
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(end) = after.find(quote) else {
            out.push(quote);
            out.push('…');
            rest = "";
            break;
        };
        let inner = &after[..end];
        let keep = quote == '`' && (keeps_names || !first_tick);
        if quote == '`' {
            first_tick = false;
        }
        out.push(quote);
        out.push_str(if keep { inner } else { "…" });
        out.push(quote);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_org_wide_interaction_gets_the_resolved_team_where_the_models_need_one() {
        let tenant = Tenant::team("T2");
        let cases = [
            (json!({"team": null}), json!({"team": {"id": "T2"}})),
            (json!({}), json!({"team": {"id": "T2"}})),
            (
                json!({"team": {"id": "T1", "domain": "x"}}),
                json!({"team": {"id": "T1", "domain": "x"}}),
            ),
            (
                json!({"team": {"id": null}, "view": {"team_id": null, "id": "V1"}}),
                json!({"team": {"id": "T2"}, "view": {"team_id": "T2", "id": "V1"}}),
            ),
        ];
        for (mut payload, want) in cases {
            interaction_for_models(&mut payload, &tenant);
            assert_eq!(payload, want);
        }
    }

    #[test]
    fn parse_errors_keep_the_models_names_and_drop_the_payloads_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Model {
            team_id: String,
            count: u32,
            kind: Kind,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            Plain,
        }
        let cases = [
            (
                r#"{"count": 1, "kind": "plain"}"#,
                "missing field `team_id` at line 1",
                "",
            ),
            (
                r#"{"team_id": "T", "count": "my secret text", "kind": "plain"}"#,
                "invalid type: string \"…\", expected u32",
                "my secret",
            ),
            (
                r#"{"team_id": "T", "count": 1, "kind": "rm -rf"}"#,
                "unknown variant `…`, expected `plain`",
                "rm -rf",
            ),
            (
                r#"{"team_id": null"#,
                "invalid type: null, expected a string",
                "",
            ),
        ];
        for (body, want, secret) in cases {
            let err = serde_json::from_str::<Model>(body).expect_err(body);
            let got = reason(&err);
            assert!(got.starts_with(want), "{body}: {got}");
            if !secret.is_empty() {
                assert!(!got.contains(secret), "{got}");
            }
        }
    }
}
