//! Turns email HTML into the plain-text part of the message.

/// Plain-text lines are wrapped here, the width mail clients have long assumed.
pub const TEXT_WIDTH: usize = 78;

/// Renders `html` as readable plain text: headings, lists and tables laid out, links listed as
/// numbered references, styles and comments dropped.
pub fn html_to_text(html: &str) -> String {
    let text = html2text::config::plain()
        .string_from_read(html.as_bytes(), TEXT_WIDTH)
        .unwrap_or_default();
    tidy(&text)
}

/// Trims trailing spaces and folds runs of blank lines into one, which table-based email layouts
/// otherwise leave behind in large numbers.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_words_and_links_and_drops_styles() {
        let html = r#"<html><head><style>p{color:red}</style></head><body>
            <h1>Welcome, Ada</h1><p>Confirm <a href="https://x.example/c">here</a>.</p>
            <table><tr><td></td></tr></table><p>Bye</p></body></html>"#;
        let text = html_to_text(html);
        assert!(text.contains("Welcome, Ada"), "{text}");
        assert!(text.contains("https://x.example/c"), "{text}");
        assert!(!text.contains("color:red"), "{text}");
        assert!(!text.contains("\n\n\n"), "{text}");
    }
}
