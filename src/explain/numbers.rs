//! Numbers for people: money in the largest money unit of `grammar/units.txt` that fits (or yuan
//! in English), percents to two places, dates in Chinese or English. Everything writes into a
//! buffer: records are built without a string per number.

use crate::eval::findings::Shown;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write;

pub use crate::lang::Lang;

/// `d` as its sign, its mantissa's magnitude and its scale, trailing zeros of the fraction
/// dropped (what `normalize` gives), read from the mantissa without decimal arithmetic; `None`
/// when the magnitude needs more than 64 bits (then the writers take the general way).
fn parts(d: Decimal) -> Option<(bool, u64, u32)> {
    let m = d.mantissa();
    let (a, s) = strip(u64::try_from(m.unsigned_abs()).ok()?, d.scale());
    Some((m < 0, a, s))
}

/// 10^k when it fits in 64 bits, from a table (no multiplying loop per number).
fn ten_to(k: u32) -> Option<u64> {
    const P: [u64; 20] = {
        let mut p = [1u64; 20];
        let mut i = 1;
        while i < 20 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    P.get(k as usize).copied()
}

/// `a / 10^s` with the trailing zeros of its fraction dropped.
fn strip(mut a: u64, mut s: u32) -> (u64, u32) {
    while s > 0 && a.is_multiple_of(10) {
        a /= 10;
        s -= 1;
    }
    (a, s)
}

/// `a / 10^s` exactly (`s` places, no trailing zero in the fraction), the whole part grouped by
/// thousands when `grouped`.
fn push_fixed(out: &mut String, neg: bool, a: u64, s: u32, grouped: bool) {
    if neg {
        out.push('-');
    }
    // 10^s above 64 bits: `a` (below 2^64 < 10^20) is all fraction.
    let (int, frac) = match ten_to(s) {
        Some(p) => (a / p, a % p),
        None => (0, a),
    };
    if grouped {
        push_u64_grouped(out, int);
    } else {
        push_u64(out, int);
    }
    if frac != 0 {
        // `frac` has exactly `s` digits once its leading zeros are put back.
        out.push('.');
        let mut buf = [0u8; 20];
        let ds = digits(frac, &mut buf);
        for _ in ds.len()..s as usize {
            out.push('0');
        }
        push_ascii(out, ds);
    }
}

/// Digits with thousands separators, rounded to `places`, trailing zeros dropped.
pub fn push_grouped(out: &mut String, d: Decimal, places: u32) {
    // From the mantissa when it fits in 64 bits: nothing to round (most numbers), or rounded
    // half away from zero in whole numbers (a rounded zero has no sign, as `normalize` gives).
    if let Some((neg, a, s)) = parts(d) {
        if s <= places {
            return push_fixed(out, neg, a, s, true);
        }
        if let Some(p) = ten_to(s - places) {
            let (q, r) = (a / p, a % p);
            let q = if r >= p - r { q + 1 } else { q };
            let (q, s) = strip(q, places);
            return push_fixed(out, neg && q != 0, q, s, true);
        }
    }
    // Rounding is a no-op for a number with no more places than asked (most of them).
    let n = d.normalize();
    let r = if n.scale() <= places {
        n
    } else {
        n.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    };
    // Written from the mantissa and scale: `r` is `m / 10^s` with no trailing zero in `m`.
    let m = r.mantissa();
    if m < 0 {
        out.push('-');
    }
    let abs = m.unsigned_abs();
    // In 64 bits when the number fits (nearly always): 128-bit division is a library call.
    let (int, frac) = match (u64::try_from(abs), 10u64.checked_pow(r.scale())) {
        (Ok(a), Some(p)) => (u128::from(a / p), u128::from(a % p)),
        _ => {
            let p = 10u128.pow(r.scale());
            (abs / p, abs % p)
        }
    };
    match u64::try_from(int) {
        Ok(n) => push_u64_grouped(out, n),
        Err(_) => {
            let _ = write!(out, "{int}");
        }
    }
    if frac != 0 {
        // `frac` has exactly `scale` digits once its leading zeros are put back.
        out.push('.');
        let digits = frac.to_string();
        for _ in digits.len()..r.scale() as usize {
            out.push('0');
        }
        out.push_str(&digits);
    }
}

/// "00" to "99": digits two at a time, half the divisions.
const PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// The decimal digits of `n`, most significant first, in `buf`.
fn digits(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut m = n;
    while m >= 100 {
        let r = (m % 100) as usize * 2;
        m /= 100;
        i -= 2;
        buf[i] = PAIRS[r];
        buf[i + 1] = PAIRS[r + 1];
    }
    if m >= 10 {
        let r = m as usize * 2;
        i -= 2;
        buf[i] = PAIRS[r];
        buf[i + 1] = PAIRS[r + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + m as u8;
    }
    &buf[i..]
}

/// ASCII bytes (digits, separators).
#[inline]
fn push_ascii(out: &mut String, bytes: &[u8]) {
    // Byte by byte: these are a few digits, for which `from_utf8`'s call cost more than the
    // pushes (issue 12). Every byte given is ASCII, so `char::from` is the byte itself.
    out.reserve(bytes.len());
    for &b in bytes {
        out.push(char::from(b));
    }
}

#[inline]
fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    push_ascii(out, digits(n, &mut buf));
}

fn push_u64_grouped(out: &mut String, n: u64) {
    if n < 1000 {
        return push_u64(out, n);
    }
    // From the right, a group of three digits and its comma at a time: no test per digit of
    // where the commas go (a full record writes about a hundred amounts; issue 12).
    let mut buf = [0u8; 26];
    let mut i = buf.len();
    let mut m = n;
    while m >= 1000 {
        let group = (m % 1000) as usize;
        m /= 1000;
        let pair = (group % 100) * 2;
        i -= 4;
        buf[i] = b',';
        buf[i + 1] = b'0' + (group / 100) as u8;
        buf[i + 2] = PAIRS[pair];
        buf[i + 3] = PAIRS[pair + 1];
    }
    // The leading group, 1 to 999, without leading zeros.
    let mut lead = [0u8; 20];
    let ds = digits(m, &mut lead);
    i -= ds.len();
    buf[i..i + ds.len()].copy_from_slice(ds);
    push_ascii(out, &buf[i..]);
}

/// A whole number without an intermediate string.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// A decimal exactly as the record writes it (`3500000.5`, `10000000`): whole numbers without the
/// general formatter.
pub fn push_decimal(out: &mut String, d: Decimal) {
    // From the mantissa when it fits in 64 bits: what `Display` of the normalized number gives.
    if let Some((neg, a, s)) = parts(d) {
        return push_fixed(out, neg, a, s, false);
    }
    if d.fract().is_zero() {
        if let Ok(i) = i64::try_from(d) {
            return push_int(out, i);
        }
    }
    let _ = write!(out, "{}", d.normalize());
}

/// Most decimal places a larger money unit may show (49,999.9999 of ten thousand); an amount it cannot show
/// exactly is written in the smallest unit.
const MONEY_PLACES: u32 = 4;

/// An amount, never rounded: in the largest money unit of `grammar/units.txt` that shows it
/// exactly in at most four decimal places (5 of a hundred million, 49,999.9999 of ten thousand), else in the smallest unit with
/// every digit it has (499,999,999元, 0.005元); in English, yuan.
pub fn push_money(out: &mut String, d: Decimal, lang: Lang) {
    if lang == Lang::Zh && push_money_zh_fixed(out, d) {
        return;
    }
    let d = d.normalize();
    match lang {
        Lang::Zh => {
            let scales = money_scales();
            for (u, pow10) in scales {
                if d.abs() < u.factor {
                    continue;
                }
                // A power of ten divides by moving the point: no division of decimals.
                let q = match pow10 {
                    Some(k) if d.scale() + k <= 28 => {
                        let mut q = d;
                        q.set_scale(d.scale() + k).ok().map(|_| q)
                    }
                    _ => d.checked_div(u.factor),
                };
                if let Some(q) = q {
                    if q.normalize().scale() <= MONEY_PLACES {
                        push_exact(out, q);
                        out.push_str(&u.name);
                        return;
                    }
                }
            }
            push_exact(out, d);
            if let Some((u, _)) = scales.last() {
                out.push_str(&u.name);
            }
        }
        Lang::En => {
            out.push_str("CNY ");
            push_exact(out, d);
        }
    }
}

/// [`push_money`] in Chinese from the mantissa, when it fits in 64 bits and every unit is a power of
/// ten (then dividing by a unit moves the point): `false`, with nothing written, otherwise.
fn push_money_zh_fixed(out: &mut String, d: Decimal) -> bool {
    let Some((neg, a, s)) = parts(d) else {
        return false;
    };
    let scales = money_scales();
    for (u, pow10) in scales {
        let Some(k) = pow10 else {
            return false;
        };
        // |d| >= 10^k, i.e. a >= 10^(s + k); beyond 64 bits it is not.
        let t = s + k;
        if ten_to(t).is_none_or(|p| a < p) {
            continue;
        }
        let (qa, qs) = strip(a, t);
        if qs <= MONEY_PLACES {
            push_fixed(out, neg, qa, qs, true);
            out.push_str(&u.name);
            return true;
        }
    }
    // Below every unit, or shown by none in four places: the smallest unit, unless rounded.
    if s > MONEY_PLACES {
        return false;
    }
    push_fixed(out, neg, a, s, true);
    if let Some((u, _)) = scales.last() {
        out.push_str(&u.name);
    }
    true
}

/// The money units largest first, each with its power of ten when it is one (4 for a unit of
/// 10,000), read once.
fn money_scales() -> &'static [(&'static crate::units::Unit, Option<u32>)] {
    static SCALES: std::sync::OnceLock<Vec<(&'static crate::units::Unit, Option<u32>)>> =
        std::sync::OnceLock::new();
    SCALES.get_or_init(|| {
        crate::units::money_scales()
            .map(|u| {
                let f = u.factor.normalize();
                let m = f.mantissa();
                // 10^k with k >= 0: a mantissa that is a power of ten and no places.
                let pow10 = (f.scale() == 0 && m > 0)
                    .then(|| {
                        let k = m.ilog10();
                        (10i128.checked_pow(k) == Some(m)).then_some(k)
                    })
                    .flatten();
                (u, pow10)
            })
            .collect()
    })
}

/// Every digit of `d`, with thousands separators. A quotient that does not end (a mean of
/// 14,066,666.666…) has no exact writing: it is given to the fen.
pub fn push_exact(out: &mut String, d: Decimal) {
    if let Some((neg, a, s)) = parts(d) {
        if s <= MONEY_PLACES {
            return push_fixed(out, neg, a, s, true);
        }
    }
    let scale = d.normalize().scale();
    push_grouped(out, d, if scale > MONEY_PLACES { 2 } else { scale });
}

/// A fraction (0.0285) as a percent (`2.85%`).
pub fn push_percent(out: &mut String, p: Decimal) {
    // A hundredfold moves the point two places.
    if let Some((neg, a, s)) = parts(p) {
        let (a, s) = match s.checked_sub(2) {
            Some(s) => (Some(a), s),
            None => (a.checked_mul(10u64.pow(2 - s)), 0),
        };
        if let (Some(a), true) = (a, s <= 2) {
            push_fixed(out, neg, a, s, true);
            out.push('%');
            return;
        }
    }
    match p.checked_mul(Decimal::ONE_HUNDRED) {
        Some(x) => {
            push_grouped(out, x, 2);
            out.push('%');
        }
        // Too large to scale: show the ratio itself rather than fail.
        None => push_grouped(out, p, 2),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn push_date(out: &mut String, d: NaiveDate, lang: Lang) {
    match lang {
        Lang::Zh => {
            push_int(out, i64::from(d.year()));
            out.push('年');
            push_int(out, i64::from(d.month()));
            out.push('月');
            push_int(out, i64::from(d.day()));
            out.push('日');
        }
        Lang::En => {
            push_int(out, i64::from(d.day()));
            out.push(' ');
            out.push_str(MONTHS.get(d.month0() as usize).copied().unwrap_or(""));
            out.push(' ');
            push_int(out, i64::from(d.year()));
        }
    }
}

fn push_two(out: &mut String, n: u32) {
    out.push((b'0' + (n / 10 % 10) as u8) as char);
    out.push((b'0' + (n % 10) as u8) as char);
}

pub fn push_iso_date(out: &mut String, d: NaiveDate) {
    let y = d.year();
    if (0..=9999).contains(&y) {
        push_two(out, (y / 100) as u32);
        push_two(out, (y % 100) as u32);
    } else {
        push_int(out, i64::from(y));
    }
    out.push('-');
    push_two(out, d.month());
    out.push('-');
    push_two(out, d.day());
}

/// Yes or no in words.
pub fn bool_word(b: bool, lang: Lang) -> &'static str {
    match (lang, b) {
        (Lang::Zh, true) => "是",
        (Lang::Zh, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}

pub fn push_shown(out: &mut String, v: &Shown, lang: Lang) {
    let zh = lang == Lang::Zh;
    match v {
        Shown::Unknown => out.push_str(if zh { "未知" } else { "unknown" }),
        Shown::Absent => out.push_str(if zh { "无" } else { "none" }),
        Shown::Bool(b) => out.push_str(bool_word(*b, lang)),
        Shown::Int(i) => push_int(out, *i),
        Shown::Decimal(d) => push_grouped(out, *d, 2),
        Shown::Money(m) => push_money(out, *m, lang),
        Shown::Percent(p) => push_percent(out, *p),
        Shown::Date(d) => push_date(out, *d, lang),
        Shown::Text(t) => out.push_str(t),
        Shown::Enum(_, _, t) => out.push_str(t),
        Shown::Range(b) => match &**b {
            (Shown::Unknown, hi) => {
                out.push_str(if zh { "不超过" } else { "at most " });
                push_shown(out, hi, lang);
            }
            (lo, Shown::Unknown) => {
                out.push_str(if zh { "不少于" } else { "at least " });
                push_shown(out, lo, lang);
            }
            (lo, hi) => {
                push_shown(out, lo, lang);
                out.push_str(if zh { "至" } else { " to " });
                push_shown(out, hi, lang);
            }
        },
    }
}

pub fn money(d: Decimal, lang: Lang) -> String {
    let mut s = String::new();
    push_money(&mut s, d, lang);
    s
}

pub fn percent(p: Decimal) -> String {
    let mut s = String::new();
    push_percent(&mut s, p);
    s
}

pub fn date(d: NaiveDate, lang: Lang) -> String {
    let mut s = String::new();
    push_date(&mut s, d, lang);
    s
}

pub fn shown(v: &Shown, lang: Lang) -> String {
    let mut s = String::new();
    push_shown(&mut s, v, lang);
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The writing by decimal arithmetic that the mantissa-and-scale one replaced.
    fn grouped_by_arithmetic(d: Decimal, places: u32) -> String {
        let mut out = String::new();
        let r = d
            .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        if r.is_sign_negative() && !r.is_zero() {
            out.push('-');
        }
        let abs = r.abs();
        let int = abs.trunc();
        let frac = abs - int;
        match u64::try_from(int) {
            Ok(n) => push_u64_grouped(&mut out, n),
            Err(_) => {
                let _ = write!(out, "{int}");
            }
        }
        if !frac.is_zero() {
            out.push_str(frac.to_string().trim_start_matches('0'));
        }
        out
    }

    #[test]
    fn grouped_whole_numbers_put_a_comma_every_three_digits() {
        let by_hand = |n: u64| {
            let ds = n.to_string();
            let mut out = String::new();
            for (k, c) in ds.chars().enumerate() {
                if k > 0 && (ds.len() - k).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        let mut ns = vec![
            0,
            7,
            999,
            1000,
            1001,
            10_000,
            100_000,
            999_999,
            1_000_000,
            u64::MAX,
        ];
        ns.extend((0..64).map(|k| 1u64 << k));
        ns.extend((1..20).map(|k| 10u64.pow(k) - 1));
        ns.extend((1..20).map(|k| 10u64.pow(k) + 7));
        ns.push(3_224_350_156);
        for n in ns {
            let mut got = String::new();
            push_u64_grouped(&mut got, n);
            assert_eq!(got, by_hand(n), "{n}");
        }
        let mut s = String::new();
        push_u64_grouped(&mut s, 1_020_003);
        assert_eq!(s, "1,020,003");
    }

    /// Money by dividing by each unit's factor, as before the powers of ten moved the point.
    fn money_by_division(d: Decimal) -> String {
        let mut out = String::new();
        let d = d.normalize();
        let scales: Vec<_> = crate::units::money_scales().collect();
        for u in &scales {
            if d.abs() < u.factor {
                continue;
            }
            if let Some(q) = d.checked_div(u.factor) {
                if q.normalize().scale() <= MONEY_PLACES {
                    push_exact(&mut out, q);
                    out.push_str(&u.name);
                    return out;
                }
            }
        }
        push_exact(&mut out, d);
        out.push_str(&scales.last().unwrap().name);
        out
    }

    fn samples() -> Vec<Decimal> {
        let mut v: Vec<Decimal> = [
            "0",
            "-0",
            "0.5",
            "-0.5",
            "0.005",
            "0.0051",
            "1",
            "-1",
            "12.5",
            "999",
            "1000",
            "-1234567.891",
            "3500000.5",
            "10000000",
            "499999999",
            "500000000",
            "49999.9999",
            "499999999.99995",
            "0.0285",
            "0.000001",
            "-0.004999",
            "123456789012345678901234.5",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "1.0000",
            "100000000.00",
            "20000000",
            "14066666.666666666666666666667",
        ]
        .iter()
        .map(|s| Decimal::from_str(s).unwrap())
        .collect();
        // A spread of mantissas and scales, both signs.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = i64::try_from(x >> (x % 40)).unwrap_or(0);
            let scale = (x % 13) as u32;
            let m = if x.is_multiple_of(3) { -m } else { m };
            v.push(Decimal::new(m, scale));
        }
        v
    }

    #[test]
    fn grouped_digits_are_those_of_decimal_arithmetic() {
        for d in samples() {
            for places in [0, 1, 2, 4, 8] {
                let mut got = String::new();
                push_grouped(&mut got, d, places);
                assert_eq!(
                    got,
                    grouped_by_arithmetic(d, places),
                    "{d} to {places} places"
                );
            }
        }
        let mut s = String::new();
        push_grouped(&mut s, Decimal::from_str("-1234567.8912").unwrap(), 2);
        assert_eq!(s, "-1,234,567.89");
    }

    /// The writers that read the mantissa give what decimal arithmetic and `Display` give.
    #[test]
    fn writers_from_the_mantissa_are_those_of_decimal_arithmetic() {
        for d in samples() {
            let mut got = String::new();
            push_decimal(&mut got, d);
            let whole = d.fract().is_zero().then(|| i64::try_from(d).ok()).flatten();
            let want = whole.map_or_else(|| d.normalize().to_string(), |i| i.to_string());
            assert_eq!(got, want, "decimal {d}");

            let want = match d.checked_mul(Decimal::ONE_HUNDRED) {
                Some(x) => format!("{}%", grouped_by_arithmetic(x, 2)),
                None => grouped_by_arithmetic(d, 2),
            };
            assert_eq!(percent(d), want, "percent {d}");

            let scale = d.normalize().scale();
            let places = if scale > MONEY_PLACES { 2 } else { scale };
            let want = format!("CNY {}", grouped_by_arithmetic(d, places));
            assert_eq!(money(d, Lang::En), want, "money {d}");
        }
        for n in (0..2000u64)
            .chain((0..64).map(|k| 1u64 << k))
            .chain([u64::MAX, 99, 100, 101])
        {
            let mut buf = [0u8; 20];
            assert_eq!(digits(n, &mut buf), n.to_string().as_bytes());
        }
        let mut s = String::new();
        push_int(&mut s, i64::MIN);
        push_int(&mut s, 0);
        push_int(&mut s, -7);
        assert_eq!(s, "-92233720368547758080-7");
    }

    #[test]
    fn money_in_units_is_that_of_dividing_by_each_unit() {
        for d in samples() {
            let mut got = String::new();
            push_money(&mut got, d, Lang::Zh);
            assert_eq!(got, money_by_division(d), "{d}");
        }
        // The largest unit shows a multiple of it as a whole number; an amount below every
        // larger unit is written in the smallest one with all its digits.
        let units: Vec<_> = crate::units::money_scales().collect();
        let big = units.first().unwrap();
        assert_eq!(
            money(big.factor * Decimal::new(5, 0), Lang::Zh),
            format!("5{}", big.name)
        );
        assert_eq!(
            money(Decimal::new(5, 3), Lang::Zh),
            format!("0.005{}", units.last().unwrap().name)
        );
    }
}
