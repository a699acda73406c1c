//! Source files as the compiler sees them: read through a [`Reader`], line endings normalised, with
//! a map from the expanded document back to the files it came from.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, LineIndex, Position};
use crate::local::{self, ConfineError};

/// Reads files for the compiler. The file system is one implementation; the desktop app layers
/// unsaved editor buffers over it, so previews show what is being typed.
pub trait Reader: Send + Sync {
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
}

/// Reads straight from disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct DiskReader;

impl Reader for DiskReader {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        decode(std::fs::read(path)?)
    }
}

/// Unsaved editor buffers layered over the disk: a file with a buffer reads as the buffer, every
/// other file from disk. A front end makes one per call and passes it to
/// [`Pipeline::render_with`](crate::Pipeline::render_with), so no other call ever sees it. The
/// paths must already be confined to the project ([`crate::edit::overlay`] does both).
#[derive(Default, Clone)]
pub struct Overlay {
    buffers: HashMap<PathBuf, String>,
}

impl Overlay {
    pub fn new(buffers: HashMap<PathBuf, String>) -> Self {
        Overlay { buffers }
    }
}

impl Reader for Overlay {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        match self.buffers.get(path) {
            Some(text) => Ok(text.clone()),
            None => DiskReader.read_to_string(path),
        }
    }
}

/// A file that is not valid UTF-8, with the position of its first invalid byte. It travels
/// inside an [`io::Error`] of kind `InvalidData`, so that every [`Reader`] can report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file is not valid UTF-8: the first invalid byte is at line {}, column {}", position.line, position.column)]
pub struct InvalidUtf8 {
    pub position: Position,
}

/// The bytes of a file as text, or an error saying where the first byte that is not UTF-8 is.
/// Files are never decoded lossily: a subject or data set with replacement characters in it
/// would silently differ from what its author wrote.
pub fn decode(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        // The bytes before the first invalid one are valid UTF-8, so they can be counted in
        // characters like every other position.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let line = valid.matches('\n').count() + 1;
        let column = valid[line_start..].chars().count() + 1;
        let position = Position::new(line as u32, column as u32);
        io::Error::new(io::ErrorKind::InvalidData, InvalidUtf8 { position })
    })
}

/// Why a file of a project could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file does not exist")]
    NotFound,
    #[error("the file is a symbolic link to outside the project folder")]
    Outside,
    #[error(transparent)]
    InvalidUtf8(InvalidUtf8),
    #[error(transparent)]
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::NotFound {
            return ReadError::NotFound;
        }
        match error.get_ref().and_then(|inner| inner.downcast_ref::<InvalidUtf8>()) {
            Some(invalid) => ReadError::InvalidUtf8(*invalid),
            None => ReadError::Io(error),
        }
    }
}

impl ReadError {
    /// The diagnostic for this failure to read the file shown as `display`, placed at the first
    /// invalid byte for a file that is not UTF-8, and at its start otherwise.
    pub fn diagnostic(&self, display: &str) -> Diagnostic {
        let start = Position::new(1, 1);
        match self {
            ReadError::NotFound => {
                Diagnostic::error(Code::Io, display, format!("cannot read `{display}`: the file does not exist"))
            }
            ReadError::Outside => Diagnostic::error(
                Code::FileOutsideProject,
                display,
                format!("`{display}` is a symbolic link to outside the project folder and was not read"),
            )
            .at(start),
            ReadError::InvalidUtf8(invalid) => Diagnostic::error(
                Code::InvalidUtf8,
                display,
                format!(
                    "`{display}` is not valid UTF-8: the first invalid byte is at line {}, column {}; save it as UTF-8",
                    invalid.position.line, invalid.position.column
                ),
            )
            .at(invalid.position),
            ReadError::Io(error) => Diagnostic::error(Code::Io, display, format!("cannot read `{display}`: {error}")),
        }
    }
}

/// Reads `path` through `reader` if it really lies inside `root`, which must be canonical: the
/// read every file of a project goes through, so that a link to a file elsewhere is never read.
pub fn read_confined(reader: &dyn Reader, root: &Path, path: &Path) -> Result<String, ReadError> {
    match local::confine_path(root, path) {
        Ok(_) => {}
        Err(ConfineError::NotFound) => return Err(ReadError::NotFound),
        Err(ConfineError::Outside) => return Err(ReadError::Outside),
        Err(ConfineError::Io(error)) => return Err(ReadError::from(error)),
    }
    // The path is read as given rather than as resolved, so that a reader layering unsaved
    // buffers over the disk finds them under the names it knows.
    reader.read_to_string(path).map_err(ReadError::from)
}

/// One file taking part in a compilation.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to the user: relative to the root, with `/` separators.
    pub display: String,
    /// The path on disk.
    pub path: PathBuf,
    /// The text with line endings normalised to `\n`.
    pub text: String,
    /// Built the first time a position is asked for: most documents compile without one.
    index: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(display: String, path: PathBuf, raw: &str) -> Self {
        let text = normalize_line_endings(raw);
        SourceFile { display, path, text, index: std::sync::OnceLock::new() }
    }

    pub fn position(&self, offset: usize) -> Position {
        self.index.get_or_init(|| LineIndex::new(&self.text)).position(&self.text, offset)
    }
}

/// Turns CRLF and lone CR into LF, and drops a leading byte-order mark.
///
/// mrml 6.0.1 fails to parse files with CRLF line endings, which editors on Windows write. Lines
/// and columns stay the same after this, because only the character ending each line changes.
pub fn normalize_line_endings(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(cr) = rest.find('\r') {
        out.push_str(&rest[..cr]);
        out.push('\n');
        rest = &rest[cr + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

/// A run of the expanded document copied verbatim from one file.
#[derive(Debug, Clone, Copy)]
struct Segment {
    out: usize,
    file: usize,
    src: usize,
    len: usize,
}

/// Maps offsets in the expanded document back to `(file, offset)` in the source files.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// Records that `len` bytes at `out` came from `file` at `src`.
    pub fn push(&mut self, out: usize, file: usize, src: usize, len: usize) {
        if len > 0 {
            self.segments.push(Segment { out, file, src, len });
        }
    }

    /// Shifts every segment at or after `at` by `by` bytes, after text was inserted there.
    pub fn shift_from(&mut self, at: usize, by: usize) {
        for segment in &mut self.segments {
            if segment.out >= at {
                segment.out += by;
            }
        }
    }

    /// Adds every segment of `other`, whose offsets must already be in this map's coordinates.
    pub fn append(&mut self, other: SourceMap) {
        self.segments.extend(other.segments);
    }

    pub fn sort(&mut self) {
        self.segments.sort_by_key(|s| s.out);
    }

    /// The file and offset an expanded offset came from. Text the compiler synthesised (wrappers
    /// around included files) maps to the end of the closest copied run before it.
    pub fn lookup(&self, offset: usize) -> Option<(usize, usize)> {
        let i = self.segments.partition_point(|s| s.out <= offset);
        if i == 0 {
            return self.segments.first().map(|s| (s.file, s.src));
        }
        let s = self.segments[i - 1];
        Some((s.file, s.src + (offset - s.out).min(s.len)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf_and_bom_is_dropped() {
        assert_eq!(normalize_line_endings("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize_line_endings("plain"), "plain");
    }

    #[test]
    fn invalid_utf8_is_placed_at_its_first_byte() {
        let error = decode(b"ok\nab\xc3\xa9c\xff rest".to_vec()).unwrap_err();
        let ReadError::InvalidUtf8(invalid) = ReadError::from(error) else { panic!("not an encoding error") };
        assert_eq!(invalid.position, Position::new(2, 5));
        assert_eq!(decode(b"fine".to_vec()).unwrap(), "fine");
    }

    #[test]
    fn lookup_maps_back_into_segments() {
        let mut map = SourceMap::default();
        map.push(0, 0, 0, 10);
        map.push(10, 1, 5, 4);
        map.push(20, 0, 10, 5);
        map.sort();
        assert_eq!(map.lookup(3), Some((0, 3)));
        assert_eq!(map.lookup(12), Some((1, 7)));
        // Synthesised text between 14 and 20 maps to the end of the run before it.
        assert_eq!(map.lookup(16), Some((1, 9)));
        assert_eq!(map.lookup(21), Some((0, 11)));
    }
}
