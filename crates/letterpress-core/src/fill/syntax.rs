//! The Handlebars language as handlebars.js 4.7 reads it: a lexer with the same rules in the same
//! order, a parser for the same grammar, and the same whitespace control and standalone-line pass.
//!
//! Matching handlebars.js byte for byte depends on details that a generic parser gets wrong (which
//! text counts as a number, when a line holding only a block tag disappears), so this module
//! follows the reference lexer (`handlebars.l`), grammar (`handlebars.yy`) and
//! `WhitespaceControl` rule by rule. Every node keeps its byte span, so problems are reported at
//! their place in the source.

use std::fmt;

/// Byte offsets into the template source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A template that does not parse, with the place where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// How deeply blocks and subexpressions may nest; deeper input is refused rather than allowed to
/// exhaust the stack.
pub const MAX_NESTING: usize = 64;

/// A sequence of statements: a whole template or the body of a block.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub body: Vec<Stmt>,
    /// Names declared with `as |a b|` on the block that owns this program.
    pub block_params: Vec<String>,
    /// Whether this program is an `{{else if …}}` chain holding one block.
    pub chained: bool,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Content(Content),
    Mustache(Mustache),
    Block(Box<Block>),
    Comment(Comment),
}

/// Literal text between mustaches.
#[derive(Debug, Clone)]
pub struct Content {
    /// The text as written, which the standalone rules look at.
    pub original: String,
    /// The text as output, after whitespace control.
    pub value: String,
    pub span: Span,
    left_stripped: bool,
    right_stripped: bool,
}

/// Whether a tag strips whitespace before it (`{{~`) and after it (`~}}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Strip {
    pub open: bool,
    pub close: bool,
}

/// `{{expr}}`, `{{{expr}}}` or `{{&expr}}`.
#[derive(Debug, Clone)]
pub struct Mustache {
    pub call: Call,
    pub escaped: bool,
    /// Written with three braces (`{{{x}}}`) rather than `{{&x}}` or two.
    pub triple: bool,
    pub strip: Strip,
    pub span: Span,
}

/// A block: `{{#name …}}…{{else}}…{{/name}}` or `{{^name}}…{{/name}}`.
#[derive(Debug, Clone)]
pub struct Block {
    pub call: Call,
    pub program: Option<Program>,
    pub inverse: Option<Program>,
    /// Opened with `{{^`.
    pub inverted: bool,
    /// This block is an `{{else name …}}` link of a chain.
    pub chain_link: bool,
    open_strip: Strip,
    inverse_strip: Strip,
    close_strip: Strip,
    /// The opening tag.
    pub span: Span,
    /// The `{{else}}` (or `{{^}}`, or the next `{{else name}}`) tag, if any.
    pub else_span: Option<Span>,
    /// The closing tag; for a chain link, the tag that ends it.
    pub close_span: Span,
}

/// `{{! … }}` or `{{!-- … --}}`.
#[derive(Debug, Clone)]
pub struct Comment {
    pub value: String,
    strip: Strip,
    pub span: Span,
}

/// A helper name or value with its arguments: `name`, `helper a b key=c`.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: Path,
    pub params: Vec<Expr>,
    pub hash: Vec<HashPair>,
    /// Names bound with `as |a b|`.
    pub block_params: Vec<String>,
    pub span: Span,
}

impl Block {
    /// Whether any of the block's tags uses `~`.
    pub fn open_strip_any(&self) -> bool {
        [self.open_strip, self.inverse_strip, self.close_strip].iter().any(|s| s.open || s.close)
    }
}

impl Call {
    /// Whether handlebars.js calls this a helper call: it has arguments.
    pub fn has_arguments(&self) -> bool {
        !self.params.is_empty() || !self.hash.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct HashPair {
    pub key: String,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Path(Path),
    /// A string literal, its value unquoted.
    Str(String, Span),
    Number(f64, Span),
    Bool(bool, Span),
    Undefined(Span),
    Null(Span),
    Sub(Box<Call>),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Path(path) => path.span,
            Expr::Str(_, span)
            | Expr::Number(_, span)
            | Expr::Bool(_, span)
            | Expr::Undefined(span)
            | Expr::Null(span) => *span,
            Expr::Sub(call) => call.span,
        }
    }
}

/// A path such as `order.total`, `../name`, `this`, `@index` or `[with space]`.
#[derive(Debug, Clone)]
pub struct Path {
    /// Starts with `@`.
    pub data: bool,
    /// How many `../` lead it.
    pub depth: usize,
    /// The segments to look up, without `this`, `.` and `..`.
    pub parts: Vec<String>,
    /// The path as written (without brackets around literal segments' separators kept).
    pub original: String,
    /// Starts with `.` or `this`: never a helper name.
    pub scoped: bool,
    /// Has a `[bracketed]` segment.
    pub literal_segments: bool,
    pub span: Span,
}

impl Path {
    /// One plain name: what handlebars.js may take for a helper.
    pub fn is_simple(&self) -> bool {
        self.parts.len() == 1 && !self.scoped && self.depth == 0
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Content(String),
    Comment(String),
    /// `{{`, `{{&`, `{{{`, `{{#`, `{{/`, `{{^`, `{{else`: the raw opening text.
    Open(OpenKind, String),
    /// `{{else}}` or `{{^}}` with its raw text.
    Inverse(String),
    /// `}}` or `~}}`, and `}}}` (`unescaped`).
    Close {
        unescaped: bool,
        raw: String,
    },
    Id {
        part: String,
        original: String,
    },
    Sep(char),
    Equals,
    Data,
    Str(String),
    Number(String),
    Bool(bool),
    Undefined,
    Null,
    OpenSexpr,
    CloseSexpr,
    OpenBlockParams,
    CloseBlockParams,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Plain,
    Unescaped,
    Block,
    EndBlock,
    Inverse,
    InverseChain,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Span,
}

/// JavaScript's `\s`.
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// Characters that cannot be part of an unbracketed identifier.
fn is_id_char(c: char) -> bool {
    !(is_js_space(c)
        || matches!(c, '!' | '"' | '#' | '%'..=',' | '.' | '/' | ';'..='>' | '@' | '['..='^' | '`' | '{'..='~'))
}

/// What must follow an identifier.
fn id_lookahead(c: Option<char>) -> bool {
    c.is_some_and(|c| matches!(c, '=' | '~' | '}' | '/' | '.' | ')' | '|') || is_js_space(c))
}

/// What must follow a literal (`true`, `12`, `null`).
fn literal_lookahead(c: Option<char>) -> bool {
    c.is_some_and(|c| matches!(c, '~' | '}' | ')') || is_js_space(c))
}

struct Lexer<'s> {
    src: &'s str,
    at: usize,
    tokens: Vec<Token>,
}

impl<'s> Lexer<'s> {
    fn rest(&self) -> &'s str {
        &self.src[self.at..]
    }

    fn error(&self, message: impl Into<String>, at: usize) -> SyntaxError {
        let end = self.src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        SyntaxError { message: message.into(), span: Span::new(at, end) }
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        self.tokens.push(Token { tok, span: Span::new(start, end) });
    }

    fn run(mut self) -> Result<Vec<Token>, SyntaxError> {
        while self.at < self.src.len() {
            // The initial state: text up to the next `{{`, with `\{{` escaping it.
            let start = self.at;
            match self.rest().find("{{") {
                None => {
                    let text = self.rest().to_owned();
                    self.at = self.src.len();
                    self.push(Tok::Content(text), start, self.at);
                }
                Some(found) => {
                    let text = &self.src[start..start + found];
                    self.at = start + found;
                    if text.ends_with("\\\\") {
                        // `\\{{`: an escaped backslash, then a real mustache.
                        let kept = &text[..text.len() - 1];
                        self.push(Tok::Content(kept.to_owned()), start, self.at);
                        self.mustache()?;
                    } else if let Some(kept) = text.strip_suffix('\\') {
                        // `\{{`: the mustache is text, up to the next `{{` or `\{{`.
                        if !kept.is_empty() {
                            self.push(Tok::Content(kept.to_owned()), start, self.at - 1);
                        }
                        self.escaped_mustache();
                    } else {
                        if !text.is_empty() {
                            self.push(Tok::Content(text.to_owned()), start, self.at);
                        }
                        self.mustache()?;
                    }
                }
            }
        }
        let end = self.src.len();
        self.push(Tok::Eof, end, end);
        Ok(self.tokens)
    }

    /// Text from an escaped `{{` up to the next `{{`, `\{{` or the end, at least two characters.
    fn escaped_mustache(&mut self) {
        let start = self.at;
        let mut end = self.src.len();
        let mut i = start + 2;
        while i < self.src.len() {
            let rest = &self.src[i..];
            if rest.starts_with("{{") || rest.starts_with("\\{{") || rest.starts_with("\\\\{{") {
                end = i;
                break;
            }
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
        self.at = end;
        self.push(Tok::Content(self.src[start..end].to_owned()), start, end);
    }

    /// One mustache, from its `{{` to its `}}`.
    fn mustache(&mut self) -> Result<(), SyntaxError> {
        let start = self.at;
        let rest = self.rest();
        if rest.starts_with("{{{{") {
            return Err(self.error("raw blocks (`{{{{raw}}}}`) are not supported", start));
        }
        let strip = rest[2..].starts_with('~');
        let after = 2 + usize::from(strip);
        let body = &rest[after..];
        let open = |lexer: &mut Self, kind: OpenKind, len: usize| {
            lexer.at = start + len;
            lexer.push(Tok::Open(kind, rest[..len].to_owned()), start, start + len);
        };
        if body.starts_with('>') || body.starts_with("#>") {
            return Err(self.error("partials (`{{> name}}`) are not supported; share markup with `mj-include`", start));
        }
        if body.starts_with("#*") || body.starts_with('*') {
            return Err(self.error("decorators (`{{* name}}`) are not supported", start));
        }
        if body.starts_with('#') {
            open(self, OpenKind::Block, after + 1);
        } else if body.starts_with('/') {
            open(self, OpenKind::EndBlock, after + 1);
        } else if let Some(len) = standalone_inverse(body) {
            let end = start + after + len;
            self.at = end;
            self.push(Tok::Inverse(self.src[start..end].to_owned()), start, end);
            return Ok(());
        } else if body.starts_with('^') {
            open(self, OpenKind::Inverse, after + 1);
        } else if let Some(len) = else_keyword(body) {
            open(self, OpenKind::InverseChain, after + len);
        } else if body.starts_with('{') {
            open(self, OpenKind::Unescaped, after + 1);
        } else if body.starts_with('&') {
            open(self, OpenKind::Plain, after + 1);
        } else if body.starts_with("!--") {
            // A long comment ends at the first `--}}` (or `--~}}`) after the `!`.
            let from = start + after + 1;
            let end = find_comment_end(&self.src[from..], true)
                .map(|e| from + e)
                .ok_or_else(|| self.error("this comment is never closed with `--}}`", start))?;
            self.at = end;
            self.push(Tok::Comment(self.src[start..end].to_owned()), start, end);
            return Ok(());
        } else if body.starts_with('!') {
            let from = start + after + 1;
            let end = find_comment_end(&self.src[from..], false)
                .map(|e| from + e)
                .ok_or_else(|| self.error("this comment is never closed with `}}`", start))?;
            self.at = end;
            self.push(Tok::Comment(self.src[start..end].to_owned()), start, end);
            return Ok(());
        } else {
            open(self, OpenKind::Plain, after);
        }
        self.inside()
    }

    /// The tokens between an opening `{{` and its `}}`.
    fn inside(&mut self) -> Result<(), SyntaxError> {
        loop {
            let start = self.at;
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return Err(self.error("this mustache is never closed with `}}`", start));
            };
            let next = rest[c.len_utf8()..].chars().next();
            let simple = |lexer: &mut Self, tok: Tok, len: usize| {
                lexer.at = start + len;
                lexer.push(tok, start, start + len);
            };
            if c == '(' {
                simple(self, Tok::OpenSexpr, 1);
            } else if c == ')' {
                simple(self, Tok::CloseSexpr, 1);
            } else if rest.starts_with("{{") {
                return Err(self.error("a mustache opens inside another one; close the first with `}}`", start));
            } else if c == '=' {
                simple(self, Tok::Equals, 1);
            } else if rest.starts_with("..") {
                simple(self, Tok::Id { part: "..".into(), original: "..".into() }, 2);
            } else if c == '.' && id_lookahead(next) {
                simple(self, Tok::Id { part: ".".into(), original: ".".into() }, 1);
            } else if c == '.' || c == '/' {
                simple(self, Tok::Sep(c), 1);
            } else if is_js_space(c) {
                let len = rest.find(|c: char| !is_js_space(c)).unwrap_or(rest.len());
                self.at = start + len;
            } else if let Some(len) = close_tag(rest, true) {
                simple(self, Tok::Close { unescaped: true, raw: rest[..len].to_owned() }, len);
                return Ok(());
            } else if let Some(len) = close_tag(rest, false) {
                simple(self, Tok::Close { unescaped: false, raw: rest[..len].to_owned() }, len);
                return Ok(());
            } else if c == '"' || c == '\'' {
                let (value, len) = string_literal(rest, c)
                    .ok_or_else(|| self.error("this string is never closed with a matching quote", start))?;
                simple(self, Tok::Str(value), len);
            } else if c == '@' {
                simple(self, Tok::Data, 1);
            } else if let Some((tok, len)) = keyword_literal(rest) {
                simple(self, tok, len);
            } else if let Some(len) = number_literal(rest) {
                simple(self, Tok::Number(rest[..len].to_owned()), len);
            } else if let Some(len) = block_params_open(rest) {
                simple(self, Tok::OpenBlockParams, len);
            } else if c == '|' {
                simple(self, Tok::CloseBlockParams, 1);
            } else if is_id_char(c) {
                let len = rest.find(|c: char| !is_id_char(c)).unwrap_or(rest.len());
                if !id_lookahead(rest[len..].chars().next()) {
                    return Err(self.error(
                        format!("unexpected `{}`", &rest[len..].chars().next().map_or(String::new(), String::from)),
                        start + len,
                    ));
                }
                let id = rest[..len].to_owned();
                simple(self, Tok::Id { part: id.clone(), original: id }, len);
            } else if c == '[' {
                let len =
                    bracket_literal(rest).ok_or_else(|| self.error("this `[` is never closed with `]`", start))?;
                let original = rest[..len].to_owned();
                let part = unescape_bracket(&original[1..len - 1]);
                simple(self, Tok::Id { part, original }, len);
            } else {
                return Err(self.error(format!("unexpected `{c}` inside a mustache"), start));
            }
        }
    }
}

/// `^\s*~?}}` or `\s*else\s*~?}}` after `{{` or `{{~`: the length through `}}`.
fn standalone_inverse(body: &str) -> Option<usize> {
    let tail = if let Some(after) = body.strip_prefix('^') {
        after
    } else {
        let trimmed = body.trim_start_matches(is_js_space);
        trimmed.strip_prefix("else")?
    };
    let rest = tail.trim_start_matches(is_js_space);
    let rest2 = rest.strip_prefix('~').unwrap_or(rest);
    rest2.starts_with("}}").then(|| body.len() - rest2.len() + 2)
}

/// `\s*else` after `{{`: its length.
fn else_keyword(body: &str) -> Option<usize> {
    let trimmed = body.trim_start_matches(is_js_space);
    trimmed.starts_with("else").then(|| body.len() - trimmed.len() + 4)
}

/// The end (exclusive) of a comment whose text starts at the `!`'s next character.
fn find_comment_end(text: &str, long: bool) -> Option<usize> {
    if !long {
        return text.find("}}").map(|i| i + 2);
    }
    let mut from = 0;
    while let Some(i) = text[from..].find("--") {
        let at = from + i + 2;
        if text[at..].starts_with("}}") {
            return Some(at + 2);
        }
        if text[at..].starts_with("~}}") {
            return Some(at + 3);
        }
        from += i + 1;
    }
    None
}

/// `}~?}}` (unescaped) or `~?}}`.
fn close_tag(rest: &str, unescaped: bool) -> Option<usize> {
    let mut len = 0;
    let mut s = rest;
    if unescaped {
        s = s.strip_prefix('}')?;
        len += 1;
    }
    if let Some(after) = s.strip_prefix('~') {
        s = after;
        len += 1;
    }
    s.starts_with("}}").then_some(len + 2)
}

/// A quoted string: `"` then `\"` or any other character, then `"`. The value has `\"` unescaped.
fn string_literal(rest: &str, quote: char) -> Option<(String, usize)> {
    let mut chars = rest.char_indices().skip(1).peekable();
    let mut raw_end = None;
    while let Some((i, c)) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|&(_, n)| n == quote) {
            chars.next();
            continue;
        }
        if c == quote {
            raw_end = Some(i);
            break;
        }
    }
    let end = raw_end?;
    let inner = &rest[1..end];
    let escaped = format!("\\{quote}");
    Some((inner.replace(&escaped, &quote.to_string()), end + 1))
}

fn keyword_literal(rest: &str) -> Option<(Tok, usize)> {
    for (word, tok) in
        [("true", Tok::Bool(true)), ("false", Tok::Bool(false)), ("undefined", Tok::Undefined), ("null", Tok::Null)]
    {
        if rest.starts_with(word) && literal_lookahead(rest[word.len()..].chars().next()) {
            return Some((tok, word.len()));
        }
    }
    None
}

/// `-?[0-9]+(\.[0-9]+)?` followed by what may follow a literal.
fn number_literal(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    i += digits;
    if bytes.get(i) == Some(&b'.') {
        let fraction = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if fraction > 0 {
            let end = i + 1 + fraction;
            if literal_lookahead(rest[end..].chars().next()) {
                return Some(end);
            }
        }
    }
    literal_lookahead(rest[i..].chars().next()).then_some(i)
}

/// `as\s+|`.
fn block_params_open(rest: &str) -> Option<usize> {
    let after = rest.strip_prefix("as")?;
    let trimmed = after.trim_start_matches(is_js_space);
    (trimmed.len() < after.len() && trimmed.starts_with('|')).then(|| rest.len() - trimmed.len() + 1)
}

/// `[` then `\]` or any character but `]`, then `]`: the length.
fn bracket_literal(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if rest[i + 1..].starts_with(']') {
                chars.next();
            }
            continue;
        }
        if c == ']' {
            return Some(i + 1);
        }
    }
    None
}

/// `\\` and `\]` inside brackets stand for `\` and `]`.
fn unescape_bracket(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('\\' | ']')) {
            out.push(chars.next().unwrap_or(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// `{{~` and `~}}` of a tag's raw opening and closing text.
fn strip_flags(open: &str, close: &str) -> Strip {
    Strip {
        open: open.as_bytes().get(2) == Some(&b'~'),
        close: close.len() >= 3 && close.as_bytes()[close.len() - 3] == b'~',
    }
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

/// What ended a program: the token that the enclosing rule handles next.
enum End {
    Eof,
    Close,
    Inverse,
    Chain,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)].tok
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        token
    }

    fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError { message: message.into(), span: self.peek().span }
    }

    fn unexpected(&self, wanted: &str) -> SyntaxError {
        let found = match &self.peek().tok {
            Tok::Eof => "the end of the template".to_owned(),
            _ => format!("`{}`", &self.src[self.peek().span.start..self.peek().span.end]),
        };
        self.error_here(format!("expected {wanted}, found {found}"))
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_here(format!("blocks and subexpressions are nested more than {MAX_NESTING} deep")));
        }
        Ok(())
    }

    fn program(&mut self) -> Result<(Program, End), SyntaxError> {
        let mut body = Vec::new();
        loop {
            let token = self.peek().clone();
            match token.tok {
                Tok::Eof => return Ok((Program { body, ..Default::default() }, End::Eof)),
                Tok::Content(text) => {
                    self.bump();
                    body.push(Stmt::Content(Content {
                        original: text.clone(),
                        value: text,
                        span: token.span,
                        left_stripped: false,
                        right_stripped: false,
                    }));
                }
                Tok::Comment(raw) => {
                    self.bump();
                    body.push(Stmt::Comment(Comment {
                        value: strip_comment(&raw),
                        strip: strip_flags(&raw, &raw),
                        span: token.span,
                    }));
                }
                Tok::Inverse(_) => return Ok((Program { body, ..Default::default() }, End::Inverse)),
                Tok::Open(OpenKind::EndBlock, _) => return Ok((Program { body, ..Default::default() }, End::Close)),
                Tok::Open(OpenKind::InverseChain, _) => {
                    return Ok((Program { body, ..Default::default() }, End::Chain));
                }
                Tok::Open(OpenKind::Block, _) => body.push(Stmt::Block(Box::new(self.block(false)?))),
                Tok::Open(OpenKind::Inverse, _) => body.push(Stmt::Block(Box::new(self.block(true)?))),
                Tok::Open(kind @ (OpenKind::Plain | OpenKind::Unescaped), raw) => {
                    self.bump();
                    let call = self.call(false)?;
                    let close = self.close(kind == OpenKind::Unescaped)?;
                    let escape_flag = raw.as_bytes().get(3).or(raw.as_bytes().get(2)).copied();
                    let escaped = escape_flag != Some(b'{') && escape_flag != Some(b'&');
                    body.push(Stmt::Mustache(Mustache {
                        call,
                        escaped,
                        triple: kind == OpenKind::Unescaped,
                        strip: strip_flags(&raw, &close.0),
                        span: Span::new(token.span.start, close.1.end),
                    }));
                }
                _ => return Err(self.unexpected("text or a mustache")),
            }
        }
    }

    /// `}}`, or `}}}` after `{{{`: the raw text and its span.
    fn close(&mut self, unescaped: bool) -> Result<(String, Span), SyntaxError> {
        match &self.peek().tok {
            Tok::Close { unescaped: u, raw } if *u == unescaped => {
                let raw = raw.clone();
                Ok((raw, self.bump().span))
            }
            _ => Err(self.unexpected(if unescaped { "`}}}`" } else { "`}}`" })),
        }
    }

    /// A block from its opening tag (the current token) to its closing tag.
    fn block(&mut self, inverted: bool) -> Result<Block, SyntaxError> {
        self.enter()?;
        let (call, open_strip, span) = self.opening()?;
        let (mut program, end) = self.program()?;
        program.block_params = call.block_params.clone();
        let mut inverse = None;
        let mut inverse_strip = Strip::default();
        let mut else_span = None;
        match end {
            End::Inverse => {
                let (body, strip, at) = self.else_branch(&call, span)?;
                (inverse, inverse_strip, else_span) = (Some(body), strip, Some(at));
            }
            End::Chain if !inverted => {
                let chain_start = self.peek().span;
                else_span = Some(chain_start);
                let (link, strip) = self.chain()?;
                inverse_strip = strip;
                inverse =
                    Some(Program { body: vec![Stmt::Block(Box::new(link))], block_params: Vec::new(), chained: true });
            }
            End::Close => {}
            End::Eof | End::Chain => return Err(self.unclosed(&call, span, end)),
        }
        // The closing tag.
        let end_open = self.bump();
        let Tok::Open(OpenKind::EndBlock, end_raw) = &end_open.tok else {
            return Err(self.unclosed(&call, span, End::Eof));
        };
        let end_raw = end_raw.clone();
        let close_path = self.helper_name()?;
        let (end_close_raw, end_close_span) = self.close(false)?;
        if close_path.original != call.path.original {
            return Err(SyntaxError {
                message: format!("`{}` is closed by `{{{{/{}}}}}`", call.path.original, close_path.original),
                span: Span::new(end_open.span.start, end_close_span.end),
            });
        }
        let close_strip = strip_flags(&end_raw, &end_close_raw);
        // The chain's last link takes the closing tag's strip flags, as handlebars.js does.
        if let Some(Program { body, chained: true, .. }) = &mut inverse
            && let Some(Stmt::Block(link)) = body.first_mut()
        {
            link.close_strip = close_strip;
            link.close_span = Span::new(end_open.span.start, end_close_span.end);
        }
        self.depth -= 1;
        let (program, inverse) = if inverted { (inverse, Some(program)) } else { (Some(program), inverse) };
        Ok(Block {
            call,
            program,
            inverse,
            inverted,
            chain_link: false,
            open_strip,
            inverse_strip,
            close_strip,
            span,
            else_span,
            close_span: Span::new(end_open.span.start, end_close_span.end),
        })
    }

    /// `{{else name …}}` and what follows it, up to (not including) the closing tag of the block
    /// that the chain belongs to. Returns the link and the strip flags of its opening tag.
    fn chain(&mut self) -> Result<(Block, Strip), SyntaxError> {
        self.enter()?;
        let (call, strip, span) = self.opening()?;
        let (mut program, end) = self.program()?;
        program.block_params = call.block_params.clone();
        let mut inverse = None;
        let mut inverse_strip = Strip::default();
        let mut close_strip = Strip::default();
        let mut else_span = None;
        match end {
            End::Inverse => {
                let (body, strip, at) = self.else_branch(&call, span)?;
                (inverse, inverse_strip, else_span) = (Some(body), strip, Some(at));
            }
            End::Chain => {
                else_span = Some(self.peek().span);
                let (mut link, link_strip) = self.chain()?;
                inverse_strip = link_strip;
                // handlebars.js hands a nested link the strip flags of the link after it.
                close_strip = link_strip;
                link.close_strip = link_strip;
                inverse =
                    Some(Program { body: vec![Stmt::Block(Box::new(link))], block_params: Vec::new(), chained: true });
            }
            End::Close => {}
            End::Eof => return Err(self.unclosed(&call, span, end)),
        }
        self.depth -= 1;
        let close_span = self.peek().span;
        Ok((
            Block {
                call,
                program: Some(program),
                inverse,
                inverted: false,
                chain_link: true,
                open_strip: strip,
                inverse_strip,
                close_strip,
                span,
                else_span,
                close_span,
            },
            strip,
        ))
    }

    /// A block's opening tag (`{{#name …}}`, `{{^name}}` or `{{else name …}}`): its call, its strip
    /// flags and its span.
    fn opening(&mut self) -> Result<(Call, Strip, Span), SyntaxError> {
        let open = self.bump();
        let Tok::Open(_, open_raw) = &open.tok else { unreachable!("a block starts with an opening tag") };
        let open_raw = open_raw.clone();
        let call = self.call(true)?;
        let (close_raw, close_span) = self.close(false)?;
        Ok((call, strip_flags(&open_raw, &close_raw), Span::new(open.span.start, close_span.end)))
    }

    /// `{{else}}` and the program after it, up to the closing tag: the program, the strip flags
    /// of the `{{else}}` and its span.
    fn else_branch(&mut self, call: &Call, span: Span) -> Result<(Program, Strip, Span), SyntaxError> {
        let token = self.bump();
        let Tok::Inverse(raw) = &token.tok else { unreachable!("the program ended at an inverse") };
        let strip = strip_flags(raw, raw);
        let (body, end) = self.program()?;
        if !matches!(end, End::Close) {
            return Err(self.unclosed(call, span, end));
        }
        Ok((body, strip, token.span))
    }

    fn unclosed(&self, call: &Call, span: Span, _end: End) -> SyntaxError {
        SyntaxError {
            message: format!(
                "`{}` is opened here but never closed with `{{{{/{}}}}}`",
                call.path.original, call.path.original
            ),
            span,
        }
    }

    /// A helper name, its arguments, hash and (in blocks) block parameters.
    fn call(&mut self, block: bool) -> Result<Call, SyntaxError> {
        let start = self.peek().span.start;
        let path = self.helper_name()?;
        let mut params = Vec::new();
        let mut hash = Vec::new();
        loop {
            if matches!(self.peek().tok, Tok::Id { .. }) && *self.peek_at(1) == Tok::Equals {
                break;
            }
            match self.peek().tok {
                Tok::Close { .. } | Tok::CloseSexpr | Tok::OpenBlockParams | Tok::Eof => break,
                _ => params.push(self.param()?),
            }
        }
        while let Tok::Id { part, .. } = &self.peek().tok {
            let key = part.clone();
            let key_span = self.bump().span;
            if self.peek().tok != Tok::Equals {
                return Err(self.unexpected("`=` after a hash key"));
            }
            self.bump();
            let value = self.param()?;
            let span = Span::new(key_span.start, value.span().end);
            hash.push(HashPair { key, value, span });
        }
        let mut block_params = Vec::new();
        if self.peek().tok == Tok::OpenBlockParams {
            if !block {
                return Err(self.error_here("block parameters (`as |x|`) belong on a block's opening tag"));
            }
            self.bump();
            while let Tok::Id { part, .. } = &self.peek().tok {
                block_params.push(part.clone());
                self.bump();
            }
            if block_params.is_empty() || self.peek().tok != Tok::CloseBlockParams {
                return Err(self.unexpected("block parameter names and a closing `|`"));
            }
            self.bump();
        }
        let end = self.tokens[self.at.saturating_sub(1)].span.end;
        Ok(Call { path, params, hash, block_params, span: Span::new(start, end.max(start)) })
    }

    fn param(&mut self) -> Result<Expr, SyntaxError> {
        if self.peek().tok == Tok::OpenSexpr {
            self.enter()?;
            let open = self.bump();
            let mut call = self.call(false)?;
            if self.peek().tok != Tok::CloseSexpr {
                return Err(self.unexpected("`)`"));
            }
            let close = self.bump();
            call.span = Span::new(open.span.start, close.span.end);
            self.depth -= 1;
            return Ok(Expr::Sub(Box::new(call)));
        }
        let token = self.peek().clone();
        let literal = match &token.tok {
            Tok::Str(s) => Some(Expr::Str(s.clone(), token.span)),
            Tok::Number(n) => Some(Expr::Number(n.parse().unwrap_or(f64::NAN), token.span)),
            Tok::Bool(b) => Some(Expr::Bool(*b, token.span)),
            Tok::Undefined => Some(Expr::Undefined(token.span)),
            Tok::Null => Some(Expr::Null(token.span)),
            _ => None,
        };
        if let Some(literal) = literal {
            self.bump();
            return Ok(literal);
        }
        Ok(Expr::Path(self.path()?))
    }

    /// A helper position: a path, or a literal read as a one-segment path.
    fn helper_name(&mut self) -> Result<Path, SyntaxError> {
        let token = self.peek().clone();
        let literal = match &token.tok {
            Tok::Str(s) => Some(s.clone()),
            Tok::Number(n) => Some(crate::fill::value::js_number(n.parse().unwrap_or(f64::NAN))),
            Tok::Bool(b) => Some(b.to_string()),
            Tok::Undefined => Some("undefined".to_owned()),
            Tok::Null => Some("null".to_owned()),
            _ => None,
        };
        if let Some(name) = literal {
            self.bump();
            return Ok(Path {
                data: false,
                depth: 0,
                parts: vec![name.clone()],
                scoped: is_scoped(&name),
                original: name,
                literal_segments: false,
                span: token.span,
            });
        }
        self.path()
    }

    /// `@`? segment (`/` or `.` segment)*.
    fn path(&mut self) -> Result<Path, SyntaxError> {
        let start = self.peek().span.start;
        let data = self.peek().tok == Tok::Data;
        if data {
            self.bump();
        }
        let mut segments: Vec<(String, String, Option<char>)> = Vec::new();
        let mut separator = None;
        loop {
            match &self.peek().tok {
                Tok::Id { part, original } => {
                    segments.push((part.clone(), original.clone(), separator));
                    self.bump();
                }
                _ => {
                    return Err(self.unexpected(if segments.is_empty() {
                        "a name"
                    } else {
                        "a name after the separator"
                    }));
                }
            }
            match self.peek().tok {
                Tok::Sep(c) => {
                    separator = Some(c);
                    self.bump();
                }
                _ => break,
            }
        }
        let end = self.tokens[self.at - 1].span.end;
        let span = Span::new(start, end);
        let mut original = if data { "@".to_owned() } else { String::new() };
        let mut parts = Vec::new();
        let mut depth = 0;
        let mut literal_segments = false;
        for (part, raw, separator) in segments {
            let literal = raw != part;
            literal_segments |= literal;
            if let Some(separator) = separator {
                original.push(separator);
            }
            original.push_str(&part);
            if !literal && (part == ".." || part == "." || part == "this") {
                if !parts.is_empty() {
                    return Err(SyntaxError { message: format!("invalid path `{original}`"), span });
                }
                if part == ".." {
                    depth += 1;
                }
            } else {
                parts.push(part);
            }
        }
        Ok(Path { data, depth, parts, scoped: is_scoped(&original), original, literal_segments, span })
    }
}

/// handlebars.js's `/^\.|this\b/`.
fn is_scoped(original: &str) -> bool {
    if original.starts_with('.') {
        return true;
    }
    original
        .match_indices("this")
        .any(|(i, _)| !original[i + 4..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// The text of a comment without its `{{!`, `{{!--`, `--}}` and `~`.
fn strip_comment(raw: &str) -> String {
    let mut s = raw.strip_prefix("{{").unwrap_or(raw);
    s = s.strip_prefix('~').unwrap_or(s);
    s = s.strip_prefix('!').unwrap_or(s);
    s = s.strip_prefix('-').unwrap_or(s);
    s = s.strip_prefix('-').unwrap_or(s);
    s = s.strip_suffix("}}").unwrap_or(s);
    s = s.strip_suffix('~').unwrap_or(s);
    s = s.strip_suffix('-').unwrap_or(s);
    s = s.strip_suffix('-').unwrap_or(s);
    s.to_owned()
}

/// Parses a template and applies handlebars.js's whitespace control.
pub fn parse(src: &str) -> Result<Program, SyntaxError> {
    let tokens = Lexer { src, at: 0, tokens: Vec::new() }.run()?;
    let mut parser = Parser { src, tokens, at: 0, depth: 0 };
    let (mut program, end) = parser.program()?;
    match end {
        End::Eof => {}
        End::Close => {
            let token = parser.peek().clone();
            return Err(SyntaxError {
                message: "this closing tag has no block to close".to_owned(),
                span: Span::new(token.span.start, token.span.end + 2),
            });
        }
        End::Inverse | End::Chain => {
            return Err(parser.error_here("`{{else}}` outside a block"));
        }
    }
    WhitespaceControl { root_seen: false }.program(&mut program);
    Ok(program)
}

// ---------------------------------------------------------------------------------------------
// Whitespace control and standalone lines, as handlebars.js's `WhitespaceControl` visitor.

/// What a statement tells the program around it about stripping.
#[derive(Default)]
struct StripInfo {
    open: bool,
    close: bool,
    open_standalone: bool,
    close_standalone: bool,
    inline_standalone: bool,
}

struct WhitespaceControl {
    root_seen: bool,
}

fn content(stmt: Option<&Stmt>) -> Option<&Content> {
    match stmt {
        Some(Stmt::Content(c)) => Some(c),
        _ => None,
    }
}

fn content_mut(stmt: Option<&mut Stmt>) -> Option<&mut Content> {
    match stmt {
        Some(Stmt::Content(c)) => Some(c),
        _ => None,
    }
}

/// The trailing run of whitespace of `text` holds a line break.
fn ends_with_line_break(text: &str) -> bool {
    let trimmed = text.trim_end_matches(is_js_space);
    text[trimmed.len()..].contains('\n')
}

fn starts_with_line_break(text: &str) -> bool {
    let trimmed = text.trim_start_matches(is_js_space);
    text[..text.len() - trimmed.len()].contains('\n')
}

fn is_prev_whitespace(body: &[Stmt], i: Option<usize>, is_root: bool) -> bool {
    let i = i.unwrap_or(body.len());
    let Some(prev) = i.checked_sub(1).and_then(|p| body.get(p)) else { return is_root };
    let sibling = i.checked_sub(2).and_then(|p| body.get(p));
    let Some(prev) = content(Some(prev)) else { return false };
    if sibling.is_some() || !is_root {
        ends_with_line_break(&prev.original)
    } else {
        ends_with_line_break(&prev.original) || prev.original.chars().all(is_js_space)
    }
}

fn is_next_whitespace(body: &[Stmt], i: Option<usize>, is_root: bool) -> bool {
    let next_index = i.map_or(0, |i| i + 1);
    let Some(next) = body.get(next_index) else { return is_root };
    let sibling = body.get(next_index + 1);
    let Some(next) = content(Some(next)) else { return false };
    if sibling.is_some() || !is_root {
        starts_with_line_break(&next.original)
    } else {
        starts_with_line_break(&next.original) || next.original.chars().all(is_js_space)
    }
}

/// Strips the start of the content after position `i` (or the first statement).
fn omit_right(body: &mut [Stmt], i: Option<usize>, multiple: bool) {
    let index = i.map_or(0, |i| i + 1);
    let Some(current) = content_mut(body.get_mut(index)) else { return };
    if !multiple && current.right_stripped {
        return;
    }
    let original_len = current.value.len();
    if multiple {
        current.value = current.value.trim_start_matches(is_js_space).to_owned();
    } else {
        let mut s = current.value.trim_start_matches([' ', '\t']);
        s = s.strip_prefix('\r').filter(|r| r.starts_with('\n')).unwrap_or(s);
        s = s.strip_prefix('\n').unwrap_or(s);
        current.value = s.to_owned();
    }
    current.right_stripped = current.value.len() != original_len;
}

/// Strips the end of the content before position `i` (or the last statement).
fn omit_left(body: &mut [Stmt], i: Option<usize>, multiple: bool) -> bool {
    let index = match i {
        None => body.len().checked_sub(1),
        Some(i) => i.checked_sub(1),
    };
    let Some(current) = index.and_then(|index| content_mut(body.get_mut(index))) else { return false };
    if !multiple && current.left_stripped {
        return false;
    }
    let original_len = current.value.len();
    current.value = if multiple {
        current.value.trim_end_matches(is_js_space).to_owned()
    } else {
        current.value.trim_end_matches([' ', '\t']).to_owned()
    };
    current.left_stripped = current.value.len() != original_len;
    current.left_stripped
}

impl WhitespaceControl {
    fn program(&mut self, program: &mut Program) {
        let is_root = !self.root_seen;
        self.root_seen = true;
        let body = &mut program.body;
        for i in 0..body.len() {
            let Some(strip) = self.accept(&mut body[i]) else { continue };
            let prev_ws = is_prev_whitespace(body, Some(i), is_root);
            let next_ws = is_next_whitespace(body, Some(i), is_root);
            let open_standalone = strip.open_standalone && prev_ws;
            let close_standalone = strip.close_standalone && next_ws;
            let inline_standalone = strip.inline_standalone && prev_ws && next_ws;
            if strip.close {
                omit_right(body, Some(i), true);
            }
            if strip.open {
                omit_left(body, Some(i), true);
            }
            if inline_standalone {
                omit_right(body, Some(i), false);
                omit_left(body, Some(i), false);
            }
            if open_standalone {
                if let Stmt::Block(block) = &mut body[i]
                    && let Some(inner) = block.program.as_mut().or(block.inverse.as_mut())
                {
                    omit_right(&mut inner.body, None, false);
                }
                omit_left(body, Some(i), false);
            }
            if close_standalone {
                omit_right(body, Some(i), false);
                if let Stmt::Block(block) = &mut body[i]
                    && let Some(inner) = block.inverse.as_mut().or(block.program.as_mut())
                {
                    omit_left(&mut inner.body, None, false);
                }
            }
        }
    }

    fn accept(&mut self, stmt: &mut Stmt) -> Option<StripInfo> {
        match stmt {
            Stmt::Content(_) => None,
            Stmt::Mustache(m) => Some(StripInfo { open: m.strip.open, close: m.strip.close, ..Default::default() }),
            Stmt::Comment(c) => Some(StripInfo {
                open: c.strip.open,
                close: c.strip.close,
                inline_standalone: true,
                ..Default::default()
            }),
            Stmt::Block(block) => Some(self.block(block)),
        }
    }

    fn block(&mut self, block: &mut Block) -> StripInfo {
        if let Some(program) = block.program.as_mut() {
            self.program(program);
        }
        if let Some(inverse) = block.inverse.as_mut() {
            self.program(inverse);
        }
        let has_both = block.program.is_some() && block.inverse.is_some();
        let open_strip = block.open_strip;
        let inverse_strip = block.inverse_strip;
        let close_strip = block.close_strip;

        // The first and last programs of an else-if chain.
        let (open_standalone, close_standalone) = {
            let program = block.program.as_ref().or(block.inverse.as_ref()).map_or(&[][..], |p| &p.body[..]);
            let first_inverse = if has_both { block.inverse.as_ref().map(first_inverse) } else { None };
            let close_body = first_inverse.map_or(program, |p| &p.body[..]);
            (is_next_whitespace(program, None, false), is_prev_whitespace(close_body, None, false))
        };
        let strip = StripInfo {
            open: open_strip.open,
            close: close_strip.close,
            open_standalone,
            close_standalone,
            inline_standalone: false,
        };
        if open_strip.close
            && let Some(program) = block.program.as_mut().or(block.inverse.as_mut())
        {
            omit_right(&mut program.body, None, true);
        }
        if has_both {
            let (Some(program), Some(inverse)) = (block.program.as_mut(), block.inverse.as_mut()) else {
                return strip;
            };
            if inverse_strip.open {
                omit_left(&mut program.body, None, true);
            }
            if inverse_strip.close {
                omit_right(&mut first_inverse_mut(inverse).body, None, true);
            }
            if close_strip.open {
                // handlebars.js's "last inverse" walk stops at the first link's program, since a
                // program is never itself chained.
                omit_left(&mut first_inverse_mut(inverse).body, None, true);
            }
            // A standalone `{{else}}`.
            if is_prev_whitespace(&program.body, None, false)
                && is_next_whitespace(&first_inverse(inverse).body, None, false)
            {
                omit_left(&mut program.body, None, false);
                omit_right(&mut first_inverse_mut(inverse).body, None, false);
            }
        } else if close_strip.open
            && let Some(program) = block.program.as_mut().or(block.inverse.as_mut())
        {
            omit_left(&mut program.body, None, true);
        }
        strip
    }
}

/// For a chained inverse, the program of its first link; otherwise the inverse itself.
fn first_inverse(inverse: &Program) -> &Program {
    if inverse.chained
        && let Some(Stmt::Block(link)) = inverse.body.first()
        && let Some(program) = &link.program
    {
        return program;
    }
    inverse
}

fn first_inverse_mut(inverse: &mut Program) -> &mut Program {
    let is_chain = inverse.chained && matches!(inverse.body.first(), Some(Stmt::Block(link)) if link.program.is_some());
    if !is_chain {
        return inverse;
    }
    match inverse.body.first_mut() {
        Some(Stmt::Block(link)) => link.program.as_mut().expect("checked above"),
        _ => unreachable!("checked above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(program: &Program) -> String {
        program
            .body
            .iter()
            .map(|s| match s {
                Stmt::Content(c) => c.value.clone(),
                Stmt::Mustache(m) => format!("<{}>", m.call.path.original),
                Stmt::Block(b) => format!("[{}]", b.call.path.original),
                Stmt::Comment(_) => String::new(),
            })
            .collect()
    }

    #[test]
    fn paths_literals_and_positions() {
        let program = parse("a {{../x.[b c].d}} {{@root.y}} {{h \"s\" 1 true k=v}}").unwrap();
        let Stmt::Mustache(m) = &program.body[1] else { panic!() };
        assert_eq!(m.call.path.depth, 1);
        assert_eq!(m.call.path.parts, ["x", "b c", "d"]);
        assert_eq!(m.span, Span::new(2, 18));
        let Stmt::Mustache(m) = &program.body[3] else { panic!() };
        assert!(m.call.path.data);
        let Stmt::Mustache(m) = &program.body[5] else { panic!() };
        assert_eq!(m.call.params.len(), 3);
        assert_eq!(m.call.hash[0].key, "k");
    }

    #[test]
    fn standalone_block_lines_vanish() {
        let program = parse("a\n{{#x}}\nb\n{{/x}}\nc").unwrap();
        assert_eq!(text(&program), "a\n[x]c");
        let Stmt::Block(block) = &program.body[1] else { panic!() };
        assert_eq!(text(block.program.as_ref().unwrap()), "b\n");
    }

    #[test]
    fn errors_have_positions() {
        let error = parse("ab {{#if x}}y").unwrap_err();
        assert_eq!(error.span.start, 3);
        let error = parse("{{#a}}{{/b}}").unwrap_err();
        assert!(error.message.contains("closed by"), "{}", error.message);
        assert!(parse("{{> p}}").unwrap_err().message.contains("partials"));
        let deep = "{{#a}}".repeat(65) + &"{{/a}}".repeat(65);
        assert!(parse(&("{{#a}}".repeat(64) + &"{{/a}}".repeat(64))).is_ok());
        let data = serde_json::json!({"a": {"a": {"a": true}}});
        let deepest = crate::fill::fill_str(
            &("{{#a}}".repeat(64) + "x" + &"{{/a}}".repeat(64)),
            &data,
            &Default::default(),
            crate::fill::Part::Html,
        );
        assert_eq!(deepest.unwrap(), "x");
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }
}
