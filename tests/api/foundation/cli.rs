//! The `wb` CLI: `export` as JSON, an unknown session, `serve` without
//! credentials, `migrate`.

use super::*;

#[tokio::test]
async fn export_json_follows_the_docset_schema() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    let out = app.wb(&["export", "1", "--format", "json"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["schema"], "wb.docset/1");
    assert_eq!(doc["session"]["title"], "Smart fridge camera");
    assert_eq!(doc["session"]["thread_ts"], "1763739000.000100");
    assert!(doc["press_release"].is_null());
    for key in [
        "press_release_history",
        "faq",
        "customer_experience",
        "user_manual",
        "discussion",
        "reviews",
        "decisions",
    ] {
        assert_eq!(doc[key], json!([]), "{key}");
    }
    assert!(doc["decision"].is_null());
    assert_eq!(doc["session"]["status"], "drafting");
    assert_eq!(
        doc["coverage"],
        json!({"customer": 0, "solution": 0, "economics": 0, "risks": 0})
    );
    // The schema's key order, read off the raw text (a parsed map would sort it).
    let raw = String::from_utf8_lossy(&out.stdout);
    let order = [
        "schema",
        "session",
        "press_release",
        "press_release_history",
        "faq",
        "customer_experience",
        "user_manual",
        "discussion",
        "reviews",
        "decisions",
        "decision",
        "coverage",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| {
            raw.find(&format!("\n  \"{k}\":"))
                .unwrap_or_else(|| panic!("{k} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_eq!(doc.as_object().map(|o| o.len()), Some(order.len()));
}

#[tokio::test]
async fn export_of_an_unknown_session_fails_with_exit_code_1() {
    let app = spawn_app().await;
    let out = app.wb(&["export", "42", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no session 42"), "{err}");
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn serve_without_credentials_names_the_missing_variable() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |envs: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wb"));
        cmd.arg("serve").env_clear().current_dir(dir.path()).env(
            "DATABASE_URL",
            format!("sqlite://{}/x.db", dir.path().display()),
        );
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.output().expect("run")
    };
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], "SLACK_BOT_TOKEN"),
        (vec![("SLACK_BOT_TOKEN", "xoxb-1")], "SLACK_SIGNING_SECRET"),
        (
            vec![("SLACK_BOT_TOKEN", "nope"), ("SLACK_SIGNING_SECRET", "s")],
            "SLACK_BOT_TOKEN",
        ),
        (
            vec![
                ("SLACK_BOT_TOKEN", "xoxb-1"),
                ("SLACK_SIGNING_SECRET", "s"),
                ("WB_LISTEN", "x"),
            ],
            "WB_LISTEN",
        ),
        (
            vec![
                ("SLACK_BOT_TOKEN", "xoxb-1"),
                ("SLACK_SIGNING_SECRET", "s"),
                ("RUST_LOG", "[[["),
            ],
            "RUST_LOG",
        ),
    ];
    for (envs, variable) in cases {
        let out = run(&envs);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{variable}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(err.contains(variable), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("xoxb-1"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn wb_migrate_creates_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("fresh.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
        .args(["migrate"])
        .env_clear()
        .current_dir(dir.path())
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());
}
