//! A text fact: a slice of one shared buffer. The case reader copies a case file once and every
//! text read from it points into that copy, so a case with thirty names and ids costs one
//! allocation for its texts instead of thirty, and cloning a text (a finding's subject) is a
//! reference count, never a copy.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable text: `buf[start..end]`, always on character boundaries (the case's store checks
/// a range against its copy when it reads the text: `Store::text_in_file`).
#[derive(Clone)]
pub struct Text {
    buf: Arc<str>,
    start: u32,
    end: u32,
}

impl Text {
    /// `buf[start..end]` for a range already checked against `buf` (a fact of the case file's
    /// copy, checked when it was read); a range that is not one reads as empty, never wrongly.
    pub(crate) fn placed(buf: &Arc<str>, start: u32, end: u32) -> Text {
        Text {
            buf: Arc::clone(buf),
            start,
            end,
        }
    }

    pub fn as_str(&self) -> &str {
        // Never empty by accident: the range was checked against this very buffer when made.
        self.buf
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The bytes, without `as_str`'s character-boundary checks (for comparing keys).
    pub fn as_bytes(&self) -> &[u8] {
        self.buf
            .as_bytes()
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(Arc::<str>::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::from(Arc::<str>::from(s))
    }
}

impl From<Arc<str>> for Text {
    fn from(buf: Arc<str>) -> Text {
        // Texts index with u32: one of 4 GiB or more (no case file or policy has one) is empty.
        let end = u32::try_from(buf.len()).unwrap_or(0);
        Text { buf, start: 0, end }
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn slices_share_one_buffer_and_compare_by_content() {
        let buf: Arc<str> = Arc::from("{\"id\":\"甲1\",\"x\":\"甲1\"}");
        let a = Text::placed(&buf, 7, 11);
        let b = Text::placed(&buf, 18, 22);
        assert_eq!(a.as_str(), "甲1");
        assert_eq!(a, b);
        assert_eq!(a, Text::from("甲1"));
        assert_eq!(format!("{a:?} {a}"), "\"甲1\" 甲1");
        assert_eq!(Arc::strong_count(&buf), 3);
        let (a, b) = (Text::from("a"), Text::from("b"));
        assert_ne!(a, b);
        assert!(a < b);
        assert_eq!(b.cmp(&a), Ordering::Greater);
    }
}
