//! Request verification: bad signatures, replays, Slack's documented
//! example, oversized and malformed bodies.

use super::*;

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
    // A minute past Slack's five either way: the requests below take
    // seconds on a slow machine, and a timestamp only 301 s ahead, taken
    // before them, comes within the five minutes by the time one is read.
    let stale = now() - 360;
    let future = now() + 360;
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
