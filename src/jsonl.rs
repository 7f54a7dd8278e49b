//! What a line of JSON Lines input is, the same for `eval --batch` and the service's
//! `POST /v1/batch` (the contract answers a batch "as `eval --batch`"): a line ends at `\n`, a
//! `\r` before that `\n` is dropped (a last line with no `\n` keeps one, as `BufRead::lines`
//! does), a blank line is skipped but counted (`diff --cases` too), and a line that is not UTF-8
//! is an error in its place with the same words. The CLI reads lines from a file or a pipe
//! (`cli::lines`), the service from the frames of a request body; both end a line with these.
//!
//! UTF-8 is checked with `simdutf8`, which checks 5 KB of mostly Chinese text in under a third
//! of the standard library's instructions (1,900 against 6,700; issue 12).

/// What is said of a line that is not UTF-8: the words `eval --batch` has always used (the
/// end is what `BufRead::lines` said of such a line, when the CLI read with it).
pub const NOT_UTF8: &str = "the line cannot be read: stream did not contain valid UTF-8";

/// Ends the bytes of a line that a `\n` ended (the `\n` already gone): a `\r` before it is
/// dropped (the line came from a CRLF file). A last line with no `\n` keeps a `\r` it ends
/// with, as `BufRead::lines` keeps it; do not call this for one.
pub fn drop_cr(line: &mut Vec<u8>) {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
}

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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

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

    #[test]
    fn a_carriage_return_before_the_end_is_dropped() {
        for (line, want) in [
            (&b"a\r"[..], &b"a"[..]),
            (b"a", b"a"),
            (b"\r\r", b"\r"),
            (b"", b""),
            (b"a\rb", b"a\rb"),
        ] {
            let mut l = line.to_vec();
            drop_cr(&mut l);
            assert_eq!(l, want);
        }
    }
}
