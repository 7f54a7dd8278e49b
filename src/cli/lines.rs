//! The lines of a JSON Lines input, read into buffers that are used again for later lines.
//!
//! `BufRead::lines` allocates a new `String` for every line and finds its end with the standard
//! library's byte search; a batch of 5 KB cases spent about 14,000 instructions a case there
//! (issue 12). Here the end of a line is found with `memchr` and the bytes go into a buffer the
//! caller hands back when the line is done with. What a line is stays that of `lines`: it ends
//! at `\n`, a `\r` before it is dropped ([`jsonl::drop_cr`]), and a last line without `\n` is
//! still a line.
//!
//! A line comes as its bytes; [`jsonl::text`] checks that they are UTF-8 where the line is
//! decided (a batch's worker, not the thread that reads).

use crate::jsonl;
use std::io::{BufRead, ErrorKind};

/// The largest line buffer kept for later lines (a case file is tens of KB).
const MAX_KEPT: usize = 1 << 20;

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
                    jsonl::drop_cr(buf);
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
            // What the batch says of a line `lines` cannot read.
            .map(|l| l.map_err(|e| format!("the line cannot be read: {e}")))
            .collect();
        // A tiny buffer, so that lines cross the ends of what one read gives.
        let mut ours = Lines::new(std::io::BufReader::with_capacity(3, bytes));
        let mut got = Vec::new();
        while let Some(l) = ours.next_line() {
            let l = l.expect("reading bytes in memory");
            got.push(match jsonl::text(&l) {
                Some(s) => Ok(s.to_string()),
                None => Err(jsonl::NOT_UTF8.to_string()),
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
}
