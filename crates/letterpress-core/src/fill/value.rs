//! JSON values seen the way JavaScript sees them: how they print, which are true, how a property
//! is read. handlebars.js runs on these rules, and so does every template it fills.

use std::borrow::Cow;

use serde_json::Value;

/// A value during filling: a part of the data, one made by a helper or a literal, or JavaScript's
/// `undefined` (a path that leads nowhere).
#[derive(Debug, Clone)]
pub enum Val<'a> {
    Undefined,
    Ref(&'a Value),
    Own(Value),
}

impl<'a> Val<'a> {
    pub fn json(&self) -> Option<&Value> {
        match self {
            Val::Undefined => None,
            Val::Ref(v) => Some(v),
            Val::Own(v) => Some(v),
        }
    }

    pub fn is_undefined(&self) -> bool {
        matches!(self, Val::Undefined)
    }

    /// `value == null` in JavaScript: `undefined` or `null`.
    pub fn is_nullish(&self) -> bool {
        matches!(self.json(), None | Some(Value::Null))
    }

    /// JavaScript's `!value`.
    pub fn is_falsy(&self) -> bool {
        match self.json() {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => !b,
            Some(Value::Number(n)) => n.as_f64().is_none_or(|f| f == 0.0 || f.is_nan()),
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(_) | Value::Object(_)) => false,
        }
    }

    /// handlebars.js's `isEmpty`: falsy but not `0`, or an empty array.
    pub fn is_empty(&self) -> bool {
        let zero = matches!(self.json(), Some(Value::Number(n)) if n.as_f64() == Some(0.0));
        (self.is_falsy() && !zero) || matches!(self.json(), Some(Value::Array(a)) if a.is_empty())
    }

    /// `String(value)`, with `undefined` and `null` as the empty string (as handlebars.js prints
    /// them).
    pub fn to_display(&self) -> Cow<'_, str> {
        match self.json() {
            None | Some(Value::Null) => Cow::Borrowed(""),
            Some(Value::String(s)) => Cow::Borrowed(s),
            Some(other) => Cow::Owned(js_string(other)),
        }
    }

    /// A property read as handlebars.js 4.7 does it: own properties only, so `length` and indexes
    /// of arrays and strings work and nothing from a prototype does.
    pub fn property(&self, name: &str) -> Val<'a> {
        match self {
            Val::Undefined => Val::Undefined,
            Val::Ref(value) => property_of(value, name).unwrap_or(Val::Undefined),
            Val::Own(value) => match property_of(value, name) {
                Some(Val::Ref(found)) => Val::Own(found.clone()),
                Some(Val::Own(v)) => Val::Own(v),
                Some(Val::Undefined) | None => Val::Undefined,
            },
        }
    }

    /// JavaScript's loose `==`, as handlebars.js compares a block's context with the one around it.
    pub fn loosely_equals(&self, other: &Val<'_>) -> bool {
        match (self.json(), other.json()) {
            (None | Some(Value::Null), None | Some(Value::Null)) => true,
            (Some(a @ (Value::Array(_) | Value::Object(_))), Some(b @ (Value::Array(_) | Value::Object(_)))) => {
                std::ptr::eq(a, b)
            }
            (Some(Value::Array(_) | Value::Object(_)), _) | (_, Some(Value::Array(_) | Value::Object(_))) => false,
            (Some(a), Some(b)) => match (a, b) {
                (Value::String(x), Value::String(y)) => x == y,
                _ => to_number(a) == to_number(b),
            },
            _ => false,
        }
    }
}

/// `Number(value)` for primitives.
fn to_number(value: &Value) -> f64 {
    match value {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() { 0.0 } else { t.parse().unwrap_or(f64::NAN) }
        }
        _ => f64::NAN,
    }
}

fn property_of<'a>(value: &'a Value, name: &str) -> Option<Val<'a>> {
    match value {
        Value::Object(map) => map.get(name).map(Val::Ref),
        Value::Array(items) => {
            if name == "length" {
                return Some(Val::Own(Value::from(items.len())));
            }
            array_index(name).and_then(|i| items.get(i)).map(Val::Ref)
        }
        Value::String(s) => {
            let units: Vec<u16> = s.encode_utf16().collect();
            if name == "length" {
                return Some(Val::Own(Value::from(units.len())));
            }
            let unit = *units.get(array_index(name)?)?;
            Some(Val::Own(Value::String(String::from_utf16_lossy(&[unit]))))
        }
        _ => None,
    }
}

/// A canonical array index (`0`, `12`; not `01`, `-1` or `1.0`).
pub fn array_index(name: &str) -> Option<usize> {
    if name.is_empty() || (name.len() > 1 && name.starts_with('0')) || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    name.parse::<u32>().ok().filter(|&i| i < u32::MAX).map(|i| i as usize)
}

/// `String(value)` for any JSON value.
pub fn js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        // `Array.prototype.toString` joins the items, printing `null` and `undefined` as nothing.
        Value::Array(items) => items
            .iter()
            .map(|item| if item.is_null() { String::new() } else { js_string(item) })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// `Number.prototype.toString()`: the shortest digits that read back as the same number, in
/// decimal notation from 1e-6 up to 1e21 and in exponent notation outside.
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    let magnitude = n.abs();
    if (1e-6..1e21).contains(&magnitude) {
        return format!("{n}");
    }
    // Rust writes `1.5e-7` and `1e21`; JavaScript writes `1.5e-7` and `1e+21`.
    let formatted = format!("{n:e}");
    match formatted.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => format!("{mantissa}e+{exponent}"),
        _ => formatted,
    }
}

/// The keys of an object in the order `Object.keys` gives them: integer-like keys ascending,
/// then the others in the order they were written.
pub fn js_keys(map: &serde_json::Map<String, Value>) -> Vec<&String> {
    let mut indexed: Vec<(usize, &String)> = map.keys().filter_map(|k| array_index(k).map(|i| (i, k))).collect();
    indexed.sort_unstable();
    let mut keys: Vec<&String> = indexed.into_iter().map(|(_, k)| k).collect();
    keys.extend(map.keys().filter(|k| array_index(k).is_none()));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_as_in_javascript() {
        for (value, printed) in [
            (json!(3.0), "3"),
            (json!(1.5), "1.5"),
            (json!(-0.0), "0"),
            (json!(1e21), "1e+21"),
            (json!(1e20), "100000000000000000000"),
            (json!(1e-7), "1e-7"),
            (json!(1.5e-7), "1.5e-7"),
            (json!(0.000001), "0.000001"),
            (json!(0.1), "0.1"),
            (json!(12345678901234567890u64), "12345678901234567000"),
            (json!(-42), "-42"),
        ] {
            assert_eq!(js_string(&value), printed, "{value}");
        }
    }

    #[test]
    fn arrays_objects_and_keys() {
        assert_eq!(js_string(&json!(["a", null, 1, ["b", "c"]])), "a,,1,b,c");
        assert_eq!(js_string(&json!({"a": 1})), "[object Object]");
        let map = json!({"b": 1, "2": 2, "1": 3, "01": 4});
        let keys: Vec<&str> = js_keys(map.as_object().unwrap()).into_iter().map(String::as_str).collect();
        assert_eq!(keys, ["1", "2", "b", "01"]);
        let items = json!({"items": ["x", "y"], "name": "héllo"});
        let root = Val::Ref(&items);
        assert_eq!(root.property("items").property("length").to_display(), "2");
        assert_eq!(root.property("name").property("length").to_display(), "5");
        assert_eq!(root.property("items").property("1").to_display(), "y");
        assert!(root.property("items").property("01").is_undefined());
        assert!(root.property("name").property("toString").is_undefined());
    }
}
