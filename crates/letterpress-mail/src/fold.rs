//! Header lines within the limits of RFC 5322: folded to at most 78 characters where the
//! text allows it, and never more than 998.
//!
//! lettre encodes header values (RFC 2047 for non-ASCII text) and folds most of them, but it
//! writes an address list of bare addresses as one line, and folds lists of named mailboxes at
//! about a hundred characters; a thousand recipients made a `To:` line of 20,000 characters,
//! which servers refuse (`500 Line too long`). Every header block Letterpress writes goes
//! through [`fold_header_block`] last, so the limits hold whichever code encoded a field.

/// The length a line should not exceed (RFC 5322, section 2.1.1), without its CRLF.
pub(crate) const RECOMMENDED_LINE: usize = 78;
/// The length no line may exceed (RFC 5322, section 2.1.1), without its CRLF.
pub(crate) const MAX_LINE: usize = 998;

/// A header field that cannot be written within [`MAX_LINE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooLong {
    pub name: String,
    pub longest_word: usize,
}

/// Refolds every field of a header block (fields separated by CRLF, ending before the empty
/// line or at the end of `block`) whose lines are longer than [`RECOMMENDED_LINE`]. Fields
/// that already fit are kept byte for byte.
///
/// Folding inserts a CRLF before existing white space only, which RFC 5322 allows in every
/// field Letterpress writes: between the words of unstructured text and of display names,
/// after the commas of address lists, inside quoted strings and after the semicolons of MIME
/// parameters. Encoded words (RFC 2047) hold no white space, so they are never split.
pub(crate) fn fold_header_block(block: &str) -> Result<String, TooLong> {
    let mut out = String::with_capacity(block.len() + block.len() / 20);
    let mut fields: Vec<&str> = Vec::new();
    let lines = block.split("\r\n").collect::<Vec<_>>();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        i += 1;
        while i < lines.len() && lines[i].starts_with([' ', '\t']) {
            i += 1;
        }
        fields.clear();
        fields.extend_from_slice(&lines[start..i]);
        let is_last = i == lines.len();
        if fields.iter().all(|line| line.len() <= RECOMMENDED_LINE) {
            out.push_str(&fields.join("\r\n"));
        } else {
            out.push_str(&fold_field(&fields.concat())?);
        }
        if !is_last {
            out.push_str("\r\n");
        }
    }
    Ok(out)
}

/// Folds one unfolded field `Name: value` greedily at white space.
fn fold_field(field: &str) -> Result<String, TooLong> {
    let name = field.split(':').next().unwrap_or_default().to_owned();
    // Pieces start at a white-space character (except the first), so a fold is a CRLF put
    // before a piece and unfolding (removing every CRLF) gives the field back exactly.
    let mut pieces = Vec::new();
    let mut start = 0;
    for (index, c) in field.char_indices() {
        if (c == ' ' || c == '\t') && index > start {
            pieces.push(&field[start..index]);
            start = index;
        }
    }
    pieces.push(&field[start..]);

    let mut out = String::with_capacity(field.len() + field.len() / 30);
    let mut line = 0;
    for piece in pieces {
        let width = piece.len();
        if line > 0 && line + width > RECOMMENDED_LINE && !piece.trim().is_empty() {
            out.push_str("\r\n");
            line = 0;
        }
        if line + width > MAX_LINE {
            return Err(TooLong { name, longest_word: width });
        }
        out.push_str(piece);
        line += width;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_fields_are_kept_and_long_ones_fold_at_white_space() {
        let block = "Subject: hello\r\nTo: a@x.test,\r\n b@x.test";
        assert_eq!(fold_header_block(block).unwrap(), block);

        let list: Vec<String> = (0..40).map(|n| format!("user{n}@example.test")).collect();
        let long = format!("To: {}\r\nSubject: x", list.join(", "));
        let folded = fold_header_block(&long).unwrap();
        assert!(folded.split("\r\n").all(|line| line.len() <= RECOMMENDED_LINE), "{folded}");
        assert_eq!(folded.replace("\r\n", ""), long.replace("\r\n", ""), "unfolding gives the field back");
        assert!(folded.ends_with("\r\nSubject: x"));
    }

    #[test]
    fn a_word_longer_than_the_limit_is_refused() {
        let field = format!("X-Token: {}", "y".repeat(MAX_LINE));
        assert_eq!(fold_header_block(&field), Err(TooLong { name: "X-Token".into(), longest_word: MAX_LINE + 1 }));
        // A long word that still fits within the hard limit stays on a line of its own.
        let field = format!("X-Token: a {} b", "y".repeat(200));
        let folded = fold_header_block(&field).unwrap();
        assert_eq!(folded.split("\r\n").count(), 3, "{folded}");
    }
}
