//! The draft modal: its sections, a missing headline, an unknown session,
//! prefill, a modal that cannot open, and `/wb pressrelease` without an idea.

use super::*;

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
