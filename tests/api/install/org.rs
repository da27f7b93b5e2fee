//! An Enterprise Grid org installed org-wide: one installation (keyed by the
//! org) serves every workspace of the org with the org's token, and no
//! workspace outside it; the org's uninstall deletes it.

use serde_json::json;

use super::isolation::teams_of;
use super::*;
use crate::helpers::*;

/// A signed `/wb` command from `team` of org `enterprise` (an org-wide install).
async fn command_of_org(app: &TestApp, team: &str, enterprise: &str, text: &str) -> Answer {
    let body = serde_urlencoded::to_string([
        ("team_id", team),
        ("enterprise_id", enterprise),
        ("is_enterprise_install", "true"),
        ("channel_id", &format!("C{team}")),
        ("user_id", &format!("U{team}")),
        ("command", "/wb"),
        ("text", text),
        ("response_url", &format!("{}/response", app.slack.uri())),
        ("trigger_id", "1.2.3"),
    ])
    .expect("form");
    let ct = "application/x-www-form-urlencoded";
    app.raw(
        "POST",
        "/slack/commands",
        ct,
        body.into_bytes(),
        Signing::Valid,
    )
    .await
}

#[tokio::test]
async fn an_org_wide_install_serves_every_workspace_of_its_org_and_no_other() {
    const ORG: &str = "EORG00001";
    let app = spawn_app_with(installs()).await;
    let done = install(&app, &Workspace::org(ORG, "Globex")).await;
    assert!(
        done.body.contains("wb is installed in Globex"),
        "{}",
        done.body
    );
    let key: String = crate::testdb::query_scalar("SELECT install_key FROM installations")
        .fetch_one(&app.pool)
        .await
        .expect("installation");
    assert_eq!(key, format!("E:{ORG}"));
    for team in ["TORGONE01", "TORGTWO02"] {
        let answer = command_of_org(&app, team, ORG, &format!("pressrelease Idea of {team}")).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    // A workspace outside the org (no install of its own) gets nothing posted.
    let outsider = command_in(
        &app,
        "TOUTSIDE9",
        "COUTSIDE9",
        "UOUTSIDE9",
        "pressrelease Not ours",
    )
    .await;
    assert_eq!(outsider.status, 200);
    app.settle_due().await;
    assert_eq!(teams_of(&app, "chat.postMessage").await, vec![ORG, ORG]);
    let stored: Vec<(String, Option<String>)> =
        crate::testdb::query_as("SELECT team_id, enterprise_id FROM sessions ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .expect("sessions");
    assert_eq!(
        stored,
        vec![
            ("TORGONE01".to_string(), Some(ORG.to_string())),
            ("TORGTWO02".to_string(), Some(ORG.to_string()))
        ]
    );
    let failed: String =
        crate::testdb::query_scalar("SELECT last_error FROM outbox WHERE state = 'failed'")
            .fetch_one(&app.pool)
            .await
            .expect("the outsider's start failed");
    assert!(failed.contains("not_installed"), "{failed}");
    // The org uninstalls (the event names the org, no workspace): its one
    // installation goes.
    let gone = json!({"token": "X", "enterprise_id": ORG, "api_app_id": "A0WB",
        "event": {"type": "app_uninstalled", "event_ts": "1763741000.000100"}, "type": "event_callback",
        "event_id": "EvOrgGone", "event_time": 1763741000,
        "authorizations": [{"enterprise_id": ORG, "team_id": null, "user_id": "UB", "is_bot": true,
            "is_enterprise_install": true}]});
    assert_eq!(app.event(&gone).await.status, 200);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM installations").await, 0);
}
