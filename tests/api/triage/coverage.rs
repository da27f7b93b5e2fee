//! Coverage of the internal FAQ by Carr's four families: guessed at capture,
//! counted over internal non-merged questions, shown on the root message, in
//! the Home tab, in the export and as the bar-raiser's `faq-coverage`.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

/// The text of the latest `chat.update` of the root message.
async fn root_text(app: &TestApp) -> String {
    app.settle().await;
    app.calls("chat.update")
        .await
        .iter()
        .rev()
        .find(|u| u["ts"] == ROOT)
        .map(Value::to_string)
        .unwrap_or_default()
}

#[tokio::test]
async fn the_root_message_and_the_export_name_the_family_without_a_question() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    reply(&app, "EvC1", "1763740100.000001", "IQ: What is the TAM?").await;
    reply(
        &app,
        "EvC2",
        "1763740100.000002",
        "IQ: How does the camera see in the dark?",
    )
    .await;
    reply(
        &app,
        "EvC3",
        "1763740100.000003",
        "Internal: What if legal says no?",
    )
    .await;
    // External questions do not count, whatever their words.
    reply(&app, "EvC4", "1763740100.000004", "How much will it cost?").await;

    let root = root_text(&app).await;
    assert!(root.contains("Internal FAQ:* no Economics questions yet (customer 1 · solution 1 · economics 0 · risks 1)"), "{root}");
    let doc = export(&app);
    assert_eq!(
        doc["coverage"],
        json!({"customer": 1, "solution": 1, "economics": 0, "risks": 1})
    );
    let raw =
        String::from_utf8_lossy(&app.wb(&["export", "1", "--format", "json"]).stdout).into_owned();
    let coverage_at = raw.find("\n  \"coverage\":").expect("coverage key");
    assert!(raw
        .find("\n  \"discussion\":")
        .is_some_and(|d| d < coverage_at));
    assert_eq!(
        raw[coverage_at..].matches("\n  \"").count(),
        1,
        "coverage is the last key"
    );
    assert_eq!(faq_entry(&doc, 1)["family"], "customer");
    assert_eq!(faq_entry(&doc, 3)["family"], "risks");
    assert_eq!(faq_entry(&doc, 4)["family"], Value::Null);

    // The Markdown groups the internal FAQ by family and names the gap.
    let md =
        String::from_utf8_lossy(&app.wb(&["export", "1", "--format", "md"]).stdout).into_owned();
    let at = |h: &str| md.find(h).unwrap_or_else(|| panic!("{h} missing:\n{md}"));
    assert!(at("#### Customer — ") < at("What is the TAM?"));
    assert!(at("What is the TAM?") < at("#### Solution — "));
    assert!(at("#### Risks — ") < at("What if legal says no?"));
    assert!(md.contains("*No Economics questions yet.*"));

    // The bar-raiser's report says it too, by rule id.
    reply(
        &app,
        "EvPr",
        "1763740100.000005",
        "PR: The fridge camera shows what is inside.",
    )
    .await;
    let out = app.wb(&["review", "1", "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("review json");
    let finding = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["rule"] == "faq-coverage"))
        .cloned()
        .unwrap_or_else(|| panic!("no faq-coverage finding: {report}"));
    let says = finding["suggestion"].as_str().unwrap_or_default();
    assert!(
        says.starts_with("The internal FAQ has no Economics questions yet."),
        "{says}"
    );
    // …and so does the author's private review of that draft.
    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    assert!(
        reviews
            .iter()
            .any(|r| r.to_string().contains("no Economics questions yet")),
        "{reviews:?}"
    );

    // An economics question closes the gap everywhere.
    reply(
        &app,
        "EvC6",
        "1763740100.000006",
        "IQ: What margin do we make per unit?",
    )
    .await;
    let root = root_text(&app).await;
    assert!(root.contains("covers all four families"), "{root}");
    assert_eq!(export(&app)["coverage"]["economics"], 1);
    let out = app.wb(&["review", "1", "--json"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("faq-coverage"));
}

#[tokio::test]
async fn a_merged_internal_question_leaves_the_coverage() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    reply(&app, "EvC1", "1763740100.000001", "IQ: What will it cost?").await;
    reply(
        &app,
        "EvC2",
        "1763740100.000002",
        "IQ: What is the cost per unit?",
    )
    .await;
    assert_eq!(export(&app)["coverage"]["economics"], 2);

    let list = open_triage(&app).await;
    save_edit(
        &app,
        &list,
        2,
        USER,
        edit_values(Some("open"), None, Some("economics"), Some(1)),
    )
    .await;

    assert_eq!(
        export(&app)["coverage"],
        json!({"customer": 0, "solution": 0, "economics": 1, "risks": 0})
    );
}

#[tokio::test]
async fn the_home_tab_shows_each_sessions_coverage() {
    let app = spawn_app().await;
    mount_triage(&app, "Europe/Paris").await;
    app.start_session("Smart fridge camera").await;
    reply(
        &app,
        "EvC1",
        "1763740100.000001",
        "IQ: Which customers will use it?",
    )
    .await;

    let opened = json!({"type": "app_home_opened", "user": USER, "channel": "D0HOME", "tab": "home",
                        "event_ts": "1763740200.000001"});
    assert_eq!(app.event(&envelope("EvHome", opened)).await.status, 200);

    let published = app.wait_for_calls("views.publish", 1).await;
    let text = published[0].to_string();
    assert!(
        text.contains("no Solution, Economics or Risks questions yet (customer 1"),
        "{text}"
    );
}
