//! The install page, the redirect and its state: the happy install, each bad
//! state (refused before Slack is asked), a replayed state, a cancel, and
//! Slack's own refusal.

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine;

use super::*;
use crate::helpers::*;

fn manifest_scopes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.yml"))
        .expect("manifest.yml");
    let m: yaml_serde::Value = yaml_serde::from_str(&text).expect("YAML");
    m["oauth_config"]["scopes"]["bot"]
        .as_sequence()
        .expect("bot scopes")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn the_install_page_asks_for_the_manifests_scopes_with_a_fresh_state_in_an_http_only_cookie()
{
    let app = spawn_app_with(installs()).await;
    let page = install_page(&app).await;
    let q = |k: &str| {
        page.link
            .query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(page.link.path(), "/oauth/v2/authorize");
    assert_eq!(
        q("client_id").as_deref(),
        Some(crate::fake_oauth::CLIENT_ID)
    );
    assert_eq!(
        q("redirect_uri").as_deref(),
        Some("https://wb.test/slack/oauth_redirect")
    );
    let asked: BTreeSet<String> = q("scope")
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    assert_eq!(asked, manifest_scopes(), "one source for the scopes");
    for scope in &asked {
        assert!(page.answer.body.contains(&format!("<code>{scope}</code>")));
    }
    // At least 128 random bits, and a new one each time.
    let bits = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&page.state)
        .expect("base64url")
        .len()
        * 8;
    assert!(bits >= 128, "{bits} bits");
    assert_ne!(install_page(&app).await.state, page.state);
    // The browser keeps the same state, HttpOnly, SameSite=Lax, Secure (https).
    assert_eq!(page.cookie(), format!("wb_oauth_state={}", page.state));
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Max-Age=600"] {
        assert!(page.set_cookie.contains(attribute), "{}", page.set_cookie);
    }
    // Stored server-side (so any replica can check it), but not in clear.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM oauth_states").await, 2);
    let stored: i64 =
        crate::testdb::query_scalar("SELECT COUNT(*) FROM oauth_states WHERE state_hash = ?")
            .bind(&page.state)
            .fetch_one(&app.pool)
            .await
            .expect("read");
    assert_eq!(stored, 0);
    // A self-contained page.
    let csp = page.answer.headers["content-security-policy"]
        .to_str()
        .expect("csp");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!page.answer.body.contains("<script"));
}

#[tokio::test]
async fn an_install_stores_the_workspace_with_its_token_sealed_and_says_where_wb_is() {
    let app = spawn_app_with(installs()).await;
    let done = install(&app, &acme()).await;
    assert!(
        done.body.contains("wb is installed in Acme"),
        "{}",
        done.body
    );
    assert!(done
        .body
        .contains(&format!("https://app.slack.com/client/{TEAM_A}")));
    // The state cookie is spent.
    let cleared = done.headers["set-cookie"].to_str().expect("cookie");
    assert!(cleared.starts_with("wb_oauth_state=;") && cleared.contains("Max-Age=0"));
    let row: (String, Option<String>, Option<String>, String, Option<String>, String) =
        crate::testdb::query_as(
            "SELECT install_key, team_name, bot_user_id, bot_scopes, installed_by, bot_token FROM installations",
        )
        .fetch_one(&app.pool)
        .await
        .expect("one installation");
    assert_eq!(row.0, format!("T:{TEAM_A}"));
    assert_eq!(row.1.as_deref(), Some("Acme"));
    assert_eq!(row.2, Some(format!("UB{TEAM_A}")));
    assert!(row.3.contains("chat:write"));
    assert_eq!(row.4.as_deref(), Some("U0INSTALLER"));
    assert!(row.5.starts_with("wb1."), "sealed: {}", row.5);
    assert!(!row.5.contains("xoxb"), "no token in clear");
    assert_eq!(
        oauth(&app).grants(),
        vec![("authorization_code".to_string(), true)],
        "client id and secret in HTTP Basic"
    );
    // `wb teams` lists it, without a token.
    let out = app.wb(&["teams", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(listed[0]["id"], TEAM_A);
    assert_eq!(listed[0]["team_name"], "Acme");
    assert_eq!(listed[0]["installed_by"], "U0INSTALLER");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let table = String::from_utf8_lossy(&app.wb(&["teams"]).stdout).to_string();
    for token in oauth(&app).issued_tokens() {
        assert!(!text.contains(&token) && !table.contains(&token));
    }
    assert!(table.contains(TEAM_A) && table.contains("Acme"), "{table}");
}

#[tokio::test]
async fn each_bad_state_is_refused_with_a_400_and_slack_is_never_asked() {
    let manual = wb::clock::ManualClock::new(jiff::Timestamp::now());
    let app = spawn_app_with(Options {
        clock: Some(manual.clock()),
        ..installs()
    })
    .await;
    let code = oauth(&app).code_for(&acme());
    let page = install_page(&app).await;
    let cookie = page.cookie();
    let other = install_page(&app).await;
    let forged = "A".repeat(43);
    let forged_cookie = format!("wb_oauth_state={forged}");
    let other_cookie = other.cookie();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        ("no state", vec![("code", &code)], Some(&cookie)),
        (
            "empty state",
            vec![("code", &code), ("state", "")],
            Some(&cookie),
        ),
        (
            "no cookie",
            vec![("code", &code), ("state", &page.state)],
            None,
        ),
        (
            "another browser's cookie",
            vec![("code", &code), ("state", &page.state)],
            Some(&other_cookie),
        ),
        (
            "a state wb never made",
            vec![("code", &code), ("state", &forged)],
            Some(&forged_cookie),
        ),
    ];
    for (what, query, cookie) in cases {
        let answer = redirect(&app, &query, cookie).await;
        assert_eq!(answer.status, 400, "{what}: {}", answer.body);
        assert!(answer.body.contains("does not work"), "{what}");
    }
    // Expired: the link is older than ten minutes.
    manual.advance(Duration::from_secs(601));
    let late = redirect(
        &app,
        &[("code", &code), ("state", &other.state)],
        Some(&other_cookie),
    )
    .await;
    assert_eq!(late.status, 400, "{}", late.body);
    assert!(
        late.body.contains("more than 10 minutes old"),
        "{}",
        late.body
    );
    assert!(
        oauth(&app).grants().is_empty(),
        "oauth.v2.access was called"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM installations").await, 0);
}

#[tokio::test]
async fn a_state_works_once_a_replay_is_refused() {
    let app = spawn_app_with(installs()).await;
    let page = install_page(&app).await;
    let cookie = page.cookie();
    let first = oauth(&app).code_for(&acme());
    let ok = redirect(
        &app,
        &[("code", &first), ("state", &page.state)],
        Some(&cookie),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let second = oauth(&app).code_for(&bravo());
    let replay = redirect(
        &app,
        &[("code", &second), ("state", &page.state)],
        Some(&cookie),
    )
    .await;
    assert_eq!(replay.status, 400, "{}", replay.body);
    assert!(replay.body.contains("already used"), "{}", replay.body);
    assert_eq!(oauth(&app).grants().len(), 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM installations").await, 1);
}

#[tokio::test]
async fn a_cancel_on_slacks_page_gets_a_friendly_page_and_nothing_changes() {
    let app = spawn_app_with(installs()).await;
    let page = install_page(&app).await;
    let cookie = page.cookie();
    let answer = redirect(
        &app,
        &[
            ("error", "access_denied"),
            ("error_description", "The user has denied access"),
            ("state", &page.state),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert!(
        answer.body.contains("wb was not installed"),
        "{}",
        answer.body
    );
    assert!(answer
        .body
        .contains("href=\"https://wb.test/slack/install\""));
    assert!(oauth(&app).grants().is_empty());
}

#[tokio::test]
async fn slacks_refusal_is_named_on_the_error_page_and_nothing_is_stored() {
    let app = spawn_app_with(installs()).await;
    let page = install_page(&app).await;
    let cookie = page.cookie();
    let code = oauth(&app).code_for(&acme());
    oauth(&app).fail_next("invalid_code");
    let answer = redirect(
        &app,
        &[("code", &code), ("state", &page.state)],
        Some(&cookie),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.body.contains("Slack answered `invalid_code`"),
        "{}",
        answer.body
    );
    assert!(!answer.body.contains(&code), "the code is never shown");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM installations").await, 0);
}

#[tokio::test]
async fn without_a_client_id_there_is_no_install_page_and_nothing_changes() {
    let app = spawn_app().await;
    let answer = app.get("/slack/install").await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert!(answer.headers.get("set-cookie").is_none());
    assert_eq!(
        app.get("/slack/oauth_redirect?code=x&state=y").await.status,
        404
    );
    // Single-token mode as before: the static token, no auth.test.
    app.start_session("Single token idea").await;
    assert_eq!(app.tokens_of("chat.postMessage").await, vec![BOT_TOKEN]);
    assert!(app.calls("auth.test").await.is_empty());
}

/// `wb serve` with the install settings and `key` as WB_ENCRYPTION_KEY:
/// its exit code and what it said, within 20 s.
fn serve_with_key(key: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", crate::testdb::db_url(dir.path()))
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_CLIENT_ID", crate::fake_oauth::CLIENT_ID)
        .env("SLACK_CLIENT_SECRET", crate::fake_oauth::CLIENT_SECRET)
        .env("WB_PUBLIC_URL", PUBLIC_URL)
        .env("WB_ENCRYPTION_KEY", key)
        .env("WB_LISTEN", "127.0.0.1:0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn wb");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("wb kept running with a bad key");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut said = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut err, &mut said);
    }
    (status.code(), said)
}

#[test]
fn an_encryption_key_that_is_not_32_bytes_of_base64_stops_wb_with_exit_2_naming_it() {
    let engine = base64::engine::general_purpose::STANDARD;
    for key in [
        engine.encode([7_u8; 16]),
        engine.encode([7_u8; 33]),
        "not base64 at all!".to_string(),
    ] {
        let (code, said) = serve_with_key(&key);
        assert_eq!(code, Some(2), "{said}");
        assert!(said.contains("WB_ENCRYPTION_KEY"), "{said}");
        assert!(!said.contains(&key), "the key is never echoed: {said}");
    }
}
