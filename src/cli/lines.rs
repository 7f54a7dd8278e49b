//! The lines of a JSON Lines input, read into buffers that are used again for later lines.
//!
//! `BufRead::lines` allocates a new `String` for every line and finds its end with the standard
//! library's byte search; a batch of 5 KB cases spent about 14,000 instructions a case there
//! (issue 12). Here the end of a line is found with `memchr` and the bytes go into a buffer the
//! caller hands back when the line is done with. What a line is stays that of `lines`: it ends
//! at `\n`, a `\r` before it is dropped, and a last line without `\n` is still a line.
//!
//! A line comes as its bytes; [`text`] checks that they are UTF-8 where the line is decided (a
//! batch's worker, not the thread that reads), with `simdutf8`, which checks 5 KB of mostly
//! Chinese text in under a third of the standard library's instructions (1,900 against 6,700).

use std::io::{BufRead, ErrorKind};

/// What `BufRead::lines` says of a line that is not UTF-8, kept word for word.
pub const NOT_UTF8: &str = "stream did not contain valid UTF-8";

/// The largest line buffer kept for later lines (a case file is tens of KB).
const MAX_KEPT: usize = 1 << 20;

/// A line's text, or `None` when its bytes are not UTF-8 (say so with [`NOT_UTF8`]).
#[inline]
pub fn text(line: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(line).ok()
}

/// A line that holds nothing to decide: only white space and byte order marks, exactly what
/// `trim_start_matches('\u{feff}').trim()` empties. A line that is not UTF-8 is not blank.
pub fn is_blank(line: &[u8]) -> bool {
    // Any ASCII byte that is not white space survives the trim: the usual case, a JSON line,
    // is known at its first byte. Otherwise the line is made only of white space and bytes
    // past ASCII, and the exact test decides.
    if line
        .iter()
        .any(|b| b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0b)
    {
        return false;
    }
    std::str::from_utf8(line).is_ok_and(|s| s.trim_start_matches('\u{feff}').trim().is_empty())
}

/// Reads lines from `input`, reusing the buffers of lines handed back.
pub struct Lines<R> {
    input: R,
    spare: Vec<Vec<u8>>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(input: R) -> Self {
        Lines {
            input,
            spare: Vec::new(),
        }
    }

    /// Gives a line's buffer back for a later line. One grown past [`MAX_KEPT`] by a rare long
    /// line is let go, so that it does not stay that large for the rest of the input.
    pub fn recycle(&mut self, mut bytes: Vec<u8>) {
        if bytes.capacity() > MAX_KEPT {
            return;
        }
        bytes.clear();
        self.spare.push(bytes);
    }

    /// The next line's bytes, `None` at the end of the input. A read error other than an
    /// interrupted read is returned as it is.
    pub fn next_line(&mut self) -> Option<std::io::Result<Vec<u8>>> {
        let mut buf = self.spare.pop().unwrap_or_default();
        match self.read_into(&mut buf) {
            Ok(false) => {
                self.spare.push(buf);
                None
            }
            Ok(true) => Some(Ok(buf)),
            Err(e) => {
                buf.clear();
                self.spare.push(buf);
                Some(Err(e))
            }
        }
    }

    /// Appends the next line's bytes to `buf`, without its `\n` or `\r\n`; false at the end.
    fn read_into(&mut self, buf: &mut Vec<u8>) -> std::io::Result<bool> {
        let mut any = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(any);
            }
            any = true;
            match memchr::memchr(b'\n', available) {
                Some(end) => {
                    buf.extend_from_slice(&available[..end]);
                    self.input.consume(end + 1);
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                    return Ok(true);
                }
                None => {
                    let n = available.len();
                    buf.extend_from_slice(available);
                    self.input.consume(n);
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Each line's text, or the error reading it.
    type Read = Vec<Result<String, String>>;

    /// The lines as `BufRead::lines` gives them, and as `Lines` does, for the same bytes.
    fn both(bytes: &[u8]) -> (Read, Read) {
        let std_lines = std::io::BufReader::new(bytes)
            .lines()
            .map(|l| l.map_err(|e| e.to_string()))
            .collect();
        // A tiny buffer, so that lines cross the ends of what one read gives.
        let mut ours = Lines::new(std::io::BufReader::with_capacity(3, bytes));
        let mut got = Vec::new();
        while let Some(l) = ours.next_line() {
            let l = l.expect("reading bytes in memory");
            got.push(match text(&l) {
                Some(s) => Ok(s.to_string()),
                None => Err(NOT_UTF8.to_string()),
            });
            ours.recycle(l);
        }
        (std_lines, got)
    }

    #[test]
    fn lines_are_those_of_bufread_lines() {
        for input in [
            &b""[..],
            b"\n",
            b"a",
            b"a\n",
            b"a\r\nb",
            b"a\n\nb\n",
            b"\r\n\r\n",
            b"a\r",
            b"\r",
            b"one\rtwo\n",
            b"\xe4\xb8\xad\xe6\x96\x87\n\xff\xfe\nok",
            b"long line that crosses several reads\nand another\r\n",
        ] {
            let (std_lines, ours) = both(input);
            assert_eq!(
                ours,
                std_lines,
                "input {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn a_recycled_buffer_starts_empty() {
        let mut lines = Lines::new(&b"first line\nx\n"[..]);
        let first = lines.next_line().unwrap().unwrap();
        lines.recycle(first);
        assert_eq!(lines.next_line().unwrap().unwrap(), b"x");
        assert!(lines.next_line().is_none());
    }

    #[test]
    fn blank_is_what_trimming_empties() {
        let trimmed_empty = |b: &[u8]| {
            std::str::from_utf8(b).is_ok_and(|s| s.trim_start_matches('\u{feff}').trim().is_empty())
        };
        for line in [
            &b""[..],
            b" ",
            b"\t \x0c",
            b"\x0b",
            b"\xef\xbb\xbf",
            b"\xef\xbb\xbf  ",
            "\u{3000}\u{a0}\u{2028}".as_bytes(),
            "\u{feff}\u{3000}".as_bytes(),
            " \u{feff}".as_bytes(),
            b"{}",
            b" x ",
            "\u{3000}中".as_bytes(),
            b"\xff",
            b"  \xff",
            b"\x00",
        ] {
            assert_eq!(
                is_blank(line),
                trimmed_empty(line),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
        // Every ASCII byte, alone, after a byte order mark and between spaces.
        for b in 0u8..128 {
            for line in [vec![b], vec![0xef, 0xbb, 0xbf, b], vec![b' ', b, b' ']] {
                assert_eq!(is_blank(&line), trimmed_empty(&line), "byte {b:#04x}");
            }
        }
    }

    #[test]
    fn text_agrees_with_the_standard_library() {
        for line in [
            &b""[..],
            b"plain",
            "中文 \u{10ffff}".as_bytes(),
            b"\xff",
            b"\xe4\xb8",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
        ] {
            assert_eq!(text(line), std::str::from_utf8(line).ok());
        }
    }
}
