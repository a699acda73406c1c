//! The conditional comments for Outlook. mrml 6.0.1 writes each element's comment on its own;
//! the reference joins adjacent ones into one: `<![endif]-->` followed by white space and
//! `<!--[if mso | IE]>` disappears.

use super::Splices;

const END: &str = "<![endif]-->";
const START: &str = "<!--[if mso | IE]>";

/// Joins every pair of adjacent conditional comments of `html`.
pub fn merge_conditionals(html: &str, splices: &mut Splices<'_>) {
    let finder = memchr::memmem::Finder::new(END);
    let mut at = 0;
    while let Some(found) = finder.find(&html.as_bytes()[at..]) {
        let end = at + found;
        let after = &html[end + END.len()..];
        let trimmed = after.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}');
        match trimmed.strip_prefix(START) {
            Some(merged) => {
                let next = html.len() - merged.len();
                splices.replace(end..next, "");
                at = next;
            }
            None => at = end + END.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_outlook_conditionals_merge() {
        let html = "<!--[if mso | IE]></td><![endif]-->\n<!--[if mso | IE]></tr><![endif]--><![endif]-->x";
        let mut splices = Splices::default();
        merge_conditionals(html, &mut splices);
        assert_eq!(splices.apply(html), "<!--[if mso | IE]></td></tr><![endif]--><![endif]-->x");
    }
}
