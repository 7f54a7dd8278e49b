//! Numbers for people: money in the largest money unit of `grammar/units.txt` that fits (or yuan
//! in English), percents to two places, dates in Chinese or English. Everything writes into a
//! buffer: records are built without a string per number.

use crate::eval::findings::Shown;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write;

pub use crate::lang::Lang;

/// Digits with thousands separators, rounded to `places`, trailing zeros dropped.
pub fn push_grouped(out: &mut String, d: Decimal, places: u32) {
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
        Ok(n) => push_u64_grouped(out, n),
        Err(_) => {
            let _ = write!(out, "{int}");
        }
    }
    if !frac.is_zero() {
        let s = frac.to_string();
        out.push_str(s.trim_start_matches('0'));
    }
}

/// The decimal digits of `n`, most significant first, in `buf`.
fn digits(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut m = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    &buf[i..]
}

fn push_u64_grouped(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let ds = digits(n, &mut buf);
    for (k, c) in ds.iter().enumerate() {
        if k > 0 && (ds.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c as char);
    }
}

/// A whole number without an intermediate string.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    for c in digits(n.unsigned_abs(), &mut buf) {
        out.push(*c as char);
    }
}

/// A decimal exactly as the record writes it (`3500000.5`, `10000000`): whole numbers without the
/// general formatter.
pub fn push_decimal(out: &mut String, d: Decimal) {
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
    let d = d.normalize();
    match lang {
        Lang::Zh => {
            let scales: Vec<_> = crate::units::money_scales().collect();
            for u in &scales {
                if d.abs() < u.factor {
                    continue;
                }
                if let Some(q) = d.checked_div(u.factor) {
                    if q.normalize().scale() <= MONEY_PLACES {
                        push_exact(out, q);
                        out.push_str(&u.name);
                        return;
                    }
                }
            }
            push_exact(out, d);
            if let Some(u) = scales.last() {
                out.push_str(&u.name);
            }
        }
        Lang::En => {
            out.push_str("CNY ");
            push_exact(out, d);
        }
    }
}

/// Every digit of `d`, with thousands separators. A quotient that does not end (a mean of
/// 14,066,666.666…) has no exact writing: it is given to the fen.
pub fn push_exact(out: &mut String, d: Decimal) {
    let scale = d.normalize().scale();
    push_grouped(out, d, if scale > MONEY_PLACES { 2 } else { scale });
}

/// A fraction (0.0285) as a percent (`2.85%`).
pub fn push_percent(out: &mut String, p: Decimal) {
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

pub fn push_shown(out: &mut String, v: &Shown, lang: Lang) {
    let zh = lang == Lang::Zh;
    match v {
        Shown::Unknown => out.push_str(if zh { "未知" } else { "unknown" }),
        Shown::Absent => out.push_str(if zh { "无" } else { "none" }),
        Shown::Bool(b) => out.push_str(match (zh, b) {
            (true, true) => "是",
            (true, false) => "否",
            (false, true) => "yes",
            (false, false) => "no",
        }),
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
