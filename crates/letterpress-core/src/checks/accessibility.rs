//! What a screen reader makes of the message: layout tables announced as data, headings that
//! skip levels, and links whose text does not say where they go. (Language, title and alt text
//! are checked on the MJML, in [`crate::compile::lint`], because the compiler fills in defaults
//! that hide their absence.)

use scraper::ElementRef;

use super::Context;
use super::page::Page;
use crate::diagnostic::{Code, Diagnostic};

/// Link texts that say nothing about where the link goes, lowercased, in the languages of the
/// templates people write most.
const VAGUE_LINK_TEXT: &[&str] = &[
    "click here",
    "click",
    "here",
    "this",
    "this link",
    "link",
    "more",
    "read more",
    "learn more",
    "click this link",
    "go",
    "haga clic aquí",
    "haz clic aquí",
    "clic aquí",
    "pulse aquí",
    "aquí",
    "más",
    "leer más",
    "cliquez ici",
    "ici",
    "en savoir plus",
    "hier klicken",
    "hier",
    "mehr",
];

pub fn check(context: &Context) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut previous_heading = 0;
    for element in context.page.elements() {
        let name = element.value().name();
        match name {
            "table" if is_layout_table(element) => found.push(context.finding(
                Code::LayoutTable,
                Some(element.id()),
                "a layout table without `role=\"presentation\"`; screen readers announce its rows and cells as data"
                    .to_owned(),
            )),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                // As axe's `heading-order`: a heading may be at most one level below the one before.
                if previous_heading > 0 && level > previous_heading + 1 {
                    found.push(context.finding(
                        Code::HeadingOrder,
                        Some(element.id()),
                        format!(
                            "`<h{level}>` \"{}\" follows an `<h{previous_heading}>`; headings should go down one level at a time",
                            super::short(&Page::text_of(element), 40)
                        ),
                    ));
                }
                previous_heading = level;
            }
            "a" | "area" if element.value().attr("href").is_some() => {
                if let Some(message) = link_text_problem(element) {
                    found.push(context.finding(Code::LinkText, Some(element.id()), message));
                }
            }
            _ => {}
        }
    }
    found
}

/// A table is for layout unless it says otherwise: `role="presentation"` (or `none`) marks it,
/// and header cells, a caption or another role make it a data table.
fn is_layout_table(table: ElementRef) -> bool {
    if table.value().attr("role").is_some() {
        return false;
    }
    !table.descendants().filter_map(ElementRef::wrap).any(|e| matches!(e.value().name(), "th" | "caption"))
}

/// What is wrong with the text of a link, if anything.
fn link_text_problem(link: ElementRef) -> Option<String> {
    let text = Page::text_of(link);
    let label = link.value().attr("aria-label").map(str::trim).filter(|l| !l.is_empty());
    let image_alt: String = link
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "img")
        .filter_map(|e| e.value().attr("alt"))
        .collect::<Vec<_>>()
        .join(" ");
    let name = label.map(str::to_owned).unwrap_or_else(|| format!("{text} {image_alt}").trim().to_owned());
    if name.is_empty() || name.contains("{{") {
        return (name.is_empty()).then(|| {
            "this link has no text, no image with alt text and no `aria-label`; screen readers read out its URL"
                .to_owned()
        });
    }
    let lower = name.to_lowercase();
    let bare = lower.trim_end_matches(['.', '!', '…', ':']).trim();
    if VAGUE_LINK_TEXT.contains(&bare) {
        return Some(format!(
            "the link text \"{name}\" does not say where the link goes; people who list a message's links hear only that"
        ));
    }
    let is_url = !bare.contains(' ')
        && (bare.starts_with("http://") || bare.starts_with("https://") || bare.starts_with("www."));
    is_url.then(|| {
        format!(
            "the link text is a bare URL (\"{}\"); name where it goes, and screen readers will not spell it out",
            super::short(&name, 40)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::context_for;

    fn codes(html: &str) -> Vec<(Code, String)> {
        let (page, places, root) = context_for(html);
        let context = crate::checks::tests::context(&page, &places, &root);
        check(&context).into_iter().map(|d| (d.code, d.message)).collect()
    }

    #[test]
    fn layout_tables_need_a_presentation_role_and_data_tables_do_not() {
        let found = codes(
            "<table role=presentation><tr><td>a</td></tr></table><table><tr><th>Item</th></tr></table>\
             <table><tr><td>b</td></tr></table>",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Code::LayoutTable);
    }

    #[test]
    fn headings_may_go_down_one_level_at_a_time() {
        assert!(codes("<h2>a</h2><h3>b</h3><h2>c</h2><h1>d</h1>").is_empty());
        let found = codes("<h1>Title</h1><h3>Details</h3>");
        assert_eq!(found.len(), 1);
        assert!(found[0].1.starts_with("`<h3>` \"Details\" follows an `<h1>`"), "{}", found[0].1);
    }

    #[test]
    fn vague_text_bare_urls_and_empty_links() {
        let found = codes(
            "<a href=\"https://a.example\">Click here</a><a href=\"https://a.example\">Aquí.</a>\
             <a href=\"https://a.example\">https://a.example/x</a><a href=\"https://a.example\"><img src=x.png></a>\
             <a href=\"https://a.example\">Reset your password</a><a href=\"https://a.example\"><img src=x.png alt=\"Alder\"></a>\
             <a href=\"https://a.example\" aria-label=\"Open the order\">here</a>",
        );
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(found.len(), 4, "{messages:#?}");
        assert!(messages[0].contains("\"Click here\""));
        assert!(messages[1].contains("\"Aquí.\""));
        assert!(messages[2].contains("bare URL"));
        assert!(messages[3].contains("no text"));
    }
}
