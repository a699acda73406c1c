//! Canonical JSON: keys sorted at every level, two-space indentation and a final line break, so
//! the same data always gives the same bytes.

use serde_json::{Map, Value};

/// `value` with the keys of every object sorted. The workspace builds `serde_json` with
/// `preserve_order`, so objects keep insertion order and sorting must be done here.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::with_capacity(map.len());
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// A file holding `value`: sorted keys, indented, ending with a line break.
pub fn file(value: &Value) -> Vec<u8> {
    // Serializing a `Value` cannot fail: its keys are strings and it holds no foreign types.
    let mut bytes = serde_json::to_vec_pretty(&sorted(value)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// `value` as a one-line string with sorted keys, for formats that carry JSON inside a string
/// field.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(&sorted(value)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_level() {
        let value: Value = serde_json::from_str(r#"{"b": {"y": 1, "x": [{"d": 1, "c": 2}]}, "a": "é"}"#).unwrap();
        assert_eq!(compact(&value), r#"{"a":"é","b":{"x":[{"c":2,"d":1}],"y":1}}"#);
        let file = String::from_utf8(file(&json!({"z": 1, "a": 2}))).unwrap();
        assert_eq!(file, "{\n  \"a\": 2,\n  \"z\": 1\n}\n");
    }
}
