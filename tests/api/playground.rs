//! `wb playground`: the playground on port 0 with a temp database, driven
//! through the page's `/ui/…` actions as a browser would. wb runs for real
//! behind the emulator, so these check the whole round trip: what the
//! emulator sends wb, what wb calls back, and what the page would show.

use serde_json::{json, Value};

use crate::playground_support::*;

#[tokio::test]
async fn the_story_runs_end_to_end_through_the_emulator() {
    let pg = start().await;
    let root = start_session(&pg, "Smart fridge camera").await;
    assert_eq!(
        button_names(&root),
        [
            "Draft press release",
            "Ask a question",
            "Answer questions",
            "Export",
            "Review",
            "Decide",
            "Triage"
        ]
    );
    assert_eq!(root["blocks"][0]["text"]["text"], "Smart fridge camera");
    let ack = state(&pg, YOU).await["ephemerals"].clone();
    assert!(
        ack.to_string()
            .contains("Starting a Working Backwards session"),
        "{ack}"
    );
    assert_eq!(
        state(&pg, LI).await["ephemerals"],
        json!([]),
        "the ack is only visible to you"
    );

    // Li asks in the thread; wb stores the question and marks it with ❓.
    let ts = root["ts"].as_str().expect("ts");
    let r = ui(
        &pg,
        "message",
        LI,
        json!({"text": "How much will it cost?", "thread_ts": ts}),
    )
    .await;
    let question_ts = r["ts"].clone();
    eventually("the ❓ reaction", || async {
        messages(&state(&pg, SAM).await)
            .into_iter()
            .find(|m| m["ts"] == question_ts && m["reactions"].to_string().contains("\"question\""))
    })
    .await;
    let faq = docset(&pg, 1).await["faq"].clone();
    assert_eq!(faq[0]["question"], "How much will it cost?");
    assert_eq!(faq[0]["asked_by"], LI);

    // Sam votes with 👍.
    ui(&pg, "react", SAM, json!({"ts": question_ts, "name": "+1"})).await;
    eventually("Sam's vote", || async {
        (docset(&pg, 1).await["faq"][0]["votes"] == 1).then_some(())
    })
    .await;

    // Draft press release: the modal, then a save.
    click(&pg, YOU, &root, "wb_draft_pr").await;
    let open = modal(&pg, YOU).await;
    assert_eq!(open["view"]["title"]["text"], "Press release");
    let inputs: Vec<&Value> = open["view"]["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter(|b| b["type"] == "input")
        .collect();
    assert_eq!(
        inputs.len(),
        11,
        "nine sections, the dateline city and the launch date"
    );
    assert!(
        state(&pg, LI).await["modal"].is_null(),
        "the modal is only Your's"
    );
    let done = ui(
        &pg,
        "view/submit",
        YOU,
        json!({"view_id": open["id"], "values": {
        "wb_pr_headline": {"value": "Fridge Cam shows your fridge while you shop"},
        "wb_pr_launch_date": {"value": "2099-03-01"}}}),
    )
    .await;
    assert_eq!(done["outcome"], "closed", "{done}");
    let note = wait_message(&pg, LI, "Draft v1 by").await;
    assert_eq!(note["thread_ts"], root["ts"]);
    assert!(note["text"]
        .as_str()
        .unwrap_or_default()
        .contains(&format!("<@{YOU}>")));
    eventually("the root shows the headline", || async {
        messages(&state(&pg, SAM).await).into_iter().find(|m| {
            m["ts"] == root["ts"]
                && m["blocks"]
                    .to_string()
                    .contains("Fridge Cam shows your fridge")
        })
    })
    .await;
    eventually("the review, for you only", || async {
        state(&pg, YOU).await["ephemerals"]
            .to_string()
            .contains("Bar-raiser review of draft v1")
            .then_some(())
    })
    .await;
    assert!(!state(&pg, LI).await["ephemerals"]
        .to_string()
        .contains("Bar-raiser"));

    // Export: a file in the thread, the same doc set as `wb export 1`.
    click(&pg, YOU, &root, "wb_export").await;
    let shared = eventually("the exported file", || async {
        messages(&state(&pg, LI).await)
            .into_iter()
            .find(|m| m["files"].as_array().is_some_and(|f| !f.is_empty()))
    })
    .await;
    assert_eq!(shared["thread_ts"], root["ts"]);
    let url = shared["files"][0]["url"].as_str().expect("url").to_string();
    let (status, file) = request(&pg, "GET", &url, &[], vec![]).await;
    assert_eq!(status, 200);
    assert!(file.starts_with("# Smart fridge camera"), "{file}");
    assert!(
        file.contains("Fridge Cam shows your fridge while you shop")
            && file.contains("How much will it cost?")
    );
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
        .args([
            "export",
            "1",
            "--database-url",
            &pg.pg.wb.state.config.database_url,
        ])
        .env_clear()
        .output()
        .expect("run wb export");
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let without_time = |t: &str| {
        t.lines()
            .filter(|l| !l.starts_with("- **Exported:**"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_time(&String::from_utf8_lossy(&cli.stdout)),
        without_time(&file)
    );
    pg.pg.stop().await;
}

#[tokio::test]
async fn bad_input_is_answered_as_slack_answers_it() {
    let pg = start().await;
    let r = ui(&pg, "message", YOU, json!({"text": "/wb frob"})).await;
    assert_eq!(r["ok"], true);
    let eph = state(&pg, YOU).await["ephemerals"].to_string();
    assert!(eph.contains("I didn't understand `frob`"), "{eph}");
    ui(&pg, "message", YOU, json!({"text": "/frob now"})).await;
    let eph = state(&pg, YOU).await["ephemerals"].clone();
    let last = &eph[eph.as_array().map_or(0, Vec::len) - 1];
    assert_eq!(last["slackbot"], true);
    assert!(last["text"]
        .as_str()
        .unwrap_or_default()
        .contains("`/frob` is not a valid command"));
    for empty in ["", "   \n "] {
        assert_eq!(
            ui(&pg, "message", YOU, json!({"text": empty})).await["error"],
            "no_text"
        );
    }
    let root = start_session(&pg, "Long messages").await;
    assert_eq!(
        ui(
            &pg,
            "message",
            LI,
            json!({"text": "x".repeat(40_001), "thread_ts": root["ts"]})
        )
        .await["error"],
        "msg_too_long"
    );
    let long = format!("{}?", "é".repeat(39_999));
    assert_eq!(
        ui(
            &pg,
            "message",
            LI,
            json!({"text": long, "thread_ts": root["ts"]})
        )
        .await["ok"],
        true
    );
    eventually("the 40,000-character question", || async {
        (docset(&pg, 1).await["faq"][0]["question"]
            .as_str()
            .map(|q| q.chars().count())
            == Some(40_000))
        .then_some(())
    })
    .await;
    ui(
        &pg,
        "message",
        YOU,
        json!({"text": "/wb list", "thread_ts": root["ts"]}),
    )
    .await;
    assert!(state(&pg, YOU).await["ephemerals"]
        .to_string()
        .contains("is not supported in threads"));
    let (status, _) = request(
        &pg,
        "POST",
        "/ui/message",
        &[("content-type", "text/plain")],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "page actions are JSON only");
    assert_eq!(
        ui(&pg, "message", "U0NOBODY", json!({"text": "hi"})).await["error"],
        "user_not_found"
    );
    pg.pg.stop().await;
}

#[tokio::test]
async fn a_closed_modal_stores_nothing_and_two_tabs_submit_it_once() {
    let pg = start().await;
    let root = start_session(&pg, "Modal manners").await;
    click(&pg, YOU, &root, "wb_draft_pr").await;
    let open = modal(&pg, YOU).await;
    let closed = ui(&pg, "view/close", YOU, json!({"view_id": open["id"]})).await;
    assert_eq!(
        closed["notified"], false,
        "wb's modals do not ask for view_closed, so Slack sends none"
    );
    assert!(state(&pg, YOU).await["modal"].is_null());
    assert_eq!(docset(&pg, 1).await["press_release"], Value::Null);

    click(&pg, YOU, &root, "wb_draft_pr").await;
    let open = modal(&pg, YOU).await;
    let values = json!({"wb_pr_headline": {"value": "Two tabs, one draft"}});
    let submit = || {
        ui(
            &pg,
            "view/submit",
            YOU,
            json!({"view_id": open["id"], "values": values}),
        )
    };
    let (a, b) = tokio::join!(submit(), submit());
    let outcomes = [a.clone(), b.clone()];
    assert_eq!(
        outcomes.iter().filter(|o| o["outcome"] == "closed").count(),
        1,
        "{a} {b}"
    );
    let refused = outcomes
        .iter()
        .find(|o| o["ok"] == false)
        .expect("one refused");
    assert!(
        ["view_not_found", "view_already_submitting"]
            .contains(&refused["error"].as_str().unwrap_or_default()),
        "{refused}"
    );
    let again = ui(
        &pg,
        "view/submit",
        YOU,
        json!({"view_id": open["id"], "values": values}),
    )
    .await;
    assert_eq!(again["error"], "view_not_found");
    eventually("the one draft", || async {
        docset(&pg, 1).await["press_release"]["version"].as_i64()
    })
    .await;
    assert_eq!(
        docset(&pg, 1).await["press_release_history"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // A required field left empty never reaches wb; wb's own error shows under its field.
    click(&pg, YOU, &root, "wb_draft_pr").await;
    let open = modal(&pg, YOU).await;
    let r = ui(
        &pg,
        "view/submit",
        YOU,
        json!({"view_id": open["id"], "values": {"wb_pr_headline": {"value": ""}}}),
    )
    .await;
    assert_eq!(r["outcome"], "errors");
    assert_eq!(
        state(&pg, YOU).await["modal"]["errors"]["wb_pr_headline"],
        "Please complete this required field."
    );
    let r = ui(
        &pg,
        "view/submit",
        YOU,
        json!({"view_id": open["id"], "values": {"wb_pr_headline": {"value": "x".repeat(151)}}}),
    )
    .await;
    assert_eq!(r["outcome"], "errors");
    assert!(state(&pg, YOU).await["modal"]["errors"]["wb_pr_headline"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Must be 150 characters or fewer"));
    pg.pg.stop().await;
}

#[tokio::test]
async fn the_shortcut_the_home_tab_and_a_second_tab_work_as_in_slack() {
    let pg = start().await;
    let root = start_session(&pg, "Shortcuts").await;
    let r = ui(
        &pg,
        "message",
        SAM,
        json!({"text": "Battery life matters a lot", "thread_ts": root["ts"]}),
    )
    .await;
    ui(
        &pg,
        "shortcut",
        LI,
        json!({"ts": r["ts"], "callback_id": "wb_add_to_faq"}),
    )
    .await;
    let open = modal(&pg, LI).await;
    assert_eq!(open["view"]["title"]["text"], "Ask a question");
    assert!(open["view"]
        .to_string()
        .contains("Battery life matters a lot"));
    let done = ui(&pg, "view/submit", LI, json!({"view_id": open["id"], "values": {
        "wb_question": {"value": "Battery life matters a lot"}, "wb_audience": {"value": "internal"}}})).await;
    assert_eq!(done["outcome"], "closed", "{done}");
    eventually("the shortcut's question", || async {
        (docset(&pg, 1).await["faq"][0]["audience"] == "internal").then_some(())
    })
    .await;

    ui(&pg, "home", SAM, json!({})).await;
    let home = eventually("Sam's Home tab", || async {
        Some(state(&pg, SAM).await["home"].clone()).filter(|h| !h.is_null())
    })
    .await;
    assert!(home["view"].to_string().contains("Shortcuts"), "{home}");
    assert!(
        state(&pg, YOU).await["home"].is_null(),
        "Home tabs are per user"
    );
    // Opened again, the event carries the published view and wb publishes anew.
    ui(&pg, "home", SAM, json!({})).await;
    eventually("a fresh Home tab", || async {
        (state(&pg, SAM).await["home"]["hash"] != home["hash"]).then_some(())
    })
    .await;

    let (status, page) = request(&pg, "GET", "/", &[], vec![]).await;
    assert_eq!(status, 200);
    for needle in [
        "Playground — not connected to Slack",
        "aria-label=\"Message\"",
        "/assets/blockkit.js",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    for asset in [
        "/assets/app.js",
        "/assets/blockkit.js",
        "/assets/mrkdwn.js",
        "/assets/style.css",
    ] {
        assert_eq!(
            request(&pg, "GET", asset, &[], vec![]).await.0,
            200,
            "{asset}"
        );
    }
    let (status, _) = request(&pg, "GET", "/", &[("host", "evil.example:3000")], vec![]).await;
    assert_eq!(status, 403, "no DNS rebinding onto the page");
    pg.pg.stop().await;
}
