//! `mj-html-attributes`, which mrml 6.0.1 rejects as an unknown element of `mj-head`.
//!
//! The reference compiler takes each `mj-selector path="..."` with its `mj-html-attribute`
//! children and, once the body is rendered, sets those attributes on every element the CSS
//! selector matches. Here the block is cut out before mrml runs and the same is done to mrml's
//! output. Selectors use tag names, `*`, `#id`, `.class`, attribute tests (`[a]`, `[a=v]`,
//! `[a~=v]`, `[a|=v]`, `[a^=v]`, `[a$=v]`, `[a*=v]`), `:first-child` and `:last-child`, joined by
//! white space, `>`, `+` or `~`, in comma-separated lists. Any other selector gets a warning
//! rather than a silent miss.

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
    let elements = build_tree(&html, body_content);
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

/// An element of the body, as selectors see it.
struct Element {
    start: usize,
    name: String,
    id: Option<String>,
    classes: Vec<String>,
    attributes: Vec<(String, Option<String>)>,
    parent: Option<usize>,
    previous: Option<usize>,
    last_child: bool,
}

const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Reads the elements from `from` on, skipping comments (conditional ones included: their
/// content is not part of the document) and the content of `style` and `script`.
fn build_tree(html: &str, from: usize) -> Vec<Element> {
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut last_child_of: Vec<Option<usize>> = vec![None];
    let mut at = from;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(html.len(), |e| start + 4 + e + 3);
            continue;
        }
        if let Some(name) = rest.strip_prefix("</") {
            let name_end = name.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(name.len());
            let name = name[..name_end].to_ascii_lowercase();
            if let Some(depth) = stack.iter().rposition(|&e| elements[e].name == name) {
                stack.truncate(depth);
                last_child_of.truncate(depth + 1);
            }
            at = start + 2;
            continue;
        }
        let Some(tag) = markup::start_tag(html, start) else {
            at = start + 1;
            continue;
        };
        let name = tag.name.to_ascii_lowercase();
        let parent = stack.last().copied();
        let previous = last_child_of.last().copied().flatten();
        let index = elements.len();
        elements.push(Element {
            start,
            id: tag.value("id").map(str::to_owned),
            classes: tag
                .value("class")
                .map(|c| c.split_ascii_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            attributes: tag
                .attributes
                .iter()
                .map(|a| (a.name.to_ascii_lowercase(), a.value.as_ref().map(|v| v.text.to_owned())))
                .collect(),
            name: name.clone(),
            parent,
            previous,
            last_child: true,
        });
        if let Some(previous) = previous {
            elements[previous].last_child = false;
        }
        if let Some(slot) = last_child_of.last_mut() {
            *slot = Some(index);
        }
        at = tag.end;
        if name == "style" || name == "script" {
            at = markup::find_close(html, tag.end, &name).unwrap_or(html.len());
            continue;
        }
        if !tag.self_closing && !VOID.contains(&name.as_str()) {
            stack.push(index);
            last_child_of.push(None);
        }
    }
    elements
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Combinator {
    Descendant,
    Child,
    Adjacent,
    Sibling,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Test {
    Tag(String),
    Id(String),
    Class(String),
    Attribute { name: String, operator: Option<(String, String)> },
    FirstChild,
    LastChild,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Compound {
    tests: Vec<Test>,
    /// How this compound relates to the one before it; `None` for the first.
    combinator: Option<Combinator>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Complex {
    parts: Vec<Compound>,
}

fn parse_selector_list(path: &str) -> Result<Vec<Complex>, String> {
    path.split(',').map(parse_complex).collect()
}

fn parse_complex(text: &str) -> Result<Complex, String> {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.is_empty() {
        return Err("is empty".to_owned());
    }
    let mut parts: Vec<Compound> = Vec::new();
    let mut i = 0;
    let mut pending: Option<Combinator> = None;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            if !parts.is_empty() && pending.is_none() {
                pending = Some(Combinator::Descendant);
            }
            i += 1;
            continue;
        }
        if matches!(c, '>' | '+' | '~') {
            if parts.is_empty()
                || matches!(pending, Some(Combinator::Child | Combinator::Adjacent | Combinator::Sibling))
            {
                return Err(format!("has a misplaced `{c}`"));
            }
            pending = Some(match c {
                '>' => Combinator::Child,
                '+' => Combinator::Adjacent,
                _ => Combinator::Sibling,
            });
            i += 1;
            continue;
        }
        let (tests, next) = parse_compound(&chars, i)?;
        if !parts.is_empty() && pending.is_none() {
            return Err("cannot be read".to_owned());
        }
        parts.push(Compound { tests, combinator: pending.take() });
        i = next;
    }
    if pending.is_some_and(|p| p != Combinator::Descendant) {
        return Err("ends with a combinator".to_owned());
    }
    Ok(Complex { parts })
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

fn parse_compound(chars: &[char], mut i: usize) -> Result<(Vec<Test>, usize), String> {
    let mut tests = Vec::new();
    let read_name = |i: &mut usize| -> String {
        let start = *i;
        while *i < chars.len() && is_name_char(chars[*i]) {
            *i += 1;
        }
        chars[start..*i].iter().collect()
    };
    if chars[i] == '*' {
        i += 1;
    } else if is_name_char(chars[i]) {
        tests.push(Test::Tag(read_name(&mut i).to_ascii_lowercase()));
    }
    while i < chars.len() {
        match chars[i] {
            '#' | '.' => {
                let kind = chars[i];
                i += 1;
                let name = read_name(&mut i);
                if name.is_empty() {
                    return Err(format!("has `{kind}` without a name"));
                }
                tests.push(if kind == '#' { Test::Id(name) } else { Test::Class(name) });
            }
            '[' => {
                let close = chars[i..].iter().position(|&c| c == ']').ok_or("has an unclosed `[`")? + i;
                let inner: String = chars[i + 1..close].iter().collect();
                tests.push(parse_attribute_test(&inner)?);
                i = close + 1;
            }
            ':' => {
                i += 1;
                let name = read_name(&mut i);
                match name.as_str() {
                    "first-child" => tests.push(Test::FirstChild),
                    "last-child" => tests.push(Test::LastChild),
                    _ => return Err(format!("uses `:{name}`, which is not supported")),
                }
            }
            c if c.is_whitespace() || matches!(c, '>' | '+' | '~') => break,
            c => return Err(format!("has an unexpected `{c}`")),
        }
    }
    Ok((tests, i))
}

fn parse_attribute_test(inner: &str) -> Result<Test, String> {
    let unquote = |v: &str| {
        let v = v.trim();
        v.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(v)
            .to_owned()
    };
    match inner.find('=') {
        None => Ok(Test::Attribute { name: inner.trim().to_ascii_lowercase(), operator: None }),
        Some(eq) => {
            let (name, operator) = match inner[..eq].chars().last() {
                Some(op @ ('~' | '|' | '^' | '$' | '*')) => (&inner[..eq - 1], format!("{op}=")),
                _ => (&inner[..eq], "=".to_owned()),
            };
            if name.trim().is_empty() {
                return Err("has an attribute test without a name".to_owned());
            }
            Ok(Test::Attribute {
                name: name.trim().to_ascii_lowercase(),
                operator: Some((operator, unquote(&inner[eq + 1..]))),
            })
        }
    }
}

fn test_matches(element: &Element, test: &Test) -> bool {
    match test {
        Test::Tag(name) => element.name == *name,
        Test::Id(id) => element.id.as_deref() == Some(id),
        Test::Class(class) => element.classes.iter().any(|c| c == class),
        Test::FirstChild => element.previous.is_none(),
        Test::LastChild => element.last_child,
        Test::Attribute { name, operator } => {
            let Some((_, value)) = element.attributes.iter().find(|(n, _)| n == name) else { return false };
            let Some((operator, expected)) = operator else { return true };
            let value = value.as_deref().unwrap_or("");
            match operator.as_str() {
                "=" => value == expected,
                "~=" => value.split_ascii_whitespace().any(|word| word == expected),
                "|=" => value == expected || value.starts_with(&format!("{expected}-")),
                "^=" => !expected.is_empty() && value.starts_with(expected.as_str()),
                "$=" => !expected.is_empty() && value.ends_with(expected.as_str()),
                "*=" => !expected.is_empty() && value.contains(expected.as_str()),
                _ => false,
            }
        }
    }
}

/// Whether element `index` matches `selector` up to its compound `part`, reading right to left.
fn matches(elements: &[Element], index: usize, selector: &Complex, part: usize) -> bool {
    let compound = &selector.parts[part];
    if !compound.tests.iter().all(|test| test_matches(&elements[index], test)) {
        return false;
    }
    if part == 0 {
        return true;
    }
    let element = &elements[index];
    match compound.combinator {
        Some(Combinator::Child) => element.parent.is_some_and(|p| matches(elements, p, selector, part - 1)),
        Some(Combinator::Adjacent) => element.previous.is_some_and(|p| matches(elements, p, selector, part - 1)),
        Some(Combinator::Sibling) => {
            let mut previous = element.previous;
            while let Some(p) = previous {
                if matches(elements, p, selector, part - 1) {
                    return true;
                }
                previous = elements[p].previous;
            }
            false
        }
        Some(Combinator::Descendant) | None => {
            let mut ancestor = element.parent;
            while let Some(a) = ancestor {
                if matches(elements, a, selector, part - 1) {
                    return true;
                }
                ancestor = elements[a].parent;
            }
            false
        }
    }
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
