//! An Events API envelope as a JSON tree that borrows its strings from the
//! request body ([`Json`]), read without the parts wb never looks at: every
//! `blocks` array (a message's rich-text tree, repeated in edits' `message`
//! and `previous_message`) and the bookkeeping fields no handler reads
//! ([`skipped`]) are skipped while parsing instead of being built and
//! dropped. A `serde_json::Value` copies every key and string into an
//! allocation of its own and every object into a tree: forty allocations
//! for a thread reply's envelope, most of the cost of reading it
//! (bench/README.md, ninth round). Here a string is copied only when it holds
//! escapes, and an object is one vector.
//!
//! Handlers read either tree through [`JsonRead`] (`v["key"]`, `v[0]`, a
//! missing key or index reading as null, as with `Value`), so interactions
//! (still `Value`s) and tests written with `json!` share their code.

use std::borrow::Cow;
use std::fmt;
use std::ops::Index;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

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

/// A JSON value whose strings borrow from the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// Keys in their order; a key given twice reads as its last value.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

static NULL: Json<'static> = Json::Null;

/// Parses `body` as JSON, leaving out [`skipped`] keys.
pub fn parse(body: &[u8]) -> serde_json::Result<Json<'_>> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = Lean.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

impl<'a> Json<'a> {
    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }
}

impl<'a> From<&'a Value> for Json<'a> {
    /// The same document, borrowing the `Value`'s strings (a Socket Mode
    /// envelope, which arrives as a `Value`).
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::Str(Cow::Borrowed(s)),
            Value::Array(items) => Json::Array(items.iter().map(Json::from).collect()),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from(v)))
                    .collect(),
            ),
        }
    }
}

impl<'a> Index<&str> for Json<'a> {
    type Output = Json<'a>;

    /// The value of `key`; null when this is not an object or has no `key`.
    fn index(&self, key: &str) -> &Json<'a> {
        self.get(key).unwrap_or(&NULL)
    }
}

impl<'a> Index<usize> for Json<'a> {
    type Output = Json<'a>;

    /// Item `i` of an array; null when there is none.
    fn index(&self, i: usize) -> &Json<'a> {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

/// What handlers read of a JSON document, as a [`Json`] or a `Value`.
pub trait JsonRead: for<'k> Index<&'k str, Output = Self> + Index<usize, Output = Self> {
    fn text(&self) -> Option<&str>;
    fn truth(&self) -> Option<bool>;
    fn items(&self) -> Option<&[Self]>
    where
        Self: Sized;
    fn field(&self, key: &str) -> Option<&Self>;
}

impl JsonRead for Json<'_> {
    fn text(&self) -> Option<&str> {
        self.as_str()
    }
    fn truth(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<&[Self]> {
        self.as_array()
    }
    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }
}

impl JsonRead for Value {
    fn text(&self) -> Option<&str> {
        self.as_str()
    }
    fn truth(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }
    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }
}

#[derive(Clone, Copy)]
struct Lean;

impl<'de> DeserializeSeed<'de> for Lean {
    type Value = Json<'de>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Json<'de>, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lean {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Json<'de>, D::Error> {
        self.deserialize(de)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(Lean)? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8).min(64));
        while let Some(key) = map.next_key_seed(Key)? {
            if skipped(&key) {
                map.next_value::<IgnoredAny>()?;
            } else {
                fields.push((key, map.next_value_seed(Lean)?));
            }
        }
        Ok(Json::Object(fields))
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
#[path = "json_tests.rs"]
mod tests;
