use serde_json::{json, Map};

use super::*;

/// The same document as a `Value` (object keys sorted, as `Value` keeps them).
fn to_value(json: &Json<'_>) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.clone()),
        Json::Str(s) => Value::String(s.to_string()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(fields) => {
            let mut map = Map::new();
            for (k, v) in fields {
                map.insert(k.to_string(), to_value(v));
            }
            Value::Object(map)
        }
    }
}

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
    let text = full.to_string();
    let parsed = parse(text.as_bytes()).expect("parses");
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
    assert_eq!(to_value(&parsed), expected);
    assert!(!format!("{parsed:?}").contains("legacy-verification-token"));
}

#[test]
fn what_is_not_json_is_refused() {
    for bad in [
        "",
        "{",
        "{\"a\":1} trailing",
        "[1,]",
        "{\"blocks\": [}",
        "{\"a\" 1}",
    ] {
        assert!(parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    let spaced = parse(b"  {\"a\" : [1, \"x\"]}  ").expect("parses");
    assert_eq!(to_value(&spaced), json!({"a": [1, "x"]}));
}

#[test]
fn strings_are_borrowed_unless_they_hold_escapes_and_read_as_serde_reads_them() {
    let body = br#"{"plain": "U1", "esc\u0041ped": "a \"b\"\n\u00e9\ud83d\ude00", "k\\": "x"}"#;
    let parsed = parse(body).expect("parses");
    let Json::Object(fields) = &parsed else {
        panic!("not an object: {parsed:?}");
    };
    assert!(matches!(
        &fields[0],
        (Cow::Borrowed("plain"), Json::Str(Cow::Borrowed("U1")))
    ));
    assert!(matches!(
        &fields[1],
        (Cow::Owned(_), Json::Str(Cow::Owned(_)))
    ));
    let theirs: Value = serde_json::from_slice(body).expect("serde");
    assert_eq!(to_value(&parsed), theirs);
    assert_eq!(parsed["escAped"].as_str(), theirs["escAped"].as_str());
    assert_eq!(parsed["k\\"].as_str(), Some("x"));
}

#[test]
fn reads_as_a_value_reads_missing_keys_and_items_as_null_and_a_repeated_key_as_its_last() {
    let text =
        r#"{"a": {"b": [10, "two", true, null]}, "n": -7, "f": 1.5, "s": "x", "d": 1, "d": 2}"#;
    let value: Value = serde_json::from_str(text).expect("serde");
    let json = parse(text.as_bytes()).expect("parses");
    let cases: [(&str, Value, Value); 14] = [
        (
            "a.b[0]",
            to_value(&json["a"]["b"][0]),
            value["a"]["b"][0].clone(),
        ),
        (
            "a.b[1]",
            to_value(&json["a"]["b"][1]),
            value["a"]["b"][1].clone(),
        ),
        (
            "a.b[2]",
            to_value(&json["a"]["b"][2]),
            value["a"]["b"][2].clone(),
        ),
        (
            "a.b[3]",
            to_value(&json["a"]["b"][3]),
            value["a"]["b"][3].clone(),
        ),
        (
            "a.b[9]",
            to_value(&json["a"]["b"][9]),
            value["a"]["b"][9].clone(),
        ),
        ("a.x", to_value(&json["a"]["x"]), value["a"]["x"].clone()),
        ("s.x", to_value(&json["s"]["x"]), value["s"]["x"].clone()),
        ("s[0]", to_value(&json["s"][0]), value["s"][0].clone()),
        ("a[0]", to_value(&json["a"][0]), value["a"][0].clone()),
        (
            "missing",
            to_value(&json["missing"]["deeper"]),
            value["missing"]["deeper"].clone(),
        ),
        ("n", to_value(&json["n"]), value["n"].clone()),
        ("f", to_value(&json["f"]), value["f"].clone()),
        ("d", to_value(&json["d"]), value["d"].clone()),
        ("all", to_value(&json), value.clone()),
    ];
    for (path, ours, theirs) in cases {
        assert_eq!(ours, theirs, "{path}");
    }
    assert_eq!(json["n"].as_i64(), Some(-7));
    assert_eq!(json["f"].as_i64(), None);
    assert_eq!(json["a"]["b"][2].as_bool(), Some(true));
    assert_eq!(json["a"]["b"].as_array().map(<[_]>::len), Some(4));
    assert!(json["a"].is_object() && !json["s"].is_object() && !json["missing"].is_object());
}

#[test]
fn a_value_borrowed_as_json_is_the_same_document() {
    let value = json!({"event": {"type": "message", "files": [{"id": "F1"}], "n": 3, "ok": false},
                       "authorizations": [{"is_bot": true, "user_id": "UBOT"}], "none": null});
    let json = Json::from(&value);
    assert_eq!(to_value(&json), value);
    assert_eq!(json["authorizations"][0]["user_id"].as_str(), Some("UBOT"));
}

/// Reads through [`JsonRead`], as the handlers do.
fn read<J: JsonRead>(doc: &J) -> (Option<String>, Option<bool>, Option<usize>, bool) {
    (
        doc["event"]["files"][0]["id"].text().map(str::to_string),
        doc["authorizations"][0]["is_bot"].truth(),
        doc["event"]["files"].items().map(<[J]>::len),
        doc.field("none").is_some() && doc.field("nothing").is_none(),
    )
}

#[test]
fn both_trees_read_the_same_through_json_read() {
    let value = json!({"event": {"files": [{"id": "F1"}, {"id": "F2"}]},
                       "authorizations": [{"is_bot": true}], "none": null});
    let text = value.to_string();
    let parsed = parse(text.as_bytes()).expect("parses");
    let expected = (Some("F1".to_string()), Some(true), Some(2), true);
    assert_eq!(read(&value), expected);
    assert_eq!(read(&parsed), expected);
    assert_eq!(read(&Json::from(&value)), expected);
}
