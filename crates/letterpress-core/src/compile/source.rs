//! Source files as the compiler sees them: read through a [`Reader`], line endings normalised, with
//! a map from the expanded document back to the files it came from.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{LineIndex, Position};

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
        let bytes = std::fs::read(path)?;
        String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not valid UTF-8"))
    }
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
    pub index: LineIndex,
}

impl SourceFile {
    pub fn new(display: String, path: PathBuf, raw: &str) -> Self {
        let text = normalize_line_endings(raw);
        let index = LineIndex::new(&text);
        SourceFile { display, path, text, index }
    }

    pub fn position(&self, offset: usize) -> Position {
        self.index.position(&self.text, offset)
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
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
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
