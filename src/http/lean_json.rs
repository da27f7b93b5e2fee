//! An Events API envelope read as JSON without the parts wb never looks at:
//! every `blocks` array (a message's rich-text tree, repeated in edits'
//! `message` and `previous_message`) is skipped while parsing instead of
//! being built into a `Value` and dropped. wb reads a message's `text` and
//! `files`; the blocks were a third of the objects in a thread reply's
//! envelope and most of the cost of reading it (bench/README.md).
//! Everything else is kept exactly as `serde_json::Value` would hold it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Keys whose values are skipped, at any depth.
const SKIPPED: &[&str] = &["blocks"];

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
        while let Some(key) = map.next_key::<String>()? {
            if SKIPPED.contains(&key.as_str()) {
                map.next_value::<IgnoredAny>()?;
            } else {
                let value = map.next_value_seed(Lean)?;
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn blocks_are_left_out_at_any_depth_and_the_rest_kept() {
        let full = json!({
            "type": "event_callback", "event_id": "Ev1", "event_time": 1_700_000_000,
            "ratio": 0.5, "big": u64::MAX, "neg": -3, "none": null, "yes": true,
            "authorizations": [{"team_id": "T1", "is_bot": true, "enterprise_id": null}],
            "event": {
                "type": "message", "text": "Why now?", "files": [{"id": "F1", "name": "a \"b\".pdf"}],
                "blocks": [{"type": "rich_text", "elements": [{"type": "text", "text": "Why now?"}]}],
                "message": {"text": "edited", "blocks": []},
                "previous_message": {"text": "old", "blocks": [{"type": "section"}]}
            }
        });
        let parsed = parse(full.to_string().as_bytes()).expect("parses");
        let mut expected = full.clone();
        for at in ["/event", "/event/message", "/event/previous_message"] {
            expected
                .pointer_mut(at)
                .and_then(Value::as_object_mut)
                .expect("object")
                .remove("blocks");
        }
        assert_eq!(parsed, expected);
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
