//! `wb export` on the command line: every format, all sessions, bad ids and
//! paths, and the bar-raiser appendix.

use super::*;

#[tokio::test]
async fn the_cli_writes_every_format_with_cached_names() {
    let app = spawn_app().await;
    seed_fixture(&app).await;
    let out = app.dir.path().join("fridge.html");

    let html = app.wb(&[
        "export",
        "1",
        "--format",
        "html",
        "--out",
        out.to_str().expect("path"),
    ]);
    let md = app.wb(&["export", "1", "--format", "md"]);

    assert!(
        html.status.success(),
        "{}",
        String::from_utf8_lossy(&html.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("Chloé 🎨"));
    assert!(text.contains("&lt;script&gt;"));
    assert!(md.status.success());
    let md = String::from_utf8(md.stdout).expect("utf-8");
    assert!(
        md.starts_with("# Smart fridge camera 🧊 & friends\n"),
        "{md}"
    );
    assert!(md.contains("Asked by Chloé 🎨"));
}

#[tokio::test]
async fn the_cli_exports_all_sessions_one_file_each() {
    let app = spawn_app().await;
    seed_fixture(&app).await;
    app.start_session("Second idea").await;
    let dir = app.dir.path().join("out");

    let out = app.wb(&[
        "export",
        "--all",
        "--format",
        "json",
        "--out",
        dir.to_str().expect("path"),
    ]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec!["1-smart-fridge-camera-friends.json", "2-second-idea.json"]
    );
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("2-second-idea.json")).expect("file"),
    )
    .expect("json");
    assert_eq!(doc["schema"], "wb.docset/1");
    assert_eq!(doc["session"]["title"], "Second idea");
}

#[tokio::test]
async fn the_cli_fails_clearly_on_bad_ids_and_paths() {
    let app = spawn_app().await;
    seed_fixture(&app).await;
    let file = app.dir.path().join("a-file");
    std::fs::write(&file, "x").expect("file");
    let unwritable = app.dir.path().join("no/such/dir/x.md");

    let unknown = app.wb(&["export", "42", "--format", "md"]);
    let bad_path = app.wb(&[
        "export",
        "1",
        "--format",
        "md",
        "--out",
        unwritable.to_str().expect("p"),
    ]);
    let no_dir = app.wb(&["export", "--all", "--format", "json"]);
    let file_as_dir = app.wb(&[
        "export",
        "--all",
        "--format",
        "json",
        "--out",
        file.to_str().expect("p"),
    ]);
    let no_id = app.wb(&["export", "--format", "md"]);

    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no session 42"));
    assert_eq!(bad_path.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_path.stderr).contains("cannot write"));
    assert!(bad_path.stdout.is_empty());
    assert_eq!(no_dir.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_dir.stderr).contains("--out DIR"));
    assert_eq!(file_as_dir.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&file_as_dir.stderr).contains("is a file"));
    assert_eq!(no_id.status.code(), Some(2));
}

#[tokio::test]
async fn the_export_appendix_carries_the_bar_raisers_report_on_the_latest_draft() {
    let app = spawn_app().await;
    let root = app.start_session("Reviewed idea").await;
    let reply = envelope(
        "EvReview1",
        serde_json::json!({"type": "message", "user": USER, "text": "PR: Our seamless fridge is very robust.",
               "ts": "1763740200.000001", "thread_ts": root, "channel": CHANNEL}),
    );
    assert_eq!(app.event(&reply).await.status, 200);
    app.settle().await;

    let out = app.wb(&["export", "1", "--format", "md"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8_lossy(&out.stdout);
    let appendix = md
        .split("Bar-raiser report")
        .nth(1)
        .expect("a bar-raiser section");
    assert!(appendix.contains("seamless"), "{appendix}");
}
