//! A Web API call's JSON body: anything serde serializes, or a body that
//! writes its own JSON (the root message, posted once per slash command:
//! `views::kit::Message::write_fields`).

use serde::Serialize;

/// What a Web API call sends as its JSON body.
pub trait JsonBody: Send + Sync {
    /// Appends the body's JSON to `out`.
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

impl<T: Serialize + Send + Sync + ?Sized> JsonBody for T {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        serde_json::to_writer(out, self)
    }
}
