//! CSS selectors over the elements of compiled HTML, for the two places where the reference
//! compiler applies selectors to its output: `mj-html-attributes` (cheerio) and
//! `mj-style inline="inline"` (juice). Selectors use tag names, `*`, `#id`, `.class`, attribute
//! tests (`[a]`, `[a=v]`, `[a~=v]`, `[a|=v]`, `[a^=v]`, `[a$=v]`, `[a*=v]`), `:first-child` and
//! `:last-child`, joined by white space, `>`, `+` or `~`, in comma-separated lists.

use std::borrow::Cow;

use crate::markup;

/// An element of the document, as selectors see it.
pub(super) struct Element<'a> {
    pub(super) start: usize,
    /// In lower case.
    pub(super) name: Cow<'a, str>,
    id: Option<&'a str>,
    class: Option<&'a str>,
    attributes: Vec<markup::Attribute<'a>>,
    parent: Option<usize>,
    previous: Option<usize>,
    last_child: bool,
}

impl<'a> Element<'a> {
    /// The value of the first attribute called `name` (in lower case), whatever the case it is
    /// written in; `""` for one without a value.
    pub(super) fn value(&self, name: &str) -> Option<&'a str> {
        let attribute = self.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))?;
        Some(attribute.value.as_ref().map_or("", |v| v.text))
    }
}

/// `name` in lower case, copied only when it is not already.
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The value of the first attribute of `tag` called `name`, whatever its case.
fn value<'a>(tag: &markup::StartTag<'a>, name: &str) -> Option<&'a str> {
    tag.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name)).and_then(|a| a.value.as_ref()).map(|v| v.text)
}

/// HTML elements that never have content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements that end an open `p`, as an HTML parser closes it before them.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "xmp"
    )
}

/// Elements an HTML parser reads by rules of their own (foreign content, templates, text-only
/// content that is not style or script).
fn is_special(name: &str) -> bool {
    matches!(
        name,
        "svg"
            | "math"
            | "template"
            | "noscript"
            | "iframe"
            | "noembed"
            | "noframes"
            | "plaintext"
            | "frameset"
            | "select"
    )
}

/// The elements of a document and whether an HTML parser would build the same tree from it.
pub(super) struct Tree<'a> {
    pub(super) elements: Vec<Element<'a>>,
    /// Every close tag closes the element open last, nothing is left open, and no element stands
    /// where an HTML parser would close, move or wrap it (`div` in `p`, `tr` outside a table
    /// section, `a` in `a`, …). When false, the parents and siblings read here may differ from the
    /// parser's, though the elements themselves do not.
    pub(super) regular: bool,
}

/// Reads the elements from `from` on, skipping comments (conditional ones included: their
/// content is not part of the document) and the content of HTML's raw text elements.
pub(super) fn build_tree(html: &str, from: usize) -> Tree<'_> {
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut last_child_of: Vec<Option<usize>> = vec![None];
    let mut regular = true;
    let mut at = from;
    while let Some(found) = memchr::memchr(b'<', &html.as_bytes()[at..]) {
        let start = at + found;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = memchr::memmem::find(comment.as_bytes(), b"-->");
            // An HTML parser ends `<!-->` and `<!--->` at once, and a comment at `--!>` too.
            regular &= !comment.starts_with('>')
                && !comment.starts_with("->")
                && end.is_some_and(|end| !comment[..end].contains("--!>"));
            at = end.map_or(html.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            // A doctype before anything else; any other is read to its `>` as a comment.
            let doctype = rest.get(..9).is_some_and(|d| d.eq_ignore_ascii_case("<!doctype")) && elements.is_empty();
            regular &= doctype;
            at = start + 2;
            continue;
        }
        if let Some(name) = rest.strip_prefix("</") {
            let name_end = name.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(name.len());
            let name = &name[..name_end];
            match stack.iter().rposition(|&e| elements[e].name.eq_ignore_ascii_case(name)) {
                Some(depth) => {
                    regular &= depth + 1 == stack.len();
                    stack.truncate(depth);
                    last_child_of.truncate(depth + 1);
                }
                None => regular = false,
            }
            at = start + 2;
            continue;
        }
        let Some(tag) = markup::start_tag(html, start) else {
            // A tag the text ends inside of holds the rest for an HTML parser.
            regular &= !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic());
            at = start + 1;
            continue;
        };
        let name = lowercase(tag.name);
        let parent = stack.last().copied();
        regular &= !elements.is_empty() || name == "html";
        regular &= fits(elements.as_slice(), &stack, parent.map(|p| &*elements[p].name), &name);
        let previous = last_child_of.last().copied().flatten();
        let index = elements.len();
        elements.push(Element {
            start,
            id: value(&tag, "id"),
            class: value(&tag, "class"),
            attributes: tag.attributes,
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
        let void = is_void(&name);
        if markup::HTML_RAW_TEXT.contains(&&*name) {
            let close = markup::find_close(html, tag.end, &name);
            regular &= close.is_some();
            at = close.unwrap_or(html.len());
            // Its close tag comes next and closes it.
            stack.push(index);
            last_child_of.push(None);
            continue;
        }
        regular &= !tag.self_closing || void;
        if !tag.self_closing && !void {
            stack.push(index);
            last_child_of.push(None);
        }
    }
    regular &= stack.iter().all(|&e| matches!(&*elements[e].name, "html" | "body"));
    Tree { elements, regular }
}

/// Whether an HTML parser leaves an element `name` opened inside `parent` (with `stack` open) where
/// it stands.
fn fits(elements: &[Element], stack: &[usize], parent: Option<&str>, name: &str) -> bool {
    let open = |wanted: &[&str]| stack.iter().any(|&e| wanted.contains(&&*elements[e].name));
    if is_special(name) || name.contains(':') || name == "image" {
        return false;
    }
    if closes_p(name) && open(&["p"]) {
        return false;
    }
    let table_part = matches!(name, "caption" | "colgroup" | "col" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th");
    let allowed = match parent {
        None => name == "html",
        Some("html") => matches!(name, "head" | "body"),
        Some("head") => matches!(name, "title" | "meta" | "link" | "style" | "script" | "base"),
        Some("table") => matches!(name, "caption" | "colgroup" | "thead" | "tbody" | "tfoot" | "style" | "script"),
        Some("thead" | "tbody" | "tfoot") => matches!(name, "tr" | "style" | "script"),
        Some("tr") => matches!(name, "td" | "th" | "style" | "script"),
        Some("colgroup") => name == "col",
        _ => !table_part,
    };
    let nested = match name {
        "a" => open(&["a"]),
        "li" => open(&["li"]),
        "dt" | "dd" => open(&["dt", "dd"]),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            parent.is_some_and(|p| matches!(p, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
        }
        "form" => open(&["form"]),
        "button" => open(&["button"]),
        "option" | "optgroup" => true,
        "html" => parent.is_some(),
        "head" | "body" => parent != Some("html"),
        _ => false,
    };
    allowed && !nested
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Combinator {
    Descendant,
    Child,
    Adjacent,
    Sibling,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Test {
    Tag(String),
    Id(String),
    Class(String),
    Attribute { name: String, operator: Option<(String, String)> },
    FirstChild,
    LastChild,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Compound {
    pub(super) tests: Vec<Test>,
    /// How this compound relates to the one before it; `None` for the first.
    pub(super) combinator: Option<Combinator>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Complex {
    pub(super) parts: Vec<Compound>,
}

pub(super) fn parse_selector_list(path: &str) -> Result<Vec<Complex>, String> {
    path.split(',').map(parse_complex).collect()
}

pub(super) fn parse_complex(text: &str) -> Result<Complex, String> {
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
        Test::Id(id) => element.id == Some(id.as_str()),
        Test::Class(class) => element.class.is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class)),
        Test::FirstChild => element.previous.is_none(),
        Test::LastChild => element.last_child,
        Test::Attribute { name, operator } => {
            let Some(value) = element.value(name) else { return false };
            let Some((operator, expected)) = operator else { return true };
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
pub(super) fn matches(elements: &[Element], index: usize, selector: &Complex, part: usize) -> bool {
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
