//! The JSON under the fast case reader: a cursor over the case file's bytes that reads exactly
//! what JSON allows and nothing more. It never says *why* it stops: every error is a [`Bail`],
//! and the serde reader (`eval::serde_walk`) then reads the file again and words the refusal.
//! That keeps one source of truth for the words, lines and columns of every refusal, and lets
//! this side be small: it only has to be right about what it accepts.

mod number;
mod string;

pub use string::{same, Str};

/// The fast reader steps aside: the file is refused, or is one it does not read (an unknown
/// field, a key spelled with escapes, ...). No words: the serde reader finds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

pub type Fast<T> = Result<T, Bail>;

/// A position in a JSON text (UTF-8, so every ASCII byte it stops at is a character boundary).
pub struct Cursor<'s> {
    text: &'s str,
    bytes: &'s [u8],
    pos: usize,
}

impl<'s> Cursor<'s> {
    pub fn new(text: &'s str) -> Cursor<'s> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    /// The next byte that is not JSON whitespace (not consumed), or `None` at the end.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                _ => return Some(b),
            }
        }
        None
    }

    /// Consume `b` after any whitespace.
    #[inline]
    pub fn eat(&mut self, b: u8) -> Fast<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Consume `b` if it comes next (after whitespace).
    #[inline]
    pub fn eat_if(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consume one of the words `true`, `false`, `null` (the byte after it is the caller's).
    pub fn word(&mut self, w: &[u8]) -> Fast<()> {
        match self.bytes.get(self.pos..self.pos + w.len()) {
            Some(got) if same(got, w) => {
                self.pos += w.len();
                Ok(())
            }
            _ => Err(Bail),
        }
    }

    /// True when nothing but whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }
}
