//! Expands `mj-include` before mrml sees the document, confined to a root folder.
//!
//! mrml's own include loader is given only the raw `path` attribute (never the including file), has
//! no cycle or depth limit (a cycle overflows the stack and aborts the process), and leaves
//! `type="html"` in `mj-head` as a `todo!`. Expanding includes here instead lets paths resolve
//! relative to the including file, as the reference `mjml` compiler does, keeps every read inside
//! the root, and keeps a source map so diagnostics point into partials.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::source::{ReadError, Reader, SourceFile, SourceMap};
use crate::diagnostic::{Code, Diagnostic};
use crate::local::ConfineError;
use crate::markup::{self, NoTag, StartTag, Token, Tokens};

/// Bounds on what an expansion may do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How many includes may be nested inside each other.
    pub max_include_depth: usize,
    /// The largest expanded document, in bytes.
    pub max_size: usize,
    /// How deeply elements may nest in the expanded document.
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_include_depth: 16, max_size: 16 * 1024 * 1024, max_nesting: 512 }
    }
}

/// The document after every include was replaced by what it points at.
#[derive(Debug)]
pub struct Expansion {
    pub text: String,
    pub map: SourceMap,
    /// Every file that took part; the root file is first.
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Head,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Main,
    Head,
}

#[derive(Default)]
struct Buffer {
    text: String,
    map: SourceMap,
}

impl Buffer {
    fn copy(&mut self, file: usize, text: &str, start: usize, end: usize) {
        self.map.push(self.text.len(), file, start, end - start);
        self.text.push_str(&text[start..end]);
    }
}

/// An `mj-include` tag found in a file.
#[derive(Debug)]
struct IncludeTag {
    start: usize,
    end: usize,
    in_head: bool,
    path: Option<String>,
    kind: Option<String>,
    css_inline: bool,
    malformed: Option<&'static str>,
}

struct Expander<'a> {
    reader: &'a dyn Reader,
    root: PathBuf,
    canonical_root: PathBuf,
    limits: Limits,
    files: Vec<SourceFile>,
    ids: HashMap<PathBuf, usize>,
    diagnostics: Vec<Diagnostic>,
    main: Buffer,
    head: Buffer,
    stack: Vec<PathBuf>,
    too_large: bool,
}

/// Expands the includes of `file`, a document whose includes may reach files under `root`.
pub fn expand(mut file: SourceFile, root: &Path, reader: &dyn Reader, limits: Limits) -> Expansion {
    let absolute = |path: &Path| normalize_lexically(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let root = absolute(root);
    // Includes resolve against the including file's folder, which must be absolute to be
    // compared with the root.
    file.path = absolute(&file.path);
    // Canonical paths serve only includes; a document without any does not ask the file system.
    let (canonical_root, canonical) = if may_include(&file.text) {
        (
            root.canonicalize().unwrap_or_else(|_| root.clone()),
            file.path.canonicalize().unwrap_or_else(|_| file.path.clone()),
        )
    } else {
        (root.clone(), file.path.clone())
    };
    let mut expander = Expander {
        reader,
        root,
        canonical_root,
        limits,
        files: Vec::new(),
        ids: HashMap::new(),
        diagnostics: Vec::new(),
        main: Buffer::default(),
        head: Buffer::default(),
        stack: vec![canonical.clone()],
        too_large: false,
    };
    let len = file.text.len();
    expander.ids.insert(canonical, 0);
    expander.files.push(file);
    expander.expand_region(0, 0, len, Context::Body, 1, Target::Main);
    expander.finish()
}

impl Expander<'_> {
    fn buffer(&mut self, target: Target) -> &mut Buffer {
        match target {
            Target::Main => &mut self.main,
            Target::Head => &mut self.head,
        }
    }

    fn check_size(&mut self, file: usize, offset: usize) -> bool {
        if self.too_large {
            return false;
        }
        if self.main.text.len() + self.head.text.len() > self.limits.max_size {
            self.too_large = true;
            let source = &self.files[file];
            let at = source.position(offset);
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TooLarge,
                    source.display.clone(),
                    format!(
                        "the document grows past {} MiB once its includes are expanded",
                        self.limits.max_size / (1024 * 1024)
                    ),
                )
                .at(at),
            );
            return false;
        }
        true
    }

    fn expand_region(&mut self, file: usize, start: usize, end: usize, context: Context, depth: usize, target: Target) {
        let text = self.files[file].text.clone();
        let tags = scan_includes(&text, start, end);
        let mut cursor = start;
        for tag in tags {
            self.buffer(target).copy(file, &text, cursor, tag.start);
            cursor = tag.end;
            if !self.check_size(file, tag.start) {
                return;
            }
            let context = if tag.in_head { Context::Head } else { context };
            self.include(file, &tag, context, depth, target);
        }
        self.buffer(target).copy(file, &text, cursor, end);
        self.check_size(file, end);
    }

    fn report(&mut self, file: usize, tag: &IncludeTag, code: Code, message: String) {
        let source = &self.files[file];
        let diagnostic = Diagnostic::error(code, source.display.clone(), message)
            .span(source.position(tag.start), source.position(tag.end));
        self.diagnostics.push(diagnostic);
    }

    fn include(&mut self, file: usize, tag: &IncludeTag, context: Context, depth: usize, target: Target) {
        if let Some(problem) = tag.malformed {
            self.report(file, tag, Code::MjmlSyntax, problem.to_owned());
            return;
        }
        let Some(raw_path) = tag.path.as_deref() else {
            self.report(file, tag, Code::MjmlSyntax, "`mj-include` needs a `path` attribute".into());
            return;
        };
        let kind = tag.kind.as_deref().unwrap_or("mjml");
        if !matches!(kind, "mjml" | "css" | "html") {
            let message = format!("`mj-include` type `{kind}` is unknown; use `mjml`, `css` or `html`");
            self.report(file, tag, Code::MjmlSyntax, message);
            return;
        }
        if depth > self.limits.max_include_depth {
            let message =
                format!("includes are nested more than {} levels deep at `{raw_path}`", self.limits.max_include_depth);
            self.report(file, tag, Code::IncludeTooDeep, message);
            return;
        }
        let including = self.files[file].path.clone();
        let (path, canonical) = match self.resolve(&including, raw_path, kind == "mjml") {
            Ok(found) => found,
            Err((code, message)) => {
                self.report(file, tag, code, message);
                return;
            }
        };
        if let Some(first) = self.stack.iter().position(|p| *p == canonical) {
            let mut chain: Vec<String> = self.stack[first..].iter().map(|p| format!("`{}`", self.display(p))).collect();
            chain.push(format!("`{}`", self.display(&canonical)));
            let message = format!("include cycle: {}", chain.join(" → "));
            self.report(file, tag, Code::IncludeCycle, message);
            return;
        }
        let id = match self.ids.get(&canonical) {
            Some(&id) => id,
            None => match self.reader.read_to_string(&path) {
                Ok(raw) => {
                    let id = self.files.len();
                    let display = self.display(&path);
                    self.files.push(SourceFile::new(display, path.clone(), &raw));
                    self.ids.insert(canonical.clone(), id);
                    id
                }
                Err(error) => match ReadError::from(error) {
                    // The problem is in the partial, at its first invalid byte, not in the tag.
                    invalid @ ReadError::InvalidUtf8(_) => {
                        self.diagnostics.push(invalid.diagnostic(&self.display(&path)));
                        return;
                    }
                    other => {
                        let message = format!("cannot read included file `{}`: {other}", self.display(&path));
                        self.report(file, tag, Code::Io, message);
                        return;
                    }
                },
            },
        };
        let len = self.files[id].text.len();
        self.stack.push(canonical);
        match kind {
            "css" => {
                let open = if tag.css_inline { "<mj-style inline=\"inline\">" } else { "<mj-style>" };
                let into = if context == Context::Body { Target::Head } else { target };
                self.wrap(id, open, "</mj-style>", into);
            }
            "html" => self.wrap(id, "<mj-raw>", "</mj-raw>", target),
            _ => match document_parts(&self.files[id].text) {
                None => self.expand_region(id, 0, len, context, depth + 1, target),
                Some(parts) => {
                    if let Some((start, end)) = parts.head {
                        let into = if context == Context::Body { Target::Head } else { target };
                        self.expand_region(id, start, end, Context::Head, depth + 1, into);
                    }
                    if context == Context::Body
                        && let Some((start, end)) = parts.body
                    {
                        self.expand_region(id, start, end, Context::Body, depth + 1, target);
                    }
                }
            },
        }
        self.stack.pop();
    }

    fn wrap(&mut self, id: usize, open: &str, close: &str, target: Target) {
        let text = self.files[id].text.clone();
        let buffer = self.buffer(target);
        buffer.text.push_str(open);
        buffer.copy(id, &text, 0, text.len());
        buffer.text.push_str(close);
    }

    fn display(&self, path: &Path) -> String {
        let relative =
            path.strip_prefix(&self.root).or_else(|_| path.strip_prefix(&self.canonical_root)).unwrap_or(path);
        relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    /// Resolves an include path relative to the including file, refusing anything that leaves the
    /// root: absolute paths, remote URLs, `..` past the root, and symbolic links pointing out.
    fn resolve(&self, including: &Path, raw: &str, mjml: bool) -> Result<(PathBuf, PathBuf), (Code, String)> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err((Code::MjmlSyntax, "`mj-include` has an empty `path`".into()));
        }
        if raw.contains("://") {
            return Err((Code::IncludeOutsideRoot, format!("remote include `{raw}` is not allowed")));
        }
        let as_path = Path::new(raw);
        if as_path.has_root() || raw.starts_with('\\') || as_path.is_absolute() {
            return Err((
                Code::IncludeOutsideRoot,
                format!("absolute include path `{raw}` is not allowed; write it relative to the including file"),
            ));
        }
        let base = including.parent().unwrap_or(&self.root);
        let mut path = normalize_lexically(&base.join(as_path));
        if !path.starts_with(&self.root) {
            return Err((Code::IncludeOutsideRoot, format!("include `{raw}` points outside the project folder")));
        }
        if mjml && path.extension().is_none() && !path.exists() {
            path.set_extension("mjml");
        }
        let canonical = match crate::local::confine_path(&self.canonical_root, &path) {
            Ok(canonical) => canonical,
            Err(ConfineError::NotFound) => {
                return Err((Code::IncludeNotFound, format!("included file `{}` does not exist", self.display(&path))));
            }
            Err(ConfineError::Outside) => {
                return Err((
                    Code::IncludeOutsideRoot,
                    format!("include `{raw}` leads through a symbolic link to outside the project folder"),
                ));
            }
            Err(ConfineError::Io(error)) => {
                return Err((Code::Io, format!("cannot open included file `{}`: {error}", self.display(&path))));
            }
        };
        if !canonical.is_file() {
            return Err((Code::IncludeNotFound, format!("included path `{}` is not a file", self.display(&path))));
        }
        Ok((path, canonical))
    }

    fn finish(mut self) -> Expansion {
        let head = std::mem::take(&mut self.head);
        let mut text = std::mem::take(&mut self.main.text);
        let mut map = std::mem::take(&mut self.main.map);
        if !head.text.is_empty() {
            let head_close = Tokens::new(&text).find_map(|token| match token {
                Token::End(tag) if tag.name == "mj-head" => Some(tag.start),
                _ => None,
            });
            let (at, open, close) = if let Some(at) = head_close {
                (at, "", "")
            } else if let Some(root) = first_start_tag(&text, "mjml") {
                (root.end, "<mj-head>", "</mj-head>")
            } else {
                (0, "<mj-head>", "</mj-head>")
            };
            let inserted = format!("{open}{}{close}", head.text);
            map.shift_from(at, inserted.len());
            let mut head_map = head.map;
            head_map.shift_from(0, at + open.len());
            text.insert_str(at, &inserted);
            map.append(head_map);
        }
        map.sort();
        Expansion { text, map, files: self.files, diagnostics: self.diagnostics }
    }
}

/// Where the head and body content of a full `<mjml>` document lie.
struct DocumentParts {
    head: Option<(usize, usize)>,
    body: Option<(usize, usize)>,
}

/// Splits an included file written as a whole `<mjml>` document into its head and body content;
/// `None` when the file is a bare fragment.
fn document_parts(text: &str) -> Option<DocumentParts> {
    let first = Tokens::new(text).find(|token| match token {
        Token::Comment(_) => false,
        Token::Text(range) => !text[range.clone()].trim().is_empty(),
        _ => true,
    });
    if !matches!(first, Some(Token::Start(tag)) if tag.name == "mjml") {
        return None;
    }
    let inner = |name: &str| -> Option<(usize, usize)> {
        let content = first_start_tag(text, name)?.end;
        Some((content, markup::find_close(text, content, name)?))
    };
    Some(DocumentParts { head: inner("mj-head"), body: inner("mj-body") })
}

/// The first start tag called `name` outside comments.
fn first_start_tag<'a>(text: &'a str, name: &str) -> Option<StartTag<'a>> {
    Tokens::new(text).find_map(|token| match token {
        Token::Start(tag) if tag.name == name => Some(tag),
        _ => None,
    })
}

/// Whether `text` may hold an include: every `mj-include` tag, whole or unfinished, starts with
/// `<mj-include`, and most documents have none.
pub fn may_include(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"<mj-include").is_some()
}

/// Finds the `mj-include` tags between `start` and `end`, skipping comments and the content of
/// elements kept as written.
fn scan_includes(text: &str, start: usize, end: usize) -> Vec<IncludeTag> {
    let region = &text[..end];
    if !may_include(&region[start..]) {
        return Vec::new();
    }
    let mut tokens = Tokens::new(region);
    tokens.skip_to(start);
    let mut tags = Vec::new();
    let mut in_head = false;
    while let Some(token) = tokens.next() {
        match token {
            Token::Start(tag) if tag.name == "mj-head" => in_head = true,
            Token::End(tag) if tag.name == "mj-head" => in_head = false,
            Token::Start(tag) if tag.name == "mj-include" => {
                let include = include_tag(region, &tag, in_head);
                tokens.skip_to(include.end);
                tags.push(include);
            }
            // Its content is raw HTML or text, not MJML: an include there is text.
            Token::Start(tag) if !tag.self_closing && markup::kept_as_written(tag.name) => {
                tokens.skip_content(&tag);
            }
            Token::Text(range) => {
                // Text holds no whole tag, so an `mj-include` there never ends.
                if let Some(unfinished) = unfinished_include(region, range, in_head) {
                    tags.push(unfinished);
                    break;
                }
            }
            _ => {}
        }
    }
    tags
}

/// What the `mj-include` start tag `tag` asks for; an include with content extends to its close tag.
fn include_tag(text: &str, tag: &StartTag<'_>, in_head: bool) -> IncludeTag {
    let mut include = IncludeTag {
        start: tag.start,
        end: tag.end,
        in_head,
        path: None,
        kind: None,
        css_inline: false,
        malformed: None,
    };
    let mut self_closing = tag.self_closing;
    for (index, attribute) in tag.attributes.iter().enumerate() {
        let mut value = attribute.value.as_ref().map_or("", |v| v.text);
        // `path=a/>` ends the tag as `/>` does, rather than giving the path a slash.
        let unquoted = attribute.value.as_ref().is_some_and(|v| v.quote.is_none());
        if unquoted && !self_closing && index + 1 == tag.attributes.len() && attribute.end + 1 == tag.end {
            let trimmed = value.trim_end_matches('/');
            if trimmed.len() < value.len() {
                value = trimmed;
                self_closing = true;
            }
        }
        match attribute.name {
            "path" => include.path = Some(value.to_owned()),
            "type" => include.kind = Some(value.to_owned()),
            "css-inline" => include.css_inline = value == "inline",
            _ => {}
        }
    }
    if !self_closing {
        // An include with content: mjml ignores the content; skip to the close tag.
        match markup::find_close(text, tag.end, "mj-include") {
            Some(close) => include.end = markup::close_end(text, close),
            None => include.malformed = Some("`mj-include` has no closing `</mj-include>`"),
        }
    }
    include
}

/// An `mj-include` start tag in `text[range]` that never ends, reported up to the end of `text`.
fn unfinished_include(text: &str, range: std::ops::Range<usize>, in_head: bool) -> Option<IncludeTag> {
    const OPEN: &str = "<mj-include";
    let start = text[range.clone()]
        .match_indices(OPEN)
        .map(|(at, _)| range.start + at)
        .find(|&at| text[at + OPEN.len()..].chars().next().is_none_or(|c| c.is_whitespace() || c == '>' || c == '/'))?;
    let problem = match markup::read_start_tag(text, start, false) {
        Err(NoTag::NoClosingQuote) => "an attribute value of `mj-include` has no closing quote",
        _ => "`mj-include` tag is not closed",
    };
    Some(IncludeTag {
        start,
        end: text.len(),
        in_head,
        path: None,
        kind: None,
        css_inline: false,
        malformed: Some(problem),
    })
}

/// Resolves `.` and `..` without touching the file system, so a path that does not exist yet can
/// still be checked against the root.
pub fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                // `..` above the file system root stays at the root, as the OS resolves it.
                if !out.pop() && !out.has_root() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_finds_includes_and_skips_comments_and_raw_content() {
        let text = r#"<mjml><mj-head><mj-include path="a.mjml"/></mj-head><mj-body>
<!-- <mj-include path="comment.mjml" /> -->
<mj-text><mj-include path="raw.mjml" /></mj-text>
<mj-include path='b' type="css" css-inline="inline" />
<mj-include path=c.mjml></mj-include>
</mj-body></mjml>"#;
        let tags = scan_includes(text, 0, text.len());
        let paths: Vec<_> = tags.iter().map(|t| t.path.clone().unwrap()).collect();
        assert_eq!(paths, ["a.mjml", "b", "c.mjml"]);
        assert!(tags[0].in_head);
        assert!(!tags[1].in_head);
        assert_eq!(tags[1].kind.as_deref(), Some("css"));
        assert!(tags[1].css_inline);
        assert!(text[tags[2].start..tags[2].end].ends_with("</mj-include>"));
    }

    #[test]
    fn malformed_include_tags_are_reported_not_panicked_on() {
        for text in
            ["<mj-include", "<mj-include path=\"x", "<mj-include path=x>", "<mj-include / >", "<mj-include path=a/>"]
        {
            let tags = scan_includes(text, 0, text.len());
            assert_eq!(tags.len(), 1, "{text}");
        }
        let problem = |text: &str| scan_includes(text, 0, text.len())[0].malformed;
        assert_eq!(problem("<mj-include path=\"x"), Some("an attribute value of `mj-include` has no closing quote"));
        assert_eq!(problem("<mj-include path=x"), Some("`mj-include` tag is not closed"));
        // A `/` not followed by `>` is ignored, as the reference parser does: this tag opens an
        // include with content, which never closes.
        assert_eq!(problem("<mj-include / >"), Some("`mj-include` has no closing `</mj-include>`"));
        let tags = scan_includes("<mj-include path=a/>", 0, 20);
        assert_eq!(tags[0].path.as_deref(), Some("a"));
        assert!(tags[0].malformed.is_none());
    }

    #[test]
    fn includes_in_every_element_kept_as_written_are_text() {
        // The component table marks these ending too; the expander once knew only eleven of
        // fourteen, and expanded an include written inside the other three.
        for name in ["mj-carousel-image", "mj-html-attribute", "mj-breakpoint"] {
            let text = format!("<{name}><mj-include path=\"x.mjml\" /></{name}><mj-include path=\"y.mjml\" />");
            let paths: Vec<_> = scan_includes(&text, 0, text.len()).into_iter().filter_map(|t| t.path).collect();
            assert_eq!(paths, ["y.mjml"], "{name}");
        }
    }

    #[test]
    fn lexical_normalisation() {
        assert_eq!(normalize_lexically(Path::new("/p/a/../b/./c")), PathBuf::from("/p/b/c"));
        assert_eq!(normalize_lexically(Path::new("/p/../../x")), PathBuf::from("/x"));
    }
}
