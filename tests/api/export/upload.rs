//! Exporting from Slack: the upload flow into the thread, the button, a
//! retried share, the canvas, and unknown sessions.

use super::*;

#[tokio::test]
async fn wb_export_uploads_markdown_into_the_thread_in_three_calls() {
    let app = spawn_app().await;
    mount_export(&app, &[(USER, "Steve")]).await;
    let ts = app.start_session("Smart fridge camera").await;

    let answer = app.command("export").await;

    assert_eq!(answer.status, 200);
    let ack = answer.json()["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        ack.contains("Exporting *Smart fridge camera* as Markdown"),
        "{ack}"
    );
    app.wait_for_calls("files.completeUploadExternal", 1).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    let paths: Vec<&str> = flow.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, UPLOAD_FLOW.to_vec());
    let (get, upload, complete) = (&flow[0], &flow[1], &flow[2]);
    assert_eq!(get.method.as_str(), "GET");
    assert_eq!(
        query(get, "filename").as_deref(),
        Some("smart-fridge-camera.md")
    );
    assert_eq!(query(get, "length"), Some(upload.body.len().to_string()));
    let content = String::from_utf8(upload.body.clone()).expect("utf-8");
    assert!(content.starts_with("# Smart fridge camera\n"), "{content}");
    assert!(content.contains("No press release drafted yet"));
    assert!(content.contains("**Created by:** Steve"));
    assert!(content.contains(PERMALINK));
    let done = body_json(complete);
    assert_eq!(done["files"][0]["id"], FILE_ID);
    assert_eq!(done["channel_id"], CHANNEL);
    assert_eq!(done["thread_ts"], ts.as_str());
    let told = responses(&app).await;
    let confirmation = told.last().expect("a confirmation");
    assert!(
        confirmation.contains("`smart-fridge-camera.md`"),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("Not written yet: press release"),
        "{confirmation}"
    );
    // Names and the link are cached for the next export and for the CLI.
    let cached = app
        .state
        .store
        .read(|tx| tx.display_names(TEAM, &[USER.to_string()]))
        .await
        .expect("names");
    assert_eq!(cached[USER].display_name, "Steve");
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.session_permalink(1))
            .await
            .expect("link")
            .as_deref(),
        Some(PERMALINK)
    );
}

#[tokio::test]
async fn the_export_button_and_html_work_and_a_failed_name_lookup_shows_the_id() {
    let app = spawn_app().await;
    mount_export(&app, &[]).await; // users.info answers user_not_found
    let ts = app.start_session("Smart fridge camera").await;

    let answer = app.command("export 1 html").await;

    assert_eq!(answer.status, 200);
    app.wait_for_calls("files.completeUploadExternal", 1).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    assert_eq!(
        query(&flow[0], "filename").as_deref(),
        Some("smart-fridge-camera.html")
    );
    let html = String::from_utf8(flow[1].body.clone()).expect("utf-8");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!("@{USER}")), "fallback to the id");
    assert_eq!(
        flow[1]
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html; charset=utf-8")
    );

    // The button on the root message exports Markdown the same way.
    let mut payload: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    payload["actions"][0]["action_id"] = json!("wb_export");
    payload["container"]["message_ts"] = json!(ts);
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    let answer = app.interaction(&payload).await;

    assert_eq!(answer.status, 200);
    app.wait_for_calls("files.completeUploadExternal", 2).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    assert_eq!(flow.len(), 6);
    assert_eq!(
        query(&flow[3], "filename").as_deref(),
        Some("smart-fridge-camera.md")
    );
    assert_eq!(body_json(&flow[5])["thread_ts"], ts.as_str());
}

#[tokio::test]
async fn a_failed_share_is_retried_without_uploading_twice() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/files.completeUploadExternal"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;
    mount_export(&app, &[]).await;
    app.start_session("Smart fridge camera").await;

    app.command("export").await;

    app.wait_for_calls("files.completeUploadExternal", 2).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    let paths: Vec<&str> = flow.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        vec![
            UPLOAD_FLOW[0],
            UPLOAD_FLOW[1],
            UPLOAD_FLOW[2],
            UPLOAD_FLOW[2]
        ]
    );
    assert_eq!(body_json(&flow[3])["files"][0]["id"], FILE_ID);
    assert_eq!(responses(&app).await.len(), 1, "one confirmation");
}

#[tokio::test]
async fn wb_export_canvas_creates_a_channel_canvas_and_links_it_in_the_thread() {
    let app = spawn_app().await;
    mount_export(&app, &[(USER, "Steve")]).await;
    Mock::given(method("POST"))
        .and(path("/api/canvases.create"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ok": true, "canvas_id": "F0CANVAS1"})),
        )
        .mount(&app.slack)
        .await;
    let ts = app.start_session("Smart fridge camera").await;

    let answer = app.command("export canvas").await;

    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("as a canvas"), "{}", answer.body);
    let created = app.wait_for_calls("canvases.create", 1).await;
    app.settle().await;
    let body = &created[0];
    assert_eq!(body["channel_id"], CHANNEL);
    assert_eq!(body["document_content"]["type"], "markdown");
    let markdown = body["document_content"]["markdown"]
        .as_str()
        .unwrap_or_default();
    assert!(markdown.starts_with("# Smart fridge camera"));
    assert!(
        markdown.lines().all(|l| !l.starts_with("####")),
        "h1–h3 only"
    );
    let posts = app.calls("chat.postMessage").await;
    let link = posts.last().expect("thread post");
    assert_eq!(link["thread_ts"], ts.as_str());
    let text = link["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("https://acme.slack.com/docs/T0001/F0CANVAS1"),
        "{text}"
    );
    let told = responses(&app).await;
    assert!(told.last().expect("confirmation").contains("as a canvas"));
    assert!(
        requests(&app, &UPLOAD_FLOW).await.is_empty(),
        "no file upload"
    );
}

#[tokio::test]
async fn a_workspace_without_canvases_gets_a_clear_explanation() {
    let app = spawn_app().await;
    mount_export(&app, &[]).await;
    Mock::given(method("POST"))
        .and(path("/api/canvases.create"))
        .respond_with(slack_error("canvas_disabled_user_team"))
        .mount(&app.slack)
        .await;
    app.start_session("Smart fridge camera").await;
    let posts_before = app.calls("chat.postMessage").await.len();

    app.command("export canvas").await;

    app.wait_for_calls("canvases.create", 1).await;
    app.settle().await;
    let told = responses(&app).await;
    let text = told.last().expect("an explanation");
    assert!(
        text.contains("canvases aren't available in this workspace"),
        "{text}"
    );
    assert!(text.contains("/wb export md"), "{text}");
    assert_eq!(app.calls("chat.postMessage").await.len(), posts_before);
    assert_eq!(app.calls("canvases.create").await.len(), 1, "not retried");
}

#[tokio::test]
async fn exporting_an_unknown_or_absent_session_says_so() {
    let app = spawn_app().await;

    for (team, channel) in [(TEAM, "C0OTHER"), ("T0ELSE", CHANNEL)] {
        crate::testdb::query(
            "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
             VALUES (?, ?, '1.1', 'Elsewhere', 'U1', '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z')",
        )
        .bind(team)
        .bind(channel)
        .execute(&app.pool)
        .await
        .expect("session");
    }

    let none = app.command("export").await.json();
    let missing = app.command("export 99 html").await.json();
    let other_channel = app.command("export 1").await.json();
    let other_team = app.command("export 2").await.json();

    let text = |v: &Value| v["text"].as_str().unwrap_or_default().to_string();
    assert!(text(&none).contains("/wb pressrelease"), "{none}");
    assert!(text(&missing).contains("no session #99"), "{missing}");
    assert!(
        text(&other_channel).contains("lives in <#C0OTHER>"),
        "{other_channel}"
    );
    assert!(text(&other_team).contains("no session #2"), "{other_team}");
    app.settle().await;
    assert!(requests(&app, &UPLOAD_FLOW).await.is_empty());
}
