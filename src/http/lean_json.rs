//! An Events API envelope read as JSON without the parts wb never looks at:
//! every `blocks` array (a message's rich-text tree, repeated in edits'
//! `message` and `previous_message`) and the bookkeeping fields no handler
//! reads ([`skipped`]) are skipped while parsing instead of being built into
//! a `Value` and dropped. wb reads a message's `text` and `files`; the
//! blocks were a third of the objects in a thread reply's envelope and most
//! of the cost of reading it (bench/README.md).
//! Everything else is kept exactly as `serde_json::Value` would hold it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Keys whose values are skipped, at any depth: `blocks`, and fields no
/// handler reads (ids of the app and of the client's message, the envelope's
/// times, the parent's author, the shared-channel flag), among them the
/// legacy verification `token`, which wb does not check (requests are
/// signed) and so does not keep. A handler that comes to read one of these
/// must take it off this list.
fn skipped(key: &str) -> bool {
    matches!(
        key,
        "blocks"
            | "token"
            | "api_app_id"
            | "client_msg_id"
            | "parent_user_id"
            | "event_ts"
            | "event_time"
            | "is_ext_shared_channel"
    )
}

/// Parses `body` as JSON, leaving out [`SKIPPED`] keys.
pub fn parse(body: &[u8]) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = Lean.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

#[derive(Clone, Copy)]
struct Lean;

impl<'de> DeserializeSeed<'de> for Lean {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lean {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        self.deserialize(de)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(Lean)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        // Keys are borrowed from the body where they can be: only the kept
        // ones are copied.
        while let Some(key) = map.next_key_seed(Key)? {
            if skipped(&key) {
                map.next_value::<IgnoredAny>()?;
            } else {
                let value = map.next_value_seed(Lean)?;
                object.insert(key.into_owned(), value);
            }
        }
        Ok(Value::Object(object))
    }
}

/// An object's key, borrowed from the body unless it holds escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn blocks_and_unread_fields_are_left_out_at_any_depth_and_the_rest_kept() {
        let full = json!({
            "token": "legacy-verification-token", "api_app_id": "A1",
            "type": "event_callback", "event_id": "Ev1", "event_time": 1_700_000_000,
            "is_ext_shared_channel": false,
            "ratio": 0.5, "big": u64::MAX, "neg": -3, "none": null, "yes": true,
            "authorizations": [{"team_id": "T1", "is_bot": true, "enterprise_id": null}],
            "event": {
                "type": "message", "text": "Why now?", "files": [{"id": "F1", "name": "a \"b\".pdf"}],
                "ts": "1.2", "event_ts": "1.2", "client_msg_id": "c1", "parent_user_id": "U0",
                "blocks": [{"type": "rich_text", "elements": [{"type": "text", "text": "Why now?"}]}],
                "message": {"text": "edited", "blocks": []},
                "previous_message": {"text": "old", "blocks": [{"type": "section"}]},
                "a \"quoted\" key": 1
            }
        });
        let parsed = parse(full.to_string().as_bytes()).expect("parses");
        let mut expected = full.clone();
        let unread: &[(&str, &[&str])] = &[
            (
                "",
                &["token", "api_app_id", "event_time", "is_ext_shared_channel"],
            ),
            (
                "/event",
                &["blocks", "event_ts", "client_msg_id", "parent_user_id"],
            ),
            ("/event/message", &["blocks"]),
            ("/event/previous_message", &["blocks"]),
        ];
        for (at, keys) in unread {
            let object = expected
                .pointer_mut(at)
                .and_then(Value::as_object_mut)
                .expect("object");
            for key in *keys {
                assert!(object.remove(*key).is_some(), "{at}/{key}");
            }
        }
        assert_eq!(parsed, expected);
        assert!(
            !String::from_utf8_lossy(&serde_json::to_vec(&parsed).expect("json"))
                .contains("legacy-verification-token")
        );
    }

    #[test]
    fn what_is_not_json_is_refused() {
        for bad in ["", "{", "{\"a\":1} trailing", "[1,]", "{\"blocks\": [}"] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse(b"  {\"a\" : [1, \"x\"]}  ").ok(),
            Some(json!({"a": [1, "x"]}))
        );
    }
}
