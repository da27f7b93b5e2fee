//! Press-release drafting: the modal, versions, the root message, the thread
//! note, the bar-raiser's private review, `/wb pressrelease` without an idea
//! and `wb review`.

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::Mock;

use crate::helpers::*;

/// A click on *Draft press release* on the root message `root_ts`.
fn click_draft(app: &TestApp, root_ts: &str, session_id: i64) -> Value {
    let mut payload: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    payload["container"]["message_ts"] = json!(root_ts);
    payload["message"]["ts"] = json!(root_ts);
    payload["actions"][0]["value"] = json!(session_id.to_string());
    payload["trigger_id"] = json!(format!("trigger-{root_ts}"));
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    payload
}

/// A `view_submission` of `view` (as wb opened it) with these inputs, in the
/// shape Slack sends: text inputs carry `value`, the datepicker `selected_date`.
fn submission(view: &Value, inputs: &[(&str, &str)]) -> Value {
    let mut values = serde_json::Map::new();
    for (block, text) in inputs {
        let state = if *block == "wb_pr_launch_date" {
            json!({"value": {"type": "datepicker", "selected_date": text}})
        } else {
            json!({"value": {"type": "plain_text_input", "value": text}})
        };
        values.insert(block.to_string(), state);
    }
    let mut view = view.clone();
    view["id"] = json!("V0PKB1ZFV");
    view["team_id"] = json!(TEAM);
    view["hash"] = json!("1763740500.abcdef12");
    view["app_id"] = json!("A123456");
    view["bot_id"] = json!("B0BOT");
    view["root_view_id"] = json!("V0PKB1ZFV");
    view["state"] = json!({ "values": values });
    json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": USER, "username": "steve", "name": "steve", "team_id": TEAM},
        "api_app_id": "A123456",
        "token": "XXYYZZ",
        "trigger_id": "12466734323.1395872398.0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "view": view,
        "response_urls": [],
        "is_enterprise_install": false,
    })
}

/// Clicks the button and returns the view the fake Slack received in `views.open`.
async fn open_modal(app: &TestApp, root_ts: &str, session_id: i64) -> Value {
    let before = app.calls("views.open").await.len();
    let answer = app
        .interaction(&click_draft(app, root_ts, session_id))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let opened = app.wait_for_calls("views.open", before + 1).await;
    let call = &opened[before];
    assert_eq!(call["trigger_id"], format!("trigger-{root_ts}"));
    call["view"].clone()
}

fn inputs(view: &Value) -> Vec<Value> {
    view["blocks"]
        .as_array()
        .map(|b| b.iter().filter(|b| b["type"] == "input").cloned().collect())
        .unwrap_or_default()
}

const FULL_DRAFT: [(&str, &str); 11] = [
    ("wb_pr_headline", "Acme Fridge Cam shows you what is in your fridge while you shop"),
    ("wb_pr_subheadline", "Home cooks see their fridge from the store and stop buying food twice."),
    ("wb_pr_dateline_city", "Seattle"),
    ("wb_pr_launch_date", "2099-03-01"),
    ("wb_pr_summary", "A camera clips inside the fridge door and sends a photo to your phone each time it closes."),
    ("wb_pr_problem", "A family of four throws away 30% of the food it buys."),
    ("wb_pr_solution", "Open the app in the store and see the shelves as they were when the door last closed."),
    ("wb_pr_leader_quote", "“We kept buying milk we already had,” said Jane Doe, head of Acme Home."),
    ("wb_pr_getting_started", "Clip it to the door, scan the code on the box, and it is ready in 5 minutes."),
    ("wb_pr_customer_quote", "“Our bin is half as full,” said Sam, a parent of three in Leeds."),
    ("wb_pr_call_to_action", "Order it for $49 at acme.example/fridge from March 1."),
];

#[tokio::test]
async fn draft_press_release_opens_a_modal_with_the_nine_sections_and_the_session_id() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;

    let answer = app.interaction(&click_draft(&app, &root, 1)).await;

    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "", "the click is acked with an empty 200");
    let opened = app.wait_for_calls("views.open", 1).await;
    let view = &opened[0]["view"];
    assert_eq!(opened[0]["trigger_id"], format!("trigger-{root}"));
    assert_eq!(view["type"], "modal");
    assert_eq!(view["callback_id"], "wb_draft");
    let meta: Value = serde_json::from_str(view["private_metadata"].as_str().unwrap_or_default())
        .expect("metadata is JSON");
    assert_eq!(meta["session_id"], 1);
    assert!(
        view["title"]["text"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .count()
            <= 24
    );
    let blocks: Vec<String> = inputs(view)
        .iter()
        .filter_map(|b| b["block_id"].as_str().map(str::to_string))
        .collect();
    for section in [
        "headline",
        "subheadline",
        "dateline_city",
        "launch_date",
        "summary",
        "problem",
        "solution",
        "leader_quote",
        "getting_started",
        "customer_quote",
        "call_to_action",
    ] {
        assert!(
            blocks.contains(&format!("wb_pr_{section}")),
            "{section} missing: {blocks:?}"
        );
    }
    for b in inputs(view) {
        if b["element"]["type"] == "plain_text_input" {
            let max = b["element"]["max_length"].as_u64().unwrap_or(0);
            assert!((1..=3000).contains(&max), "{b}");
        }
    }
    assert!(inputs(view)
        .iter()
        .any(|b| b["element"]["type"] == "datepicker"));
}

#[tokio::test]
async fn a_submitted_draft_becomes_version_1_and_is_announced_reviewed_and_shown_on_the_root() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;

    let answer = app
        .interaction(&submission(
            &view,
            &[
                (
                    "wb_pr_headline",
                    "Fridge Cam: see your fridge from the shop",
                ),
                ("wb_pr_subheadline", "For busy <!channel> families"),
                ("wb_pr_problem", "Many families waste very much food."),
                ("wb_pr_launch_date", "2099-03-01"),
            ],
        ))
        .await;

    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "", "the modal closes");
    let draft = app
        .state
        .store
        .read(move |tx| tx.latest_draft(1))
        .await
        .expect("db")
        .expect("stored");
    assert_eq!(draft.version, 1);
    assert_eq!(draft.author, USER);
    assert_eq!(draft.source, "modal");
    assert_eq!(
        draft.fields.headline.as_deref(),
        Some("Fridge Cam: see your fridge from the shop")
    );
    assert_eq!(draft.fields.launch_date.as_deref(), Some("2099-03-01"));

    let updates = app.wait_for_calls("chat.update", 1).await;
    let update = updates.last().expect("update");
    assert_eq!(update["ts"], root);
    assert_eq!(update["channel"], CHANNEL);
    let status = update["blocks"][2]["text"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        status.contains("Fridge Cam: see your fridge from the shop"),
        "{status}"
    );
    assert!(
        status.contains("&lt;!channel&gt;") && !status.contains("<!channel>"),
        "{status}"
    );
    assert!(status.contains("1 draft"), "{status}");

    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    let note = &posts[1];
    assert_eq!(note["thread_ts"], root);
    assert_eq!(note["channel"], CHANNEL);
    let note_text = note["text"].as_str().unwrap_or_default();
    assert!(
        note_text.starts_with(&format!("Draft v1 by <@{USER}>")),
        "{note_text}"
    );
    assert!(
        note_text.contains("Headline, Sub-headline, Launch date, Problem"),
        "{note_text}"
    );

    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    let review = &reviews[0];
    assert_eq!(review["channel"], CHANNEL);
    assert_eq!(review["user"], USER);
    assert_eq!(review["thread_ts"], root);
    let review_text = review["blocks"].to_string();
    for expected in [
        "Weasel word",
        "“Many”",
        "“very”",
        "Missing section",
        "Solution",
    ] {
        assert!(
            review_text.contains(expected),
            "{expected} not in {review_text}"
        );
    }
    app.settle().await;
}

#[tokio::test]
async fn every_save_is_a_new_version_and_the_note_lists_only_what_changed() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    app.interaction(&submission(&view, &FULL_DRAFT)).await;
    app.wait_for_calls("chat.postEphemeral", 1).await;

    let view = open_modal(&app, &root, 1).await;
    let mut second: Vec<(&str, &str)> = FULL_DRAFT
        .iter()
        .copied()
        .filter(|(b, _)| *b != "wb_pr_leader_quote")
        .collect();
    second[0].1 = "Acme Fridge Cam: your fridge, on your phone";
    let answer = app.interaction(&submission(&view, &second)).await;

    assert_eq!(answer.status, 200);
    let posts = app.wait_for_calls("chat.postMessage", 3).await;
    let note = posts[2]["text"].as_str().unwrap_or_default();
    assert!(
        note.starts_with(&format!("Draft v2 by <@{USER}>")),
        "{note}"
    );
    assert!(
        note.contains("Changed since v1: Headline, Leader quote (removed)."),
        "{note}"
    );
    app.settle().await;
    let first = app
        .state
        .store
        .read(move |tx| tx.draft(1, 1))
        .await
        .expect("db")
        .expect("v1 kept");
    assert_eq!(first.fields.headline.as_deref(), Some(FULL_DRAFT[0].1));
    let out = app.wb(&["export", "1", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docset: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(docset["press_release"]["version"], 2);
    assert_eq!(
        docset["press_release"]["headline"],
        "Acme Fridge Cam: your fridge, on your phone"
    );
    assert_eq!(docset["press_release"]["leader_quote"], Value::Null);
    let history: Vec<i64> = docset["press_release_history"]
        .as_array()
        .map(|h| h.iter().filter_map(|v| v["version"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(history, [1, 2]);
    assert_eq!(docset["press_release_history"][0]["author"], USER);
}

#[tokio::test]
async fn a_clean_draft_gets_a_short_no_findings_note() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;

    app.interaction(&submission(&view, &FULL_DRAFT)).await;

    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    let text = reviews[0].to_string();
    assert!(text.contains("no findings on draft v1"), "{text}");
    assert_eq!(reviews[0]["blocks"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_long_list_of_findings_is_cut_to_a_screen_with_and_n_more() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    let weasels = "Many very robust, seamless and significantly various fridges. ".repeat(40);

    app.interaction(&submission(
        &view,
        &[("wb_pr_headline", "Fridge"), ("wb_pr_problem", &weasels)],
    ))
    .await;

    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    let blocks = reviews[0]["blocks"].as_array().cloned().unwrap_or_default();
    assert!(blocks.len() <= 50);
    let last = blocks.last().map(Value::to_string).unwrap_or_default();
    assert!(last.contains("more"), "{last}");
    assert!(reviews[0].to_string().chars().count() < 13_000);
}

#[tokio::test]
async fn an_empty_headline_keeps_the_modal_open_with_an_error_and_stores_nothing() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    let posts_before = app.calls("chat.postMessage").await.len();

    let answer = app
        .interaction(&submission(
            &view,
            &[
                ("wb_pr_headline", "   "),
                ("wb_pr_problem", "Food goes off."),
            ],
        ))
        .await;

    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["response_action"], "errors");
    assert!(
        body["errors"]["wb_pr_headline"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(
        app.state
            .store
            .read(move |tx| tx.latest_draft(1))
            .await
            .expect("db"),
        None
    );
    app.settle().await;
    assert_eq!(app.calls("chat.postMessage").await.len(), posts_before);
    assert!(app.calls("chat.postEphemeral").await.is_empty());
}

#[tokio::test]
async fn a_submission_for_a_session_that_does_not_exist_is_refused_clearly() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    let mut unknown = view.clone();
    unknown["private_metadata"] = json!("{\"session_id\":999}");
    let mut garbled = view.clone();
    garbled["private_metadata"] = json!("not json");

    for view in [unknown, garbled] {
        let answer = app.interaction(&submission(&view, &FULL_DRAFT)).await;

        assert_eq!(answer.status, 200);
        let body = answer.json();
        assert_eq!(body["response_action"], "errors", "{body}");
        let message = body["errors"]["wb_pr_headline"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.contains("session") || message.contains("Session"),
            "{message}"
        );
    }
    assert_eq!(
        app.state
            .store
            .read(move |tx| tx.latest_draft(1))
            .await
            .expect("db"),
        None
    );
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert!(sessions.iter().all(|s| s.drafts == 0));
}

#[tokio::test]
async fn the_second_open_is_prefilled_with_the_latest_version() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    app.interaction(&submission(&view, &FULL_DRAFT)).await;
    app.settle().await;

    let view = open_modal(&app, &root, 1).await;

    let by_block = |id: &str| {
        inputs(&view)
            .into_iter()
            .find(|b| b["block_id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    assert_eq!(
        by_block("wb_pr_headline")["element"]["initial_value"],
        FULL_DRAFT[0].1
    );
    assert_eq!(
        by_block("wb_pr_problem")["element"]["initial_value"],
        FULL_DRAFT[5].1
    );
    assert_eq!(
        by_block("wb_pr_launch_date")["element"]["initial_date"],
        "2099-03-01"
    );
    assert!(
        view.to_string().contains("*v2*"),
        "the modal says the save makes v2"
    );
}

#[tokio::test]
async fn a_modal_that_cannot_be_opened_is_explained_to_the_user() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/views.open"))
        .respond_with(slack_error("trigger_expired"))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;
    let root = app.start_session("Smart fridge camera").await;

    app.interaction(&click_draft(&app, &root, 1)).await;

    let told = app.wait_for_calls("response_url", 1).await;
    let text = told[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("3-second"), "{text}");
    assert_eq!(told[0]["response_type"], "ephemeral");
}

#[tokio::test]
async fn pressrelease_without_an_idea_opens_a_modal_that_starts_the_session_with_a_first_draft() {
    let app = spawn_app().await;

    let answer = app.command("pressrelease").await;

    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["response_type"], "ephemeral");
    let opened = app.wait_for_calls("views.open", 1).await;
    assert_eq!(
        opened[0]["trigger_id"],
        "13345224609.738474920.8088930838d88f008e0"
    );
    let view = opened[0]["view"].clone();
    assert_eq!(view["callback_id"], "wb_new_session");
    assert_eq!(inputs(&view)[0]["block_id"], "wb_idea");

    let empty = app
        .interaction(&submission(&view, &[("wb_idea", "  ")]))
        .await
        .json();
    assert_eq!(empty["response_action"], "errors");
    assert!(empty["errors"]["wb_idea"].is_string(), "{empty}");
    let headless = app
        .interaction(&submission(
            &view,
            &[("wb_idea", "Fridge"), ("wb_pr_problem", "Food goes off.")],
        ))
        .await
        .json();
    assert!(
        headless["errors"]["wb_pr_headline"].is_string(),
        "{headless}"
    );
    assert!(app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db")
        .is_empty());

    let answer = app
        .interaction(&submission(
            &view,
            &[
                ("wb_idea", "Smart fridge camera"),
                (
                    "wb_pr_headline",
                    "Fridge Cam: see your fridge from the shop",
                ),
                ("wb_pr_launch_date", "2099-03-01"),
            ],
        ))
        .await;

    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "");
    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    assert_eq!(posts[0]["channel"], CHANNEL);
    assert_eq!(posts[0]["blocks"][0]["text"]["text"], "Smart fridge camera");
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session.created_by, USER);
    assert_eq!(sessions[0].drafts, 1);
    let draft = app
        .state
        .store
        .read(move |tx| tx.latest_draft(1))
        .await
        .expect("db")
        .expect("v1");
    assert_eq!(draft.source, "start");
    assert_eq!(draft.version, 1);
    let root = sessions[0].session.thread_ts.clone();
    // The root message shows the first draft from its first post.
    assert!(posts[0]
        .to_string()
        .contains("Fridge Cam: see your fridge from the shop"));
    assert!(posts[0].to_string().contains("1 draft"), "{}", posts[0]);
    assert!(app.calls("chat.update").await.is_empty());
    let notes = app.calls("chat.postMessage").await;
    assert!(notes.iter().any(|n| n["thread_ts"] == root
        && n["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Draft v1")));
    let reviews = app.calls("chat.postEphemeral").await;
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["thread_ts"], root);
}

#[tokio::test]
async fn wb_review_prints_the_report_of_the_latest_draft_as_text_or_json() {
    let app = spawn_app().await;
    let root = app.start_session("Smart fridge camera").await;
    let view = open_modal(&app, &root, 1).await;
    app.interaction(&submission(
        &view,
        &[
            ("wb_pr_headline", "Fridge"),
            ("wb_pr_problem", "We leverage many cameras."),
        ],
    ))
    .await;
    app.settle().await;

    let text = app.wb(&["review", "1"]);
    let json_out = app.wb(&["review", "1", "--json"]);
    let missing = app.wb(&["review", "2"]);

    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("draft v1"), "{text}");
    assert!(text.contains("Jargon [jargon]"), "{text}");
    assert!(text.contains("\"leverage\""), "{text}");
    assert!(json_out.status.success());
    let report: Value = serde_json::from_slice(&json_out.stdout).expect("json");
    assert_eq!(report["session_id"], 1);
    assert_eq!(report["version"], 1);
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let weasel = findings
        .iter()
        .find(|f| f["rule"] == "weasel_word")
        .expect("a weasel finding");
    assert_eq!(weasel["quote"], "many");
    assert_eq!(weasel["section"], "problem");
    assert_eq!(weasel["severity"], "medium");
    assert!(weasel["suggestion"].is_string());
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no session 2"));
}

#[tokio::test]
async fn a_pr_reply_in_the_thread_is_a_version_with_a_note_and_a_review() {
    let app = spawn_app().await;
    let root = app.start_session("Thread drafted idea").await;
    let before = app.calls("chat.postMessage").await.len();

    let reply = envelope(
        "EvPr1",
        serde_json::json!({"type": "message", "user": USER, "text": "PR: Fridge cam launches today. It is very seamless.",
               "ts": "1763740100.000001", "thread_ts": root, "channel": CHANNEL}),
    );
    assert_eq!(app.event(&reply).await.status, 200);

    let posts = app.wait_for_calls("chat.postMessage", before + 1).await;
    let note = posts.last().expect("note");
    assert_eq!(note["thread_ts"], root);
    assert!(note.to_string().contains("Draft v1"), "{note}");
    let reviews = app.wait_for_calls("chat.postEphemeral", 1).await;
    assert_eq!(reviews[0]["user"], USER);
    assert_eq!(reviews[0]["thread_ts"], root);
    let out = app.wb(&["export", "1", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["press_release"]["version"], 1);
    assert_eq!(
        doc["press_release"]["body"],
        "Fridge cam launches today. It is very seamless."
    );
}
