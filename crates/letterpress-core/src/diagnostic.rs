//! Diagnostics: problems in a user's project, each with a file, a line and a column.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is. Errors stop a template from rendering correctly; warnings don't;
/// infos are worth knowing (which mail clients lack a feature) and never fail a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// Declares an enum of stable kebab-case names (its variants, each with its name, in one place):
/// `ALL`, `as_str`, `parse`, serialisation as the name and, under `ts`, the same names in
/// TypeScript. [`Code`] and [`crate::ErrorCode`] are declared with it.
macro_rules! codes {
    ($(#[doc = $enum_doc:literal])* $name_ty:ident { $($(#[doc = $doc:literal])* $variant:ident = $name:literal,)* }) => {
        $(#[doc = $enum_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name_ty {
            $($(#[doc = $doc])* #[cfg_attr(feature = "ts", ts(rename = $name))] $variant,)*
        }

        impl $name_ty {
            /// Every code, in declaration order.
            pub const ALL: &[$name_ty] = &[$($name_ty::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name_ty::$variant => $name,)*
                }
            }

            /// The code with this name, if there is one.
            pub fn parse(name: &str) -> Option<$name_ty> {
                match name {
                    $($name => Some($name_ty::$variant),)*
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name_ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name_ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// A stable, machine-readable name for each kind of problem. Front ends branch on this,
    /// never on the message text.
    Code {
        /// A file could not be read.
        Io = "io",
        /// `letterpress.toml` is not valid.
        Config = "config",
        /// A template or data set name breaks the naming rules.
        InvalidName = "invalid-name",
        /// Two templates or data sets end up with the same name.
        DuplicateName = "duplicate-name",
        /// A file a template needs is absent.
        MissingFile = "missing-file",
        /// The MJML could not be parsed.
        MjmlSyntax = "mjml-syntax",
        /// The MJML parsed, but something in it is ignored or suspicious.
        MjmlWarning = "mjml-warning",
        /// An element, attribute or value that MJML does not allow where it is.
        MjmlInvalid = "mjml-invalid",
        /// An `mj-include` points at a file that does not exist.
        IncludeNotFound = "include-not-found",
        /// An `mj-include` points outside the root folder.
        IncludeOutsideRoot = "include-outside-root",
        /// Files include each other in a loop.
        IncludeCycle = "include-cycle",
        /// Includes are nested deeper than allowed.
        IncludeTooDeep = "include-too-deep",
        /// Elements are nested deeper than allowed.
        NestingTooDeep = "nesting-too-deep",
        /// The input is larger than the compiler accepts.
        TooLarge = "too-large",
        /// The MJML compiler failed internally on this input.
        CompilerFailure = "compiler-failure",
        /// A Handlebars expression is malformed.
        HandlebarsSyntax = "handlebars-syntax",
        /// Filling the template with data failed.
        RenderFailure = "render-failure",
        /// A data set is not valid JSON.
        JsonSyntax = "json-syntax",
        /// A data set is valid JSON but not an object.
        DataNotObject = "data-not-object",
        /// The template uses a variable that the data set lacks.
        MissingVariable = "missing-variable",
        /// The data set holds a key that the template never uses.
        UnusedData = "unused-data",
        /// An image has no alt text.
        ImageAlt = "image-alt",
        /// A URL is plain HTTP.
        InsecureUrl = "insecure-url",
        /// A link goes nowhere (`href=""` or `href="#"`).
        EmptyLink = "empty-link",
        /// The document declares no language.
        MissingLang = "missing-lang",
        /// The document has no title.
        MissingTitle = "missing-title",
        /// The final HTML is large enough for Gmail to clip it.
        MessageSize = "message-size",
        /// A construct or helper that the project's production engine lacks.
        DialectUnsupported = "dialect-unsupported",
        /// A construct the project's email provider does not document.
        DialectUndocumented = "dialect-undocumented",
        /// A value the provider writes into the HTML without escaping it.
        UnescapedValue = "unescaped-value",
        /// A template beyond a provider's documented limits (size, subject, name).
        ProviderLimit = "provider-limit",
        /// An export refers to a local image that no base URL publishes, so recipients cannot load it.
        LocalImage = "local-image",
        /// A local image that a template refers to does not exist or cannot be read.
        ImageNotFound = "image-not-found",
        /// A local image reference leads outside the project folder.
        ImageOutsideProject = "image-outside-project",
        /// A file of the project is a symbolic link to a file outside the project folder.
        FileOutsideProject = "file-outside-project",
        /// A file is not valid UTF-8.
        InvalidUtf8 = "invalid-utf8",
        /// HTML or CSS that popular mail clients do not support (from caniemail).
        ClientSupport = "client-support",
        /// The document declares no text direction.
        MissingDir = "missing-dir",
        /// A layout table is not marked `role="presentation"`, so screen readers announce it as data.
        LayoutTable = "layout-table",
        /// Headings skip a level or do not start at the top level.
        HeadingOrder = "heading-order",
        /// Link text that does not say where the link goes ("click here", a bare URL).
        LinkText = "link-text",
        /// Text whose contrast with its background is below WCAG 2.2 AA.
        Contrast = "contrast",
        /// A link to a `javascript:` URL, which mail clients strip or block.
        JavascriptLink = "javascript-link",
        /// A `mailto:` or `tel:` link that is not well formed.
        MalformedLink = "malformed-link",
        /// A link that stays empty or keeps a placeholder once filled with a data set.
        LinkPlaceholder = "link-placeholder",
        /// A link that does not answer (only with `check --online`).
        BrokenLink = "broken-link",
        /// An image without a width, which some clients show at its natural size.
        ImageWidth = "image-width",
        /// The local images of a template weigh more than the budget.
        ImageWeight = "image-weight",
    }
}

/// A one-based line and column. Columns count Unicode scalar values, not bytes. Line 0 means the
/// problem concerns the file as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const WHOLE_FILE: Position = Position { line: 0, column: 0 };

    pub fn new(line: u32, column: u32) -> Self {
        Position { line, column }
    }
}

/// One problem found in a project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path of the file relative to the project root, with `/` separators.
    pub file: String,
    pub start: Position,
    pub end: Position,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            start: Position::WHOLE_FILE,
            end: Position::WHOLE_FILE,
            message: message.into(),
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, message) }
    }

    /// Places the diagnostic at a position; the end is the same point.
    pub fn at(mut self, position: Position) -> Self {
        self.start = position;
        self.end = position;
        self
    }

    /// Places the diagnostic over a range.
    pub fn span(mut self, start: Position, end: Position) -> Self {
        self.start = start;
        self.end = end;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// Formats like compilers do, `file:line:column: severity[code]: message`, so editors and
    /// terminals can turn it into a link.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start.line == 0 {
            write!(f, "{}: {}[{}]: {}", self.file, self.severity, self.code.as_str(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}[{}]: {}",
                self.file,
                self.start.line,
                self.start.column,
                self.severity,
                self.code.as_str(),
                self.message
            )
        }
    }
}

/// Sorts diagnostics by file, then position, then message, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics
        .sort_by(|a, b| (&a.file, a.start, a.severity, &a.message).cmp(&(&b.file, b.start, b.severity, &b.message)));
}

/// Turns byte offsets of one text into lines and columns.
///
/// A column counts characters from the start of its line. Counting them afresh for every lookup
/// made reporting a diagnostic cost the length of its line, and a document written on one line
/// with a problem per attribute took time quadratic in its size; so the index also keeps how
/// many characters precede every block of [`BLOCK`](Self::BLOCK) bytes, and a lookup counts at
/// most one block.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
    /// How many characters start before byte `i * BLOCK`, for every block of the text; empty for
    /// a text in ASCII, where characters are bytes.
    block_chars: Vec<usize>,
    ascii: bool,
}

impl LineIndex {
    /// The bytes between two character-count checkpoints.
    const BLOCK: usize = 1024;

    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let ascii = text.is_ascii();
        let mut block_chars = Vec::new();
        if !ascii {
            block_chars.reserve(text.len() / Self::BLOCK + 1);
            let mut chars = 0;
            for block in text.as_bytes().chunks(Self::BLOCK) {
                block_chars.push(chars);
                chars += count_chars(block);
            }
        }
        LineIndex { line_starts, block_chars, ascii }
    }

    /// How many characters start before byte `offset` of `text`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.ascii {
            return offset;
        }
        let block = offset / Self::BLOCK;
        let from = block * Self::BLOCK;
        self.block_chars.get(block).copied().unwrap_or(0) + count_chars(&text.as_bytes()[from..offset])
    }

    /// The position of a byte offset in `text`, which must be the text this index was built from.
    /// Offsets past the end, or inside a multi-byte character, are clamped rather than rejected,
    /// because they come from other libraries whose arithmetic we do not control.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.chars_before(text, offset) - self.chars_before(text, self.line_starts[line]);
        Position::new(line as u32 + 1, column as u32 + 1)
    }

    /// The byte offset of a one-based line and column, clamped to the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = (position.line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let start = self.line_starts[line];
        let end = self.line_starts.get(line + 1).copied().unwrap_or(text.len());
        let column = position.column.max(1) as usize - 1;
        text[start..end].char_indices().nth(column).map_or(end, |(i, _)| start + i)
    }
}

/// The number of characters starting in `bytes`: every byte except UTF-8 continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_distinct_kebab_case_and_serialized_as_such() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert_eq!(serde_json::to_string(&Code::LinkPlaceholder).unwrap(), "\"link-placeholder\"");
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\nçé<x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position::new(1, 1));
        assert_eq!(index.position(text, 3), Position::new(2, 1));
        let lt = text.find('<').unwrap();
        assert_eq!(index.position(text, lt), Position::new(2, 3));
        assert_eq!(index.offset(text, Position::new(2, 3)), lt);
        // Inside a multi-byte character: clamped back to its start.
        assert_eq!(index.position(text, 4), Position::new(2, 1));
        assert_eq!(index.position(text, 999), Position::new(3, 1));
    }

    #[test]
    fn long_lines_count_characters_across_blocks() {
        let text = format!("x\n{}<{}>", "é".repeat(3000), "a".repeat(5000));
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(97) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() as u32 + 1;
            let column = text[line_start..offset].chars().count() as u32 + 1;
            assert_eq!(index.position(&text, offset), Position::new(line, column), "{offset}");
        }
    }
}
