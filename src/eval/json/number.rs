//! JSON numbers, as far as a case file's facts take them: whole numbers that serde_json reads as
//! 64-bit signed integers. Every other number is refused by the facts it could stand for (a
//! fraction, an exponent or `-0` is a float to serde_json, and money never goes through a float),
//! so it is a [`Bail`] here, valid JSON or not.

use super::{Bail, Cursor, Fast};

impl Cursor<'_> {
    /// A whole number, its first byte (`-` or a digit) next after whitespace.
    pub fn integer(&mut self) -> Fast<i64> {
        let negative = self.eat_if(b'-');
        let mut magnitude: u64 = match self.bytes.get(self.pos) {
            Some(b'0') => 0,
            Some(d @ b'1'..=b'9') => u64::from(d - b'0'),
            _ => return Err(Bail),
        };
        self.pos += 1;
        while let Some(d @ b'0'..=b'9') = self.bytes.get(self.pos).copied() {
            // A leading zero (`01`) is not JSON; more than 64 bits is a float to serde_json.
            if magnitude == 0 {
                return Err(Bail);
            }
            magnitude = magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_add(u64::from(d - b'0')))
                .ok_or(Bail)?;
            self.pos += 1;
        }
        if matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E')) {
            return Err(Bail);
        }
        if negative {
            if magnitude == 0 {
                return Err(Bail);
            }
            0i64.checked_sub_unsigned(magnitude).ok_or(Bail)
        } else {
            i64::try_from(magnitude).map_err(|_| Bail)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_serde_json_reads_as_i64_and_nothing_else() {
        let read = |s: &str| Cursor::new(s).integer().ok();
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("-7,"), Some(-7));
        assert_eq!(read("120}"), Some(120));
        assert_eq!(read("9223372036854775807"), Some(i64::MAX));
        assert_eq!(read("-9223372036854775808"), Some(i64::MIN));
        for other in [
            "-0",
            "01",
            "-01",
            "1.0",
            "1e2",
            "1E2",
            "-",
            "+1",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "",
        ] {
            assert_eq!(read(other), None, "{other}");
        }
    }
}
