//! The ids a log line may carry — team, channel, user — recorded on the
//! current span (the transport's `request` span) from a command or a raw
//! Events API / interaction payload. Ids only: never text, never tokens.

use tracing::Span;

use super::json::JsonRead;

/// Records whichever ids are known on the current span.
pub fn record(team: Option<&str>, channel: Option<&str>, user: Option<&str>) {
    let span = Span::current();
    for (field, value) in [("team", team), ("channel", channel), ("user", user)] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            span.record(field, v);
        }
    }
}

/// The ids of an Events API envelope or an interaction payload.
pub fn record_payload<J: JsonRead>(value: &J) {
    let first = |paths: &[&[&str]]| -> Option<&str> {
        paths.iter().find_map(|path| {
            let mut v = value;
            for key in *path {
                v = v.field(key)?;
            }
            v.text()
        })
    };
    let team = first(&[&["team_id"], &["team", "id"]]);
    let channel = first(&[
        &["event", "channel"],
        &["event", "item", "channel"],
        &["channel", "id"],
        &["container", "channel_id"],
        &["channel_id"],
    ]);
    let user = first(&[&["event", "user"], &["user", "id"], &["user_id"]]);
    record(team, channel, user);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_ids_without_panicking_on_odd_shapes() {
        // Nothing to assert on a span here; this guards the lookups.
        for v in [
            json!({"team_id": "T1", "event": {"channel": "C1", "user": "U1"}}),
            json!({"team": {"id": "T1"}, "user": {"id": "U1"}, "channel": {"id": "C1"}}),
            json!({"event": {"user": {"id": "U1"}, "item": {"channel": 5}}}),
            json!([1, 2]),
        ] {
            record_payload(&v);
        }
    }
}
