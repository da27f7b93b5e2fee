//! What the playground keeps, and for how long, as Slack does: trigger_ids
//! (once, within 3 s), response_urls (5 uses; ephemeral, in_channel,
//! replace_original, delete_original), `view_closed` only when asked for; and
//! the channel itself across a restart.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use wb::playground::{Options, Playground};

use crate::playground_support::*;
use crate::playground_webapi::api;

#[tokio::test]
async fn trigger_ids_work_once_within_three_seconds_and_view_closed_is_sent_when_asked() {
    let pg = start().await;
    let view = json!({"type": "modal", "callback_id": "probe", "notify_on_close": true, "title": {"type": "plain_text", "text": "Probe"},
                      "blocks": [{"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "Name"},
                                  "element": {"type": "plain_text_input", "action_id": "a"}}]});
    let trigger = pg.pg.hub.quietly(|w| w.new_trigger(YOU));
    assert_eq!(
        api(
            &pg,
            "views.open",
            None,
            json!({"trigger_id": "nope", "view": view})
        )
        .await["error"],
        "invalid_trigger_id"
    );
    let opened = api(
        &pg,
        "views.open",
        None,
        json!({"trigger_id": trigger, "view": view}),
    )
    .await;
    assert_eq!(opened["view"]["state"], json!({"values": {}}));
    assert_eq!(
        api(
            &pg,
            "views.open",
            None,
            json!({"trigger_id": trigger, "view": view})
        )
        .await["error"],
        "exchanged_trigger_id"
    );
    let old = pg.pg.hub.quietly(|w| {
        let t = w.new_trigger(YOU);
        if let Some(trig) = w.triggers.get_mut(&t) {
            trig.created = trig
                .created
                .checked_sub(Duration::from_secs(4))
                .unwrap_or(trig.created);
        }
        t
    });
    assert_eq!(
        api(
            &pg,
            "views.open",
            None,
            json!({"trigger_id": old, "view": view})
        )
        .await["error"],
        "expired_trigger_id"
    );
    let closed = ui(
        &pg,
        "view/close",
        YOU,
        json!({"view_id": opened["view"]["id"], "values": {"b": {"a": "typed"}}}),
    )
    .await;
    assert_eq!(closed["notified"], true, "{closed}");
    pg.pg.stop().await;
}

#[tokio::test]
async fn response_urls_reply_replace_and_delete_five_times_at_most() {
    let pg = start().await;
    let (id, key) = pg.pg.hub.change(|w| {
        let e = w.add_ephemeral(YOU, None, "Original".into(), None);
        let key = w.new_hook(wb::playground::world::Hook {
            user: YOU.into(),
            message_ts: None,
            ephemeral: Some(e.id),
            thread_ts: None,
            uses: 0,
            created: Instant::now(),
        });
        (e.id, key)
    });
    let hook = |body: Value| {
        let path = format!("/hooks/{key}");
        let pg = &pg;
        async move {
            request(
                pg,
                "POST",
                &path,
                &[("content-type", "application/json")],
                body.to_string().into_bytes(),
            )
            .await
        }
    };
    let ephemerals = |s: Value| s["ephemerals"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        hook(json!({"replace_original": true, "text": "Replaced"}))
            .await
            .0,
        200
    );
    let mine = ephemerals(state(&pg, YOU).await);
    assert_eq!(
        mine.iter()
            .find(|e| e["id"] == id)
            .map(|e| e["text"].clone()),
        Some(json!("Replaced"))
    );
    assert_eq!(hook(json!({"text": "Another, only for you"})).await.0, 200);
    assert!(
        ephemerals(state(&pg, LI).await).is_empty(),
        "ephemerals are only for their user"
    );
    assert_eq!(
        hook(json!({"response_type": "in_channel", "text": "For everyone"}))
            .await
            .0,
        200
    );
    wait_message(&pg, LI, "For everyone").await;
    assert_eq!(hook(json!({"delete_original": true})).await.0, 200);
    assert!(ephemerals(state(&pg, YOU).await)
        .iter()
        .all(|e| e["id"] != id));
    assert_eq!(hook(json!({"text": "fifth"})).await.0, 200);
    let (status, body) = hook(json!({"text": "sixth"})).await;
    assert_eq!((status, body.contains("used_url")), (404, true), "{body}");
    let (status, _) = request(
        &pg,
        "POST",
        "/hooks/0/none",
        &[("content-type", "application/json")],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    pg.pg.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_the_channel_and_wbs_database() {
    let first = start().await;
    start_session(&first, "Kept across restarts").await;
    let dir = first.dir;
    first.pg.stop().await;
    let options = Options {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: crate::testdb::db_url_named(dir.path(), "playground.db"),
        state_file: Some(dir.path().join("playground.db.slack.json")),
    };
    let pg = Pg {
        pg: Playground::start(options).await.expect("restart"),
        dir,
    };
    let root = wait_message(&pg, YOU, "Working Backwards: Kept across restarts").await;
    let r = ui(
        &pg,
        "message",
        LI,
        json!({"text": "Still capturing?", "thread_ts": root["ts"]}),
    )
    .await;
    assert_eq!(r["ok"], true);
    eventually("the question after a restart", || async {
        docset(&pg, 1).await["faq"][0]["question"]
            .as_str()
            .map(str::to_string)
    })
    .await;
    pg.pg.stop().await;
}
