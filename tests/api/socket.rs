//! `wb socket`: slack-morphism's Socket Mode listener against a local fake
//! (apps.connections.open + a websocket), routed into the same handlers.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use wb::app::AppState;
use wb::config::{Config, Secret};

use crate::helpers::*;

pub fn hello() -> Message {
    Message::text(
        json!({
            "type": "hello",
            "num_connections": 1,
            "connection_info": {"app_id": "A123456"},
            "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060}
        })
        .to_string(),
    )
}

#[tokio::test]
async fn socket_mode_runs_slash_commands_and_events_through_the_shared_handlers() {
    let slack = MockServer::start().await;
    mount_defaults(&slack).await;
    let ws = TcpListener::bind("127.0.0.1:0").await.expect("bind ws");
    let ws_url = format!("ws://{}/link", ws.local_addr().expect("addr"));
    Mock::given(method("POST"))
        .and(path("/api/apps.connections.open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "url": ws_url})))
        .mount(&slack)
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let config = Config {
        database_url: crate::testdb::db_url(dir.path()),
        db_tuning: Default::default(),
        signing_secret: Secret::new(""),
        bot_token: Some(Secret::new(BOT_TOKEN)),
        app_token: Some(Secret::new("xapp-test-0000")),
        listen: "127.0.0.1:0".parse().expect("addr"),
        slack_api_url: format!("{}/api", slack.uri()),
        admin_listen: None,
        pacing: true,
        install: None,
        keys: None,
        purge_on_uninstall: false,
        backlog_bound: wb::config::DEFAULT_BACKLOG_BOUND,
    };
    let state = AppState::build(config, wb::clock::Clock::system())
        .await
        .expect("state");
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let socket = tokio::spawn(wb::socket::run(state.clone(), shutdown.clone()));
    let worker = tokio::spawn(wb::worker::run_worker(state.clone(), shutdown));

    // slack-morphism opens more than one connection; use the first, keep the rest idle.
    let (stream, _) = tokio::time::timeout(Duration::from_secs(10), ws.accept())
        .await
        .expect("wb connected")
        .expect("accept");
    let mut conn = tokio_tungstenite::accept_async(stream)
        .await
        .expect("handshake");
    let idle = tokio::spawn(async move {
        let mut others = Vec::new();
        while let Ok((s, _)) = ws.accept().await {
            if let Ok(mut c) = tokio_tungstenite::accept_async(s).await {
                let _ = c.send(hello()).await;
                others.push(c);
            }
        }
    });
    conn.send(hello()).await.expect("hello");

    let command = json!({
        "envelope_id": "env-cmd-1",
        "type": "slash_commands",
        "accepts_response_payload": true,
        "payload": {
            "token": "x", "team_id": TEAM, "team_domain": "example", "channel_id": CHANNEL,
            "channel_name": "product", "user_id": USER, "user_name": "steve", "command": "/wb",
            "text": "pressrelease Socket idea", "api_app_id": "A123456",
            "response_url": format!("{}/response", slack.uri()),
            "trigger_id": "1.2.3"
        }
    });
    conn.send(Message::text(command.to_string()))
        .await
        .expect("send command");
    let cmd_ack = next_ack(&mut conn, "env-cmd-1").await;
    assert_eq!(cmd_ack["payload"]["response_type"], "ephemeral");
    assert!(cmd_ack["payload"]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Socket idea"));
    let posted = wait_for(&slack, "/api/chat.postMessage").await;
    assert_eq!(posted["blocks"][0]["text"]["text"], "Socket idea");
    let thread_ts = wait_for_session(&state).await;

    // A question replied in the session's thread, delivered over the socket.
    let question = json!({
        "envelope_id": "env-evt-1",
        "type": "events_api",
        "accepts_response_payload": false,
        "payload": envelope("EvSocket1", json!({
            "type": "message", "channel": CHANNEL, "user": USER,
            "text": "How much will it cost over the socket?",
            "ts": "1763740100.000200", "thread_ts": thread_ts,
            "event_ts": "1763740100.000200", "channel_type": "channel"
        }))
    });
    conn.send(Message::text(question.to_string()))
        .await
        .expect("send event");
    next_ack(&mut conn, "env-evt-1").await;
    let reaction = wait_for(&slack, "/api/reactions.add").await;
    assert_eq!(reaction["name"], "question");
    assert_eq!(reaction["timestamp"], "1763740100.000200");
    let docset = state
        .store
        .read(|tx| tx.docset(1))
        .await
        .expect("db")
        .expect("session 1");
    assert_eq!(docset.faq.len(), 1);
    assert_eq!(
        docset.faq[0].question,
        "How much will it cost over the socket?"
    );

    // An org-wide install's event (no envelope team_id, a null authorization
    // team) reaches the same lenient edge as over HTTP.
    let org_wide = json!({
        "envelope_id": "env-evt-2",
        "type": "events_api",
        "accepts_response_payload": false,
        "payload": crate::payloads::fixture_in_thread("event_org_wide_reply.json", &thread_ts)
    });
    conn.send(Message::text(org_wide.to_string()))
        .await
        .expect("send org-wide event");
    next_ack(&mut conn, "env-evt-2").await;
    let docset = state
        .store
        .read(|tx| tx.docset(1))
        .await
        .expect("db")
        .expect("session 1");
    assert_eq!(docset.faq.len(), 2, "{:?}", docset.faq);

    let _ = stop.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(15), socket).await;
    let _ = tokio::time::timeout(Duration::from_secs(15), worker).await;
    idle.abort();
    state.store.close().await;
}

/// Reads frames until the ack of `envelope_id` arrives (bounded).
async fn next_ack<S>(conn: &mut S, envelope_id: &str) -> Value
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), conn.next())
            .await
            .expect("an ack in time")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            let v: Value = serde_json::from_str(text.as_str()).expect("json ack");
            if v["envelope_id"] == envelope_id {
                return v;
            }
        }
    }
}

/// The root ts of the first session, once it is stored.
async fn wait_for_session(state: &wb::app::AppState) -> String {
    for _ in 0..400 {
        if let Ok(Some(s)) = state.store.read(|tx| tx.session(1)).await {
            return s.thread_ts;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("session 1 was never stored");
}

async fn wait_for(slack: &MockServer, p: &str) -> Value {
    for _ in 0..400 {
        if let Some(r) = slack
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|r| r.url.path() == p)
        {
            return serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no call to {p}");
}
