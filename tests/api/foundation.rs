//! The walking skeleton: signed routes, `/wb pressrelease`, the outbox, the CLI.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

#[tokio::test]
async fn pressrelease_posts_the_root_message_then_stores_the_session() {
    let app = spawn_app().await;

    let answer = app.command("pressrelease Smart fridge camera").await;

    assert_eq!(answer.status, 200);
    let ack = answer.json();
    assert_eq!(ack["response_type"], "ephemeral");
    assert!(ack["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Smart fridge camera"));
    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    assert_eq!(posts[0]["channel"], CHANNEL);
    assert_eq!(posts[0]["blocks"][0]["type"], "header");
    assert_eq!(posts[0]["blocks"][0]["text"]["text"], "Smart fridge camera");
    // The number is reserved before the post: the buttons carry it from the
    // start, so no chat.update is owed.
    assert_eq!(actions(&posts[0])["elements"][0]["value"], "1");
    assert!(posts[0].to_string().contains("session #1"), "{}", posts[0]);
    app.settle().await;
    assert!(app.calls("chat.update").await.is_empty());

    let out = app.wb(&["sessions", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &list[0];
    assert_eq!(s["id"], 1);
    assert_eq!(s["title"], "Smart fridge camera");
    assert_eq!(s["team_id"], TEAM);
    assert_eq!(s["channel_id"], CHANNEL);
    assert_eq!(s["thread_ts"], "1763739000.000100");
    assert_eq!(s["created_by"], USER);
    assert_eq!(s["drafts"], 0);
    assert_eq!(s["questions"], 0);
    assert_eq!(s["status"], "drafting", "SPEC §5.1 adds the status");
    let keys: Vec<&String> = s.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 10, "{keys:?}");
}

#[tokio::test]
async fn the_alias_pr_and_a_long_title_work_and_the_full_title_is_kept() {
    let app = spawn_app().await;
    let idea = format!("Fridge {}", "🧊".repeat(300));

    app.start_session(&format!("x{idea}")).await;
    let answer = app.command(&format!("pr {idea}")).await;

    assert_eq!(answer.status, 200);
    let posts = app.wait_for_calls("chat.postMessage", 2).await;
    let header = posts[1]["blocks"][0]["text"]["text"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(header.chars().count(), 150);
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    assert_eq!(sessions[1].session.title, idea);
}

#[tokio::test]
async fn the_ack_arrives_before_a_slow_post_and_the_post_still_happens() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(PostMessage::delayed(Duration::from_secs(5)))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    let started = Instant::now();
    let answer = app.command("pressrelease Slow Slack").await;
    let elapsed = started.elapsed();

    assert_eq!(answer.status, 200);
    assert!(
        elapsed < Duration::from_millis(1500),
        "ack took {elapsed:?}"
    );
    app.wait_for_calls("chat.postMessage", 1).await;
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    assert_eq!(sessions.len(), 1);
    assert!(started.elapsed() >= Duration::from_secs(5));
}

#[tokio::test]
async fn bad_signatures_get_401_on_every_route_and_change_nothing() {
    let app = spawn_app().await;
    let event = fixture("event_thread_reply.json").into_bytes();
    let interaction = serde_urlencoded::to_string([("payload", fixture("block_actions.json"))])
        .expect("form")
        .into_bytes();
    let command = app.command_body("pressrelease Forged idea");
    let routes = [
        (
            "/slack/commands",
            "application/x-www-form-urlencoded",
            command,
        ),
        ("/slack/events", "application/json", event),
        (
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            interaction,
        ),
    ];
    let stale = now() - 301;
    let future = now() + 301;
    for (route, ct, body) in &routes {
        for signing in [
            Signing::Missing,
            Signing::Garbage,
            Signing::Secret("not-the-secret"),
            Signing::At(stale),
            Signing::At(future),
        ] {
            let answer = app.raw("POST", route, ct, body.clone(), signing).await;
            assert_eq!(answer.status, 401, "{route} {signing:?}: {}", answer.body);
        }
    }

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.pending_jobs())
            .await
            .expect("jobs"),
        0
    );
    assert!(app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn a_captured_request_replayed_after_the_window_is_refused_and_changes_nothing() {
    let start = jiff::Timestamp::now();
    let clock = wb::clock::ManualClock::new(start);
    let app = spawn_app_with(Options {
        clock: Some(clock.clock()),
        ..Options::default()
    })
    .await;
    let body = app.command_body("pressrelease Replayed idea");
    let ts = start.as_second().to_string();
    let sig = wb::http::signature::sign(SECRET, &ts, &body);
    let send = |body: Vec<u8>| {
        app.raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            Signing::Exact { ts: &ts, sig: &sig },
        )
    };
    // Delivered by Slack: accepted.
    assert_eq!(send(body.clone()).await.status, 200);
    app.wait_for_calls("chat.postMessage", 1).await;
    app.settle().await;

    // The same bytes and headers, captured and sent again ten minutes later.
    clock.advance(Duration::from_secs(600));
    let replay = send(body).await;

    assert_eq!(replay.status, 401, "{}", replay.body);
    assert!(replay.body.contains("5-minute window"), "{}", replay.body);
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert_eq!(sessions.len(), 1, "the replay started no second session");
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.pending_jobs())
            .await
            .expect("db"),
        0
    );
    assert_eq!(app.calls("chat.postMessage").await.len(), 1);
}

#[tokio::test]
async fn slacks_documented_request_verifies_with_an_injected_clock() {
    let clock = wb::clock::Clock::fixed(jiff::Timestamp::from_second(1531420618 + 60).expect("ts"));
    let app = spawn_app_with(Options {
        clock: Some(clock),
        ..Options::default()
    })
    .await;
    let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    let answer = app
        .raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body.as_bytes().to_vec(),
            Signing::At(1531420618),
        )
        .await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.json()["text"]
        .as_str()
        .unwrap_or_default()
        .contains("/wb pressrelease"));
}

#[tokio::test]
async fn a_body_over_one_mebibyte_gets_413() {
    let app = spawn_app().await;
    let mut body = app.command_body("pressrelease big");
    body.extend(std::iter::repeat_n(b'a', 1024 * 1024 + 1));
    for route in ["/slack/commands", "/slack/events", "/slack/interactions"] {
        let answer = app
            .raw(
                "POST",
                route,
                "application/json",
                body.clone(),
                Signing::Valid,
            )
            .await;
        assert_eq!(answer.status, 413, "{route}");
    }
    assert!(app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn malformed_bodies_get_400_with_a_reason() {
    let app = spawn_app().await;
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "/slack/commands",
            "application/x-www-form-urlencoded",
            b"team_id=T1&text=hi".to_vec(),
            "malformed slash command",
        ),
        (
            "/slack/events",
            "application/json",
            b"{not json".to_vec(),
            "malformed JSON",
        ),
        (
            "/slack/events",
            "application/json",
            b"[1,2]".to_vec(),
            "malformed JSON",
        ),
        (
            "/slack/events",
            "application/json",
            br#"{"type":"event_callback","event":{"type":"message"}}"#.to_vec(),
            "malformed event_callback",
        ),
        (
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            b"nothing=here".to_vec(),
            "missing payload",
        ),
        (
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            b"payload=%7Bnope".to_vec(),
            "not a JSON object",
        ),
        (
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            b"payload=%7B%22type%22%3A%22block_actions%22%7D".to_vec(),
            "malformed block_actions",
        ),
    ];
    for (route, ct, body, reason) in cases {
        let answer = app.raw("POST", route, ct, body, Signing::Valid).await;
        assert_eq!(answer.status, 400, "{route}: {}", answer.body);
        assert!(answer.body.contains(reason), "{route}: {}", answer.body);
    }
    assert!(app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn url_verification_is_answered_with_the_challenge() {
    let app = spawn_app().await;
    let payload: Value = serde_json::from_str(&fixture("url_verification.json")).expect("fixture");
    let answer = app.event(&payload).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["challenge"], payload["challenge"]);
}

#[tokio::test]
async fn unknown_events_and_interactions_are_acknowledged_and_ignored() {
    let app = spawn_app().await;
    let unknown_event = envelope("Ev1", json!({"type": "team_rename", "name": "x"}));
    let unknown_type = json!({"type": "something_new", "x": 1});
    let unknown_action = json!({"type": "workflow_step_edit", "callback_id": "x"});

    assert_eq!(app.event(&unknown_event).await.status, 200);
    assert_eq!(app.event(&unknown_type).await.status, 200);
    assert_eq!(app.interaction(&unknown_action).await.status, 200);
    let mut other_button: Value =
        serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    other_button["actions"][0]["action_id"] = json!("someone_elses_button");
    assert_eq!(app.interaction(&other_button).await.status, 200);

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn ssl_check_pings_get_200() {
    let app = spawn_app().await;
    let body = b"ssl_check=1&token=abc".to_vec();
    let answer = app
        .raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await;
    assert_eq!(answer.status, 200);
}

#[tokio::test]
async fn healthz_answers_and_unknown_routes_are_404() {
    let app = spawn_app().await;
    let health = app
        .raw("GET", "/healthz", "text/plain", vec![], Signing::Missing)
        .await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    assert_eq!(
        app.raw("GET", "/nope", "text/plain", vec![], Signing::Missing)
            .await
            .status,
        404
    );
    assert_eq!(
        app.raw("GET", "/slack/events", "text/plain", vec![], Signing::Valid)
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.store.close().await;
    let health = app
        .raw("GET", "/healthz", "text/plain", vec![], Signing::Missing)
        .await;
    assert_eq!(health.status, 503);
}

#[tokio::test]
async fn not_in_channel_joins_the_public_channel_and_posts_again() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(slack_error("not_in_channel"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    app.command("pressrelease Joined idea").await;

    let joins = app.wait_for_calls("conversations.join", 1).await;
    assert_eq!(joins[0]["channel"], CHANNEL);
    app.wait_for_calls("chat.postMessage", 2).await;
    app.settle().await;
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        1
    );
}

#[tokio::test]
async fn not_in_a_private_channel_tells_the_user_to_invite_the_bot() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(slack_error("not_in_channel"))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/conversations.join"))
        .respond_with(slack_error("method_not_supported_for_channel_type"))
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    app.command("pressrelease Private idea").await;

    let told = app.wait_for_calls("response_url", 1).await;
    let text = told[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("/invite @wb"), "{text}");
    assert!(
        text.contains("Private idea"),
        "the idea is given back: {text}"
    );
    assert_eq!(told[0]["response_type"], "ephemeral");
    app.settle().await;
    assert_eq!(
        app.calls("chat.postMessage").await.len(),
        1,
        "a permanent error is not retried"
    );
    assert!(app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_until_the_post_lands_once() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;

    let started = Instant::now();
    app.command("pressrelease Retried idea").await;
    app.wait_for_calls("chat.postMessage", 3).await;
    app.settle().await;

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(app.calls("chat.postMessage").await.len(), 3);
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        1
    );
}

#[tokio::test]
async fn help_empty_and_unknown_text_answer_with_usage() {
    let app = spawn_app().await;
    for text in ["help", "", "frobnicate the widget"] {
        let answer = app.command(text).await;
        assert_eq!(answer.status, 200);
        let ack = answer.json();
        assert_eq!(ack["response_type"], "ephemeral");
        let shown = ack["text"].as_str().unwrap_or_default();
        for sub in ["pressrelease", "faq", "export", "list", "help"] {
            assert!(
                shown.contains(&format!("/wb {sub}")),
                "{text:?} lacks {sub}"
            );
        }
        assert_eq!(
            shown.contains("I didn't understand `frobnicate`"),
            text.starts_with("frob")
        );
    }
    assert!(app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn list_shows_this_channels_sessions() {
    let app = spawn_app().await;
    assert!(app.command("list").await.json()["text"]
        .as_str()
        .unwrap_or_default()
        .contains("No Working Backwards sessions"));
    app.start_session("First idea").await;
    app.start_session("Second idea").await;

    let text = app.command("list").await.json()["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let first = text.find("First idea").expect("first listed");
    let second = text.find("Second idea").expect("second listed");
    assert!(second < first, "most recent first: {text}");
    assert!(text.contains("0 drafts, 0 questions"));
}

#[tokio::test]
async fn a_restart_on_the_same_database_keeps_the_session() {
    let app = spawn_app().await;
    app.start_session("Survives restarts").await;
    let (slack, dir) = app.stop().await;

    let app = start(
        slack,
        Options {
            db_dir: Some(dir),
            ..Options::default()
        },
    )
    .await;

    let out = app.wb(&["sessions", "--json"]);
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list[0]["title"], "Survives restarts");
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        1
    );
}

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

#[tokio::test]
async fn an_idea_with_mentions_is_echoed_without_pinging_anyone() {
    let app = spawn_app().await;

    app.command("pressrelease <!channel> wake up <@U999> & see <https://evil.example|this>")
        .await;

    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    // Slack parses mentions in `text` and mrkdwn objects, not in plain_text (the header).
    let mut parsed = vec![posts[0]["text"].as_str().unwrap_or_default().to_string()];
    for block in posts[0]["blocks"].as_array().expect("blocks") {
        if block["text"]["type"] == "mrkdwn" {
            parsed.push(
                block["text"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        for e in block["elements"].as_array().into_iter().flatten() {
            if e["type"] == "mrkdwn" {
                parsed.push(e["text"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    for text in &parsed {
        for raw in ["<!channel>", "<@U999>", "<https://evil.example|this>"] {
            assert!(!text.contains(raw), "{raw} echoed raw: {text}");
        }
    }
    assert!(posts[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("&lt;!channel&gt;"));
    app.settle().await;
    let stored = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("list");
    assert_eq!(
        stored[0].session.title, "<!channel> wake up <@U999> & see <https://evil.example|this>",
        "stored as received"
    );
}

#[tokio::test]
async fn opening_the_home_tab_publishes_the_latest_sessions() {
    let app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/api/views.publish"))
        .respond_with(ok())
        .mount(&app.slack)
        .await;
    app.start_session("Home tab idea").await;

    let event = envelope(
        "EvHome1",
        json!({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "home", "event_ts": "1.1"}),
    );
    assert_eq!(app.event(&event).await.status, 200);

    let published = app.wait_for_calls("views.publish", 1).await;
    assert_eq!(published[0]["user_id"], USER);
    assert_eq!(published[0]["view"]["type"], "home");
    assert!(published[0]["view"].to_string().contains("Home tab idea"));
    let messages_tab = envelope(
        "EvHome2",
        json!({"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "messages", "event_ts": "1.2"}),
    );
    assert_eq!(app.event(&messages_tab).await.status, 200);
    app.settle().await;
    assert_eq!(app.calls("views.publish").await.len(), 1);
}

#[tokio::test]
async fn a_start_job_queued_by_an_older_wb_reserves_its_number_then_posts_once() {
    let app = spawn_app().await;
    // The JSON an older wb wrote: no `session_id`.
    let old = format!(
        r#"{{"kind":"start_session","team_id":"{TEAM}","channel_id":"{CHANNEL}","user_id":"{USER}","title":"Queued before the upgrade","response_url":null,"joined":false,"posted_ts":null}}"#
    );
    let old: serde_json::Value = serde_json::from_str(&old).expect("json");
    app.state
        .store
        .write(move |tx| tx.enqueue(&old))
        .await
        .expect("queued");
    app.state.wake_outbox();

    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    assert!(posts[0].to_string().contains("session #1"), "{}", posts[0]);
    assert_eq!(actions(&posts[0])["elements"][0]["value"], "1");
    app.settle().await;
    assert_eq!(app.calls("chat.postMessage").await.len(), 1);
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session.id, 1);
    assert_eq!(sessions[0].session.title, "Queued before the upgrade");
}

#[tokio::test]
async fn slacks_own_slash_command_form_with_enterprise_fields_starts_a_session() {
    let app = spawn_app().await;
    let body = fixture("slash_command.form").trim().as_bytes().to_vec();
    let answer = app
        .raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.body.contains("Smart fridge camera"),
        "{}",
        answer.body
    );
    let posts = app.wait_for_calls("chat.postMessage", 1).await;
    assert_eq!(posts[0]["channel"], CHANNEL);
    app.settle().await;
    let sessions = app
        .state
        .store
        .read(|tx| tx.list_sessions())
        .await
        .expect("db");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session.title, "Smart fridge camera");
    assert_eq!(sessions[0].session.created_by, USER);
}

#[tokio::test]
async fn a_submission_of_a_modal_wb_does_not_know_is_acknowledged_and_ignored() {
    let app = spawn_app().await;
    // The shared fixture's modal is another app's (callback `wb_draft_pr_modal`).
    let payload: Value = serde_json::from_str(&fixture("view_submission.json")).expect("fixture");
    let answer = app.interaction(&payload).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body, "");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0);
}

/// The root message's actions block (found by id: other blocks come and go).
fn actions(message: &serde_json::Value) -> serde_json::Value {
    message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["block_id"] == "wb_actions")
        .cloned()
        .unwrap_or_default()
}
