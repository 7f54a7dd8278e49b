//! Source files and byte spans, shared by every stage so that any error or finding can point back
//! at the exact text of a rule file.

use std::sync::Arc;

/// One loaded rule file: its display name (relative path) and its full text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourceFile {
    /// The path as found, for diagnostics a person opens.
    pub name: String,
    /// `<policy folder>/<version folder>/<file>`: the same whatever path `--policy` was given,
    /// so a decision record's `source` (and its bytes) do not depend on where it was run.
    pub label: String,
    pub text: Arc<str>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        // An offset inside a character counts from that character's start.
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = count_newlines(before.as_bytes()) + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

/// Line breaks counted eight bytes at a time: the loader asks for the line of every rule's
/// `source`, each time from the start of its file.
fn count_newlines(bytes: &[u8]) -> usize {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0usize;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w) ^ NL;
        // The high bit set exactly in the bytes of `x` that are zero (the line breaks).
        let zero = !(((x & LO7).wrapping_add(LO7)) | x | LO7);
        n += zero.count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// A byte range in one of the loaded files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: u32, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A value with the span it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// All files of one policy, indexed by `Span::file`.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn file(&self, span: Span) -> Option<&SourceFile> {
        self.files.get(span.file as usize)
    }
    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        match self.file(span) {
            Some(f) => {
                let (l, c) = f.line_col(span.start as usize);
                format!("{}:{}:{}", f.name, l, c)
            }
            None => "<unknown>".to_string(),
        }
    }
    /// `label:line:col` of a span's start, for decision records.
    pub fn label_location(&self, span: Span) -> String {
        match self.file(span) {
            Some(f) => {
                let (l, c) = f.line_col(span.start as usize);
                format!("{}:{}:{}", f.label, l, c)
            }
            None => "<unknown>".to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::{count_newlines, SourceFile};

    #[test]
    fn a_column_counts_characters_and_an_offset_inside_one_counts_from_its_start() {
        let f = SourceFile {
            name: "f".into(),
            label: "f".into(),
            text: "ab\n中文x".into(),
        };
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(9), (2, 3));
        // Inside 文 (bytes 6..9): the column of 文.
        assert_eq!(f.line_col(7), (2, 2));
        assert_eq!(f.line_col(99), (2, 4));
    }

    #[test]
    fn newlines_are_counted_exactly_in_every_position() {
        let text = "a\nbb\n\n中文\u{8a}\nxyz\n\n\n0123456789\n\u{a0a}\n\t\r\n";
        for end in 0..=text.len() {
            let b = &text.as_bytes()[..end];
            assert_eq!(
                count_newlines(b),
                b.iter().filter(|&&c| c == b'\n').count(),
                "{end}"
            );
        }
        assert_eq!(count_newlines(&[b'\n'; 17]), 17);
        assert_eq!(count_newlines(&[0x8a; 17]), 0);
    }
}
