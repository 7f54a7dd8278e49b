//! The answer of `POST /v1/decisions`: the compact record indented as `eval` prints it, the
//! same bytes as `explain::record::pretty` (a test holds the two equal), made faster because
//! the service makes it for every request (a fifth of a log-off request's CPU went to it).
//!
//! Indenting only inserts: a newline and two spaces a level after `{`, `[` and `,` and before
//! `}` and `]`, a space after `:`, nothing inside strings, `{}` and `[]` left as they are. The
//! output is the input's runs between those places with the insertions between them. The runs
//! are short (a key, a value) and many, so instead of a `memcpy` call a run the copies move 16
//! bytes at a time into a buffer kept longer than the text written so far: a copy may write
//! past its end, and the next copy, or the final truncation, overwrites what it wrote there.
//! Strings are skipped 8 bytes at a time (most are keys shorter than `memchr`'s set-up).

/// Bytes of slack kept past the text written: the widest overshooting copy.
const CHUNK: usize = 16;

/// A newline and the spaces of 47 levels, padded so that a chunked copy of it never reads past
/// its end. Deeper levels go through the plain path.
const LINE: [u8; 1 + 2 * MAX_FAST_DEPTH + CHUNK] = {
    let mut line = [b' '; 1 + 2 * MAX_FAST_DEPTH + CHUNK];
    line[0] = b'\n';
    line
};
const MAX_FAST_DEPTH: usize = 47;

/// `compact` indented, with a final newline: `explain::record::pretty(compact) + "\n"`.
pub fn indented(compact: &str) -> String {
    let src = compact.as_bytes();
    let mut out = Out {
        buf: vec![0u8; src.len() + src.len() / 2 + 2 * CHUNK],
        at: 0,
    };
    let mut depth = 0usize;
    // `src[run..i]` is copied as it is when a structural byte (or the end) is reached.
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        match b {
            b'"' => {
                i = string_end(src, i + 1);
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                if src.get(i + 1) == Some(&close) {
                    i += 2;
                    continue;
                }
                out.copy(src, run, i + 1);
                depth += 1;
                out.newline(depth);
            }
            b'}' | b']' => {
                out.copy(src, run, i);
                depth = depth.saturating_sub(1);
                out.newline(depth);
                out.byte(b);
            }
            b',' => {
                out.copy(src, run, i + 1);
                out.newline(depth);
            }
            b':' => {
                out.copy(src, run, i + 1);
                out.byte(b' ');
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 1;
        run = i;
    }
    out.copy(src, run, src.len());
    out.byte(b'\n');
    out.buf.truncate(out.at);
    // Runs start and end at ASCII bytes of a `str` and the insertions are ASCII, so this is
    // UTF-8; should it ever not be, the plain path gives the same answer.
    String::from_utf8(out.buf).unwrap_or_else(|_| {
        let mut s = crate::explain::record::pretty(compact);
        s.push('\n');
        s
    })
}

/// The output: `buf[..at]` written, and at least `CHUNK` bytes of room after it.
struct Out {
    buf: Vec<u8>,
    at: usize,
}

impl Out {
    /// Room for `n` more bytes plus the slack.
    fn room(&mut self, n: usize) {
        let want = self.at + n + CHUNK;
        if want > self.buf.len() {
            self.buf.resize(want.max(self.buf.len() * 2), 0);
        }
    }

    /// Copy `src[from..to]`.
    fn copy(&mut self, src: &[u8], from: usize, to: usize) {
        let n = to.saturating_sub(from);
        self.room(n);
        let (Some(s), Some(d)) = (src.get(from..), self.buf.get_mut(self.at..)) else {
            return;
        };
        // 16 bytes at a time while the source has them; the rest byte by byte.
        let mut k = 0;
        while k < n {
            match (s.get(k..k + CHUNK), d.get_mut(k..k + CHUNK)) {
                (Some(from), Some(to)) => to.copy_from_slice(from),
                _ => break,
            }
            k += CHUNK;
        }
        if k < n {
            // Only near the end of the source: fewer than CHUNK bytes are left in it.
            let k = k.min(n);
            if let (Some(from), Some(to)) = (s.get(k..n), d.get_mut(k..n)) {
                to.copy_from_slice(from);
            }
        }
        self.at += n;
    }

    fn byte(&mut self, b: u8) {
        self.room(1);
        if let Some(slot) = self.buf.get_mut(self.at) {
            *slot = b;
        }
        self.at += 1;
    }

    /// A newline and two spaces a level.
    fn newline(&mut self, depth: usize) {
        let n = 1 + 2 * depth;
        if depth > MAX_FAST_DEPTH {
            self.room(n);
            self.byte(b'\n');
            for _ in 0..2 * depth {
                self.byte(b' ');
            }
            return;
        }
        self.room(n);
        let Some(d) = self.buf.get_mut(self.at..) else {
            return;
        };
        let mut k = 0;
        while k < n {
            if let (Some(from), Some(to)) = (LINE.get(k..k + CHUNK), d.get_mut(k..k + CHUNK)) {
                to.copy_from_slice(from);
            }
            k += CHUNK;
        }
        self.at += n;
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that equals `b` (exact for the lowest such byte, which is
/// all that is read).
fn bytes_equal(w: u64, b: u8) -> u64 {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The index just past the quote that closes the JSON string whose contents start at `from`
/// (the end of the text if it is not closed), as `explain::record::string_end`: a backslash
/// escapes the byte after it.
fn string_end(src: &[u8], from: usize) -> usize {
    let mut k = from;
    while let Some(word) = src.get(k..k + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let hits = bytes_equal(w, b'"') | bytes_equal(w, b'\\');
        if hits == 0 {
            k += 8;
            continue;
        }
        let p = k + (hits.trailing_zeros() / 8) as usize;
        if src.get(p) == Some(&b'"') {
            return p + 1;
        }
        k = p + 2;
    }
    while let Some(&c) = src.get(k) {
        match c {
            b'"' => return k + 1,
            b'\\' => k += 2,
            _ => k += 1,
        }
    }
    src.len()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::explain::record::pretty;
    use proptest::prelude::*;

    fn plain(s: &str) -> String {
        pretty(s) + "\n"
    }

    #[test]
    fn the_same_bytes_as_pretty() {
        for s in [
            "",
            "{}",
            "[]",
            "{\"a\":1}",
            "{\"a\":{},\"b\":[],\"c\":[1,2,{\"d\":\"x,y:{z}\"}]}",
            "{\"k\":\"a \\\"quoted\\\" \\\\ word\",\"zh\":\"满足条件，金额：100万\"}",
            "\"unclosed",
            "\"ends in a backslash\\",
            "}}]]",
            "{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        ] {
            assert_eq!(indented(s), plain(s), "{s:?}");
        }
        let long = format!(
            "{{\"a\":\"{}\",\"b\":[{}]}}",
            "x".repeat(1000),
            "1,".repeat(300) + "2"
        );
        assert_eq!(indented(&long), plain(&long));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Any text from JSON's structural bytes, quotes, escapes, spaces and letters, wide
        /// characters among them.
        #[test]
        fn any_text_indents_as_pretty(s in "[{}\\[\\],:\"\\\\ a1é满]{0,200}") {
            prop_assert_eq!(indented(&s), plain(&s));
        }
    }
}
