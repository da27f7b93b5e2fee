//! A Web API answer read as JSON without the message Slack echoes back.
//! `chat.postMessage` and `chat.update` answer with the whole message they
//! stored (its text, its blocks, its metadata): as large as what wb sent,
//! and wb reads none of it — only `ok`, `error`, `ts`, `channel` and the
//! like. The top-level `message` is skipped while parsing instead of being
//! built into a `Value` and dropped; everything else is kept as
//! `serde_json::Value` would hold it. (A caller that comes to need the
//! echoed message must read it from here first.)

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The top-level key left out of answers.
const SKIPPED: &str = "message";

/// Parses an answer's body: an object without its `message`, or any other
/// JSON value as it is.
pub(super) fn parse(body: &[u8]) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = de.deserialize_any(Top)?;
    de.end()?;
    Ok(value)
}

struct Top;

impl<'de> Visitor<'de> for Top {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            if key == SKIPPED {
                map.next_value::<IgnoredAny>()?;
            } else {
                out.insert(key.into_owned(), map.next_value()?);
            }
        }
        Ok(Value::Object(out))
    }

    // Anything but an object is kept whole (the caller then finds no `ok`).
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }
}

/// A key, borrowed from the body when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_echoed_message_is_left_out_and_the_rest_kept() {
        // (answer, what is kept)
        let cases: Vec<(&str, Value)> = vec![
            (
                r#"{"ok":true,"channel":"C1","ts":"1.2","message":{"text":"hi","blocks":[{"type":"section"}]}}"#,
                json!({"ok": true, "channel": "C1", "ts": "1.2"}),
            ),
            (
                r#"{"ok":false,"error":"not_in_channel","response_metadata":{"messages":["a"]},"n":-3,"f":1.5,"u":null}"#,
                json!({"ok": false, "error": "not_in_channel",
                       "response_metadata": {"messages": ["a"]}, "n": -3, "f": 1.5, "u": null}),
            ),
            (
                r#"{"ok":true,"messages":[{"ts":"1.0","message":"kept below the top"}],"m\u0065ssage":1}"#,
                json!({"ok": true, "messages": [{"ts": "1.0", "message": "kept below the top"}]}),
            ),
            (r#"[1,"a",true]"#, json!([1, "a", true])),
            (r#""text""#, json!("text")),
        ];
        for (body, want) in cases {
            assert_eq!(parse(body.as_bytes()).ok(), Some(want), "{body}");
        }
        for bad in ["<html>", "{\"ok\":true", "{} {}", ""] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
