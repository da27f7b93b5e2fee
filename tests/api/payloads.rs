//! Real Slack payloads (issue 19), driven as signed requests: replies with
//! files and `/me` replies captured, every `message` subtype handled as its
//! row says, org-wide (Enterprise Grid) shapes accepted, refusals logged.

mod files;
mod org_wide;
mod refusals;
mod subtypes;

use serde_json::Value;

use crate::helpers::*;

/// A fixture envelope, its event's thread set to `thread_ts`.
pub fn fixture_in_thread(name: &str, thread_ts: &str) -> Value {
    let mut envelope: Value = serde_json::from_str(&fixture(name)).expect("fixture");
    envelope["event"]["thread_ts"] = Value::String(thread_ts.into());
    envelope
}

/// Sends `envelope`; asserts the 200.
pub async fn deliver(app: &TestApp, envelope: &Value) {
    let answer = app.event(envelope).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// `wb export 1 --format md`.
pub fn export_markdown(app: &TestApp) -> String {
    let out = app.wb(&["export", "1", "--format", "md"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
