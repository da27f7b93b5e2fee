//! The one place that says whose a Slack payload is ([`Tenant`]): the
//! workspace, its Enterprise Grid org and whether the install is org-wide,
//! read from every shape Slack sends. An app installed org-wide gets events
//! without an envelope `team_id` (only `context_team_id`, the event's `team`
//! or `user_team`), `authorizations[].team_id: null`, and interactions with
//! `"team": null`; a workspace install gets the plain fields. The OAuth work
//! finds installations and checks isolation from the same [`Tenant`].

use serde_json::Value;

use super::json::JsonRead;
use crate::domain::tenant::Tenant;

/// An Events API envelope's tenant: the team from the envelope's `team_id`,
/// else `context_team_id`, else the event's `team` / `user_team`, else the
/// authorization's; the org from the envelope, else the authorization.
/// `None` when no workspace is named anywhere.
pub fn of_event<J: JsonRead>(envelope: &J) -> Option<Tenant> {
    let event = &envelope["event"];
    let auth = &envelope["authorizations"][0];
    let team_id = first(&[
        &envelope["team_id"],
        &envelope["context_team_id"],
        &event["team"],
        &event["user_team"],
        &event["source_team"],
        &auth["team_id"],
        &event["user"]["team_id"],
    ])?;
    let enterprise_id = first(&[
        &envelope["enterprise_id"],
        &envelope["context_enterprise_id"],
        &auth["enterprise_id"],
        &event["enterprise"],
        &event["user"]["enterprise_user"]["enterprise_id"],
    ]);
    let org_install =
        flag(&auth["is_enterprise_install"]) || flag(&envelope["is_enterprise_install"]);
    Some(Tenant {
        team_id,
        enterprise_id,
        org_install,
    })
}

/// The org-wide installation an event is about when it names an org but no
/// workspace (an org's `app_uninstalled` or `tokens_revoked`): the tenant
/// of the org itself.
pub fn org_of_event<J: JsonRead>(envelope: &J) -> Option<Tenant> {
    let auth = &envelope["authorizations"][0];
    let enterprise_id = first(&[
        &envelope["enterprise_id"],
        &envelope["context_enterprise_id"],
        &auth["enterprise_id"],
    ])?;
    Some(Tenant {
        team_id: String::new(),
        enterprise_id: Some(enterprise_id),
        org_install: true,
    })
}

/// wb's own bot user in an event's workspace: the envelope's bot
/// authorization (its own messages are never a person's reply).
pub fn bot_user_of_event<J: JsonRead>(envelope: &J) -> Option<String> {
    envelope["authorizations"]
        .items()?
        .iter()
        .find(|a| a["is_bot"].truth() == Some(true))
        .and_then(|a| text(&a["user_id"]))
}

/// An interaction payload's tenant: `team.id`, else (an org-wide install
/// sends `"team": null`) the user's `team_id`, else the view's; the org from
/// `enterprise.id`.
pub fn of_interaction(payload: &Value) -> Option<Tenant> {
    let team_id = first(&[
        &payload["team"]["id"],
        &payload["user"]["team_id"],
        &payload["view"]["team_id"],
        &payload["team_id"],
    ])?;
    let enterprise_id = first(&[
        &payload["enterprise"]["id"],
        &payload["enterprise_id"],
        &payload["user"]["enterprise_id"],
    ]);
    Some(Tenant {
        team_id,
        enterprise_id,
        org_install: flag(&payload["is_enterprise_install"]),
    })
}

/// The first non-empty string among `values`.
fn first<J: JsonRead>(values: &[&J]) -> Option<String> {
    values.iter().find_map(|v| text(*v))
}

fn text<J: JsonRead>(v: &J) -> Option<String> {
    v.text()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `true` as JSON or as a form field's text.
fn flag<J: JsonRead>(v: &J) -> bool {
    v.truth() == Some(true) || v.text() == Some("true")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tenant(team: &str, enterprise: Option<&str>, org_install: bool) -> Tenant {
        Tenant {
            team_id: team.into(),
            enterprise_id: enterprise.map(str::to_string),
            org_install,
        }
    }

    #[test]
    fn an_events_team_comes_from_the_envelope_then_the_context_then_the_event() {
        let org_auth = json!([{"enterprise_id": "E1", "team_id": null, "user_id": "UB", "is_bot": true, "is_enterprise_install": true}]);
        let cases = [
            (
                json!({"team_id": "T1", "context_team_id": "T2", "authorizations": [{"team_id": "T1", "user_id": "UB", "is_bot": true}], "event": {"team": "T3"}}),
                Some(tenant("T1", None, false)),
            ),
            (
                json!({"context_team_id": "T2", "context_enterprise_id": "E1", "authorizations": org_auth, "event": {"team": "T3"}}),
                Some(tenant("T2", Some("E1"), true)),
            ),
            (
                json!({"team_id": "", "authorizations": org_auth, "event": {"user_team": "T4"}}),
                Some(tenant("T4", Some("E1"), true)),
            ),
            (
                json!({"enterprise_id": "E1", "authorizations": org_auth, "event": {"team": "T3", "user_team": "T4"}}),
                Some(tenant("T3", Some("E1"), true)),
            ),
            (
                json!({"authorizations": org_auth, "event": {"type": "app_home_opened"}}),
                None,
            ),
        ];
        for (envelope, want) in cases {
            assert_eq!(of_event(&envelope), want, "{envelope}");
        }
    }

    #[test]
    fn an_org_level_event_without_a_workspace_is_the_orgs() {
        let envelope = json!({"enterprise_id": "E1", "authorizations": [{"enterprise_id": "E1", "team_id": null}]});
        assert_eq!(of_event(&envelope), None);
        assert_eq!(org_of_event(&envelope), Some(tenant("", Some("E1"), true)));
        assert_eq!(org_of_event(&json!({"team_id": "T1"})), None);
    }

    #[test]
    fn wb_knows_its_own_bot_user_from_the_authorizations() {
        let envelope = json!({"authorizations": [{"user_id": "UH", "is_bot": false}, {"user_id": "UB", "is_bot": true}]});
        assert_eq!(bot_user_of_event(&envelope).as_deref(), Some("UB"));
        assert_eq!(bot_user_of_event(&json!({"authorizations": null})), None);
    }

    #[test]
    fn an_interaction_without_a_team_takes_the_users() {
        let cases = [
            (
                json!({"team": {"id": "T1"}, "user": {"id": "U", "team_id": "T2"}, "enterprise": null}),
                Some(tenant("T1", None, false)),
            ),
            (
                json!({"team": null, "user": {"id": "U", "team_id": "T2"}, "enterprise": {"id": "E1", "name": "Acme"}, "is_enterprise_install": true}),
                Some(tenant("T2", Some("E1"), true)),
            ),
            (
                json!({"team": null, "user": {"id": "U"}, "view": {"team_id": "T3"}}),
                Some(tenant("T3", None, false)),
            ),
            (json!({"team": null, "user": {"id": "U"}}), None),
        ];
        for (payload, want) in cases {
            assert_eq!(of_interaction(&payload), want, "{payload}");
        }
    }
}
