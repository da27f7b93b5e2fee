//! The export: golden files for every format from a session with every kind of
//! content, the upload flow and the canvas against the fake Slack, and the CLI.
//! Shared fixtures and fake-Slack helpers here; tests by theme below.

mod cli;
mod fixture;
mod formats;
mod upload;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use wb::export::{ExportContext, ReviewItem};

use crate::helpers::*;

pub(crate) use fixture::{seed_fixture, seed_triage};

const PERMALINK: &str = "https://acme.slack.com/archives/C2147483705/p1763739000000100";
const UPLOAD_PATH: &str = "/upload/v1/CwABAAAAXw";
const FILE_ID: &str = "F0EXPORT01";

fn fixture_context(app_names: &[(&str, &str)]) -> ExportContext {
    ExportContext {
        names: app_names
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        permalink: Some(PERMALINK.into()),
        exported_at: "2026-11-22T08:00:00Z".into(),
        review: vec![
            ReviewItem {
                rule: "sentence over 30 words".into(),
                severity: "warning".into(),
                quote: "Today we launch <b>FridgeCam</b>".into(),
                suggestion: "Split it in two.".into(),
            },
            ReviewItem {
                rule: "missing section".into(),
                severity: "error".into(),
                quote: String::new(),
                suggestion: "Add a customer quote.".into(),
            },
        ],
    }
}

const NAMES: [(&str, &str); 3] = [
    ("U0ADA", "Ada Lovelace"),
    ("U0BOB", "Bob <b>Builder</b> & Co"),
    ("U0CHO", "Chloé 🎨"),
];

/// Compares with tests/golden/NAME; `UPDATE_GOLDEN=1 cargo test` rewrites it.
fn golden(name: &str, actual: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(file.parent().expect("dir")).expect("golden dir");
        std::fs::write(&file, actual).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", file.display()));
    if actual != want {
        let line = actual
            .lines()
            .zip(want.lines())
            .position(|(a, w)| a != w)
            .unwrap_or_else(|| actual.lines().count().min(want.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  got:  {:?}\n  want: {:?}",
            line + 1,
            actual.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

// ---------------------------------------------------------------- the fake Slack

/// `users.info`: a user per id from `names`; anything else is `user_not_found`.
struct UsersInfo(HashMap<String, String>);

impl Respond for UsersInfo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "user")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        match self.0.get(&id) {
            Some(name) => ResponseTemplate::new(200).set_body_json(json!({
                "ok": true,
                "user": {"id": id, "name": "handle", "real_name": "Real", "profile": {"display_name": name, "real_name": "Real"}}
            })),
            None => slack_error("user_not_found"),
        }
    }
}

async fn mount_export(app: &TestApp, names: &[(&str, &str)]) {
    Mock::given(method("GET"))
        .and(path("/api/files.getUploadURLExternal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "upload_url": format!("{}{UPLOAD_PATH}", app.slack.uri()),
            "file_id": FILE_ID,
        })))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path(UPLOAD_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK - 1234"))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/files.completeUploadExternal"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "files": [{"id": FILE_ID, "title": "doc set"}]})),
        )
        .mount(&app.slack)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/chat.getPermalink"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "channel": CHANNEL, "permalink": PERMALINK})),
        )
        .mount(&app.slack)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/users.info"))
        .respond_with(UsersInfo(
            names
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
        .mount(&app.slack)
        .await;
}

/// Requests the fake received whose path is one of `paths`, in order.
async fn requests(app: &TestApp, paths: &[&str]) -> Vec<Request> {
    app.slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| paths.contains(&r.url.path()))
        .collect()
}

fn query(r: &Request, key: &str) -> Option<String> {
    r.url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn body_json(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

async fn responses(app: &TestApp) -> Vec<String> {
    app.calls("response_url")
        .await
        .iter()
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

const UPLOAD_FLOW: [&str; 3] = [
    "/api/files.getUploadURLExternal",
    UPLOAD_PATH,
    "/api/files.completeUploadExternal",
];
