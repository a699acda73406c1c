//! Finds where a key sits in JSON text, so diagnostics about data sets can point at it.
//! `serde_json` validates the text first; this walker only locates keys in text it accepted.

/// The byte offset of the key named by `path` (`order.items[].name`; `[]` means any element),
/// or `None` where it cannot be found.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let mut segments: Vec<Segment> = Vec::new();
    for part in path.split('.') {
        let mut part = part;
        let mut arrays = 0;
        while let Some(stripped) = part.strip_suffix("[]") {
            part = stripped;
            arrays += 1;
        }
        segments.push(Segment::Key(part.to_owned()));
        segments.extend(std::iter::repeat_n(Segment::Any, arrays));
    }
    let mut walker = Walker { bytes: text.as_bytes(), at: 0 };
    walker.value(&segments)
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Any,
}

struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Walker<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    /// Walks one value; if `path` is not empty, returns the offset of the key it names inside.
    fn value(&mut self, path: &[Segment]) -> Option<usize> {
        self.skip_ws();
        match self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut found = None;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.at)? {
                        b'}' => {
                            self.at += 1;
                            return found;
                        }
                        b',' => self.at += 1,
                        b'"' => {
                            let key_at = self.at;
                            let key = self.string()?;
                            self.skip_ws();
                            self.at += 1; // the colon
                            let wanted = matches!(path.first(), Some(Segment::Key(k)) if *k == key);
                            if wanted && found.is_none() {
                                if path.len() == 1 {
                                    found = Some(key_at);
                                    self.value(&[]);
                                } else {
                                    found = self.value(&path[1..]);
                                }
                            } else {
                                self.value(&[]);
                            }
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut found = None;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.at)? {
                        b']' => {
                            self.at += 1;
                            return found;
                        }
                        b',' => self.at += 1,
                        _ => {
                            let inner = match path.first() {
                                Some(Segment::Any) if found.is_none() => &path[1..],
                                _ => &[],
                            };
                            let here = self.value(inner);
                            if found.is_none() && !inner.is_empty() {
                                found = here;
                            }
                        }
                    }
                }
            }
            b'"' => {
                self.string();
                None
            }
            _ => {
                while self.at < self.bytes.len() && !matches!(self.bytes[self.at], b',' | b'}' | b']') {
                    self.at += 1;
                }
                None
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.at + 1;
        let mut i = start;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    self.at = i + 1;
                    let raw = std::str::from_utf8(&self.bytes[start..i]).ok()?;
                    return Some(serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_owned()));
                }
                _ => i += 1,
            }
        }
        self.at = self.bytes.len();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_keys_inside_arrays() {
        let text =
            r#"{ "a": 1, "order": { "number": "x", "items": [ {"sku": 1}, {"name": "n", "sku": 2} ] }, "b\"c": 2 }"#;
        assert_eq!(locate(text, "a"), text.find("\"a\""));
        assert_eq!(locate(text, "order.number"), text.find("\"number\""));
        assert_eq!(locate(text, "order.items[].name"), text.find("\"name\""));
        assert_eq!(locate(text, "order.items[].sku"), text.find("\"sku\""));
        assert_eq!(locate(text, "b\"c"), text.find("\"b\\\"c\""));
        assert_eq!(locate(text, "nope"), None);
    }
}
