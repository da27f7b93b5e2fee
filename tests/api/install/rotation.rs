//! Token rotation: a rotating token is refreshed by a durable timer before
//! it expires (and again for the next one), and a call Slack refuses with
//! `token_expired` refreshes the token and is made once more — once.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use super::*;
use crate::helpers::*;

/// Polls `check` until it holds (15 s at most).
async fn until<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn refreshes(app: &TestApp) -> usize {
    oauth(app)
        .grants()
        .iter()
        .filter(|(g, _)| g == "refresh_token")
        .count()
}

#[tokio::test]
async fn a_token_that_expires_in_2_s_is_refreshed_before_it_expires_again_and_again() {
    let manual = wb::clock::ManualClock::new(jiff::Timestamp::now());
    let app = spawn_app_with(Options {
        clock: Some(manual.clock()),
        ..installs()
    })
    .await;
    install(&app, &acme().rotating(2)).await;
    let stored = || async {
        crate::testdb::query_scalar::<String>("SELECT bot_token FROM installations")
            .fetch_one(&app.pool)
            .await
            .expect("installation")
    };
    let first = stored().await;
    let timers =
        "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND job LIKE '%\"refresh_token\"%'";
    assert_eq!(count(&app, timers).await, 1, "a refresh timer is queued");
    // Not yet: the timer is due a second before the token expires.
    app.state.wake_outbox();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(refreshes(&app), 0);
    for round in 1..=2 {
        manual.advance(Duration::from_millis(1_200));
        app.state.wake_outbox();
        until("the token is refreshed", || async {
            refreshes(&app) == round
        })
        .await;
        until("the next timer is queued", || async {
            count(&app, timers).await == 1
        })
        .await;
    }
    let now = stored().await;
    assert_ne!(now, first, "the new pair is stored");
    assert!(now.starts_with("wb1.") && !now.contains("xoxe"));
    // Work goes out with the newest token.
    let newest = oauth(&app)
        .access_tokens(TEAM_A)
        .last()
        .cloned()
        .expect("token");
    start_session_in(&app, TEAM_A, CHANNEL_A, USER_A, "Fresh token idea").await;
    assert_eq!(app.tokens_of("chat.postMessage").await, vec![newest]);
    assert_eq!(refreshes(&app), 2, "no refresh beyond the timers'");
}

/// `chat.postMessage` that refuses expired tokens (`token_expired`), and
/// otherwise posts like the usual fake.
struct Expiring {
    expired: Arc<Mutex<HashSet<String>>>,
    all: Arc<AtomicBool>,
    posts: PostMessage,
}

impl Respond for Expiring {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .to_string();
        let expired = self.all.load(Ordering::SeqCst)
            || self
                .expired
                .lock()
                .map(|e| e.contains(&token))
                .unwrap_or(false);
        if expired {
            return ResponseTemplate::new(200)
                .set_body_json(json!({"ok": false, "error": "token_expired"}));
        }
        self.posts.respond(request)
    }
}

#[tokio::test]
async fn token_expired_refreshes_the_token_and_makes_the_call_once_more_only_once() {
    let app = spawn_app_with(Options {
        defaults: false,
        ..installs()
    })
    .await;
    let expired = Arc::new(Mutex::new(HashSet::new()));
    let all = Arc::new(AtomicBool::new(false));
    Mock::given(method("POST"))
        .and(path("/api/chat.postMessage"))
        .respond_with(Expiring {
            expired: expired.clone(),
            all: all.clone(),
            posts: PostMessage::new(),
        })
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;
    install(&app, &acme().rotating(43_200)).await;
    let old = oauth(&app).access_tokens(TEAM_A)[0].clone();
    expired.lock().expect("lock").insert(old.clone());

    start_session_in(&app, TEAM_A, CHANNEL_A, USER_A, "Expired token idea").await;
    let fresh = oauth(&app).access_tokens(TEAM_A)[1].clone();
    assert_eq!(
        app.tokens_of("chat.postMessage").await,
        vec![old, fresh.clone()]
    );
    assert_eq!(refreshes(&app), 1);
    app.settle_due().await;

    // Every token refused: one refresh, one more try, then the job fails.
    all.store(true, Ordering::SeqCst);
    let answer = command_in(&app, TEAM_A, CHANNEL_A, USER_A, "pressrelease Doomed idea").await;
    assert_eq!(answer.status, 200);
    until("the start job fails", || async {
        count(&app, "SELECT COUNT(*) FROM outbox WHERE state = 'failed'").await == 1
    })
    .await;
    let tokens = app.tokens_of("chat.postMessage").await;
    assert_eq!(tokens.len(), 4, "{tokens:?}");
    assert_eq!(tokens[2], fresh);
    assert_eq!(refreshes(&app), 2);
    let error: String =
        crate::testdb::query_scalar("SELECT last_error FROM outbox WHERE state = 'failed'")
            .fetch_one(&app.pool)
            .await
            .expect("error");
    assert!(error.contains("token_expired"), "{error}");
}
