//! The playground's emulated Slack, seen from wb's side: the Web API answers
//! and errors as Slack's, trigger_ids expire, and everything the emulator
//! sends wb is really signed (wb still refuses a forged request).

use serde_json::{json, Value};

use crate::playground_support::*;

/// A Web API call with the playground's bot token (or `token`).
pub async fn api(pg: &Pg, method: &str, token: Option<&str>, args: Value) -> Value {
    let token = token.map_or_else(|| pg.pg.hub.bot_token.clone(), str::to_string);
    let auth = format!("Bearer {token}");
    let (status, text) = request(
        pg,
        "POST",
        &format!("/api/{method}"),
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("authorization", &auth),
        ],
        args.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("JSON")
}

#[tokio::test]
async fn the_web_api_answers_and_refuses_like_slack() {
    let pg = start().await;
    assert_eq!(
        api(&pg, "auth.test", Some("xoxb-wrong"), json!({})).await["error"],
        "invalid_auth"
    );
    let (_, text) = request(&pg, "POST", "/api/auth.test", &[], vec![]).await;
    assert!(text.contains("not_authed"), "{text}");
    assert_eq!(
        api(&pg, "chat.frobnicate", None, json!({})).await["error"],
        "unknown_method"
    );
    assert_eq!(
        api(
            &pg,
            "chat.postMessage",
            None,
            json!({"channel": "C0PRODUCT1", "text": "hi"})
        )
        .await["error"],
        "not_in_channel"
    );
    assert_eq!(
        api(
            &pg,
            "conversations.join",
            None,
            json!({"channel": "C0PRODUCT1"})
        )
        .await["ok"],
        true
    );
    assert_eq!(
        api(
            &pg,
            "chat.postMessage",
            None,
            json!({"channel": "C0NOPE", "text": "hi"})
        )
        .await["error"],
        "channel_not_found"
    );
    assert_eq!(
        api(
            &pg,
            "chat.postMessage",
            None,
            json!({"channel": "C0PRODUCT1"})
        )
        .await["error"],
        "no_text"
    );
    assert_eq!(
        api(
            &pg,
            "chat.postMessage",
            None,
            json!({"channel": "C0PRODUCT1", "text": "x".repeat(40_001)})
        )
        .await["error"],
        "msg_too_long"
    );
    assert_eq!(
        api(
            &pg,
            "chat.postMessage",
            None,
            json!({"channel": "C0PRODUCT1", "text": "x", "blocks": "nope"})
        )
        .await["error"],
        "invalid_blocks"
    );

    let meta = json!({"event_type": "wb_session", "event_payload": {"session_id": 7}});
    let root = api(
        &pg,
        "chat.postMessage",
        None,
        json!({"channel": "C0PRODUCT1", "text": "Root", "metadata": meta}),
    )
    .await;
    let ts = root["ts"].as_str().expect("ts").to_string();
    assert_eq!(root["message"]["bot_id"], "B0PLAYBOT1");
    let reply = api(
        &pg,
        "chat.postMessage",
        None,
        json!({"channel": "C0PRODUCT1", "text": "Reply", "thread_ts": ts}),
    )
    .await;
    assert_eq!(reply["message"]["thread_ts"], ts.as_str());

    let history = api(
        &pg,
        "conversations.history",
        None,
        json!({"channel": "C0PRODUCT1", "include_all_metadata": true, "limit": 1}),
    )
    .await;
    assert_eq!(history["messages"][0]["ts"], ts.as_str());
    assert_eq!(history["messages"][0]["metadata"], meta);
    assert_eq!(history["messages"][0]["reply_count"], 1);
    assert_eq!(history["has_more"], true, "the join message is older");
    let replies = api(
        &pg,
        "conversations.replies",
        None,
        json!({"channel": "C0PRODUCT1", "ts": ts}),
    )
    .await;
    let texts: Vec<&str> = replies["messages"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(texts, ["Root", "Reply"]);
    let plain = api(
        &pg,
        "conversations.replies",
        None,
        json!({"channel": "C0PRODUCT1", "ts": ts}),
    )
    .await;
    assert!(
        plain["messages"][0].get("metadata").is_none(),
        "metadata only when asked for"
    );

    let react = json!({"channel": "C0PRODUCT1", "timestamp": ts, "name": "memo"});
    assert_eq!(
        api(&pg, "reactions.add", None, react.clone()).await["ok"],
        true
    );
    assert_eq!(
        api(&pg, "reactions.add", None, react.clone()).await["error"],
        "already_reacted"
    );
    assert_eq!(
        api(&pg, "reactions.remove", None, react.clone()).await["ok"],
        true
    );
    assert_eq!(
        api(&pg, "reactions.remove", None, react).await["error"],
        "no_reaction"
    );
    assert_eq!(
        api(
            &pg,
            "chat.update",
            None,
            json!({"channel": "C0PRODUCT1", "ts": "1.000001", "text": "x"})
        )
        .await["error"],
        "message_not_found"
    );
    assert_eq!(
        api(
            &pg,
            "chat.update",
            None,
            json!({"channel": "C0PRODUCT1", "ts": ts, "text": "Root v2"})
        )
        .await["text"],
        "Root v2"
    );
    let link = api(
        &pg,
        "chat.getPermalink",
        None,
        json!({"channel": "C0PRODUCT1", "message_ts": reply["ts"]}),
    )
    .await;
    assert!(
        link["permalink"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("?thread_ts={ts}")),
        "{link}"
    );

    let li = api(&pg, "users.info", None, json!({"user": LI})).await;
    assert_eq!(li["user"]["profile"]["display_name"], "Li");
    assert_eq!(li["user"]["tz"], "Asia/Shanghai");
    assert_eq!(
        api(&pg, "users.info", None, json!({"user": "U0NOBODY"})).await["error"],
        "user_not_found"
    );

    let home = json!({"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}]});
    let published = api(
        &pg,
        "views.publish",
        None,
        json!({"user_id": SAM, "view": home}),
    )
    .await;
    assert_eq!(
        api(
            &pg,
            "views.publish",
            None,
            json!({"user_id": SAM, "view": home, "hash": "stale"})
        )
        .await["error"],
        "hash_conflict"
    );
    assert_eq!(
        api(
            &pg,
            "views.publish",
            None,
            json!({"user_id": SAM, "view": home, "hash": published["view"]["hash"]})
        )
        .await["ok"],
        true
    );
    assert_eq!(
        api(
            &pg,
            "views.update",
            None,
            json!({"view_id": "V0NOPE", "view": home})
        )
        .await["error"],
        "not_found"
    );

    let up = api(
        &pg,
        "files.getUploadURLExternal",
        None,
        json!({"filename": "a.md", "length": 5}),
    )
    .await;
    assert_eq!(
        api(
            &pg,
            "files.getUploadURLExternal",
            None,
            json!({"filename": "a.md"})
        )
        .await["error"],
        "invalid_arguments"
    );
    let path = up["upload_url"]
        .as_str()
        .expect("url")
        .split(&pg.pg.addr.to_string())
        .nth(1)
        .expect("path")
        .to_string();
    assert_eq!(
        request(
            &pg,
            "POST",
            &path,
            &[("content-type", "text/markdown")],
            b"# Hi\n".to_vec()
        )
        .await,
        (200, "OK - 5".to_string())
    );
    let done = api(&pg, "files.completeUploadExternal", None, json!({"files": [{"id": up["file_id"], "title": "Hi"}], "channel_id": "C0PRODUCT1", "thread_ts": ts})).await;
    assert_eq!(done["files"][0]["title"], "Hi");
    let canvas = api(&pg, "canvases.create", None, json!({"title": "Doc", "channel_id": "C0PRODUCT1", "document_content": {"type": "markdown", "markdown": "# Doc <b>\n- item"}})).await;
    let (status, page) = request(
        &pg,
        "GET",
        &format!(
            "/docs/T0PLAYGRND/{}",
            canvas["canvas_id"].as_str().expect("id")
        ),
        &[],
        vec![],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<h1>Doc &lt;b&gt;</h1>") && page.contains("<li>item</li>"),
        "{page}"
    );
    pg.pg.stop().await;
}

#[tokio::test]
async fn the_emulator_signs_and_wb_still_refuses_forgeries() {
    let pg = start().await;
    let wb_addr = pg.pg.wb.addr;
    let form = b"team_id=T0PLAYGRND&channel_id=C0PRODUCT1&user_id=U0PLAYYOU1&command=%2Fwb&text=pr+Forged&response_url=http%3A%2F%2Fx&trigger_id=1".to_vec();
    for signing in [
        crate::helpers::Signing::Garbage,
        crate::helpers::Signing::Valid,
    ] {
        // `Valid` here signs with the test suite's secret, not the playground's.
        let answer = crate::helpers::raw_to(
            wb_addr,
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            form.clone(),
            signing,
        )
        .await;
        assert_eq!(answer.status, 401, "{}", answer.body);
    }
    start_session(&pg, "Signed for real").await;
    assert_eq!(
        pg.pg
            .wb
            .state
            .store
            .read(|tx| tx.list_sessions())
            .await
            .expect("list")
            .len(),
        1
    );
    pg.pg.stop().await;
}
