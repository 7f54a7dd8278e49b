//! JSON strings: a string without escapes is a range of the case file (nothing copied); one
//! with escapes is decoded into its own `String`. Anything JSON does not allow in a string (a raw
//! control character, an unknown escape, a lone surrogate) is a [`Bail`].

use super::{Bail, Cursor, Fast};

/// A string as read.
#[repr(u8)]
pub enum Str {
    /// `text[start..end]` of the case file, exactly as written.
    Plain(usize, usize),
    /// A string with escapes, decoded.
    Decoded(String),
}

/// Byte equality for keys and field names, eight bytes a step rather than a call to `memcmp`
/// (which cost more than the comparison for names this short).
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    fn word(s: &[u8], at: usize) -> u64 {
        s.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    // Whole words from the start, then the last eight bytes (overlapping the words before).
    let mut at = 0;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// A byte that ends a run of plain string bytes.
#[inline]
fn special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` below `n` (n <= 128), exact up to the first such byte (a
/// borrow may flag bytes above it, never below): the classic "has less" bit trick.
#[inline]
fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH
}

/// The high bit of each byte of eight (little-endian) that is [`special`], exact up to the first.
#[inline]
fn specials(w: u64) -> u64 {
    below(w ^ (ONES * u64::from(b'"')), 1)
        | below(w ^ (ONES * u64::from(b'\\')), 1)
        | below(w, 0x20)
}

impl<'s> Cursor<'s> {
    /// A string, its opening quote next (after whitespace).
    pub fn string(&mut self) -> Fast<Str> {
        self.eat(b'"')?;
        let start = self.pos;
        let end = self.plain_run();
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                Ok(Str::Plain(start, end))
            }
            Some(b'\\') => {
                self.pos = end;
                self.decode(start).map(Str::Decoded)
            }
            _ => Err(Bail),
        }
    }

    /// An object's key, opening quote next: its bytes as written. Keys with escapes are left to
    /// the serde reader (no vocabulary needs them).
    pub fn key(&mut self) -> Fast<&'s [u8]> {
        self.eat(b'"')?;
        let start = self.pos;
        let end = self.plain_run();
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                self.bytes.get(start..end).ok_or(Bail)
            }
            _ => Err(Bail),
        }
    }

    /// An object's key when it is `name`, consumed; else nothing consumed. `name` must need no
    /// escapes: field names are identifiers (letters, digits, `_`), never a quote, a backslash
    /// or a control character, so the bytes `"name"` are that key and nothing else.
    #[inline]
    pub fn key_is(&mut self, name: &[u8]) -> bool {
        let at = match self.peek() {
            Some(b'"') => self.pos + 1,
            _ => return false,
        };
        let end = at + name.len();
        let hit = self.bytes.get(end) == Some(&b'"')
            && self.bytes.get(at..end).is_some_and(|key| same(key, name));
        if hit {
            self.pos = end + 1;
        }
        hit
    }

    /// `text[start..end]` (ranges the cursor returned are on character boundaries).
    pub fn slice(&self, start: usize, end: usize) -> Fast<&'s str> {
        self.text.get(start..end).ok_or(Bail)
    }

    /// Where the run of plain bytes from the cursor ends (at a special byte or the end). Eight
    /// bytes a step: texts are mostly Chinese, three bytes a character, and this loop was the
    /// reader's largest cost one byte at a time.
    #[inline]
    fn plain_run(&self) -> usize {
        let mut i = self.pos;
        while let Some(eight) = self.bytes.get(i..i + 8) {
            let Ok(eight) = <[u8; 8]>::try_from(eight) else {
                break;
            };
            let found = specials(u64::from_le_bytes(eight));
            if found != 0 {
                return i + (found.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        let rest = self.bytes.get(i..).unwrap_or_default();
        i + rest.iter().position(|&b| special(b)).unwrap_or(rest.len())
    }

    /// The rest of a string from its first backslash (at the cursor); `start` is its first byte.
    fn decode(&mut self, start: usize) -> Fast<String> {
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(self.slice(start, self.pos)?);
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape = *self.bytes.get(self.pos + 1).ok_or(Bail)?;
                    self.pos += 2;
                    out.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return Err(Bail),
                    });
                }
                Some(_) => {
                    let end = self.plain_run();
                    if end == self.pos {
                        return Err(Bail); // a control character
                    }
                    out.push_str(self.slice(self.pos, end)?);
                    self.pos = end;
                }
                None => return Err(Bail),
            }
        }
    }

    /// The character of a `\uXXXX` escape (its `\u` read), a surrogate pair taking two escapes.
    fn unicode(&mut self) -> Fast<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(Bail);
                }
                self.pos += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(Bail);
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(Bail),
            _ => hi,
        };
        char::from_u32(code).ok_or(Bail)
    }

    fn hex4(&mut self) -> Fast<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or(Bail)?;
        let mut n = 0u32;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16).ok_or(Bail)?;
        }
        self.pos += 4;
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// The end of the plain run, a byte at a time: what the eight-byte steps must agree with.
    fn slow_run(s: &str, from: usize) -> usize {
        let b = s.as_bytes();
        (from..b.len()).find(|&i| special(b[i])).unwrap_or(b.len())
    }

    #[test]
    fn eight_byte_steps_stop_where_single_bytes_do() {
        let stops = ["\"", "\\", "\n", "\u{1}", "\u{1f}", ""];
        let fillers = ["a", "甲", " ", "~", "\u{7f}", "é", "😀", "!#"];
        for stop in stops {
            for filler in fillers {
                for n in 0..20 {
                    let s = format!("{}{stop}{}x", filler.repeat(n), filler.repeat(3));
                    for from in [0, 1] {
                        if !s.is_char_boundary(from) {
                            continue;
                        }
                        let mut c = Cursor::new(&s);
                        c.pos = from;
                        assert_eq!(c.plain_run(), slow_run(&s, from), "{s:?} from {from}");
                    }
                }
            }
        }
    }

    #[test]
    fn strings_are_ranges_or_decoded_and_anything_odd_bails() {
        let mut c = Cursor::new(r#" "甲乙" "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z" "#);
        assert!(matches!(c.string(), Ok(Str::Plain(2, 8))));
        let Ok(Str::Decoded(s)) = c.string() else {
            panic!("not decoded")
        };
        assert_eq!(s, "a\"\\/\u{8}\u{c}\n\r\té😀z");
        for bad in [
            r#""\ud800""#,
            r#""\ud800\u0041""#,
            r#""\udc00""#,
            r#""\x""#,
            r#""\u12""#,
            r#""\u12g4""#,
            "\"a\tb\"",
            "\"a\\u0041\tb\"",
            r#""abc"#,
            r#""abc\"#,
        ] {
            assert!(Cursor::new(bad).string().is_err(), "{bad}");
        }
    }
}
