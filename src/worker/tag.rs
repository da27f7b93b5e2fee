//! What a post carries besides its message: where it goes and the job's
//! identity (`metadata`, see [`super::recover`]), around bodies serde
//! writes ([`Tagged`], [`Addressed`]) or a typed message written by hand
//! ([`TaggedMessage`]).

use serde::Serialize;

use crate::views::kit::Message;
use crate::webapi::JsonBody;

/// A post's `metadata`: the job's identity, no user text.
#[derive(Serialize)]
pub(super) struct Tag<'a> {
    pub event_type: &'static str,
    pub event_payload: TagPayload<'a>,
}

#[derive(Serialize)]
pub(super) struct TagPayload<'a> {
    pub job: i64,
    pub at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<usize>,
}

/// A body with the job's tag, written without copying the body.
#[derive(Serialize)]
pub(super) struct Tagged<'a, B: ?Sized> {
    #[serde(flatten)]
    pub body: &'a B,
    pub metadata: Tag<'a>,
}

/// A message body with where it goes (`chat.postMessage`'s `channel` and
/// `thread_ts`), for bodies that do not carry them: what
/// [`TaggedMessage`] writes by hand, written by serde (tests).
#[cfg(test)]
#[derive(Serialize)]
pub struct Addressed<'a, B: ?Sized> {
    pub channel: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_ts: Option<&'a str>,
    #[serde(flatten)]
    pub body: &'a B,
}

/// `Tagged { body: Addressed { channel, thread_ts, body: message }, metadata }`,
/// written by hand: the same bytes (tested).
pub(super) struct TaggedMessage<'a> {
    pub channel: &'a str,
    pub thread_ts: Option<&'a str>,
    pub message: &'a Message<'a>,
    pub metadata: Tag<'a>,
}

/// Appends `channel`, `thread_ts` (if any) and `message`'s fields, without
/// braces.
pub(super) fn write_addressed(
    out: &mut Vec<u8>,
    channel: &str,
    thread_ts: Option<&str>,
    message: &Message<'_>,
) -> serde_json::Result<()> {
    out.extend_from_slice(b"\"channel\":");
    serde_json::to_writer(&mut *out, channel)?;
    if let Some(ts) = thread_ts {
        out.extend_from_slice(b",\"thread_ts\":");
        serde_json::to_writer(&mut *out, ts)?;
    }
    out.push(b',');
    message.write_fields(out)
}

impl JsonBody for TaggedMessage<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        write_addressed(out, self.channel, self.thread_ts, self.message)?;
        out.extend_from_slice(b",\"metadata\":");
        serde_json::to_writer(&mut *out, &self.metadata)?;
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::root::{root_message, RootStatus};

    fn tag(part: Option<usize>) -> Tag<'static> {
        Tag {
            event_type: "wb_job",
            event_payload: TagPayload {
                job: 42,
                at: "2026-12-01T10:00:00Z",
                part,
            },
        }
    }

    #[test]
    fn a_tagged_message_is_written_as_serde_writes_it() {
        let status = RootStatus {
            headline: Some("Fridge \"cam\" <b>".into()),
            questions: 3,
            unresolved: 1,
            ..RootStatus::default()
        };
        for (thread_ts, part, number) in [
            (None, None, Some(1)),
            (Some("1700000000.000100"), Some(2), None),
        ] {
            let message = root_message("Smart \"fridge\"\n camera ✨", "U1", number, &status);
            let by_serde = serde_json::to_vec(&Tagged {
                body: &Addressed {
                    channel: "C1",
                    thread_ts,
                    body: &message,
                },
                metadata: tag(part),
            })
            .expect("serializes");
            let mut by_hand = Vec::new();
            TaggedMessage {
                channel: "C1",
                thread_ts,
                message: &message,
                metadata: tag(part),
            }
            .write_json(&mut by_hand)
            .expect("writes");
            assert_eq!(String::from_utf8(by_hand), String::from_utf8(by_serde));
        }
    }
}
