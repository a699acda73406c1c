//! `mj-html-attributes`, which mrml 6.0.1 rejects as an unknown element of `mj-head`.
//!
//! The reference compiler takes each `mj-selector path="..."` with its `mj-html-attribute`
//! children and, once the body is rendered, sets those attributes on every element the CSS
//! selector matches. Here the block is cut out before mrml runs and the same is done to mrml's
//! output, with the selectors of [`selector`](super::selector). Any other selector gets a warning
//! rather than a silent miss.

use super::selector::{Complex, build_tree, matches, parse_selector_list};
use crate::markup;

/// Attributes to set on whatever a selector matches.
#[derive(Debug, Clone)]
pub struct Rule {
    selectors: Vec<Complex>,
    attributes: Vec<(String, String)>,
}

/// The rules of one `mj-html-attributes` block and the problems found reading it.
pub struct Block {
    pub rules: Vec<Rule>,
    pub warnings: Vec<(usize, usize, String)>,
}

/// Reads the `mj-html-attributes` element spanning `start..end` of `text`.
pub fn parse(text: &str, start: usize, end: usize) -> Block {
    let mut rules: Vec<Rule> = Vec::new();
    let mut warnings = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let block = &text[..end];
    markup::for_each_start_tag(block, |tag| {
        if tag.start < start {
            return tag.end.max(start);
        }
        match tag.name {
            "mj-selector" => {
                current = None;
                match tag.value("path") {
                    Some(path) => match parse_selector_list(path) {
                        Ok(selectors) => {
                            // The reference keys rules by their path, so a repeated path adds to
                            // the first one.
                            let index = match rules.iter().position(|r| r.selectors == selectors) {
                                Some(index) => index,
                                None => {
                                    rules.push(Rule { selectors, attributes: Vec::new() });
                                    rules.len() - 1
                                }
                            };
                            current = Some((index, path.to_owned()));
                        }
                        Err(problem) => warnings.push((
                            tag.start,
                            tag.end,
                            format!(
                                "selector `{path}` in `mj-html-attributes` {problem}; its attributes are not applied"
                            ),
                        )),
                    },
                    None => warnings.push((tag.start, tag.end, "`mj-selector` needs a `path` attribute".to_owned())),
                }
                tag.end
            }
            "mj-html-attribute" => {
                let close = if tag.self_closing { None } else { markup::find_close(block, tag.end, tag.name) };
                let content = close.map_or("", |close| block[tag.end..close].trim());
                match (tag.value("name"), &current) {
                    (Some(name), Some((index, _))) if !name.is_empty() => {
                        let attributes = &mut rules[*index].attributes;
                        attributes.retain(|(existing, _)| existing != name);
                        attributes.push((name.to_owned(), content.replace('"', "&quot;")));
                    }
                    (None, _) => {
                        warnings.push((tag.start, tag.end, "`mj-html-attribute` needs a `name` attribute".to_owned()))
                    }
                    _ => {}
                }
                close.map_or(tag.end, |close| markup::close_end(block, close))
            }
            _ => tag.end,
        }
    });
    Block { rules, warnings }
}

/// Sets the attributes of every rule on the elements of the body its selectors match.
pub fn apply(rules: &[Rule], html: String) -> String {
    if rules.iter().all(|rule| rule.attributes.is_empty()) {
        return html;
    }
    let Some(body) = html.find("<body") else { return html };
    let body_content = markup::start_tag(&html, body).map_or(body, |tag| tag.end);
    let elements = build_tree(&html, body_content).elements;
    let mut changes: Vec<Vec<(&str, &str)>> = vec![Vec::new(); elements.len()];
    for rule in rules {
        for (index, element) in elements.iter().enumerate() {
            let _ = element;
            if rule.selectors.iter().any(|selector| matches(&elements, index, selector, selector.parts.len() - 1)) {
                for (name, value) in &rule.attributes {
                    let change = &mut changes[index];
                    change.retain(|(existing, _)| existing != name);
                    change.push((name, value));
                }
            }
        }
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    for (element, change) in elements.iter().zip(&changes) {
        if change.is_empty() {
            continue;
        }
        let Some(tag) = markup::start_tag(&html, element.start) else { continue };
        out.push_str(&html[copied..tag.start]);
        out.push_str(&rewrite_tag(&html, &tag, change));
        copied = tag.end;
    }
    out.push_str(&html[copied..]);
    out
}

/// The start tag with `changes` applied: existing attributes get the new value in place, new
/// ones go at the end.
fn rewrite_tag(html: &str, tag: &markup::StartTag<'_>, changes: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut copied = tag.start;
    let mut added = Vec::new();
    for &(name, value) in changes {
        match tag.attribute(name) {
            Some(attribute) => {
                out.push_str(&html[copied..attribute.start]);
                out.push_str(&format!("{name}=\"{value}\""));
                copied = attribute.end;
            }
            None => added.push(format!(" {name}=\"{value}\"")),
        }
    }
    let close = if tag.self_closing { tag.end - 2 } else { tag.end - 1 };
    let close = html[..close].trim_end().len().max(copied);
    out.push_str(&html[copied..close]);
    out.extend(added);
    out.push_str(&html[close..tag.end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(block: &str) -> Vec<Rule> {
        let parsed = parse(block, 0, block.len());
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        parsed.rules
    }

    #[test]
    fn descendant_child_and_attribute_selectors_match() {
        let rules = rules(
            "<mj-html-attributes><mj-selector path=\".a > p, td[align=left] span:first-child\">\
             <mj-html-attribute name=\"data-x\">1</mj-html-attribute></mj-selector></mj-html-attributes>",
        );
        let html = "<head></head><body><div class=\"a\"><p>one</p><div><p>deep</p></div></div>\
                    <table><tr><td align=\"left\"><span>s</span><span>t</span></td></tr></table></body>";
        let out = apply(&rules, html.to_owned());
        assert_eq!(
            out,
            "<head></head><body><div class=\"a\"><p data-x=\"1\">one</p><div><p>deep</p></div></div>\
             <table><tr><td align=\"left\"><span data-x=\"1\">s</span><span>t</span></td></tr></table></body>"
        );
    }

    #[test]
    fn existing_attributes_are_replaced() {
        let rules = rules(
            "<mj-html-attributes><mj-selector path=\"img\"><mj-html-attribute name=\"alt\">logo</mj-html-attribute>\
             </mj-selector></mj-html-attributes>",
        );
        let out =
            apply(&rules, "<body><img alt=\"\" src=\"a\" /><!--[if mso]><img src=\"b\"><![endif]--></body>".into());
        assert_eq!(out, "<body><img alt=\"logo\" src=\"a\" /><!--[if mso]><img src=\"b\"><![endif]--></body>");
    }

    #[test]
    fn unsupported_selectors_are_reported() {
        let block = "<mj-html-attributes><mj-selector path=\"p:nth-child(2)\"></mj-selector></mj-html-attributes>";
        let parsed = parse(block, 0, block.len());
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].2.contains(":nth-child"), "{}", parsed.warnings[0].2);
    }
}
