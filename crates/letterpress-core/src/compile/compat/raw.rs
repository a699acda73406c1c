//! The content of `mj-text`, `mj-button`, `mj-raw` and the other ending tags, set aside before
//! mrml runs and put back into its HTML.
//!
//! mrml parses that HTML and writes it back out, with attribute values in Rust debug notation
//! (`\n`, `\"`, `\\`), failing on unquoted values and panicking on some multi-byte text. The
//! reference compiler copies it verbatim. So the content is swapped for a marker before mrml runs
//! and the marker for the content after.

/// How the reference compiler treats the content of an element it reads verbatim.
pub enum Ending {
    /// HTML copied to the output as written.
    Raw,
    /// Text mrml reads verbatim too (styles, the title, the preview).
    Text,
    /// Content the reference ignores.
    Ignored,
}

/// How the content of the element `name` (in lower case) is read, if verbatim: the elements the
/// component table marks as ending (`markup::kept_as_written`), sorted by what their content is.
pub fn ending_kind(name: &str) -> Option<Ending> {
    if !crate::markup::kept_as_written(name) {
        return None;
    }
    match name {
        // Its value is applied to the HTML after mrml runs, by `html_attributes`.
        "mj-html-attribute" => None,
        "mj-style" | "mj-title" | "mj-preview" | "mj-breakpoint" => Some(Ending::Text),
        "mj-carousel-image" => Some(Ending::Ignored),
        _ => Some(Ending::Raw),
    }
}

/// Ending-tag content kept out of mrml's reach and put back into its output.
#[derive(Debug, Clone)]
pub struct RawContent {
    /// A prefix that occurs nowhere in the document, so markers cannot be confused with text.
    prefix: String,
    contents: Vec<String>,
}

impl RawContent {
    pub fn new(text: &str) -> Self {
        let prefix =
            (0u64..).map(|n| format!("lpraw{n}x")).find(|prefix| !text.contains(prefix.as_str())).unwrap_or_default();
        RawContent { prefix, contents: Vec::new() }
    }

    /// Stores `content` and returns the marker that stands in for it.
    pub fn set_aside(&mut self, content: &str) -> String {
        self.contents.push(content.to_owned());
        format!("{}{}z", self.prefix, self.contents.len() - 1)
    }

    /// Calls `restore` with the range of each marker mrml wrote and the content it stands for.
    pub fn for_each_marker<'a>(&'a self, html: &str, mut restore: impl FnMut(std::ops::Range<usize>, &'a str)) {
        if self.contents.is_empty() {
            return;
        }
        let finder = memchr::memmem::Finder::new(self.prefix.as_bytes());
        let mut at = 0;
        while let Some(found) = finder.find(&html.as_bytes()[at..]) {
            let start = at + found;
            let digits_start = start + self.prefix.len();
            let after = &html[digits_start..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let content = after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|_| after.as_bytes().get(digits) == Some(&b'z'))
                .and_then(|index| self.contents.get(index));
            match content {
                Some(content) => {
                    let end = digits_start + digits + 1;
                    restore(start..end, content);
                    at = end;
                }
                None => at = digits_start,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Splices, prepare};
    use super::{Ending, ending_kind};

    #[test]
    fn markers_come_back_as_the_original_content() {
        let text = "<mj-text>  <p style=\"a:\n b\">x</p>  </mj-text><mj-raw>lpraw0x</mj-raw>";
        let prepared = prepare(text);
        assert!(prepared.raw.prefix != "lpraw0x");
        let mut splices = Splices::default();
        prepared.raw.for_each_marker(&prepared.text, |range, content| splices.replace(range, content));
        let restored = splices.apply(&prepared.text);
        assert_eq!(restored, "<mj-text><p style=\"a:\n b\">x</p></mj-text><mj-raw>lpraw0x</mj-raw>");
    }

    #[test]
    fn every_ending_element_of_the_component_table_has_its_kind() {
        let schema = crate::compile::validate::schema();
        for (name, element) in &schema.elements {
            let expected = element.ending && name != "mj-html-attribute";
            assert_eq!(ending_kind(name).is_some(), expected, "{name}");
        }
        assert!(matches!(ending_kind("mj-text"), Some(Ending::Raw)));
        assert!(matches!(ending_kind("mj-title"), Some(Ending::Text)));
        assert!(matches!(ending_kind("mj-carousel-image"), Some(Ending::Ignored)));
    }
}
