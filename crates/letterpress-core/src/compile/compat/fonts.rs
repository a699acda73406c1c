//! Web font imports chosen the way the reference compiler chooses them.
//!
//! mrml imports a font when a component's `font-family` attribute names it. The reference
//! imports it when the HTML of the body has a double-quoted value holding `font-family:` followed
//! by the font's name, or an inline `mj-style` does. The two disagree both ways: a font set only
//! in raw HTML (`<p style="font-family:Lato">`) is imported by the reference alone, and a
//! component default that every element overrides is imported by mrml alone.

use std::ops::Range;

/// The fonts both compilers know without an `mj-font`, in the reference's order.
const DEFAULT_FONTS: &[(&str, &str)] = &[
    ("Open Sans", "https://fonts.googleapis.com/css?family=Open+Sans:300,400,500,700"),
    ("Droid Sans", "https://fonts.googleapis.com/css?family=Droid+Sans:300,400,500,700"),
    ("Lato", "https://fonts.googleapis.com/css?family=Lato:300,400,500,700"),
    ("Roboto", "https://fonts.googleapis.com/css?family=Roboto:300,400,500,700"),
    ("Ubuntu", "https://fonts.googleapis.com/css?family=Ubuntu:300,400,500,700"),
];

const BLOCK_START: &str = "<!--[if !mso]><!--><link href=";
const BLOCK_END: &str = "<!--<![endif]-->";
/// The end of the head block that mrml, like the reference, writes just before the fonts.
const BEFORE_FONTS: &str = ".mj-outlook-group-fix { width:100% !important; }";

/// Replaces mrml's font imports with the ones the reference would write.
pub fn repair(mut html: String, declared: &[(String, String)], inline_styles: &[String]) -> String {
    if let Some((range, block)) = imports(&html, declared, inline_styles) {
        html.replace_range(range, &block);
    }
    html
}

/// The range of `html` that holds mrml's font imports (empty where it wrote none) and the imports
/// the reference would write there; `None` when `html` has no head to put them in.
fn imports(html: &str, declared: &[(String, String)], inline_styles: &[String]) -> Option<(Range<usize>, String)> {
    let head_end = memchr::memmem::find(html.as_bytes(), b"</head>")?;
    let body = memchr::memmem::find(html.as_bytes(), b"<body").map_or("", |at| &html[at..]);

    // Later declarations of a name replace its address but keep its place, like assigning to a
    // key of a JavaScript object.
    let mut fonts: Vec<(&str, &str)> = DEFAULT_FONTS.to_vec();
    for (name, href) in declared {
        match fonts.iter_mut().find(|(known, _)| known == name) {
            Some(entry) => entry.1 = href,
            None => fonts.push((name, href)),
        }
    }
    let tails = family_tails(body);
    let used: Vec<&str> = fonts
        .iter()
        .filter(|(name, _)| used_in_body(&tails, name) || inline_styles.iter().any(|style| used_in_style(style, name)))
        .map(|&(_, href)| href)
        .collect();
    let block = if used.is_empty() {
        String::new()
    } else {
        let links: String =
            used.iter().map(|href| format!("<link href=\"{href}\" rel=\"stylesheet\" type=\"text/css\">")).collect();
        let imports: String = used.iter().map(|href| format!("@import url({href});")).collect();
        format!("<!--[if !mso]><!-->{links}<style type=\"text/css\">{imports}</style>{BLOCK_END}")
    };

    let head = &html[..head_end];
    let range = match head.find(BLOCK_START) {
        Some(start) => start..start + head[start..].find(BLOCK_END)? + BLOCK_END.len(),
        None => {
            let anchor = head.find(BEFORE_FONTS)?;
            let mut at = anchor + head[anchor..].find("<![endif]-->")? + "<![endif]-->".len();
            if head[at..].starts_with('\n') {
                at += 1;
            }
            at..at
        }
    };
    Some((range, block))
}

/// What the reference's `"[^"]*font-family:[^"]*NAME[^"]*"` can find a name in: of each stretch
/// of `body` between two double quotes that holds `font-family:`, the text after the first
/// `font-family:`, in lower case, each stretch once and each followed by `"`. Found once per
/// document: most stretches hold none, and many repeat.
fn family_tails(body: &str) -> String {
    const FAMILY: &[u8] = b"font-family:";
    let bytes = body.as_bytes();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut tails = String::new();
    // Whether a quote stands before the colon looked at, found over text read once: `searched`
    // is where the search for it stopped.
    let mut enclosed = false;
    let mut searched = 0;
    // Colons are rare next to quotes; checking the eleven bytes before each is far cheaper than
    // splitting the body at every quote or comparing at every byte.
    for colon in memchr::memchr_iter(b':', bytes) {
        if colon < searched
            || colon < FAMILY.len() - 1
            || !bytes[colon + 1 - FAMILY.len()..=colon].eq_ignore_ascii_case(FAMILY)
        {
            continue;
        }
        enclosed |= memchr::memchr(b'"', &bytes[searched..colon]).is_some();
        // A stretch before the first quote or after the last is not enclosed.
        if !enclosed {
            searched = colon;
            continue;
        }
        let Some(end) = memchr::memchr(b'"', &bytes[colon..]).map(|e| colon + e) else { break };
        // This colon ends the stretch's first `font-family:`: an earlier one would have been
        // found first and moved `searched` past this stretch.
        let tail = &body[colon + 1..end];
        if seen.insert(tail) {
            tails.push_str(&tail.to_ascii_lowercase());
            tails.push('"');
        }
        // The next stretch starts at this one's closing quote.
        searched = end + 1;
    }
    tails
}

/// Whether some stretch between double quotes holds `font-family:` and, after it, `name`,
/// ignoring case. `tails` comes from [`family_tails`]; a name with a double quote is never in a
/// stretch between two.
fn used_in_body(tails: &str, name: &str) -> bool {
    !name.is_empty() && !name.contains('"') && tails.contains(&name.to_ascii_lowercase())
}

/// Whether `style` holds `font-family:` followed by `name` before any `;` or `}`.
fn used_in_style(style: &str, name: &str) -> bool {
    family_then_name(&style.to_ascii_lowercase(), name, |between| !between.contains([';', '}']))
}

/// Whether `lower`, in lower case already, holds `font-family:` and after it `name` (any case),
/// with `between_ok` accepting the text between the two.
fn family_then_name(lower: &str, name: &str, between_ok: impl Fn(&str) -> bool) -> bool {
    let name = name.to_ascii_lowercase();
    if name.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(found) = lower[from..].find("font-family:") {
        let after = from + found + "font-family:".len();
        let mut search = after;
        while let Some(at) = lower[search..].find(&name) {
            if between_ok(&lower[after..search + at]) {
                return true;
            }
            search += at + 1;
            while !lower.is_char_boundary(search) {
                search += 1;
            }
        }
        from = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "<html><head><!--[if lte mso 11]><style>.mj-outlook-group-fix { width:100% !important; }</style><![endif]-->\n";

    #[test]
    fn fonts_used_only_in_raw_html_are_imported() {
        let html = format!("{HEAD}<style></style></head><body><p style=\"font-family: lato, serif\">x</p></body>");
        let repaired = repair(html, &[], &[]);
        assert!(repaired.contains("<link href=\"https://fonts.googleapis.com/css?family=Lato:300,400,500,700\""));
    }

    #[test]
    fn fonts_nothing_uses_are_dropped() {
        let html = format!(
            "{HEAD}<!--[if !mso]><!--><link href=\"u\" rel=\"stylesheet\" type=\"text/css\"><style type=\"text/css\">@import url(u);</style><!--<![endif]--></head><body><p style=\"font-family:Arial\">Ubuntu</p></body>"
        );
        let repaired = repair(html, &[], &[]);
        assert!(!repaired.contains("<link"));
        assert!(repaired.contains("<![endif]-->\n</head>"));
    }

    #[test]
    fn declared_fonts_follow_the_inline_styles() {
        let html = format!("{HEAD}</head><body></body>");
        let declared = [("Raleway".to_owned(), "https://fonts.example/raleway".to_owned())];
        let repaired = repair(html, &declared, &["p { font-family: Raleway }".to_owned()]);
        assert!(repaired.contains("@import url(https://fonts.example/raleway);"));
    }
}
